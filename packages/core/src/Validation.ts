/**
 * The checks behind create, change and extend, as pure functions that return messages (never
 * throw). Which findings stop an operation is decided by their severity in the installation's
 * customizing (see `Messages`).
 *
 * Formats use well-kept libraries: countries by `i18n-iso-countries` (ISO 3166-1), postal codes by
 * `postcode-validator` (per-country formats), phone numbers by `libphonenumber-js` (Google's
 * metadata), e-mail by zod's `email()`; languages by the runtime's ICU data (`Intl.DisplayNames`).
 *
 * @example
 * ```ts
 * import { Customizing, Messages, Presets, Validation } from "@partnerkit/core"
 *
 * const customizing = Customizing.makeOrThrow(Presets.standard("acme"))
 * const context = Validation.context(customizing, "0001")
 * const findings = context === undefined ? [] : Validation.general(context, { name: "Acme", postalCode: "00000", country: "DE" }, "all")
 * console.log(Messages.format(findings))
 * ```
 * @module
 */
import countries from "i18n-iso-countries"
import { postcodeValidator, postcodeValidatorExistsForCountry } from "postcode-validator"
import { z } from "zod"
import {
  type CompanyCodeData,
  type ContactData,
  type GeneralData,
  type SalesArea,
  type SalesAreaData,
  salesAreaKey
} from "./Customer.js"
import {
  type AccountGroup,
  type Customizing,
  describeInterval,
  fieldLists,
  type FieldStatus,
  type NumberRange,
  positionOf
} from "./Customizing.js"
import * as Phones from "./internal/phones.js"
import { factory, type Message, type MessageFactory, type MessageId } from "./Messages.js"

/** Everything a check needs to know about the installation and the customer's account group. */
export interface Context {
  readonly customizing: Customizing
  readonly accountGroupId: string
  readonly accountGroup: AccountGroup
  readonly messages: MessageFactory
}

/** The context for an account group, or `undefined` when the customizing has no such group. */
export const context = (customizing: Customizing, accountGroupId: string): Context | undefined => {
  const accountGroup = customizing.accountGroups[accountGroupId]
  return accountGroup === undefined
    ? undefined
    : { customizing, accountGroupId, accountGroup, messages: factory(customizing.messages) }
}

/** Which fields the caller entered: `"all"` on create, the patched keys on change. */
export type Touched = "all" | ReadonlySet<string>

const isTouched = (touched: Touched, field: string) => touched === "all" || touched.has(field)
const isEmpty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0)

const collect = (out: Array<Message>, m: Message | undefined) => {
  if (m !== undefined) out.push(m)
}

type ViewKind = "general" | "companyCode" | "salesArea" | "contact"

const fieldStatus = (ctx: Context, kind: ViewKind): Partial<Record<string, FieldStatus>> =>
  ctx.accountGroup.fieldStatus[kind] as Partial<Record<string, FieldStatus>>

/** Field status (required / suppressed / display-only) and value lists of one view. */
const statusAndLists = (
  ctx: Context,
  kind: ViewKind,
  data: Readonly<Record<string, unknown>>,
  touched: Touched,
  path: string
): Array<Message> => {
  const out: Array<Message> = []
  const params = (field: string) => ({ field: `${path}.${field}`, accountGroup: ctx.accountGroupId })
  for (const [field, status] of Object.entries(fieldStatus(ctx, kind))) {
    const value = data[field]
    if (status === "required" && isEmpty(value)) collect(out, ctx.messages.make("FIELD_REQUIRED", `${path}.${field}`, params(field)))
    if (status === "suppressed" && !isEmpty(value)) collect(out, ctx.messages.make("FIELD_SUPPRESSED", `${path}.${field}`, params(field)))
    if (status === "displayOnly" && isTouched(touched, field) && !isEmpty(value)) {
      collect(out, ctx.messages.make("FIELD_NOT_CHANGEABLE", `${path}.${field}`, params(field)))
    }
  }
  if (kind !== "contact") {
    for (const [field, listName] of Object.entries(fieldLists[kind])) {
      const list = ctx.customizing.lists[listName]
      const value = data[field]
      if (list === undefined || typeof value !== "string" || !isTouched(touched, field)) continue
      if (!(value in list)) {
        collect(out, ctx.messages.make("VALUE_NOT_IN_LIST", `${path}.${field}`, { field, value, list: listName }))
      }
    }
  }
  return out
}

