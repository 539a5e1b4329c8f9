/**
 * Standardisation of general data on save, configurable per installation: whitespace and width,
 * country as ISO 3166-1 alpha-2, region as an ISO 3166-2 subdivision of the country, phone / mobile
 * / fax in E.164, e-mail in lower case, tax numbers checked where the format is known, IBANs, and
 * placeholder detection (`test`, `xxx`, `测试`, `0000000`, `test@test.com`). Pure functions: the
 * standardised data comes back with its findings as `Messages.Message`s, each with the severity the
 * installation gives it.
 *
 * Division of labour with `Validation.general`: by default (`report: "additional"`) this module
 * reports only what `Validation` does not — `NAME_PLACEHOLDER`, `PHONE_PLACEHOLDER`,
 * `EMAIL_PLACEHOLDER`, `REGION_INVALID`, `TAX_NUMBER_INVALID`, `VALUE_STANDARDISED` — so run it
 * first and `Validation.general` on its result. Standing alone (an import pipeline, say), use
 * `report: "all"` to get `COUNTRY_INVALID`, `POSTAL_CODE_INVALID` / `POSTAL_CODE_PLACEHOLDER`,
 * `PHONE_INVALID` and `EMAIL_INVALID` from here too.
 *
 * Libraries: `i18n-iso-countries` (alpha-3 and English / German / Chinese country names),
 * `iso-3166` (ISO 3166-2 subdivisions), `postcode-validator`, `libphonenumber-js`, `jsvat` (EU VAT
 * numbers with their check digits), `ibantools` (IBAN). The Chinese unified social credit code
 * (GB 32100-2015) has no maintained package; its check character is computed here.
 *
 * @example
 * ```ts
 * import { Messages, Standardisation } from "@partnerkit/core"
 *
 * const config = Standardisation.DataQualityConfig.parse({})
 * const { data, messages } = Standardisation.general(config, Messages.factory(), {
 *   name: "  ACME   Ｓｙｓｔｅｍｓ GmbH ",
 *   country: "Germany",
 *   region: "Bayern",
 *   phone: "089 / 123 456 7",
 *   email: "Info@ACME.de",
 *   taxNumbers: [{ kind: "VAT", value: "DE 136 695 976" }]
 * })
 * // data: { name: "ACME Systems GmbH", country: "DE", region: "BY", phone: "+49891234567", email: "info@acme.de", taxNumbers: [{ kind: "VAT", value: "DE136695976" }] }
 * console.log(data, messages)
 * ```
 * @module
 */

import countries from "i18n-iso-countries"
import de from "i18n-iso-countries/langs/de.json" with { type: "json" }
import en from "i18n-iso-countries/langs/en.json" with { type: "json" }
import zh from "i18n-iso-countries/langs/zh.json" with { type: "json" }
import { electronicFormatIBAN, ValidationErrorsIBAN, validateIBAN } from "ibantools"
import { iso31662 } from "iso-3166"
import { checkVAT, countries as vatCountries } from "jsvat"
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js"
import { postcodeValidator, postcodeValidatorExistsForCountry } from "postcode-validator"
import { z } from "zod"
import type { GeneralData } from "./Customer.js"
import * as Phones from "./internal/phones.js"
import { fold, MatchingConfig, normaliseName } from "./Matching.js"
import type { Message, MessageFactory, MessageId } from "./Messages.js"

countries.registerLocale(en)
countries.registerLocale(de)
countries.registerLocale(zh)

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

/** Names (after legal forms are removed) that are placeholders or test entries. */
export const defaultPlaceholderNames: ReadonlyArray<string> = [
  "test",
  "testing",
  "tester",
  "xxx",
  "xx",
  "x",
  "xyz",
  "asdf",
  "asd",
  "qwert",
  "qwertz",
  "qwerty",
  "dummy",
  "sample",
  "example",
  "na",
  "n a",
  "unknown",
  "unbekannt",
  "tbd",
  "none",
  "foo",
  "bar",
  "foobar",
  "abc",
  "aaa",
  "demo",
  "temp",
  "delete",
  "loeschen",
  "测试",
  "测试公司",
  "测试客户",
  "测试用户",
  "无",
  "未知",
  "临时",
  "样例",
  "示例",
  "演示",
  "テスト",
  "ダミー",
  "サンプル"
]

