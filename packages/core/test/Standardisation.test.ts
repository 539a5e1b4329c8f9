import { Messages, Standardisation } from "@partnerkit/core"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

const config = Standardisation.DataQualityConfig.parse({})
const messages = Messages.factory()
const run = (data: Parameters<typeof Standardisation.general>[2], c = config, m = messages) => Standardisation.general(c, m, data)
const ids = (found: ReadonlyArray<Messages.Message>) => found.map((m) => `${m.severity} ${m.id} ${m.path}`)

describe("Standardisation.general", () => {
  it("standardises whitespace, width, country, region, phones, e-mail and tax numbers", () => {
    const {
      data,
      messages: found,
      changes
    } = run({
      name: "  ACME   Ｓｙｓｔｅｍｓ\u200b GmbH ",
      street: "Hauptstraße   1",
      postalCode: "80331",
      city: "München",
      country: "Germany",
      region: "Bayern",
      phone: "089 / 123 456 78",
      mobile: "0151 2345 6789",
      fax: "+49 (89) 1234-5679",
      email: "Info@ACME.de",
      taxNumbers: [{ kind: "vat", value: "de 136.695.976" }]
    })
    expect(data).toEqual({
      name: "ACME Systems GmbH",
      street: "Hauptstraße 1",
      postalCode: "80331",
      city: "München",
      country: "DE",
      region: "BY",
      phone: "+498912345678",
      mobile: "+4915123456789",
      fax: "+498912345679",
      email: "info@acme.de",
      taxNumbers: [{ kind: "VAT", value: "DE136695976" }]
    })
    expect(found).toEqual([])
    expect(changes.map((c) => c.field)).toContain("general.country")
  })

  it("reports changes as VALUE_STANDARDISED when the installation turns it on", () => {
    const { messages: found } = run({ name: "Acme", country: "deu" }, config, Messages.factory({ VALUE_STANDARDISED: "info" }))
    expect(found).toEqual([
      {
        id: "VALUE_STANDARDISED",
        severity: "info",
        path: "general.country",
        text: 'general.country "deu" was standardised to "DE"',
        params: { field: "general.country", from: "deu", to: "DE" }
      }
    ])
  })

  it("flags placeholders with the configured severity", () => {
    const found = run({ name: "Test GmbH", phone: "0000000", mobile: "+49 000 000", email: "test@test.com", country: "DE" }).messages
    expect(ids(found)).toEqual([
      "warning NAME_PLACEHOLDER general.name",
      "warning PHONE_PLACEHOLDER general.phone",
      "warning PHONE_PLACEHOLDER general.mobile",
      "warning EMAIL_PLACEHOLDER general.email"
    ])
    const strict = Messages.factory({ NAME_PLACEHOLDER: "error", PHONE_PLACEHOLDER: "off" })
    expect(ids(run({ name: "测试有限公司", phone: "1234567" }, config, strict).messages)).toEqual(["error NAME_PLACEHOLDER general.name"])
  })

  it("checks the region against the country", () => {
    expect(run({ name: "Acme", country: "CN", region: "上海市" }).data.region).toBe("SH")
    expect(run({ name: "Acme", country: "US", region: "ca" }).data.region).toBe("CA")
    expect(ids(run({ name: "Acme", country: "DE", region: "CA" }).messages)).toEqual(["error REGION_INVALID general.region"])
    const own = Standardisation.DataQualityConfig.parse({ standardisation: { region: "off" } })
    expect(run({ name: "Acme", country: "DE", region: "09" }, own).messages).toEqual([])
  })

  it("checks tax numbers whose format is known", () => {
    const found = run({
      name: "Acme",
      country: "CN",
      taxNumbers: [
        { kind: "USCC", value: "91350100M000100Y43" },
        { kind: "USCC", value: "91350100M000100Y44" },
        { kind: "VAT", value: "DE136695977" },
        { kind: "TAX1", value: "whatever 1" }
      ]
    })
    expect(ids(found.messages)).toEqual(["error TAX_NUMBER_INVALID general.taxNumbers.1", "error TAX_NUMBER_INVALID general.taxNumbers.2"])
    expect(found.messages[0]!.text).toBe('USCC tax number "91350100M000100Y44" is not valid: the check character should be 3')
    expect(found.data.taxNumbers?.[3]).toEqual({ kind: "TAX1", value: "WHATEVER1" })
  })

  it("reports the Validation findings too with report: all", () => {
    const all = Standardisation.DataQualityConfig.parse({ standardisation: { report: "all" } })
    const found = run({ name: "Acme", country: "Atlantis", postalCode: "00000", phone: "12", email: "not-an-email" }, all).messages
    expect(ids(found)).toEqual([
      "error COUNTRY_INVALID general.country",
      "warning POSTAL_CODE_PLACEHOLDER general.postalCode",
      "error PHONE_INVALID general.phone",
      "error EMAIL_INVALID general.email"
    ])
    expect(ids(run({ name: "Acme", country: "DE", postalCode: "8033", phone: "089 12" }, all).messages)).toEqual([
      "error POSTAL_CODE_INVALID general.postalCode",
      "error PHONE_INVALID general.phone"
    ])
  })

  it("upper-cases a postal code to a composed form: standardising it again changes nothing", () => {
    // "ῗ" upper-cases to Ι + two combining marks; NFKC composes them again (found by the property below).
    for (const postalCode of ["ῗ", "ΐ", "a1b 2c3"]) {
      const once = run({ name: "Acme", postalCode })
      expect(once.data.postalCode).toBe(postalCode.toUpperCase().normalize("NFKC"))
      expect(run(once.data).changes).toEqual([])
    }
  })

  it("upper-cases a tax number to a composed form: standardising it again changes nothing", () => {
    // "ῢ" upper-cases to Υ + two combining marks (found by the property below, in CI).
    // "˛" is a space and a combining ogonek: prefixed with DE it would compose to "DȨ".
    for (const value of ["ῢ", "ΐ-1", "de 136.695.976", "˛"]) {
      const once = run({ name: "Acme", country: "DE", taxNumbers: [{ kind: "vat", value }] })
      expect(run(once.data).changes).toEqual([])
    }
    expect(run({ name: "Acme", taxNumbers: [{ kind: "VAT", value: "ῢ" }] }).data.taxNumbers).toEqual([
      { kind: "VAT", value: "ῢ".toUpperCase().normalize("NFKC") }
    ])
  })

  it("never throws, and standardising twice is standardising once", () => {
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: "grapheme", maxLength: 20 }))
    const general = fc.record(
      {
        name: text.filter((s) => s.trim() !== ""),
        country: fc.oneof(text, fc.constantFrom("DE", "deu", "China", "中国", "XX")),
        region: text,
        postalCode: text,
        phone: fc.oneof(text, fc.constantFrom("+49 89 1234567", "021 6123 4567", "0000000")),
        email: text,
        taxNumbers: fc.array(fc.record({ kind: fc.constantFrom("VAT", "USCC", "X"), value: text.filter((s) => s !== "") }), {
          maxLength: 2
        })
      },
      { requiredKeys: ["name"] }
    )
    fc.assert(
      fc.property(general, (g) => {
        const once = run(g)
        const twice = run(once.data)
        expect(twice.data).toEqual(once.data)
        expect(twice.changes).toEqual([])
      })
    )
  })
})

