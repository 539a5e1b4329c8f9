import { Matching } from "@partnerkit/core"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

const config = Matching.MatchingConfig.parse({})
const core = (name: string) => Matching.normaliseName(config, name).core
const profile = (general: Parameters<typeof Matching.profile>[1]) => Matching.profile(config, general)

const fullWidth = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, "\u3000")

describe("Matching.normaliseName", () => {
  it.each([
    ["Müller Maschinenbau GmbH", "maschinenbau mueller"],
    ["MUELLER MASCHINENBAU G.m.b.H.", "maschinenbau mueller"],
    ["Maschinenbau Müller mbH", "maschinenbau mueller"],
    ["Acme Co., Ltd.", "acme"],
    ["ACME LIMITED", "acme"],
    ["Acme Inc.", "acme"],
    ["Acme Corp", "acme"],
    ["Acme L.L.C.", "acme"],
    ["Société Générale S.A.", "generale societe"],
    ["Société Générale SA", "generale societe"],
    ["Fiat S.p.A.", "fiat"],
    ["Kowalski Sp. z o.o.", "kowalski"],
    ["Philips N.V.", "philip"],
    ["Nokia Oyj", "nokia"],
    ["Volvo AB", "volvo"],
    ["Maersk A/S", "maersk"],
    ["Qantas Pty Ltd", "qanta"],
    ["The Coca-Cola Company", "coca cola"],
    ["Schmidt & Söhne GmbH & Co. KG", "schmidt soehne"],
    ["ACME Ｓｙｓｔｅｍｓ", "acme system"],
    ["Acme Intl. Trading", "acme international trading"],
    ["Holding AG", "holding"]
  ])("%s → %s", (name, expected) => {
    expect(core(name)).toBe(expected)
  })

  it.each([
    ["上海华通机电设备有限公司", "华通机电设备", "上海"],
    ["上海市华通机电设备股份有限公司", "华通机电设备", "上海"],
    ["华通机电设备(上海)有限公司", "华通机电设备", "上海"],
    ["华通机电设备（上海）有限责任公司", "华通机电设备", "上海"],
    ["华通机电设备集团有限公司", "华通机电设备", ""],
    ["华为技术(深圳)有限公司", "华为技术", "深圳"],
    ["株式会社トヨタ", "トヨタ", ""],
    ["ＡＢＣ（上海）贸易有限公司", "abc 贸易", "上海"],
    ["上海银行", "上海银行", ""]
  ])("CJK: %s → %s (city %s)", (name, expected, city) => {
    const n = Matching.normaliseName(config, name)
    expect(n.core).toBe(expected)
    expect(n.cjkCity).toBe(city)
  })

  it("splits the Chinese trade name from the industry words", () => {
    expect(Matching.normaliseName(config, "上海华通机电设备有限公司").cjkTrade).toBe("华通")
    expect(Matching.normaliseName(config, "华为技术有限公司").cjkTrade).toBe("华为")
  })

  it("uses the configured lists", () => {
    const custom = Matching.MatchingConfig.parse({ legalForms: ["Genossenschaft"], noiseWords: ["bank"], cityPrefixes: ["宁波"] })
    expect(Matching.normaliseName(custom, "Volksbank Genossenschaft").core).toBe("volksbank")
    expect(Matching.normaliseName(custom, "Raiffeisen Bank GmbH").core).toBe("gmbh raiffeisen")
    expect(Matching.normaliseName(custom, "宁波华通有限公司").cjkCity).toBe("宁波")
  })

  describe("invariants", () => {
    const word = fc
      .stringMatching(/^[A-Za-z][a-z]{3,9}$/)
      .filter((w) => !["gmbh", "limited", "company", "holding", "holdings", "group"].includes(w.toLowerCase()))
    const words = fc.array(word, { minLength: 1, maxLength: 4 })

    it("is insensitive to case, full width, word order and the legal form", () => {
      fc.assert(
        fc.property(words, fc.constantFrom("GmbH", "G.m.b.H.", "Ltd.", "Limited", "S.A.", "Inc.", "有限公司", ""), (ws, form) => {
          const name = ws.join(" ")
          const expected = core(name)
          expect(core(name.toUpperCase())).toBe(expected)
          expect(core(fullWidth(name))).toBe(expected)
          expect(core([...ws].reverse().join(" "))).toBe(expected)
          expect(core(`${name} ${form}`)).toBe(expected)
        })
      )
    })

    it("never throws; the core is folded, sorted and without legal forms", () => {
      fc.assert(
        fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), fc.constantFrom("", " GmbH", " Ltd.", " 有限公司"), (name, form) => {
          const n = Matching.normaliseName(config, name + form)
          expect(n.core).toBe(n.core.toLowerCase())
          expect(n.core).not.toMatch(/[Ａ-Ｚａ-ｚ０-９]/)
          expect([...n.tokens].sort()).toEqual(
            n.core
              .split(" ")
              .filter((t) => n.tokens.includes(t))
              .sort()
          )
          // A name made only of legal-form and noise words ("Co GmbH") keeps them: there is nothing else to compare.
          const substantive = (t: string) => !["gmbh", "co", "ltd", "und", "and"].includes(t) && !config.noiseWords.includes(t)
          if (n.tokens.some(substantive) || n.cjk !== "") expect(n.tokens).not.toContain("gmbh")
        })
      )
    })
  })
})