const placeholderPostalCode = (code: string) => /^(.)\1{2,}$/.test(code.replace(/[\s-]/g, ""))

const languageNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" })
const email = z.email()

/** Is `country` a valid ISO 3166-1 alpha-2 code? */
export const isCountry = (country: string): boolean => /^[A-Z]{2}$/.test(country) && countries.isValid(country)

const phone = (ctx: Context, out: Array<Message>, path: string, value: string, country: string | undefined) => {
  const valid = Phones.isValid(value, country !== undefined && isCountry(country) ? country : undefined)
  if (!valid) collect(out, ctx.messages.make("PHONE_INVALID", path, { value, country: country ?? "(none)" }))
}

/** Checks general data. */
export const general = (ctx: Context, data: GeneralData, touched: Touched, path = "general"): Array<Message> => {
  const out = statusAndLists(ctx, "general", data, touched, path)
  const country = data.country
  const countryValid = country === undefined || isCountry(country)
  if (country !== undefined && isTouched(touched, "country") && !countryValid) {
    collect(out, ctx.messages.make("COUNTRY_INVALID", `${path}.country`, { value: country }))
  }
  const postal = data.postalCode
  if (postal !== undefined && (isTouched(touched, "postalCode") || isTouched(touched, "country"))) {
    if (placeholderPostalCode(postal)) {
      collect(out, ctx.messages.make("POSTAL_CODE_PLACEHOLDER", `${path}.postalCode`, { value: postal }))
    } else if (country !== undefined && countryValid && postcodeValidatorExistsForCountry(country) && !postcodeValidator(postal, country)) {
      collect(out, ctx.messages.make("POSTAL_CODE_INVALID", `${path}.postalCode`, { value: postal, country }))
    }
  }
  for (const field of ["phone", "mobile", "fax"] as const) {
    const value = data[field]
    if (value !== undefined && (isTouched(touched, field) || isTouched(touched, "country"))) {
      phone(ctx, out, `${path}.${field}`, value, countryValid ? country : undefined)
    }
  }
  if (data.email !== undefined && isTouched(touched, "email") && !email.safeParse(data.email).success) {
    collect(out, ctx.messages.make("EMAIL_INVALID", `${path}.email`, { value: data.email }))
  }
  if (data.language !== undefined && isTouched(touched, "language")) {
    if (!/^[a-z]{2}$/.test(data.language) || languageNames.of(data.language) === undefined) {
      collect(out, ctx.messages.make("LANGUAGE_INVALID", `${path}.language`, { value: data.language }))
    }
  }
  return out
}

/** Checks one company-code view's data. */
export const companyCode = (ctx: Context, data: CompanyCodeData, touched: Touched, path: string): Array<Message> =>
  statusAndLists(ctx, "companyCode", data, touched, path)

/** Checks one sales-area view's data. */
export const salesArea = (ctx: Context, data: SalesAreaData, touched: Touched, path: string): Array<Message> =>
  statusAndLists(ctx, "salesArea", data, touched, path)

/** Checks one contact person; phone numbers default to the customer's country. */
export const contact = (
  ctx: Context,
  data: ContactData,
  touched: Touched,
  path: string,
  country: string | undefined
): Array<Message> => {
  const out = statusAndLists(ctx, "contact", data, touched, path)
  if (data.phone !== undefined && isTouched(touched, "phone")) {
    phone(ctx, out, `${path}.phone`, data.phone, country !== undefined && isCountry(country) ? country : undefined)
  }
  if (data.email !== undefined && isTouched(touched, "email") && !email.safeParse(data.email).success) {
    collect(out, ctx.messages.make("EMAIL_INVALID", `${path}.email`, { value: data.email }))
  }
  return out
}