export const StandardisationConfig = z
  .object({
    /** Trim, collapse runs of whitespace, remove zero-width characters in every text field. */
    whitespace: z.boolean().default(true),
    /** NFKC in every text field: full-width letters, digits and brackets become half-width (`ＡＢＣ（上海）` → `ABC(上海)`). */
    width: z.boolean().default(true),
    /** `titleIfAllCaps` turns `ACME MASCHINENBAU GMBH` into `Acme Maschinenbau Gmbh`; `keep` leaves names as entered. */
    nameCase: z.enum(["keep", "titleIfAllCaps"]).default("keep"),
    /** Country names and alpha-3 codes to alpha-2. */
    country: z.boolean().default(true),
    /** `iso`: the region must be an ISO 3166-2 subdivision of the country (code or name, stored as the code after the dash). `off` when the customizing's `regions` list has the installation's own codes. */
    region: z.enum(["iso", "off"]).default("iso"),
    /** Phone, mobile and fax to E.164 (`+49891234567`) with the country as default. */
    phone: z.boolean().default(true),
    /** `lower` lower-cases the whole address, `domain` only the part after `@`. */
    emailCase: z.enum(["lower", "domain"]).default("lower"),
    /** Tax numbers: upper case without separators, checked where the kind's format is known (`VAT`, `USCC`). */
    taxNumbers: z.boolean().default(true),
    /** Which tax-number kinds are EU VAT numbers and Chinese unified social credit codes. */
    taxKinds: z
      .object({
        vat: z.array(z.string().min(1)).default(["VAT", "UST", "USTID", "TVA", "IVA", "BTW", "MWST"]),
        uscc: z.array(z.string().min(1)).default(["USCC", "CN0", "CN5", "TAX_CN", "统一社会信用代码"])
      })
      .strict()
      .prefault({}),
    placeholders: z
      .object({
        names: z.array(z.string().min(1)).default([...defaultPlaceholderNames]),
        emailDomains: z
          .array(z.string().min(1))
          .default(["example.com", "example.org", "example.net", "test.com", "test.de", "test.cn", "xxx.com", "email.com", "mail.test"]),
        emailLocalParts: z
          .array(z.string().min(1))
          .default(["test", "xxx", "asdf", "dummy", "none", "noemail", "nomail", "na", "no", "x", "keine"])
      })
      .strict()
      .prefault({}),
    /** `additional`: only findings `Validation.general` does not make; `all`: those too (for standalone use). */
    report: z.enum(["additional", "all"]).default("additional")
  })
  .strict()
export type StandardisationConfig = z.infer<typeof StandardisationConfig>

export const DataQualityConfig = z
  .object({
    standardisation: StandardisationConfig.prefault({}),
    matching: MatchingConfig.prefault({})
  })
  .strict()
/**
 * Data quality of an installation: standardisation and matching. `DataQualityConfig.parse({})` is
 * the preset default; override only what differs.
 */
export type DataQualityConfig = z.infer<typeof DataQualityConfig>
export type DataQualityConfigInput = z.input<typeof DataQualityConfig>

// ---------------------------------------------------------------------------------------------
// Countries and regions
// ---------------------------------------------------------------------------------------------

/**
 * ISO 3166-1 alpha-2 for an alpha-2 or alpha-3 code (any case) or a country name in English,
 * German or Chinese; `undefined` when it is none of these.
 *
 * @example
 * ```ts
 * import { Standardisation } from "@partnerkit/core"
 *
 * Standardisation.countryCode("deu") // "DE"
 * Standardisation.countryCode("United Kingdom") // "GB"
 * Standardisation.countryCode("中国") // "CN"
 * ```
 */
export const countryCode = (value: string): string | undefined => {
  const text = value.normalize("NFKC").trim()
  if (text === "") return undefined
  const upper = text.toUpperCase()
  if (/^[A-Z]{2}$/.test(upper)) return countries.isValid(upper) ? upper : undefined
  if (/^[A-Z]{3}$/.test(upper)) {
    const a2 = countries.alpha3ToAlpha2(upper)
    if (a2 !== undefined) return a2
  }
  if (/^\d{3}$/.test(text)) return countries.numericToAlpha2(text) ?? undefined
  for (const lang of ["en", "de", "zh"]) {
    const code = countries.getAlpha2Code(text, lang) ?? countries.getSimpleAlpha2Code(text, lang)
    if (code !== undefined) return code
  }
  return undefined
}

