import { describe, expect, it } from "vitest"
import { Customizing, Messages, Presets, Validation } from "@partnerkit/core"

const standard = Customizing.makeOrThrow(Presets.standard("t"))
const manufacturer = Customizing.makeOrThrow(Presets.manufacturer("t"))
const ctx = (c: Customizing.Customizing, group: string) => Validation.context(c, group)!
const ids = (messages: ReadonlyArray<Messages.Message>) => messages.map((m) => `${m.severity} ${m.id} ${m.path}`)

const address = { name: "Acme", street: "Ring 1", postalCode: "80331", city: "München", country: "DE", language: "de" }

describe("Validation.general", () => {
  it("accepts a complete German sold-to", () => {
    expect(Validation.general(ctx(standard, "0001"), { ...address, phone: "089 1234567", email: "info@acme.de" }, "all")).toEqual([])
  })

  it("applies field status: required, suppressed, display-only", () => {
    const c = Customizing.makeOrThrow(
      Customizing.merge(Presets.standard("t"), {
        accountGroups: { "0001": { fieldStatus: { general: { searchTerm: "displayOnly", fax: "suppressed" } } } }
      })
    )
    const found = Validation.general(ctx(c, "0001"), { name: "Acme", searchTerm: "ACME", fax: "+49 89 1234567" }, "all")
    expect(ids(found)).toEqual([
      "error FIELD_REQUIRED general.street",
      "error FIELD_REQUIRED general.postalCode",
      "error FIELD_REQUIRED general.city",
      "error FIELD_REQUIRED general.country",
      "error FIELD_REQUIRED general.language",
      "error FIELD_NOT_CHANGEABLE general.searchTerm",
      "error FIELD_SUPPRESSED general.fax"
    ])
    // A display-only value that the caller did not touch (copied, or unchanged) is fine.
    const untouched = Validation.general(ctx(c, "0001"), { ...address, searchTerm: "ACME" }, new Set(["city"]))
    expect(ids(untouched)).toEqual([])
  })

  it("flags placeholder postal codes as a warning by default and an error in the manufacturer preset", () => {
    expect(ids(Validation.general(ctx(standard, "0001"), { ...address, postalCode: "00000" }, "all"))).toEqual([
      "warning POSTAL_CODE_PLACEHOLDER general.postalCode"
    ])
    const m = Validation.general(ctx(manufacturer, "1110"), { name: "x", street: "s", postalCode: "000000", city: "c", country: "CN", phone: "+86 21 6123 4567", fax: "+86 21 6123 4568", notes: "n" }, "all")
    expect(ids(m)).toEqual(["error POSTAL_CODE_PLACEHOLDER general.postalCode"])
  })

  it("checks formats through the libraries, with the country as context", () => {
    const found = Validation.general(
      ctx(standard, "0001"),
      { ...address, country: "DE", postalCode: "8033", phone: "12", mobile: "+49 151 23456789", email: "not-an-email", language: "xx" },
      "all"
    )
    expect(ids(found)).toEqual([
      "error POSTAL_CODE_INVALID general.postalCode",
      "error PHONE_INVALID general.phone",
      "error EMAIL_INVALID general.email",
      "error LANGUAGE_INVALID general.language"
    ])
    expect(found[0]?.text).toBe('postal code "8033" is not valid for country DE')
    expect(ids(Validation.general(ctx(standard, "0001"), { ...address, country: "XX" }, "all"))).toEqual(["error COUNTRY_INVALID general.country"])
  })

  it("honours severity overrides, including off", () => {
    const c = Customizing.makeOrThrow(Customizing.merge(Presets.standard("t"), { messages: { POSTAL_CODE_PLACEHOLDER: "off", PHONE_INVALID: "info" } }))
    expect(ids(Validation.general(ctx(c, "0001"), { ...address, postalCode: "00000", phone: "12" }, "all"))).toEqual(["info PHONE_INVALID general.phone"])
  })

  it("only checks formats of touched fields on change", () => {
    expect(Validation.general(ctx(standard, "0001"), { ...address, phone: "12" }, new Set(["city"]))).toEqual([])
  })

  it("enforces value lists that the customizing gives", () => {
    const c = ctx(standard, "0001")
    expect(ids(Validation.salesArea(c, { currency: "XYZ" }, "all", "salesAreas.1000/10/00"))).toEqual([
      "error VALUE_NOT_IN_LIST salesAreas.1000/10/00.currency"
    ])
    // No list of customer groups in the standard preset: anything goes.
    expect(Validation.salesArea(c, { currency: "EUR", customerGroup: "ZZ" }, "all", "s")).toEqual([])
  })
})

