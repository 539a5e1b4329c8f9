/**
 * How customer search reads text: one normalisation, one way to cut text into words, and the
 * rule that says whether a customer matches a query. Every store indexes with `indexTokens`,
 * narrows candidates with `probes` and must give exactly the answers of `matches`; the memory
 * store uses `matches` itself, the SQL stores reproduce it with an index (see `CustomerSearchStore`).
 *
 * - Normalisation folds case, width (full-width `ＡＢＣ`, half-width `ｶﾀｶﾅ`, NFKC) and Latin
 *   accents (`é` → `e`, `ß` → `ss`, `ø` → `o`); apostrophes inside words vanish (`O'Brien` →
 *   `obrien`). Everything that is not a letter or a digit separates words: quotes, `%`, `_`,
 *   backslashes and SQL fragments are never patterns, just separators.
 * - Latin (and every other non-CJK) text is searched by word prefix: the term `mül` finds
 *   `Müller GmbH`, `haupt` finds `Hauptstraße`, but `strasse` does not (it starts no word).
 * - CJK text (Han, Hiragana, Katakana, Hangul) has no spaces, so it is searched by substring of
 *   its characters: `华为` finds `华为技术有限公司`, and so does `技术`.
 * - A query matches a customer when every term matches somewhere in its name (all four lines),
 *   search term, street or city.
 *
 * @example
 * ```ts
 * import { SearchText } from "@partnerkit/core"
 *
 * const terms = SearchText.parseQuery("Müller  ＧＭＢＨ 华为") // word "muller", word "gmbh", cjk "华为"
 * const found = SearchText.matches({ name: "Müller GmbH", city: "深圳华为基地" }, terms) // true
 * const tokens = SearchText.indexTokens({ name: "华为技术" }) // ["华为", "为技", "技术", "术"]
 * ```
 * @module
 */

/** The general-data fields search reads. */
export interface SearchableFields {
  readonly name: string
  readonly name2?: string | undefined
  readonly name3?: string | undefined
  readonly name4?: string | undefined
  readonly searchTerm?: string | undefined
  readonly street?: string | undefined
  readonly city?: string | undefined
}

/** One term of a query: a word matched by prefix, or a run of CJK characters matched as a substring. */
export interface SearchTerm {
  readonly kind: "word" | "cjk"
  /** Normalised (see `normalize`); never empty. */
  readonly text: string
}

/**
 * How a store finds candidates for a term in its token index: every probe must hit (an exact
 * token, or any token starting with `token` when `prefix`), and when `substring` is set the
 * customer's CJK text (`cjkText`) must also contain it. Together they are exactly `matches`.
 */
export interface TermProbes {
  readonly probes: ReadonlyArray<{ readonly token: string; readonly prefix: boolean }>
  readonly substring?: string | undefined
}

/**
 * CJK characters as a regex class: CJK symbols (々 〆 〇), Hiragana, Katakana (with ー), Hangul
 * Jamo and syllables, the Han blocks and their extensions. Explicit ranges rather than
 * `\p{Script=…}`, which is several times slower, and this runs over every customer written.
 */
const cjkClass =
  "\\u1100-\\u11ff\\u3005-\\u3007\\u3040-\\u30ff\\u3130-\\u318f\\u31f0-\\u31ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\ua960-\\ua97f\\uac00-\\ud7ff\\uf900-\\ufaff\\u{20000}-\\u{3ffff}"
const cjkChar = new RegExp(`^[${cjkClass}]$`, "u")
/** A CJK run (group 1) or a run of other letters, digits and marks (group 2). */
const run = new RegExp(`([${cjkClass}]+)|((?:(?![${cjkClass}])[\\p{L}\\p{N}\\p{M}])+)`, "gu")
const latinMarks = /[\u0300-\u036f]/g
const apostrophes = /['’‘`´]/g
/** Letters NFKD does not decompose but readers treat as their base letters. */
const folds: Readonly<Record<string, string>> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ð: "d", ł: "l", þ: "th", ı: "i" }
const foldable = /[ßæœøđðłþı]/g

const plainAscii = /^[a-z0-9 ,.\-/&()]*$/
const ascii = /^[^\u0080-\uffff]*$/
const asciiWord = /[a-z0-9]+/g

/** Case, width and accent folded, in NFC. Idempotent. */
export const normalize = (text: string): string => {
  const lower = text.toLowerCase()
  // Most names and addresses are plain ASCII, which nothing below would change.
  return plainAscii.test(lower) ? lower : fold(lower)
}

const fold = (text: string): string =>
  text
    .normalize("NFKD")
    .replace(latinMarks, "")
    .toLowerCase()
    .replace(foldable, (c) => folds[c] ?? c)
    .replace(apostrophes, "")
    .normalize("NFC")