const regionSuffix = /\s+(sheng|shi|zizhiqu|[a-z]+ zizhiqu|sar|[a-z]+ [a-z]+ zizhiqu)$/
const chineseProvinces: Readonly<Record<string, string>> = {
  北京: "BJ",
  天津: "TJ",
  河北: "HE",
  山西: "SX",
  内蒙古: "NM",
  辽宁: "LN",
  吉林: "JL",
  黑龙江: "HL",
  上海: "SH",
  江苏: "JS",
  浙江: "ZJ",
  安徽: "AH",
  福建: "FJ",
  江西: "JX",
  山东: "SD",
  河南: "HA",
  湖北: "HB",
  湖南: "HN",
  广东: "GD",
  广西: "GX",
  海南: "HI",
  重庆: "CQ",
  四川: "SC",
  贵州: "GZ",
  云南: "YN",
  西藏: "XZ",
  陕西: "SN",
  甘肃: "GS",
  青海: "QH",
  宁夏: "NX",
  新疆: "XJ",
  台湾: "TW",
  香港: "HK",
  澳门: "MO"
}

interface CountryRegions {
  /** Code after the dash → the same. */
  readonly codes: ReadonlySet<string>
  /** Folded names → code after the dash. */
  readonly names: ReadonlyMap<string, string>
}

let regionTable: ReadonlyMap<string, CountryRegions> | undefined
const regions = (): ReadonlyMap<string, CountryRegions> => {
  if (regionTable !== undefined) return regionTable
  const byCode = new Map(iso31662.map((e) => [e.code, e]))
  const table = new Map<string, { codes: Set<string>; names: Map<string, string> }>()
  for (const entry of iso31662) {
    let parent = entry.parent
    while (byCode.has(parent)) parent = byCode.get(parent)!.parent
    const suffix = entry.code.slice(entry.code.indexOf("-") + 1)
    let country = table.get(parent)
    if (country === undefined) {
      country = { codes: new Set(), names: new Map() }
      table.set(parent, country)
    }
    country.codes.add(suffix)
    const name = fold(entry.name).replace(/\s+/g, " ").trim()
    country.names.set(name, suffix)
    country.names.set(name.replace(regionSuffix, ""), suffix)
  }
  const cn = table.get("CN")
  if (cn !== undefined) {
    for (const [name, code] of Object.entries(chineseProvinces)) {
      for (const suffix of ["", "省", "市", "自治区"]) cn.names.set(`${name}${suffix}`, code)
    }
  }
  regionTable = table
  return table
}

/**
 * The region as the ISO 3166-2 code after the dash (`BY` for Bayern, `SH` for 上海), from a code
 * (`BY`, `DE-BY`) or a name; `undefined` when it is not a subdivision of `country`, `null` when the
 * country has no subdivisions on record.
 *
 * @example
 * ```ts
 * import { Standardisation } from "@partnerkit/core"
 *
 * Standardisation.regionCode("DE", "Bavaria") // undefined: ISO lists the German name
 * Standardisation.regionCode("DE", "bayern") // "BY"
 * Standardisation.regionCode("CN", "上海市") // "SH"
 * ```
 */
export const regionCode = (country: string, value: string): string | undefined | null => {
  const table = regions().get(country)
  if (table === undefined) return null
  const text = value.normalize("NFKC").trim()
  const upper = text.toUpperCase()
  const code = upper.startsWith(`${country}-`) ? upper.slice(country.length + 1) : upper
  if (table.codes.has(code)) return code
  const name = fold(text).replace(/\s+/g, " ")
  return table.names.get(name) ?? table.names.get(name.replace(regionSuffix, "")) ?? table.names.get(text)
}

// ---------------------------------------------------------------------------------------------
// Tax numbers and IBAN
// ---------------------------------------------------------------------------------------------

const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
const usccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const