describe("Standardisation helpers", () => {
  it("countryCode takes alpha-2, alpha-3, numeric and names in English, German and Chinese", () => {
    expect(["de", "DEU", "276", "Germany", "Deutschland", "德国"].map(Standardisation.countryCode)).toEqual([
      "DE",
      "DE",
      "DE",
      "DE",
      "DE",
      "DE"
    ])
    expect(Standardisation.countryCode("Atlantis")).toBeUndefined()
  })

  it("unified social credit codes: GB 32100-2015 check character", () => {
    // Published codes of large companies.
    for (const code of ["91350100M000100Y43", "9144030071526726XG", "914403001922038216", "91330100716105852F", "91110000600037341L"]) {
      expect(Standardisation.isUnifiedSocialCreditCode(code)).toBe(true)
      expect(Standardisation.usccCheckCharacter(code.slice(0, 17))).toBe(code[17])
    }
    expect(Standardisation.isUnifiedSocialCreditCode("91350100M000100Y44")).toBe(false)
    expect(Standardisation.isUnifiedSocialCreditCode("91350100M000100I43")).toBe(false) // I is not in the alphabet
    expect(Standardisation.usccCheckCharacter("91350100M000100Z4")).toBeUndefined()
  })

  it("IBAN via ibantools", () => {
    expect(Standardisation.iban("de89 3704 0044 0532 0130 00")).toEqual({ valid: true, value: "DE89370400440532013000" })
    expect(Standardisation.iban("DE89370400440532013001")).toEqual({
      valid: false,
      value: "DE89370400440532013001",
      detail: "the check digits do not match"
    })
    expect(ids(Standardisation.ibanMessages(messages, "XX00", "bank.iban"))).toEqual(["error IBAN_INVALID bank.iban"])
  })

  it("placeholder names, phones and e-mails", () => {
    const c = config.standardisation
    expect(
      ["Test", "xxx", "asdf", "N/A", "测试", "上海测试科技有限公司", "aaaa", "テスト"].map((n) => Standardisation.isPlaceholderName(c, n))
    ).toEqual(Array(8).fill(true))
    expect(["Testo AG", "Siemens AG", "华为技术有限公司", "Xylem Inc."].map((n) => Standardisation.isPlaceholderName(c, n))).toEqual(
      Array(4).fill(false)
    )
    expect(["0000000", "1111111", "123456789", "+49 000 000"].map(Standardisation.isPlaceholderPhone)).toEqual(Array(4).fill(true))
    // Too short to be a number: PHONE_INVALID's case, not a placeholder.
    // "+49 30 123456": Berlin's area code, read by libphonenumber-js, is not the start of a "0123456" run.
    expect(["089 1234567", "+86 21 6123 4567", "+1 212 555 0100", "12", "+4930123456"].map(Standardisation.isPlaceholderPhone)).toEqual(
      Array(5).fill(false)
    )
    expect(["test@test.com", "x@example.com", "none@acme.de", "a@a.com"].map((e) => Standardisation.isPlaceholderEmail(c, e))).toEqual(
      Array(4).fill(true)
    )
    expect(["info@acme.de", "a@b.de"].map((e) => Standardisation.isPlaceholderEmail(c, e))).toEqual([false, false])
  })
})