describe("Validation.views", () => {
  it("refuses views the account group forbids, unknown org units, duplicates and existing views", () => {
    const found = Validation.views(
      ctx(standard, "0002"),
      { companyCodes: ["1000"], salesAreas: [{ salesOrganization: "1000", distributionChannel: "10", division: "00" }, { salesOrganization: "1000", distributionChannel: "10", division: "00" }, { salesOrganization: "9", distributionChannel: "10", division: "00" }] },
      { companyCodes: [], salesAreas: [] }
    )
    expect(ids(found)).toEqual([
      "error VIEW_NOT_ALLOWED companyCodes",
      "error VIEW_DUPLICATED salesAreas.1000/10/00",
      "error VIEW_UNKNOWN_ORG_UNIT salesAreas.9/10/00"
    ])
    const existing = Validation.views(ctx(standard, "0001"), { companyCodes: ["2000", "2000", "ZZZZ"], salesAreas: [] }, { companyCodes: ["2000"], salesAreas: [] })
    expect(ids(existing)).toEqual([
      "error VIEW_EXISTS companyCodes.2000",
      "error VIEW_DUPLICATED companyCodes.2000",
      "error VIEW_UNKNOWN_ORG_UNIT companyCodes.ZZZZ"
    ])
  })
})

describe("Validation.externalNumber", () => {
  const c = ctx(manufacturer, "1110")
  const range = manufacturer.numberRanges.DOMESTIC!
  const check = (number: string, companyCodes = ["F011"]) =>
    Validation.externalNumber(c, number, "DOMESTIC", range, { companyCodes, salesOrganizations: [] })

  it("accepts a number that follows the 10-digit rule", () => {
    // 2 · 11 (branch F011) · 001 (liaison office) · 0042 (sequence)
    expect(check("2110010042")).toEqual([])
  })

  it("explains which segment does not match", () => {
    expect(check("2150010042").map((m) => m.text)).toEqual([
      'customer number "2150010042" does not match the pattern of range DOMESTIC: positions 2–3 "15" must be the last 2 characters of the customer\'s company code (F011)'
    ])
    expect(check("2119990042").map((m) => m.params.detail)).toEqual(['positions 4–6 "999" is not a liaison office (001, 002, 003, 101, 102, 201)'])
    expect(ids(check("3110010042"))).toEqual(["error NUMBER_OUT_OF_RANGE number"])
    expect(ids(check("211001004"))).toEqual(["error NUMBER_OUT_OF_RANGE number"])
  })
})

describe("Messages", () => {
  it("blocks on errors and on warnings that were not acknowledged", () => {
    const f = Messages.factory({})
    const warning = f.make("POSTAL_CODE_PLACEHOLDER", "general.postalCode", { value: "00000" })!
    const info = Messages.factory({ PHONE_INVALID: "info" }).make("PHONE_INVALID", "general.phone")!
    const error = f.make("EMAIL_INVALID", "general.email", { value: "x" })!
    expect(Messages.blocking([warning, info])).toEqual([warning])
    expect(Messages.blocking([warning, info], ["POSTAL_CODE_PLACEHOLDER"])).toEqual([])
    expect(Messages.blocking([error, info], ["EMAIL_INVALID"])).toEqual([error])
    expect(Messages.factory({ POSTAL_CODE_PLACEHOLDER: "off" }).make("POSTAL_CODE_PLACEHOLDER", "p")).toBeUndefined()
  })
})