/**
 * The check character (position 18) of a Chinese unified social credit code (统一社会信用代码,
 * GB 32100-2015) for its first 17 characters: each character's value in the code alphabet
 * `0-9 A-H J-N P-R T U W-Y` times the weight 3^(i−1) mod 31, summed; the check value is
 * 31 − (sum mod 31), with 31 written `0`. `undefined` when a character is outside the alphabet.
 *
 * @example
 * ```ts
 * import { Standardisation } from "@partnerkit/core"
 *
 * Standardisation.usccCheckCharacter("91350100M000100Y4") // "3"
 * Standardisation.isUnifiedSocialCreditCode("91350100M000100Y43") // true
 * ```
 */
export const usccCheckCharacter = (first17: string): string | undefined => {
  if (first17.length !== 17) return undefined
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const value = usccAlphabet.indexOf(first17[i]!)
    if (value < 0) return undefined
    sum += value * usccWeights[i]!
  }
  const check = (31 - (sum % 31)) % 31
  return usccAlphabet[check]
}

/** Is `value` (upper case, no separators) a well-formed unified social credit code with the right check character? */
export const isUnifiedSocialCreditCode = (value: string): boolean =>
  /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value) && usccCheckCharacter(value.slice(0, 17)) === value[17]

const euVatPrefixes = new Set([
  "AT",
  "BE",
  "BG",
  "CY",
  "CZ",
  "DE",
  "DK",
  "EE",
  "EL",
  "ES",
  "FI",
  "FR",
  "HR",
  "HU",
  "IE",
  "IT",
  "LT",
  "LU",
  "LV",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SE",
  "SI",
  "SK",
  "XI",
  "CH",
  "NO",
  "GB",
  "RS",
  "RU",
  "BR",
  "AD"
])

/** What a tax-number check found. */
export type TaxNumberCheck =
  | { readonly status: "valid"; readonly value: string }
  | { readonly status: "invalid"; readonly value: string; readonly detail: string }
  | { readonly status: "unchecked"; readonly value: string }

/**
 * Normalises and checks one tax number: EU (and some other European) VAT numbers by `jsvat`,
 * prefixed with `country` when the prefix is missing; Chinese unified social credit codes by
 * GB 32100-2015. Other kinds are normalised only.
 */
export const checkTaxNumber = (config: StandardisationConfig, kind: string, value: string, country: string | undefined): TaxNumberCheck => {
  // Composed again last: upper case can decompose (ῢ → Ϋ̀) and removing separators can put a
  // combining mark next to a letter, so that standardising twice changes nothing.
  const normalised = value
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s.\-/]/g, "")
    .normalize("NFKC")
  const upperKind = kind.toUpperCase()
  if (config.taxKinds.uscc.some((k) => k.toUpperCase() === upperKind)) {
    if (!/^[0-9A-Z]{18}$/.test(normalised))
      return { status: "invalid", value: normalised, detail: "a unified social credit code has 18 letters and digits" }
    return isUnifiedSocialCreditCode(normalised)
      ? { status: "valid", value: normalised }
      : {
          status: "invalid",
          value: normalised,
          detail: `the check character should be ${usccCheckCharacter(normalised.slice(0, 17)) ?? "(none: invalid characters)"}`
        }
  }
  if (config.taxKinds.vat.some((k) => k.toUpperCase() === upperKind)) {
    let vat = normalised
    // Only a value that starts like a national VAT number gets the prefix: one starting with a
    // combining mark would compose with the prefix's last letter and be prefixed again next time.
    if (!/^[A-Z]{2}/.test(vat) && /^[0-9A-Z]/.test(vat) && country !== undefined) vat = `${country === "GR" ? "EL" : country}${vat}`
    if (!euVatPrefixes.has(vat.slice(0, 2))) return { status: "unchecked", value: vat }
    const result = checkVAT(vat, vatCountries)
    if (!result.isSupportedCountry) return { status: "unchecked", value: vat }
    if (result.isValid) return { status: "valid", value: vat }
    return {
      status: "invalid",
      value: vat,
      detail: result.isValidFormat ? "the check digits do not match" : "the format is not that of the country"
    }
  }
  return { status: "unchecked", value: normalised }
}

/** What an IBAN check found: the electronic format (no spaces, upper case) and whether it is valid. */
export type IbanCheck =
  | { readonly valid: true; readonly value: string }
  | { readonly valid: false; readonly value: string; readonly detail: string }