describe("Matching.soundKey", () => {
  it("merges transliterations and similar consonants", () => {
    expect(Matching.soundKey("mueller")).toBe("mlr")
    expect(Matching.soundKey("muller")).toBe("mlr")
    expect(Matching.soundKey("schmidt")).toBe(Matching.soundKey("schmitt"))
    expect(Matching.soundKey("ab")).toBeUndefined()
  })
})

describe("Matching.normaliseAddress", () => {
  it("shortens street types and takes the house number out of the street", () => {
    expect(Matching.normaliseAddress({ street: "Hauptstraße 12a" })).toMatchObject({ street: "hauptstr", houseNumber: "12a" })
    expect(Matching.normaliseAddress({ street: "Hauptstr.", houseNumber: "12 A" })).toMatchObject({
      street: "hauptstr",
      houseNumber: "12a"
    })
    expect(Matching.normaliseAddress({ street: "12 High Street" })).toMatchObject({ street: "high st", houseNumber: "12" })
    expect(Matching.normaliseAddress({ street: "浦东新区张江路88号", city: "上海市", postalCode: "201 203" })).toEqual({
      street: "浦东新区张江路",
      houseNumber: "88",
      postalCode: "201203",
      city: "上海"
    })
  })
})

describe("Matching.blockingKeys", () => {
  it("gives name, token, sound, pair, postal and exact keys", () => {
    const keys = Matching.blockingKeys(
      profile({
        name: "Müller Maschinenbau GmbH",
        street: "Hauptstraße 12",
        postalCode: "80331",
        country: "DE",
        phone: "+49 89 1234567",
        email: "Info@Mueller.de",
        taxNumbers: [{ kind: "VAT", value: "DE 136695976" }]
      })
    )
    expect(keys).toEqual(
      expect.arrayContaining([
        "n:maschinenbau mueller",
        "t:mueller",
        "s:mlr",
        "p:maschinenbau|mueller",
        "z:80331|mue",
        "h:80331|12",
        "x:tel:+49891234567",
        "x:mail:info@mueller.de",
        "x:tax:DE136695976"
      ])
    )
  })

  it("gives CJK bigram keys of the core", () => {
    const keys = Matching.blockingKeys(profile({ name: "上海华通机电有限公司" }))
    expect(keys).toEqual(["n:华通机电", "b:华通", "b:通机", "b:机电"])
  })

  it("gives the same name key to variants of one name", () => {
    const key = (name: string) => Matching.blockingKeys(profile({ name })).find((k) => k.startsWith("n:"))
    expect(key("ＡＣＭＥ　ｓｙｓｔｅｍｓ　ｇｍｂｈ")).toBe(key("Systems ACME G.m.b.H."))
    expect(key("上海华通机电设备有限公司")).toBe(key("华通机电设备（上海）有限责任公司"))
  })
})

