import { SearchText } from "@partnerkit/core"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

/**
 * What a token-index store answers (the SQL stores' rule): every probe of every term hits a token
 * of the customer (exactly, or as a prefix), and a term with a `substring` is in its CJK text.
 */
const answerByIndex = (fields: SearchText.SearchableFields, terms: ReadonlyArray<SearchText.SearchTerm>): boolean => {
  const tokens = SearchText.indexTokens(fields)
  const cjk = SearchText.cjkText(fields) ?? ""
  return terms.every((term) => {
    const { probes, substring } = SearchText.probes(term)
    const hit = probes.every((p) => tokens.some((t) => (p.prefix ? t.startsWith(p.token) : t === p.token)))
    return hit && (substring === undefined || cjk.includes(substring))
  })
}

/** Code-point order, as the SQL key types sort. */
const byCodePoint = (a: string, b: string) => {
  const x = Array.from(a).map((c) => c.codePointAt(0)!)
  const y = Array.from(b).map((c) => c.codePointAt(0)!)
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!
  return x.length - y.length
}

const alphabet = fc.constantFrom(..."abcxyzÄäöüßéÉＡｂ 1 2-_%'\\\"华为技术有限公司上海トヨタｶﾀ한국".split(""))
const text = fc.array(alphabet, { minLength: 0, maxLength: 14 }).map((chars) => chars.join(""))
const fields = fc.record({ name: text, street: fc.option(text, { nil: undefined }), city: fc.option(text, { nil: undefined }) })

describe("SearchText", () => {
  it("normalize folds case, width, accents and apostrophes, and is idempotent", () => {
    expect(SearchText.normalize("Müller GMBH")).toBe("muller gmbh")
    expect(SearchText.normalize("Ｍüｌｌｅｒ")).toBe("muller")
    expect(SearchText.normalize("Straße Ærø Łódź")).toBe("strasse aero lodz")
    expect(SearchText.normalize("O’Brien's")).toBe("obriens")
    expect(SearchText.normalize("ﾄﾖﾀ")).toBe("トヨタ")
    fc.assert(fc.property(text, (t) => SearchText.normalize(SearchText.normalize(t)) === SearchText.normalize(t)))
  })

  it("parseQuery splits words and CJK runs, drops covered terms, and treats punctuation as a separator", () => {
    expect(SearchText.parseQuery("Müller  ＧＭＢＨ 华为")).toEqual([
      { kind: "word", text: "muller" },
      { kind: "word", text: "gmbh" },
      { kind: "cjk", text: "华为" }
    ])
    expect(SearchText.parseQuery("mü müller MÜLLER")).toEqual([{ kind: "word", text: "muller" }])
    expect(SearchText.parseQuery("华为 华为技术 为技")).toEqual([{ kind: "cjk", text: "华为技术" }])
    expect(SearchText.parseQuery("acme华为tech")).toEqual([
      { kind: "word", text: "acme" },
      { kind: "cjk", text: "华为" },
      { kind: "word", text: "tech" }
    ])
    expect(SearchText.parseQuery("%_'\\ -- ;")).toEqual([])
    expect(SearchText.parseQuery("under_score 100%")).toEqual([
      { kind: "word", text: "under" },
      { kind: "word", text: "score" },
      { kind: "word", text: "100" }
    ])
  })

  it("indexTokens gives every word and every CJK pair plus each run's last character", () => {
    expect(SearchText.indexTokens({ name: "华为技术", city: "Köln" })).toEqual(["华为", "为技", "技术", "术", "koln"])
    expect(SearchText.indexTokens({ name: "A & B", searchTerm: "a" })).toEqual(["a", "b"])
    expect(SearchText.cjkText({ name: "华为 Tech 技术", city: "Bonn" })).toBe("华为 技术")
    expect(SearchText.cjkText({ name: "Bonn" })).toBeUndefined()
  })

  it("prefixEnd bounds exactly the strings that start with the prefix, in code-point order", () => {
    expect(SearchText.prefixEnd("mul")).toBe("mum")
    expect(SearchText.prefixEnd("华")).toBe(String.fromCodePoint("华".codePointAt(0)! + 1))
    fc.assert(
      fc.property(
        text.filter((t) => t !== ""),
        text,
        (prefix, rest) => {
          const end = SearchText.prefixEnd(prefix)
          expect(byCodePoint(prefix + rest, end)).toBeLessThan(0)
          expect(byCodePoint(prefix, end)).toBeLessThan(0)
        }
      )
    )
  })

  it("matches: words by prefix, CJK by substring, every term in some field", () => {
    const customer = { name: "Müller Maschinenbau GmbH", street: "Hauptstraße 1", city: "München", name2: "华为技术有限公司" }
    const found = (q: string) => SearchText.matches(customer, SearchText.parseQuery(q))
    expect(found("mül münch")).toBe(true)
    expect(found("haupt")).toBe(true)
    expect(found("strasse")).toBe(false)
    expect(found("技术有限")).toBe(true)
    expect(found("华为 berlin")).toBe(false)
    expect(found("")).toBe(true)
  })

  it("an index store's answer (tokens, probes, CJK substring) equals matches for any text and query", () => {
    fc.assert(
      fc.property(fields, text, (f, q) => {
        const terms = SearchText.parseQuery(q)
        expect(answerByIndex(f, terms)).toBe(SearchText.matches(f, terms))
      }),
      { numRuns: 2_000 }
    )
    // Queries cut out of the customer's own text always find it.
    fc.assert(
      fc.property(fields, fc.nat(), fc.nat(), (f, a, b) => {
        const source = Array.from(SearchText.normalize(f.name))
        const from = a % (source.length + 1)
        const piece = source.slice(from, from + 1 + (b % 4)).join("")
        const terms = SearchText.parseQuery(piece)
        fc.pre(terms.length > 0 && !/[\p{L}\p{N}]/u.test(source[from - 1] ?? " "))
        expect(SearchText.matches(f, terms) || terms.some((t) => t.kind === "cjk")).toBe(true)
      })
    )
  })
})