const ibanErrors: Partial<Record<ValidationErrorsIBAN, string>> = {
  [ValidationErrorsIBAN.NoIBANProvided]: "no IBAN given",
  [ValidationErrorsIBAN.NoIBANCountry]: "unknown country code",
  [ValidationErrorsIBAN.WrongBBANLength]: "wrong length for the country",
  [ValidationErrorsIBAN.WrongBBANFormat]: "wrong format for the country",
  [ValidationErrorsIBAN.ChecksumNotNumber]: "the check digits are not a number",
  [ValidationErrorsIBAN.WrongIBANChecksum]: "the check digits do not match",
  [ValidationErrorsIBAN.WrongAccountBankBranchChecksum]: "the national check digits do not match",
  [ValidationErrorsIBAN.QRIBANNotAllowed]: "a QR-IBAN is not allowed here"
}

/**
 * Standardises and checks an IBAN (`ibantools`).
 *
 * @example
 * ```ts
 * import { Standardisation } from "@partnerkit/core"
 *
 * Standardisation.iban("de89 3704 0044 0532 0130 00") // { valid: true, value: "DE89370400440532013000" }
 * ```
 */
export const iban = (value: string): IbanCheck => {
  const electronic = electronicFormatIBAN(value.normalize("NFKC")) ?? ""
  const result = validateIBAN(electronic)
  if (result.valid) return { valid: true, value: electronic }
  const detail = result.errorCodes.map((c) => ibanErrors[c] ?? `error ${c}`).join(", ")
  return { valid: false, value: electronic, detail }
}

/** The IBAN as a message when it is invalid (`IBAN_INVALID`), for bank-details fields. */
export const ibanMessages = (messages: MessageFactory, value: string, path: string): Array<Message> => {
  const check = iban(value)
  const m = check.valid ? undefined : messages.make("IBAN_INVALID", path, { value, detail: check.detail })
  return m === undefined ? [] : [m]
}

// ---------------------------------------------------------------------------------------------
// Placeholders
// ---------------------------------------------------------------------------------------------

const placeholderMatching = MatchingConfig.parse({ noiseWords: [], abbreviations: {} })

/** The e-mail format, built once. */
const emailFormat = z.email()

/** The configured placeholder names, folded as names are, built once per list (this runs for every name written). */
const placeholderLists = new WeakMap<ReadonlyArray<string>, ReadonlySet<string>>()
const placeholderList = (names: ReadonlyArray<string>): ReadonlySet<string> => {
  let list = placeholderLists.get(names)
  if (list === undefined) {
    list = new Set(
      names.map((p) =>
        fold(p)
          .replace(/[^\p{L}\p{N}]+/gu, " ")
          .trim()
      )
    )
    placeholderLists.set(names, list)
  }
  return list
}

/** Is the name a placeholder or test entry (`Test GmbH`, `xxx`, `asdf`, `测试有限公司`, `aaaa`)? */
export const isPlaceholderName = (config: StandardisationConfig, name: string): boolean => {
  const n = normaliseName(placeholderMatching, name)
  const list = placeholderList(config.placeholders.names)
  const text = [...n.tokens, n.cjk].filter((t) => t !== "").join(" ")
  if (text === "") return true
  if (list.has(text)) return true
  if (n.cjk !== "" && [...list].some((p) => cjkOnly.test(p) && p.length >= 2 && n.cjk.includes(p))) return true
  const compact = text.replace(/\s/g, "")
  return /^(.)\1+$/u.test(compact) || /^\d+$/.test(compact) || (n.tokens.length > 0 && n.tokens.every((t) => list.has(t)))
}
const cjkOnly = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+$/u

/** Is the phone number a placeholder (`0000000`, `1111111`, `1234567`, `+49 000 000`)? */
export const isPlaceholderPhone = (value: string): boolean => {
  const digits = value.normalize("NFKC").replace(/\D/g, "")
  // Too short to be a number at all: invalid (PHONE_INVALID), not a stand-in for a real one.
  if (digits.length < 4) return false
  // The national number: without the country code (as libphonenumber-js reads it, so `+49 30 123456`
  // keeps its area code) or without the trunk prefix (leading zeros).
  let national = digits.replace(/^0+/, "")
  if (value.trim().startsWith("+")) {
    try {
      national = parsePhoneNumberFromString(value.normalize("NFKC"))?.nationalNumber ?? digits.slice(1)
    } catch {
      national = digits.slice(1)
    }
    national = national.replace(/^0+/, "")
  }
  return (
    national.length === 0 ||
    /^(\d)\1+$/.test(national) ||
    (national.length >= 5 && ("01234567890123456789".includes(national) || "98765432109876543210".includes(national)))
  )
}