/** The views a create or extend adds: allowed by the account group, known to the customizing, each once, not already present. */
export const views = (
  ctx: Context,
  adding: { readonly companyCodes: ReadonlyArray<string>; readonly salesAreas: ReadonlyArray<SalesArea> },
  existing: { readonly companyCodes: ReadonlyArray<string>; readonly salesAreas: ReadonlyArray<SalesArea> } = {
    companyCodes: [],
    salesAreas: []
  }
): Array<Message> => {
  const out: Array<Message> = []
  const { org } = ctx.customizing
  const make = (id: MessageId, path: string, params: Record<string, string>) =>
    collect(out, ctx.messages.make(id, path, { accountGroup: ctx.accountGroupId, ...params }))

  if (adding.companyCodes.length > 0 && !ctx.accountGroup.companyCodeViews) {
    make("VIEW_NOT_ALLOWED", "companyCodes", { view: "company-code" })
  }
  if (adding.salesAreas.length > 0 && !ctx.accountGroup.salesAreaViews) {
    make("VIEW_NOT_ALLOWED", "salesAreas", { view: "sales-area" })
  }
  const seen = new Set(existing.companyCodes)
  const given = new Set<string>()
  for (const code of adding.companyCodes) {
    const path = `companyCodes.${code}`
    if (!(code in org.companyCodes)) make("VIEW_UNKNOWN_ORG_UNIT", path, { view: "company code", value: code })
    else if (given.has(code)) make("VIEW_DUPLICATED", path, { view: "company-code", value: code })
    else if (seen.has(code)) make("VIEW_EXISTS", path, { view: "company-code", value: code })
    given.add(code)
  }
  const valid = new Set(org.salesAreas)
  const seenAreas = new Set(existing.salesAreas.map(salesAreaKey))
  const givenAreas = new Set<string>()
  for (const area of adding.salesAreas) {
    const key = salesAreaKey(area)
    const path = `salesAreas.${key}`
    if (!valid.has(key)) make("VIEW_UNKNOWN_ORG_UNIT", path, { view: "sales area", value: key })
    else if (givenAreas.has(key)) make("VIEW_DUPLICATED", path, { view: "sales-area", value: key })
    else if (seenAreas.has(key)) make("VIEW_EXISTS", path, { view: "sales-area", value: key })
    givenAreas.add(key)
  }
  return out
}

/**
 * Checks a caller-supplied number against its range: inside the interval, and following the
 * range's positional pattern (an `orgUnit` segment must equal the end of one of `orgUnits`).
 */
export const externalNumber = (
  ctx: Context,
  number: string,
  rangeId: string,
  range: NumberRange,
  orgUnits: { readonly companyCodes: ReadonlyArray<string>; readonly salesOrganizations: ReadonlyArray<string> }
): Array<Message> => {
  const out: Array<Message> = []
  const position = positionOf(range, number)
  if (position === undefined || position < range.from || position > range.to) {
    collect(out, ctx.messages.make("NUMBER_OUT_OF_RANGE", "number", { value: number, range: rangeId, interval: describeInterval(range) }))
    return out
  }
  let offset = 0
  const mismatch = (detail: string) =>
    collect(out, ctx.messages.make("NUMBER_PATTERN_MISMATCH", "number", { value: number, range: rangeId, detail }))
  for (const segment of range.pattern ?? []) {
    const at = `positions ${offset + 1}–`
    switch (segment.kind) {
      case "fixed": {
        const part = number.slice(offset, offset + segment.value.length)
        if (part !== segment.value) mismatch(`${at}${offset + segment.value.length} must be "${segment.value}", not "${part}"`)
        offset += segment.value.length
        break
      }
      case "orgUnit": {
        const part = number.slice(offset, offset + segment.length)
        const units = segment.unit === "companyCode" ? orgUnits.companyCodes : orgUnits.salesOrganizations
        const label = segment.unit === "companyCode" ? "company code" : "sales organisation"
        if (!units.some((u) => u.slice(-segment.length) === part)) {
          mismatch(
            `${at}${offset + segment.length} "${part}" must be the last ${segment.length} characters of the customer's ${label} (${units.join(", ") || "none given"})`
          )
        }
        offset += segment.length
        break
      }
      case "list": {
        const length = segment.values[0]!.length
        const part = number.slice(offset, offset + length)
        if (!segment.values.includes(part)) mismatch(`${at}${offset + length} "${part}" is not a ${segment.label} (${segment.values.join(", ")})`)
        offset += length
        break
      }
      case "sequence": {
        const part = number.slice(offset, offset + segment.length)
        if (!/^\d+$/.test(part)) mismatch(`${at}${offset + segment.length} "${part}" must be digits`)
        offset += segment.length
        break
      }
    }
  }
  return out
}