/** Is `char` (one code point) a CJK character? */
export const isCjk = (char: string): boolean => cjkChar.test(char)

interface Run {
  readonly cjk: boolean
  readonly text: string
}

/** The words and CJK runs of normalised text, in order. */
const runsOf = (normalised: string): Array<Run> => {
  const runs: Array<Run> = []
  if (ascii.test(normalised)) {
    for (const [match] of normalised.matchAll(asciiWord)) runs.push({ cjk: false, text: match })
    return runs
  }
  for (const match of normalised.matchAll(run)) {
    runs.push(match[1] === undefined ? { cjk: false, text: match[2]! } : { cjk: true, text: match[1] })
  }
  return runs
}

const fieldsOf = (fields: SearchableFields): Array<string> =>
  [fields.name, fields.name2, fields.name3, fields.name4, fields.searchTerm, fields.street, fields.city].filter(
    (f): f is string => f !== undefined && f !== null
  )

const runsOfFields = (fields: SearchableFields): Array<Run> => fieldsOf(fields).flatMap((f) => runsOf(normalize(f)))

/** Most terms a query may have: each costs an index probe. */
export const maxTerms = 8

/**
 * The terms of a query, normalised and de-duplicated. A word that is a prefix of another word of
 * the query is dropped (whatever matches the longer one matches it too), as is a CJK run that is
 * a substring of another. An empty result means the text has nothing to search for.
 */
export const parseQuery = (text: string): Array<SearchTerm> => {
  const terms = runsOf(normalize(text)).map((r): SearchTerm => ({ kind: r.cjk ? "cjk" : "word", text: r.text }))
  return terms.filter((term, i) =>
    terms.every((other, j) => {
      if (other.kind !== term.kind || i === j) return true
      const covered = term.kind === "word" ? other.text.startsWith(term.text) : other.text.includes(term.text)
      // Of two equal terms keep the first; of a covered one keep the longer.
      return !covered || (other.text === term.text && i < j)
    })
  )
}

const codePoints = (text: string): Array<string> => Array.from(text)

/**
 * The tokens a store indexes for a customer: every word, and for every CJK run each pair of
 * neighbouring characters plus its last character alone (so that every character begins a token).
 * Distinct, in first-seen order.
 */
export const indexTokens = (fields: SearchableFields): Array<string> => {
  const tokens = new Set<string>()
  for (const run of runsOfFields(fields)) {
    if (!run.cjk) {
      tokens.add(run.text)
      continue
    }
    const chars = codePoints(run.text)
    for (let i = 0; i + 1 < chars.length; i++) tokens.add(chars[i]! + chars[i + 1]!)
    tokens.add(chars[chars.length - 1]!)
  }
  return [...tokens]
}

/** The customer's CJK runs joined by spaces (a term can never match across two), or `undefined` when it has none. */
export const cjkText = (fields: SearchableFields): string | undefined => {
  const runs = runsOfFields(fields)
    .filter((r) => r.cjk)
    .map((r) => r.text)
  return runs.length === 0 ? undefined : runs.join(" ")
}

/** How to find `term` in a token index (see `TermProbes`). */
export const probes = (term: SearchTerm): TermProbes => {
  if (term.kind === "word") return { probes: [{ token: term.text, prefix: true }] }
  const chars = codePoints(term.text)
  if (chars.length === 1) return { probes: [{ token: term.text, prefix: true }] }
  const bigrams = new Set<string>()
  for (let i = 0; i + 1 < chars.length; i++) bigrams.add(chars[i]! + chars[i + 1]!)
  return {
    probes: [...bigrams].map((token) => ({ token, prefix: false })),
    ...(chars.length > 2 ? { substring: term.text } : {})
  }
}

/**
 * The smallest string greater than every string that starts with `prefix`, in code-point order:
 * `[prefix, prefixEnd(prefix))` is the prefix's range in an index sorted by code point (SQLite's
 * `BINARY`, PostgreSQL's `COLLATE "C"`).
 */
export const prefixEnd = (prefix: string): string => {
  const chars = codePoints(prefix)
  const last = chars.pop()
  if (last === undefined) return "\u{10ffff}"
  const next = last.codePointAt(0)! + 1
  // The successor of U+D7FF would be a lone surrogate, which no driver can bind.
  return next >= 0xd800 && next <= 0xdfff ? `${prefix}\u{10ffff}` : chars.join("") + String.fromCodePoint(next)
}

/** Does the customer match every term? The definition every store's answers must equal. */
export const matches = (fields: SearchableFields, terms: ReadonlyArray<SearchTerm>): boolean => {
  if (terms.length === 0) return true
  const runs = runsOfFields(fields)
  return terms.every((term) =>
    runs.some((run) => (term.kind === "word" ? !run.cjk && run.text.startsWith(term.text) : run.cjk && run.text.includes(term.text)))
  )
}