/** Is the e-mail address a placeholder (`test@test.com`, `x@example.com`, `none@…`)? */
export const isPlaceholderEmail = (config: StandardisationConfig, value: string): boolean => {
  const [local = "", domain = ""] = value.trim().toLowerCase().split("@")
  const domainName = domain.split(".")[0] ?? ""
  return (
    config.placeholders.emailDomains.includes(domain) ||
    config.placeholders.emailLocalParts.includes(local) ||
    // `a@a.com`, `xx@yy.de`: one letter (repeated) on both sides; two different single letters (`a@b.de`) are not evidence enough.
    (/^(.)\1*$/.test(local) && local === domainName) ||
    (/^(.)\1+$/.test(local) && /^(.)\1+$/.test(domainName)) ||
    (local === domainName && config.placeholders.names.includes(local))
  )
}

// ---------------------------------------------------------------------------------------------
// General data
// ---------------------------------------------------------------------------------------------

/** One field the standardisation changed. */
export interface Change {
  readonly field: string
  readonly from: string
  readonly to: string
}

/** Standardised data with the findings and the changes made. */
export interface Standardised<A> {
  readonly data: A
  readonly messages: ReadonlyArray<Message>
  readonly changes: ReadonlyArray<Change>
}

const textFields = [
  "name",
  "name2",
  "name3",
  "name4",
  "searchTerm",
  "street",
  "houseNumber",
  "postalCode",
  "city",
  "region",
  "country",
  "language",
  "phone",
  "mobile",
  "fax",
  "email",
  "notes",
  "industry",
  "authorizationGroup"
] as const

const cleanText = (config: StandardisationConfig, value: string, multiline = false): string => {
  let v = config.width ? value.normalize("NFKC") : value
  if (config.whitespace) {
    v = v.replace(/[\u200b-\u200d\u2060\ufeff]/g, "")
    v = multiline
      ? v
          .split("\n")
          .map((line) => line.replace(/[^\S\n]+/g, " ").trim())
          .join("\n")
          .trim()
      : v.replace(/\s+/g, " ").trim()
  }
  return v
}