describe("Matching.compare", () => {
  const munich = { street: "Hauptstraße 12", postalCode: "80331", city: "München", country: "DE" }

  it("scores legal-form, case and transliteration variants at the same address as 1, explained per field", () => {
    const c = Matching.compare(
      config,
      profile({ name: "Müller Maschinenbau GmbH", ...munich }),
      profile({ name: "MUELLER MASCHINENBAU G.m.b.H.", ...munich, street: "Hauptstr. 12", city: "Muenchen" })
    )
    expect(c.score).toBe(1)
    expect(c.fields.map((f) => [f.field, f.verdict])).toEqual([
      ["name", "agrees"],
      ["address", "agrees"],
      ["taxNumber", "absent"],
      ["email", "absent"],
      ["phone", "absent"]
    ])
  })

  it("tolerates typos, transpositions and abbreviations", () => {
    const base = profile({ name: "Wagner Maschinenbau GmbH", ...munich })
    for (const variant of ["Wagenr Maschinenbau GmbH", "Wagner Maschinenbua GmbH", "Wagner Masch. GmbH", "Maschinenbau Wagner"]) {
      expect(Matching.compare(config, base, profile({ name: variant, ...munich })).score).toBeGreaterThanOrEqual(
        config.thresholds.duplicate
      )
    }
  })

  it("keeps different companies with a shared word apart", () => {
    const c = Matching.compare(
      config,
      profile({ name: "Müller Maschinenbau GmbH", ...munich }),
      profile({ name: "Müller Logistik GmbH", ...munich, street: "Ring 4" })
    )
    expect(c.score).toBeLessThan(config.thresholds.possible)
  })

  it("weights the Chinese trade name above the industry words, and different cities apart", () => {
    const sh = profile({ name: "上海华通机电设备有限公司", city: "上海" })
    expect(Matching.compare(config, sh, profile({ name: "华通机电设备", city: "上海" })).name.similarity).toBe(1)
    expect(Matching.compare(config, sh, profile({ name: "华通机电", city: "上海" })).name.similarity).toBeGreaterThan(0.85)
    expect(Matching.compare(config, sh, profile({ name: "上海宏达机电设备有限公司", city: "上海" })).name.similarity).toBeLessThan(0.6)
    const bj = Matching.compare(config, sh, profile({ name: "北京华通机电设备有限公司", city: "北京" }))
    expect(bj.name.cityConflict).toBe(true)
    expect(bj.score).toBeLessThan(config.thresholds.duplicate)
  })

  it("adds shared exact keys and subtracts conflicting tax numbers", () => {
    const a = profile({ name: "Acme GmbH", country: "DE", phone: "089 1234567", taxNumbers: [{ kind: "VAT", value: "DE136695976" }] })
    const same = Matching.compare(
      config,
      a,
      profile({ name: "Acme Systems", country: "DE", phone: "+49 89 1234567", taxNumbers: [{ kind: "VAT", value: "DE 136 695 976" }] })
    )
    expect(same.fields.find((f) => f.field === "taxNumber")).toMatchObject({ verdict: "agrees", contribution: 0.5 })
    expect(same.fields.find((f) => f.field === "phone")).toMatchObject({ verdict: "agrees", detail: "shared +49891234567" })
    const other = Matching.compare(config, a, profile({ name: "Acme GmbH", taxNumbers: [{ kind: "VAT", value: "DE129273398" }] }))
    expect(other.fields.find((f) => f.field === "taxNumber")).toMatchObject({ verdict: "differs", contribution: -0.3 })
    expect(other.score).toBe(0.7)
    expect(Matching.summarise(other.fields)).toBe("name 1, different tax number")
  })

  it("takes its weights and thresholds from the configuration", () => {
    const strict = Matching.MatchingConfig.parse({ weights: { name: 0.8, phone: { agree: 0 } } })
    const a = profile({ name: "Acme", phone: "+49891234567" })
    expect(Matching.compare(strict, a, a).score).toBe(0.8)
  })

  it("is symmetric, bounded, and `score` equals `compare(…).score`", () => {
    const names = [
      "Müller Maschinenbau GmbH",
      "Mueller Masch.",
      "Schmidt Logistik",
      "上海华通机电设备有限公司",
      "华通机电",
      "Acme Ltd",
      "ACME Ｓｙｓｔｅｍｓ"
    ]
    const general = fc.record({
      name: fc.oneof(fc.constantFrom(...names), fc.string({ minLength: 1, maxLength: 20 })),
      city: fc.option(fc.constantFrom("München", "Muenchen", "上海", "Berlin"), { nil: undefined }),
      postalCode: fc.option(fc.constantFrom("80331", "80333", "10115"), { nil: undefined }),
      street: fc.option(fc.constantFrom("Hauptstraße 1", "Hauptstr. 1", "Ring 4"), { nil: undefined }),
      phone: fc.option(fc.constantFrom("+49891234567", "+4930123456"), { nil: undefined })
    })
    fc.assert(
      fc.property(general, general, (x, y) => {
        const a = profile(x)
        const b = profile(y)
        const ab = Matching.compare(config, a, b)
        expect(ab.score).toBeGreaterThanOrEqual(0)
        expect(ab.score).toBeLessThanOrEqual(1)
        expect(Matching.compare(config, b, a).score).toBe(ab.score)
        expect(Matching.score(config, a, b)).toBe(ab.score)
      })
    )
  })
})
