import { type CountryCode, isValidPhoneNumber } from "libphonenumber-js"

/**
 * Phone-number validity, remembered: `Validation` checks every phone number a write carries, and
 * on create and change `Standardisation.general` has just parsed the same numbers of the general
 * data and written the valid ones in E.164. It records them here (`rememberValid`), so that the
 * check that follows does not parse them a second time.
 */

/** Verdicts kept (a few dozen bytes each); the oldest are dropped first. */
const size = 2_000
const verdicts = new Map<string, boolean>()

const keyOf = (value: string, country: string | undefined) => `${country ?? ""}\u0000${value}`

const remember = (key: string, valid: boolean) => {
  if (verdicts.size >= size) verdicts.delete(verdicts.keys().next().value!)
  verdicts.set(key, valid)
}

/**
 * `isValidPhoneNumber(value, country)` (`country` a valid ISO 3166-1 code, or `undefined` for
 * international numbers only), remembered.
 */
export const isValid = (value: string, country: string | undefined): boolean => {
  const key = keyOf(value, country)
  let valid = verdicts.get(key)
  if (valid === undefined) {
    valid = country === undefined ? isValidPhoneNumber(value) : isValidPhoneNumber(value, country as CountryCode)
    remember(key, valid)
  }
  return valid
}

/**
 * Records that `e164` — the E.164 form of a number that libphonenumber-js parsed as valid, with
 * `country` as its default country — is valid: re-reading E.164 gives the same calling code and
 * national number, so `isValid(e164, country)` would say so too.
 */
export const rememberValid = (e164: string, country: string | undefined): void => {
  const key = keyOf(e164, country)
  if (!verdicts.has(key)) remember(key, true)
}