const titleCase = (name: string) =>
  /\p{Ll}/u.test(name) || !/\p{Lu}.*\p{Lu}/u.test(name)
    ? name
    : name.toLowerCase().replace(/(^|[\s\-/&.(])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase())

/**
 * Standardises general data and reports what it finds. `data` may carry a country as a name or
 * alpha-3 code: it comes back as alpha-2 when recognised, and as it was otherwise (for
 * `Validation.general`, or `report: "all"`, to report).
 */
export const general = (
  config: DataQualityConfig,
  messages: MessageFactory,
  data: GeneralData,
  path = "general"
): Standardised<GeneralData> => {
  const c = config.standardisation
  const found: Array<Message> = []
  const changes: Array<Change> = []
  const add = (id: MessageId, field: string, params: Record<string, string>) => {
    const m = messages.make(id, field, params)
    if (m !== undefined) found.push(m)
  }
  const out: Record<string, unknown> = { ...data }
  const set = (field: string, to: string | undefined) => {
    const from = out[field]
    if (to === undefined || to === "") {
      if (from !== undefined) {
        delete out[field]
        changes.push({ field: `${path}.${field}`, from: String(from), to: "" })
      }
      return
    }
    if (from !== to) {
      out[field] = to
      changes.push({ field: `${path}.${field}`, from: String(from), to })
    }
  }
  for (const field of textFields) {
    const value = data[field]
    if (typeof value === "string") set(field, cleanText(c, value, field === "notes"))
  }

  // Country first: the others depend on it.
  let country = out.country as string | undefined
  if (country !== undefined && c.country) {
    const code = countryCode(country)
    if (code !== undefined) {
      set("country", code)
      country = code
    } else if (c.report === "all") add("COUNTRY_INVALID", `${path}.country`, { value: country })
  }
  const countryKnown = country !== undefined && /^[A-Z]{2}$/.test(country) && countries.isValid(country)

  for (const field of ["name", "name2", "name3", "name4"] as const) {
    const value = out[field] as string | undefined
    if (value === undefined) continue
    if (c.nameCase === "titleIfAllCaps") set(field, titleCase(value))
    if (field === "name" && isPlaceholderName(c, value)) add("NAME_PLACEHOLDER", `${path}.${field}`, { field: `${path}.${field}`, value })
  }

  const region = out.region as string | undefined
  if (region !== undefined && c.region === "iso" && countryKnown) {
    const code = regionCode(country!, region)
    if (code === undefined) add("REGION_INVALID", `${path}.region`, { value: region, country: country! })
    else if (code !== null) set("region", code)
  }

  const postal = out.postalCode as string | undefined
  if (postal !== undefined) {
    // Upper case can decompose (ΐ → Ϊ́): composed again, so that standardising twice changes nothing.
    const upper = postal.toUpperCase().normalize("NFKC")
    set("postalCode", upper)
    if (c.report === "all") {
      if (/^(.)\1{2,}$/.test(upper.replace(/[\s-]/g, ""))) add("POSTAL_CODE_PLACEHOLDER", `${path}.postalCode`, { value: upper })
      else if (countryKnown && postcodeValidatorExistsForCountry(country!) && !postcodeValidator(upper, country!)) {
        add("POSTAL_CODE_INVALID", `${path}.postalCode`, { value: upper, country: country! })
      }
    }
  }

  for (const field of ["phone", "mobile", "fax"] as const) {
    const value = out[field] as string | undefined
    if (value === undefined) continue
    if (isPlaceholderPhone(value)) {
      add("PHONE_PLACEHOLDER", `${path}.${field}`, { field: `${path}.${field}`, value })
      continue
    }
    if (!c.phone) continue
    let parsed: ReturnType<typeof parsePhoneNumberFromString>
    try {
      parsed = parsePhoneNumberFromString(value, countryKnown ? (country as CountryCode) : undefined)
    } catch {
      parsed = undefined
    }
    if (parsed?.isValid()) {
      set(field, parsed.number)
      // Validation checks the number next: it need not parse it again.
      Phones.rememberValid(parsed.number, countryKnown ? country : undefined)
    } else if (c.report === "all") add("PHONE_INVALID", `${path}.${field}`, { value, country: country ?? "(none)" })
  }

  const email = out.email as string | undefined
  if (email !== undefined) {
    const at = email.lastIndexOf("@")
    const cased = c.emailCase === "lower" ? email.toLowerCase() : at < 0 ? email : email.slice(0, at) + email.slice(at).toLowerCase()
    set("email", cased)
    if (isPlaceholderEmail(c, cased)) add("EMAIL_PLACEHOLDER", `${path}.email`, { value: cased })
    else if (c.report === "all" && !emailFormat.safeParse(cased).success) add("EMAIL_INVALID", `${path}.email`, { value: cased })
  }

  if (c.taxNumbers && data.taxNumbers !== undefined) {
    const taxNumbers = data.taxNumbers.map((t, i) => {
      const kind = cleanText(c, t.kind).toUpperCase().normalize("NFKC")
      const check = checkTaxNumber(c, kind, cleanText(c, t.value), countryKnown ? country : undefined)
      if (check.status === "invalid") add("TAX_NUMBER_INVALID", `${path}.taxNumbers.${i}`, { kind, value: t.value, detail: check.detail })
      if (kind !== t.kind) changes.push({ field: `${path}.taxNumbers.${i}.kind`, from: t.kind, to: kind })
      if (check.value !== t.value) changes.push({ field: `${path}.taxNumbers.${i}.value`, from: t.value, to: check.value })
      return { kind, value: check.value }
    })
    out.taxNumbers = taxNumbers
  }

  for (const change of changes) {
    const m = messages.make("VALUE_STANDARDISED", change.field, { field: change.field, from: change.from, to: change.to })
    if (m !== undefined) found.push(m)
  }
  return { data: out as GeneralData, messages: found, changes }
}
