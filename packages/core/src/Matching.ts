/**
 * Record linkage for customer master data: how names and addresses are normalised, which blocking
 * keys a record gets, and how two records are scored — with an explanation of every score.
 *
 * **Names.** NFKC folds full-width to half-width (`ＡＣＭＥ` → `ACME`, `（` → `(`); German
 * umlauts are transliterated (`ü` → `ue`, `ß` → `ss`) and other Latin diacritics dropped (`é` →
 * `e`); case is folded and punctuation removed (`G.m.b.H.` → `gmbh`, `Co.,Ltd.` → `co ltd`).
 * Then legal forms (`GmbH`, `Ltd`, `S.A.`, `有限公司`, `株式会社`, …) and noise words (`the`,
 * `und`, `group`, …) are removed, abbreviations expanded (`intl` → `international`), and a Chinese
 * name loses its leading city or province (`上海`, `北京市`, …), which is kept aside: two names
 * whose city prefixes differ are scored lower (Chinese trade names are unique per city, not per
 * country). Latin text is compared on tokens (order-insensitive, each token fuzzily) and character
 * trigrams; CJK text on character bigrams, characters and edit distance.
 *
 * **Scores** add up the evidence of each field (see `ScoringWeights`): the name similarity times its
 * weight, the address agreement (above 0.5 adds, below subtracts), and exact keys — tax number,
 * e-mail, phone in E.164 — that add when shared and may subtract when they conflict. The sum is
 * clamped to [0, 1]; at `thresholds.duplicate` (0.8) a candidate is a suspected duplicate.
 *
 * @example
 * ```ts
 * import { Matching } from "@partnerkit/core"
 *
 * const config = Matching.MatchingConfig.parse({})
 * const a = Matching.profile(config, { name: "Müller Maschinenbau GmbH", street: "Hauptstraße 12", postalCode: "80331", city: "München", country: "DE" })
 * const b = Matching.profile(config, { name: "MUELLER MASCHINENBAU G.m.b.H.", street: "Hauptstr. 12", postalCode: "80331", city: "Muenchen", country: "DE" })
 * const { score, fields } = Matching.compare(config, a, b)
 * console.log(score, fields.map((f) => `${f.field}: ${f.similarity}`)) // 1, ["name: 1", "address: 1", …]
 * Matching.normaliseName(config, "上海华通机电设备有限公司").core // "华通机电设备"
 * ```
 * @module
 */
import { distance } from "fastest-levenshtein"
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js"
import { z } from "zod"
import type { GeneralData } from "./Customer.js"

// ---------------------------------------------------------------------------------------------
// Default lists
// ---------------------------------------------------------------------------------------------

/**
 * Legal forms removed from names, in many languages. Each entry is normalised like a name, so
 * `G.m.b.H.`, `GmbH` and `Gmbh` are one entry; CJK entries are removed wherever they occur.
 */
export const defaultLegalForms: ReadonlyArray<string> = [
  // German-speaking
  "GmbH",
  "mbH",
  "gGmbH",
  "AG",
  "KG",
  "KGaA",
  "OHG",
  "GbR",
  "UG",
  "e.V.",
  "e.K.",
  "eG",
  "SE",
  "GmbH & Co. KG",
  "AG & Co. KG",
  "Gesellschaft mbH",
  "Aktiengesellschaft",
  "Kommanditgesellschaft",
  // English
  "Ltd",
  "Ltd.",
  "Limited",
  "LLC",
  "L.L.C.",
  "LLP",
  "LP",
  "Inc",
  "Inc.",
  "Incorporated",
  "Corp",
  "Corp.",
  "Corporation",
  "Co",
  "Co.",
  "Company",
  "PLC",
  "Pty",
  "Pty Ltd",
  "Pte",
  "Pte Ltd",
  "Pvt",
  "Pvt Ltd",
  "Private Limited",
  "Sdn Bhd",
  "Bhd",
  "Co Ltd",
  "Co., Ltd.",
  // French, Spanish, Portuguese, Italian
  "S.A.",
  "SA",
  "SAS",
  "S.A.S.",
  "SASU",
  "SARL",
  "S.à r.l.",
  "EURL",
  "SNC",
  "SCA",
  "S.L.",
  "SL",
  "S.L.U.",
  "SLU",
  "S.A. de C.V.",
  "de C.V.",
  "Ltda",
  "Ltda.",
  "S.p.A.",
  "SpA",
  "S.r.l.",
  "Srl",
  "S.a.s.",
  "S.n.c.",
  // Dutch, Belgian, Nordic, Central and Eastern European
  "B.V.",
  "BV",
  "N.V.",
  "NV",
  "V.O.F.",
  "VOF",
  "BVBA",
  "Oy",
  "Oyj",
  "AB",
  "ApS",
  "A/S",
  "AS",
  "ASA",
  "HB",
  "KB",
  "s.r.o.",
  "spol. s r.o.",
  "a.s.",
  "Sp. z o.o.",
  "S.A",
  "Kft",
  "Kft.",
  "Zrt",
  "Nyrt",
  "d.o.o.",
  "d.d.",
  "OOO",
  "ООО",
  "АО",
  "ЗАО",
  "ПАО",
  // Asian (romanised)
  "K.K.",
  "KK",
  "G.K.",
  "Co Ltd",
  "Tbk",
  "PT",
  // Chinese, Japanese, Korean
  "集团股份有限公司",
  "集团有限公司",
  "股份有限公司",
  "有限责任公司",
  "有限公司",
  "(集团)",
  "集团",
  "公司",
  "有限公司分公司",
  "股份有限公司",
  "有限會社",
  "有限公司",
  "株式会社",
  "有限会社",
  "合同会社",
  "合资会社",
  "(株)",
  "(有)",
  "주식회사",
  "(주)",
  "유한회사"
]

/** Words that carry no identity, removed from Latin names. */
export const defaultNoiseWords: ReadonlyArray<string> = [
  "the",
  "and",
  "und",
  "et",
  "y",
  "e",
  "of",
  "der",
  "die",
  "das",
  "le",
  "la",
  "les",
  "el",
  "il",
  "von",
  "van",
  "group",
  "gruppe",
  "groupe",
  "grupo",
  "gruppo",
  "holding",
  "holdings"
]

/** Abbreviations and variants mapped to one spelling, applied to Latin tokens after folding. */
export const defaultAbbreviations: Readonly<Record<string, string>> = {
  intl: "international",
  int: "international",
  internat: "international",
  mfg: "manufacturing",
  manufacturers: "manufacturing",
  manufacturer: "manufacturing",
  tech: "technology",
  techn: "technology",
  technologies: "technology",
  technik: "technology",
  technique: "technology",
  sys: "systems",
  system: "systems",
  svc: "services",
  svcs: "services",
  serv: "services",
  service: "services",
  bros: "brothers",
  assoc: "associates",
  ind: "industries",
  industry: "industries",
  industrie: "industries",
  eng: "engineering",
  engg: "engineering",
  mgmt: "management",
  mgt: "management",
  natl: "national",
  elec: "electric",
  electrical: "electric",
  elektro: "electric",
  elektrik: "electric",
  dist: "distribution",
  distr: "distribution",
  trdg: "trading",
  trad: "trading",
  log: "logistics",
  logistik: "logistics",
  logistique: "logistics",
  masch: "maschinenbau",
  mfrs: "manufacturing",
  ctr: "center",
  centre: "center",
  zentrum: "center",
  st: "saint",
  ste: "sainte",
  mt: "mount"
}

/**
 * Chinese industry words (行业) that follow the trade name (字号): `华通` is what identifies
 * `华通机电设备`, so CJK names are compared on the trade name first (weight 0.7) and on the industry
 * words second (0.3). They are split off the end of the CJK core, longest first.
 */
export const defaultCjkIndustryTerms: ReadonlyArray<string> = [
  "科技",
  "技术",
  "贸易",
  "商贸",
  "工贸",
  "进出口",
  "国际",
  "实业",
  "发展",
  "投资",
  "咨询",
  "服务",
  "管理",
  "工程",
  "建设",
  "建筑",
  "机电",
  "设备",
  "电子",
  "电器",
  "电气",
  "化工",
  "物流",
  "运输",
  "食品",
  "纺织",
  "服装",
  "服饰",
  "建材",
  "汽车",
  "配件",
  "汽配",
  "医疗",
  "器械",
  "医械",
  "医药",
  "生物",
  "网络",
  "信息",
  "软件",
  "数码",
  "通信",
  "精密",
  "机械",
  "精机",
  "新材料",
  "材料",
  "环保",
  "包装",
  "塑胶",
  "塑料",
  "制品",
  "五金",
  "设计",
  "能源",
  "光电",
  "农业",
  "文化",
  "传媒",
  "广告",
  "装饰",
  "制造",
  "自动化",
  "控制",
  "仪器",
  "仪表",
  "家具",
  "印刷",
  "钢铁",
  "金属",
  "模具",
  "机床",
  "液压",
  "轴承",
  "电力",
  "新能源",
  "智能",
  "系统",
  "工业",
  "产业",
  "银行",
  "证券",
  "保险",
  "酒店",
  "餐饮",
  "地产",
  "置业",
  "房地产",
  "百货",
  "超市",
  "药业",
  "制药",
  "汽车销售"
]

/** Chinese cities and provinces that open a company name and are removed from it (with 市 / 省 after them too). */
export const defaultCityPrefixes: ReadonlyArray<string> = [
  "北京",
  "上海",
  "天津",
  "重庆",
  "广州",
  "深圳",
  "杭州",
  "苏州",
  "南京",
  "武汉",
  "成都",
  "西安",
  "郑州",
  "长沙",
  "青岛",
  "宁波",
  "厦门",
  "福州",
  "济南",
  "沈阳",
  "大连",
  "哈尔滨",
  "长春",
  "合肥",
  "南昌",
  "昆明",
  "贵阳",
  "南宁",
  "海口",
  "太原",
  "石家庄",
  "呼和浩特",
  "兰州",
  "西宁",
  "银川",
  "乌鲁木齐",
  "拉萨",
  "无锡",
  "常州",
  "佛山",
  "东莞",
  "温州",
  "绍兴",
  "嘉兴",
  "台州",
  "烟台",
  "珠海",
  "中山",
  "惠州",
  "泉州",
  "香港",
  "澳门",
  "台北",
  "广东",
  "江苏",
  "浙江",
  "山东",
  "河南",
  "河北",
  "湖北",
  "湖南",
  "四川",
  "福建",
  "安徽",
  "江西",
  "辽宁",
  "吉林",
  "黑龙江",
  "陕西",
  "山西",
  "云南",
  "贵州",
  "广西",
  "海南",
  "甘肃",
  "青海",
  "宁夏",
  "新疆",
  "西藏",
  "内蒙古"
]

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

const agreeDisagree = (agree: number, disagree: number) =>
  z
    .object({
      /** Added to the score when both records share a value. */
      agree: z.number().min(0).max(1).default(agree),
      /** Subtracted when both records have values and share none. */
      disagree: z.number().min(0).max(1).default(disagree)
    })
    .strict()

export const ScoringWeights = z
  .object({
    /** The name similarity (0–1) is multiplied by this and added. */
    name: z.number().min(0).max(2).default(1),
    /**
     * Address agreement: `address × (2 × similarity − 1) × coverage` is added, so an equal address adds
     * up to `address` and a different one subtracts up to it. `coverage` is the share of address parts
     * (street, house number, postal code, city) that both records have.
     */
    address: z.number().min(0).max(1).default(0.15),
    /** The same tax number is near proof of the same legal entity; different ones of the same kind, of different ones. */
    taxNumber: agreeDisagree(0.5, 0.3).prefault({}),
    email: agreeDisagree(0.25, 0).prefault({}),
    /** Phone, mobile and fax, compared in E.164. */
    phone: agreeDisagree(0.2, 0).prefault({})
  })
  .strict()
/** How much each field counts. */
export type ScoringWeights = z.infer<typeof ScoringWeights>

export const MatchingConfig = z
  .object({
    legalForms: z.array(z.string().min(1)).default([...defaultLegalForms]),
    noiseWords: z.array(z.string().min(1)).default([...defaultNoiseWords]),
    abbreviations: z.record(z.string().min(1), z.string().min(1)).default({ ...defaultAbbreviations }),
    /** Leading cities / provinces removed from CJK names. */
    cityPrefixes: z.array(z.string().min(1)).default([...defaultCityPrefixes]),
    /** Factor applied to the CJK name similarity when both names had a city prefix and they differ. */
    cityPrefixConflict: z.number().min(0).max(1).default(0.75),
    /** Industry words of CJK names, weighted below the trade name. */
    cjkIndustryTerms: z.array(z.string().min(1)).default([...defaultCjkIndustryTerms]),
    /** Customers flagged for deletion are not reported as duplicates. */
    skipDeletionFlagged: z.boolean().default(true),
    weights: ScoringWeights.prefault({}),
    thresholds: z
      .object({
        /** At or above: a suspected duplicate (message `DUPLICATE_SUSPECTED`, a cluster edge in a scan). */
        duplicate: z.number().min(0).max(1).default(0.8),
        /** At or above: listed as a candidate by `check`, without a message. */
        possible: z.number().min(0).max(1).default(0.6)
      })
      .strict()
      .prefault({}),
    blocking: z
      .object({
        /** Keys carried by more customers than this are skipped: they say little and cost much. */
        maxKeyFrequency: z.number().int().min(1).default(500),
        /** How many index candidates (by shared keys) a check scores. */
        candidates: z.number().int().min(1).max(1000).default(25),
        /** The same for each record of a batch scan. */
        scanCandidates: z.number().int().min(1).max(1000).default(15)
      })
      .strict()
      .prefault({})
  })
  .strict()
/** Matching configuration: lists, weights, thresholds and blocking limits. `MatchingConfig.parse({})` gives the defaults. */
export type MatchingConfig = z.infer<typeof MatchingConfig>
export type MatchingConfigInput = z.input<typeof MatchingConfig>

// ---------------------------------------------------------------------------------------------
// Text folding
// ---------------------------------------------------------------------------------------------

const cjkRun = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー々〆]+/u
const tokenPattern = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー々〆]+|[\p{L}\p{N}.'’]+/gu
const special: Readonly<Record<string, string>> = {
  ä: "ae",
  ö: "oe",
  ü: "ue",
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
  ħ: "h"
}

/**
 * Folds text for comparison: NFKC (full-width → half-width), lower case, German umlauts and `ß`
 * transliterated, other Latin diacritics removed. CJK and other scripts are kept as they are.
 */
export const fold = (text: string): string =>
  text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[äöüßæœøłđðþıħ]/g, (c) => special[c] ?? c)
    .replace(/[\u00c0-\u024f\u1e00-\u1eff]/g, (c) => c.normalize("NFD").replace(/\p{M}/gu, ""))

const isCjk = (token: string) => cjkRun.test(token)

/** Splits folded text into Latin tokens (dots of abbreviations removed) and CJK runs. */
const rawTokens = (folded: string): Array<string> => {
  const out: Array<string> = []
  for (const match of folded.matchAll(tokenPattern)) {
    const token = match[0]
    if (isCjk(token)) {
      out.push(token)
      continue
    }
    const bare = token.replace(/['’]/g, "")
    // g.m.b.h. / s.p.a. / inc. / co. → one token; st.gallen → two.
    if (/^(?:[\p{L}\p{N}]{1,3}\.)+[\p{L}\p{N}]{0,3}$/u.test(bare)) out.push(bare.replace(/\./g, ""))
    else for (const part of bare.split(".")) if (part.length > 0) out.push(part)
  }
  // Single letters in a row are one abbreviation: "s a" → "sa", "g m b h" → "gmbh".
  const merged: Array<string> = []
  let lastFromLetters = false
  for (const token of out) {
    const letter = /^[a-z]$/.test(token)
    if (letter && lastFromLetters) merged[merged.length - 1] += token
    else merged.push(token)
    lastFromLetters = letter
  }
  return merged
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/** A name reduced to what identifies the party. */
export interface NormalisedName {
  /** Latin (and other non-CJK) tokens in their original order: folded, legal forms and noise removed, abbreviations expanded. */
  readonly tokens: ReadonlyArray<string>
  /** CJK text without legal forms and without a leading city / province. */
  readonly cjk: string
  /** The leading city or province removed from the CJK text (without 市 / 省), or `""`. */
  readonly cjkCity: string
  /** The CJK text without its trailing industry words (`华通` of `华通机电设备`); the whole CJK text when it has none. */
  readonly cjkTrade: string
  /** The comparison key: sorted tokens and the CJK text, e.g. `"maschinenbau mueller"`, `"华通机电设备"`. */
  readonly core: string
}

interface CompiledLists {
  readonly latinForms: ReadonlyArray<ReadonlyArray<string>>
  readonly cjkForms: ReadonlyArray<string>
  readonly noise: ReadonlySet<string>
  readonly abbreviations: ReadonlyMap<string, string>
  readonly cities: ReadonlyArray<string>
  readonly industries: ReadonlyArray<string>
}

const compiled = new WeakMap<MatchingConfig, CompiledLists>()

const lists = (config: MatchingConfig): CompiledLists => {
  const cached = compiled.get(config)
  if (cached !== undefined) return cached
  const latinForms: Array<Array<string>> = []
  const cjkForms = new Set<string>()
  for (const form of config.legalForms) {
    const tokens = rawTokens(fold(form))
    if (tokens.length === 0) continue
    if (tokens.every(isCjk)) cjkForms.add(tokens.join(""))
    else latinForms.push(tokens)
  }
  latinForms.sort((a, b) => b.length - a.length)
  const abbreviations = new Map<string, string>()
  for (const [from, to] of Object.entries(config.abbreviations)) abbreviations.set(fold(from).replace(/\./g, ""), fold(to))
  const cities = [...new Set(config.cityPrefixes.map((c) => c.normalize("NFKC")))].sort((a, b) => b.length - a.length)
  const result: CompiledLists = {
    latinForms,
    cjkForms: [...cjkForms].sort((a, b) => b.length - a.length),
    noise: new Set(config.noiseWords.map((w) => fold(w))),
    abbreviations,
    cities,
    industries: [...new Set(config.cjkIndustryTerms.map((t) => t.normalize("NFKC")))].sort((a, b) => b.length - a.length)
  }
  compiled.set(config, result)
  return result
}

const removeSequences = (tokens: Array<string>, forms: ReadonlyArray<ReadonlyArray<string>>): Array<string> => {
  const out: Array<string> = []
  let i = 0
  outer: while (i < tokens.length) {
    for (const form of forms) {
      if (form.length <= tokens.length - i && form.every((t, j) => tokens[i + j] === t)) {
        i += form.length
        continue outer
      }
    }
    out.push(tokens[i]!)
    i++
  }
  return out
}

const stripCity = (
  text: string,
  cities: ReadonlyArray<string>,
  industries: ReadonlyArray<string>
): { readonly rest: string; readonly city: string } => {
  for (const city of cities) {
    if (!text.startsWith(city)) continue
    let rest = text.slice(city.length)
    if (rest.startsWith("市") || rest.startsWith("省")) rest = rest.slice(1)
    // The city is part of the name when nothing but industry words would be left: 上海银行, 北京科技.
    if ([...rest].length >= 2 && !onlyIndustryWords(rest, industries)) return { rest, city }
  }
  return { rest: text, city: "" }
}

const onlyIndustryWords = (text: string, industries: ReadonlyArray<string>): boolean => {
  let rest = text
  for (let stripped = true; stripped && rest !== ""; ) {
    stripped = false
    for (const term of industries) {
      if (rest.endsWith(term)) {
        rest = rest.slice(0, -term.length)
        stripped = true
        break
      }
    }
  }
  return rest === ""
}

const isCity = (run: string, cities: ReadonlyArray<string>) => {
  const bare = run.replace(/[市省]$/, "")
  return cities.includes(bare)
}

/** Light plural folding for Latin tokens: `systems` → `system`, not `glass`. */
const singular = (token: string) =>
  token.length > 4 && token.endsWith("s") && !token.endsWith("ss") && !/\d/.test(token) ? token.slice(0, -1) : token

/**
 * Normalises a company or person name.
 *
 * @example
 * ```ts
 * import { Matching } from "@partnerkit/core"
 *
 * const config = Matching.MatchingConfig.parse({})
 * Matching.normaliseName(config, "ACME Ｓｙｓｔｅｍｓ G.m.b.H.").core // "acme systems"
 * Matching.normaliseName(config, "华为技术(深圳)有限公司").core // "华为技术"
 * ```
 */
export const normaliseName = (config: MatchingConfig, name: string): NormalisedName => {
  const l = lists(config)
  const folded = fold(name).replace(/[&+]/g, " ")
  const all = rawTokens(folded)
  const latin: Array<string> = []
  const cjkRuns: Array<string> = []
  for (const token of all) (isCjk(token) ? cjkRuns : latin).push(token)

  const expanded = latin.map((t) => l.abbreviations.get(t) ?? t)
  let kept = removeSequences(expanded, l.latinForms).filter((t) => !l.noise.has(t))
  if (kept.length === 0 && cjkRuns.length === 0) kept = removeSequences(expanded, l.latinForms)
  if (kept.length === 0 && cjkRuns.length === 0) kept = expanded
  const tokens = kept.map(singular)

  let cjk = ""
  let cjkCity = ""
  if (cjkRuns.length > 0) {
    const runs: Array<string> = []
    for (const run of cjkRuns) {
      let text = run
      for (const form of l.cjkForms) if (text.includes(form)) text = text.split(form).join("")
      if (text.length === 0) continue
      // A city in its own run, e.g. 华为技术(深圳)有限公司, is a location, not part of the name.
      if (isCity(text, l.cities) && (cjkRuns.length > 1 || latin.length > 0)) {
        if (cjkCity === "") cjkCity = text.replace(/[市省]$/, "")
        continue
      }
      runs.push(text)
    }
    let joined = runs.join("")
    if (joined.length > 0) {
      const stripped = stripCity(joined, l.cities, l.industries)
      joined = stripped.rest
      if (stripped.city !== "") cjkCity = stripped.city
    } else if (tokens.length === 0) {
      // Nothing but legal forms (and perhaps a city): keep the text as written.
      joined = cjkRuns.join("")
    }
    cjk = joined
  }
  let cjkTrade = cjk
  for (let stripped = true; stripped; ) {
    stripped = false
    for (const term of l.industries) {
      if (cjkTrade.endsWith(term) && [...cjkTrade].length - [...term].length >= 2) {
        cjkTrade = cjkTrade.slice(0, -term.length)
        stripped = true
        break
      }
    }
  }
  const core = [...[...tokens].sort(), ...(cjk === "" ? [] : [cjk])].join(" ")
  return { tokens, cjk, cjkCity, cjkTrade, core }
}

// ---------------------------------------------------------------------------------------------
// Addresses and keys
// ---------------------------------------------------------------------------------------------

/** The address parts that matching compares, normalised. */
export interface NormalisedAddress {
  /** Street without house number; street types shortened (`straße` → `str`, `street` → `st`). */
  readonly street: string
  readonly houseNumber: string
  /** Upper case without spaces. */
  readonly postalCode: string
  readonly city: string
}

const streetTypes: ReadonlyArray<readonly [RegExp, string]> = [
  [/(strasse|str)$/, "str"],
  [/^(street|st)$/, "st"],
  [/^(road|rd)$/, "rd"],
  [/^(avenue|ave|av)$/, "ave"],
  [/^(boulevard|blvd|bd)$/, "blvd"],
  [/^(platz|pl)$/, "pl"],
  [/^(lane|ln)$/, "ln"],
  [/^(drive|dr)$/, "dr"],
  [/^(rue|r)$/, "rue"],
  [/^(via|v)$/, "via"],
  [/^(calle|c)$/, "calle"]
]

const shortenStreetToken = (token: string): string => {
  for (const [pattern, short] of streetTypes) {
    if (pattern.test(token)) return token.replace(pattern, short)
  }
  return token
}

/**
 * Normalises street, house number, postal code and city. A house number at the end of the street
 * (`Hauptstraße 12a`, `张江路88号`) is taken from there when `houseNumber` is empty.
 */
export const normaliseAddress = (data: Pick<GeneralData, "street" | "houseNumber" | "postalCode" | "city">): NormalisedAddress => {
  let street = data.street === undefined ? "" : fold(data.street)
  let houseNumber = data.houseNumber === undefined ? "" : fold(data.houseNumber).replace(/[^\p{L}\p{N}]/gu, "")
  const trailing = /[\s,]*(?:no\.?\s*)?(\d+\s*[a-z]?)\s*(?:号|號)?$/u.exec(street)
  if (trailing !== null && /\p{L}/u.test(street.slice(0, trailing.index))) {
    if (houseNumber === "") houseNumber = trailing[1]!.replace(/\s/g, "")
    street = street.slice(0, trailing.index)
  }
  const leading = /^(\d+\s*[a-z]?)[\s,]+(?=\p{L})/u.exec(street)
  if (leading !== null) {
    if (houseNumber === "") houseNumber = leading[1]!.replace(/\s/g, "")
    street = street.slice(leading[0].length)
  }
  houseNumber = houseNumber.replace(/(号|號)$/, "")
  const streetTokens = rawTokens(street).map(shortenStreetToken)
  const city =
    data.city === undefined
      ? ""
      : rawTokens(fold(data.city))
          .join(" ")
          .replace(/(?<=\p{Script=Han})[市]$/u, "")
  return {
    street: streetTokens.join(" "),
    houseNumber,
    postalCode: data.postalCode === undefined ? "" : data.postalCode.normalize("NFKC").toUpperCase().replace(/[\s-]/g, ""),
    city
  }
}

/** A tax number reduced to upper-case letters and digits. */
export const normaliseTaxNumber = (value: string): string =>
  value
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "")

/** An e-mail address for comparison: trimmed, lower case. */
export const normaliseEmail = (value: string): string => value.normalize("NFKC").trim().toLowerCase()

/**
 * A phone number in E.164, with `country` as the default for national numbers; `undefined` when
 * it cannot be parsed. Values already in E.164 are taken as they are (fast path for standardised data).
 */
export const phoneE164 = (value: string, country: string | undefined): string | undefined => {
  const compact = value.normalize("NFKC").replace(/[\s()./-]/g, "")
  if (/^\+[1-9]\d{6,14}$/.test(compact)) return compact
  try {
    const parsed = parsePhoneNumberFromString(
      value.normalize("NFKC"),
      country !== undefined && /^[A-Z]{2}$/.test(country) ? (country as CountryCode) : undefined
    )
    return parsed?.isPossible() ? parsed.number : undefined
  } catch {
    return undefined
  }
}

/** Everything matching needs from one record, computed once. */
export interface Profile {
  readonly name: NormalisedName
  readonly address: NormalisedAddress
  /** `kind:value`, normalised. */
  readonly taxNumbers: ReadonlyArray<{ readonly kind: string; readonly value: string }>
  readonly emails: ReadonlyArray<string>
  /** Phone, mobile and fax in E.164. */
  readonly phones: ReadonlyArray<string>
}

/** The profile of a record's (or an input's) general data. Only `name` is needed; other fields are used when present. */
export const profile = (config: MatchingConfig, general: Partial<GeneralData> & { readonly name: string }): Profile => {
  const names = [general.name, general.name2].filter((n): n is string => n !== undefined).join(" ")
  const phones = new Set<string>()
  for (const value of [general.phone, general.mobile, general.fax]) {
    if (value === undefined) continue
    const e164 = phoneE164(value, general.country)
    if (e164 !== undefined) phones.add(e164)
  }
  return {
    name: normaliseName(config, names),
    address: normaliseAddress(general),
    taxNumbers: (general.taxNumbers ?? [])
      .map((t) => ({ kind: t.kind.toUpperCase(), value: normaliseTaxNumber(t.value) }))
      .filter((t) => t.value.length > 0),
    emails: general.email === undefined ? [] : [normaliseEmail(general.email)],
    phones: [...phones]
  }
}

/**
 * A short, coarse sound key of a Latin token: first letter, then consonants with similar sounds
 * merged, vowels and repeats dropped (`mueller`, `muller`, `müller` → `mlr`; `schmidt`, `schmitt` →
 * `smt`). `undefined` for tokens that give fewer than three letters.
 */
export const soundKey = (token: string): string | undefined => {
  if (!/^[a-z]/.test(token)) return undefined
  const s = token
    .replace(/[^a-z]/g, "")
    .replace(/sch/g, "s")
    .replace(/ph/g, "f")
    .replace(/ck/g, "k")
    .replace(/[cq]/g, "k")
    .replace(/z/g, "s")
    .replace(/[vw]/g, "f")
    .replace(/d/g, "t")
    .replace(/y/g, "i")
  const rest = s.slice(1).replace(/[aeiouh]/g, "")
  let key = s[0]!
  for (const c of rest) if (key.at(-1) !== c) key += c
  return key.length >= 3 ? key.slice(0, 6) : undefined
}

const bigrams = (text: string): Array<string> => {
  const chars = [...text]
  if (chars.length < 2) return chars.length === 1 ? [chars[0]!] : []
  const out: Array<string> = []
  for (let i = 0; i < chars.length - 1; i++) out.push(chars[i]! + chars[i + 1]!)
  return out
}

/**
 * The blocking keys of a profile: the index finds candidates by shared keys, so a check costs the
 * same at a thousand customers and at a million. Kinds (prefix before `:`):
 * - `n` the normalised name (sorted tokens + CJK core): equal names, any word order, any legal form;
 * - `t` each Latin token, `s` its sound key, `f` its first four letters (typos late in a word);
 * - `p` pairs of tokens (rare even when each token is common);
 * - `a` acronym (`ibm` for International Business Machines, and a short single token itself);
 * - `b` each CJK character bigram of the core;
 * - `z` postal code + the name's first three letters (or first CJK character), `h` postal code + house number;
 * - `x` exact keys: tax numbers, e-mail, phones in E.164.
 *
 * Keys shared by more than `blocking.maxKeyFrequency` customers are skipped at query time, so common
 * words (`technology`, `科技`) cost nothing; the rarer keys of the same record still find it.
 */
export const blockingKeys = (p: Profile): Array<string> => {
  const keys = new Set<string>()
  const { tokens, cjk, core } = p.name
  if (core !== "") keys.add(`n:${core}`)
  const sorted = [...new Set(tokens)].sort()
  for (const t of sorted) {
    if (t.length < 2) continue
    keys.add(`t:${t}`)
    const sound = soundKey(t)
    if (sound !== undefined) keys.add(`s:${sound}`)
    if (t.length >= 6) keys.add(`f:${t.slice(0, 4)}`)
  }
  if (sorted.length >= 2) {
    if (sorted.length <= 4) {
      for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) keys.add(`p:${sorted[i]}|${sorted[j]}`)
    } else for (let i = 0; i + 1 < sorted.length; i++) keys.add(`p:${sorted[i]}|${sorted[i + 1]}`)
  }
  if (tokens.length >= 3) keys.add(`a:${tokens.map((t) => t[0]).join("")}`)
  else if (tokens.length === 1 && /^[a-z]{2,6}$/.test(tokens[0]!)) keys.add(`a:${tokens[0]}`)
  for (const b of bigrams(cjk)) keys.add(`b:${b}`)
  const postal = p.address.postalCode
  if (postal !== "") {
    const head = cjk !== "" ? [...cjk][0]! : (tokens[0] ?? "").slice(0, 3)
    if (head !== "") keys.add(`z:${postal}|${head}`)
    if (p.address.houseNumber !== "") keys.add(`h:${postal}|${p.address.houseNumber}`)
  }
  for (const t of p.taxNumbers) keys.add(`x:tax:${t.value}`)
  for (const e of p.emails) keys.add(`x:mail:${e}`)
  for (const ph of p.phones) keys.add(`x:tel:${ph}`)
  return [...keys]
}

// ---------------------------------------------------------------------------------------------
// Similarity
// ---------------------------------------------------------------------------------------------

const levenshteinSimilarity = (a: string, b: string): number => {
  if (a === b) return 1
  const max = Math.max(a.length, b.length)
  return max === 0 ? 1 : 1 - distance(a, b) / max
}

const bag = new Int32Array(128)

/**
 * `levenshteinSimilarity(a, b)` when it is at least `min`, else 0 — rejecting most pairs first by
 * length and by bag distance (letters one string has more of than the other), both lower bounds of
 * the edit distance.
 */
const similarAtLeast = (a: string, b: string, min: number): number => {
  if (a === b) return 1
  const max = Math.max(a.length, b.length)
  if (max === 0) return 1
  const allowed = Math.floor((1 - min) * max + 1e-9)
  if (Math.abs(a.length - b.length) > allowed) return 0
  let ascii = true
  for (let i = 0; i < a.length && ascii; i++) if (a.charCodeAt(i) >= 128) ascii = false
  for (let i = 0; i < b.length && ascii; i++) if (b.charCodeAt(i) >= 128) ascii = false
  if (ascii) {
    for (let i = 0; i < a.length; i++) bag[a.charCodeAt(i)]!++
    for (let i = 0; i < b.length; i++) bag[b.charCodeAt(i)]!--
    let surplus = 0
    let deficit = 0
    // Read each letter's balance once (then zero it, which also resets the table).
    for (let i = 0; i < a.length; i++) {
      const c = a.charCodeAt(i)
      const d = bag[c]!
      if (d > 0) surplus += d
      else deficit -= d
      bag[c] = 0
    }
    for (let i = 0; i < b.length; i++) {
      const c = b.charCodeAt(i)
      deficit -= Math.min(0, bag[c]!)
      bag[c] = 0
    }
    if (Math.max(surplus, deficit) > allowed) return 0
  }
  const s = 1 - distance(a, b) / max
  return s >= min ? s : 0
}

/** Similarity of two Latin tokens: equal 1, an abbreviation (prefix of ≥ 4 letters) 0.85, else edit-distance similarity when ≥ 0.7. */
const tokenSimilarity = (a: string, b: string): number => {
  if (a === b) return 1
  const [short, long] = a.length <= b.length ? [a, b] : [b, a]
  if (short.length >= 4 && long.startsWith(short)) return 0.85
  if (isTransposition(a, b)) return 1 - 1 / a.length
  return similarAtLeast(a, b, 0.7)
}

/** Do `a` and `b` differ only by two neighbouring letters swapped (`wagner` / `wagenr`)? Levenshtein counts that as two edits. */
const isTransposition = (a: string, b: string): boolean => {
  if (a.length !== b.length || a.length < 2) return false
  let i = 0
  while (i < a.length && a[i] === b[i]) i++
  return i < a.length - 1 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)
}

/** Monge–Elkan in both directions, tokens weighted by length: order-insensitive and typo-tolerant. */
const bestA = new Float64Array(64)
const bestB = new Float64Array(64)

/** Monge–Elkan in both directions (each token's best match on the other side, weighted by its length), averaged. */
const softTokenSimilarity = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): number => {
  const n = Math.min(a.length, 64)
  const m = Math.min(b.length, 64)
  bestA.fill(0, 0, n)
  bestB.fill(0, 0, m)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const v = tokenSimilarity(a[i]!, b[j]!)
      if (v > bestA[i]!) bestA[i] = v
      if (v > bestB[j]!) bestB[j] = v
    }
  }
  let totalA = 0
  let weightA = 0
  for (let i = 0; i < n; i++) {
    totalA += a[i]!.length * bestA[i]!
    weightA += a[i]!.length
  }
  let totalB = 0
  let weightB = 0
  for (let j = 0; j < m; j++) {
    totalB += b[j]!.length * bestB[j]!
    weightB += b[j]!.length
  }
  return ((weightA === 0 ? 0 : totalA / weightA) + (weightB === 0 ? 0 : totalB / weightB)) / 2
}

const trigrams = (tokens: ReadonlyArray<string>): Set<string> => {
  const out = new Set<string>()
  for (const t of tokens) {
    const padded = `_${t}_`
    for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3))
  }
  return out
}

const dice = <A>(a: ReadonlySet<A> | ReadonlyArray<A>, b: ReadonlySet<A> | ReadonlyArray<A>): number => {
  const x = a instanceof Set ? (a as ReadonlySet<A>) : new Set(a as ReadonlyArray<A>)
  const y = b instanceof Set ? (b as ReadonlySet<A>) : new Set(b as ReadonlyArray<A>)
  if (x.size === 0 && y.size === 0) return 1
  let shared = 0
  for (const v of x) if (y.has(v)) shared++
  return (2 * shared) / (x.size + y.size)
}

const isAcronymOf = (short: ReadonlyArray<string>, long: ReadonlyArray<string>): boolean => {
  if (short.length !== 1 || long.length < 2 || short[0]!.length !== long.length) return false
  for (let i = 0; i < long.length; i++) if (long[i]![0] !== short[0]![i]) return false
  return true
}

const acronymSimilarity = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): number => (isAcronymOf(a, b) || isAcronymOf(b, a) ? 0.9 : 0)

/** How two names compare, part by part. */
export interface NameComparison {
  /** 0–1. */
  readonly similarity: number
  /** Latin tokens, order-insensitive, typo-tolerant (`undefined` when neither name has Latin tokens). */
  readonly tokens?: number
  /** Latin character trigrams (Dice). */
  readonly trigrams?: number
  /** CJK similarity: the best of bigram/character Dice, edit distance and containment. */
  readonly cjk?: number
  /** Both CJK names carried a city prefix and they differ (the CJK similarity was lowered). */
  readonly cityConflict?: boolean
}

const trigramCache = new WeakMap<ReadonlyArray<string>, Set<string>>()
const cachedTrigrams = (tokens: ReadonlyArray<string>) => {
  let grams = trigramCache.get(tokens)
  if (grams === undefined) {
    grams = trigrams(tokens)
    trigramCache.set(tokens, grams)
  }
  return grams
}

const latinSimilarity = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) => {
  const tokens = softTokenSimilarity(a, b)
  const grams = dice(cachedTrigrams(a), cachedTrigrams(b))
  const compact = similarAtLeast(a.join(""), b.join(""), 0.9)
  return { similarity: Math.max(0.5 * tokens + 0.5 * grams, compact, acronymSimilarity(a, b)), tokens, trigrams: grams }
}

const cjkSimilarity = (a: string, b: string): number => {
  if (a === b) return 1
  const ba = bigrams(a)
  const bb = bigrams(b)
  const bigramDice = dice(ba, bb)
  const charDice = dice([...a], [...b])
  let containment = 0
  const shorter = [...a].length <= [...b].length ? a : b
  const longer = shorter === a ? b : a
  if ([...shorter].length >= 3 && longer.includes(shorter)) containment = 0.9
  return Math.max(0.5 * bigramDice + 0.5 * charDice, levenshteinSimilarity(a, b), containment)
}

/** Compares two normalised names. */
export const compareNames = (
  config: MatchingConfig,
  a: NormalisedName,
  b: NormalisedName,
  /** The records' cities (normalised), standing in for a CJK name without a city prefix. */
  cities?: readonly [string, string]
): NameComparison => {
  const latinA = a.tokens.length > 0
  const latinB = b.tokens.length > 0
  const cjkA = a.cjk !== ""
  const cjkB = b.cjk !== ""
  if (a.core === b.core && a.core !== "" && a.cjk === "") {
    return { similarity: 1, ...(latinA ? { tokens: 1, trigrams: 1 } : {}), ...(cjkA ? { cjk: 1 } : {}) }
  }
  let weighted = 0
  let weight = 0
  let result: { tokens?: number; trigrams?: number; cjk?: number; cityConflict?: boolean } = {}
  if (latinA || latinB) {
    const w = (a.tokens.join("").length + b.tokens.join("").length) / 2
    if (latinA && latinB) {
      const latin = latinSimilarity(a.tokens, b.tokens)
      weighted += w * latin.similarity
      result = { tokens: latin.tokens, trigrams: latin.trigrams }
    } else result = { tokens: 0, trigrams: 0 }
    weight += w
  }
  if (cjkA || cjkB) {
    // A CJK character carries about as much as two Latin letters.
    const w = [...a.cjk].length + [...b.cjk].length
    let s = 0
    if (cjkA && cjkB) {
      const industryA = a.cjk.slice(a.cjkTrade.length)
      const industryB = b.cjk.slice(b.cjkTrade.length)
      s =
        a.cjkTrade === a.cjk && b.cjkTrade === b.cjk
          ? cjkSimilarity(a.cjk, b.cjk)
          : Math.max(
              0.7 * cjkSimilarity(a.cjkTrade, b.cjkTrade) +
                0.3 * (industryA === "" && industryB === "" ? 1 : cjkSimilarity(industryA, industryB)),
              a.cjk === b.cjk ? 1 : 0
            )
    }
    const cityA = a.cjkCity !== "" ? a.cjkCity : (cities?.[0] ?? "")
    const cityB = b.cjkCity !== "" ? b.cjkCity : (cities?.[1] ?? "")
    const cityConflict = cityA !== "" && cityB !== "" && cityA !== cityB
    if (cityConflict) s *= config.cityPrefixConflict
    weighted += w * s
    weight += w
    result = { ...result, cjk: s, ...(cityConflict ? { cityConflict } : {}) }
  }
  return { similarity: weight === 0 ? 0 : weighted / weight, ...result }
}

/** How two addresses compare: each part present on both sides, and their weighted similarity. */
export interface AddressComparison {
  /** 0–1 over the parts both records have; `undefined` when they share no part. */
  readonly similarity: number | undefined
  /** Share of the address weight (street 0.35, house number 0.15, postal code 0.3, city 0.2) both records have. */
  readonly coverage: number
  readonly street?: number
  readonly houseNumber?: number
  readonly postalCode?: number
  readonly city?: number
}

const addressWeights = { street: 0.35, houseNumber: 0.15, postalCode: 0.3, city: 0.2 } as const

/** Compares two normalised addresses. */
export const compareAddresses = (a: NormalisedAddress, b: NormalisedAddress): AddressComparison => {
  const parts: Partial<Record<keyof typeof addressWeights, number>> = {}
  if (a.street !== "" && b.street !== "") {
    const ta = a.street.split(" ")
    const tb = b.street.split(" ")
    parts.street =
      a.street === b.street
        ? 1
        : Math.max(levenshteinSimilarity(a.street.replace(/ /g, ""), b.street.replace(/ /g, "")), softTokenSimilarity(ta, tb))
  }
  if (a.houseNumber !== "" && b.houseNumber !== "") parts.houseNumber = a.houseNumber === b.houseNumber ? 1 : 0
  if (a.postalCode !== "" && b.postalCode !== "") {
    parts.postalCode =
      a.postalCode === b.postalCode
        ? 1
        : a.postalCode.length === b.postalCode.length && a.postalCode.slice(0, 3) === b.postalCode.slice(0, 3)
          ? 0.5
          : 0
  }
  if (a.city !== "" && b.city !== "") parts.city = similarAtLeast(a.city, b.city, 0.8)
  let total = 0
  let weight = 0
  for (const [part, value] of Object.entries(parts) as Array<[keyof typeof addressWeights, number]>) {
    total += addressWeights[part] * value
    weight += addressWeights[part]
  }
  return { similarity: weight === 0 ? undefined : total / weight, coverage: weight, ...parts }
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

/** The fields an explanation talks about. */
export type MatchField = "name" | "address" | "taxNumber" | "email" | "phone"

/** One field's part in a score. */
export interface FieldEvidence {
  readonly field: MatchField
  /**
   * `agrees` (equal, or similar enough to add), `partial` (adds less than half of what it could),
   * `differs` (subtracts or adds nothing although both have a value), `absent` (not on both records).
   */
  readonly verdict: "agrees" | "partial" | "differs" | "absent"
  /** 0–1 for name and address; 1 or 0 for exact keys; `null` when absent. */
  readonly similarity: number | null
  /** What the field added to (or, negative, took from) the score. */
  readonly contribution: number
  /** Human-readable detail, e.g. `tokens 0.93, trigrams 0.81` or `shared +4989123456`. */
  readonly detail: string
}

/** A score with its explanation. */
export interface Comparison {
  /** 0–1: the sum of the contributions, clamped. */
  readonly score: number
  /** One entry per field, in the order name, address, tax number, e-mail, phone. */
  readonly fields: ReadonlyArray<FieldEvidence>
  readonly name: NameComparison
  readonly address: AddressComparison
}

const round = (n: number) => Math.round(n * 1000) / 1000

const exactKey = (
  field: "taxNumber" | "email" | "phone",
  weights: { readonly agree: number; readonly disagree: number },
  a: ReadonlyArray<string>,
  b: ReadonlyArray<string>,
  conflicting: boolean
): FieldEvidence => {
  if (a.length === 0 || b.length === 0)
    return { field, verdict: "absent", similarity: null, contribution: 0, detail: "not on both records" }
  const shared = a.filter((v) => b.includes(v))
  if (shared.length > 0) {
    return { field, verdict: "agrees", similarity: 1, contribution: weights.agree, detail: `shared ${shared.join(", ")}` }
  }
  const contribution = conflicting ? -weights.disagree : 0
  return {
    field,
    verdict: "differs",
    similarity: 0,
    contribution,
    detail: conflicting ? "different values of the same kind" : "different values"
  }
}

const verdictOf = (contribution: number, max: number): FieldEvidence["verdict"] =>
  contribution <= 0 ? "differs" : contribution >= max / 2 ? "agrees" : "partial"

const hanOnly = /^\p{Script=Han}+$/u
const han = (city: string) => (hanOnly.test(city) ? city : "")

/**
 * Scores how likely two profiles describe the same party, and explains it.
 *
 * @example
 * ```ts
 * import { Matching } from "@partnerkit/core"
 *
 * const config = Matching.MatchingConfig.parse({ weights: { address: 0.2 }, thresholds: { duplicate: 0.85 } })
 * const a = Matching.profile(config, { name: "上海华通机电设备有限公司", city: "上海", phone: "+86 21 6123 4567", country: "CN" })
 * const b = Matching.profile(config, { name: "华通机电设备", city: "上海市", phone: "021 6123 4567", country: "CN" })
 * const comparison = Matching.compare(config, a, b)
 * comparison.fields.find((f) => f.field === "phone")?.verdict // "agrees"
 * ```
 */
export const compare = (config: MatchingConfig, a: Profile, b: Profile): Comparison => {
  const w = config.weights
  const name = compareNames(config, a.name, b.name, [han(a.address.city), han(b.address.city)])
  const nameContribution = w.name * name.similarity
  const nameDetail = [
    name.tokens !== undefined ? `tokens ${round(name.tokens)}` : undefined,
    name.trigrams !== undefined ? `trigrams ${round(name.trigrams)}` : undefined,
    name.cjk !== undefined ? `CJK ${round(name.cjk)}` : undefined,
    name.cityConflict === true ? "different cities" : undefined
  ].filter((s) => s !== undefined)
  const fields: Array<FieldEvidence> = [
    {
      field: "name",
      verdict: name.similarity >= 0.9 ? "agrees" : name.similarity >= 0.5 ? "partial" : "differs",
      similarity: round(name.similarity),
      contribution: round(nameContribution),
      detail: `"${a.name.core}" vs "${b.name.core}"${nameDetail.length > 0 ? `: ${nameDetail.join(", ")}` : ""}`
    }
  ]
  const address = compareAddresses(a.address, b.address)
  if (address.similarity === undefined) {
    fields.push({ field: "address", verdict: "absent", similarity: null, contribution: 0, detail: "no address part on both records" })
  } else {
    const contribution = w.address * (2 * address.similarity - 1) * address.coverage
    const parts = (["street", "houseNumber", "postalCode", "city"] as const)
      .filter((p) => address[p] !== undefined)
      .map((p) => `${p} ${round(address[p]!)}`)
    fields.push({
      field: "address",
      verdict: verdictOf(contribution, w.address),
      similarity: round(address.similarity),
      contribution: round(contribution),
      detail: parts.join(", ")
    })
  }
  const taxA = a.taxNumbers.map((t) => t.value)
  const taxB = b.taxNumbers.map((t) => t.value)
  const sameKind = a.taxNumbers.some((x) => b.taxNumbers.some((y) => y.kind === x.kind))
  fields.push(exactKey("taxNumber", w.taxNumber, taxA, taxB, sameKind))
  fields.push(exactKey("email", w.email, a.emails, b.emails, true))
  fields.push(exactKey("phone", w.phone, a.phones, b.phones, true))
  const sum = fields.reduce((s, f) => s + f.contribution, 0)
  return { score: round(Math.min(1, Math.max(0, sum))), fields, name, address }
}

const exactContribution = (
  weights: { readonly agree: number; readonly disagree: number },
  a: ReadonlyArray<string>,
  b: ReadonlyArray<string>,
  conflicting: boolean
): number => (a.length === 0 || b.length === 0 ? 0 : a.some((v) => b.includes(v)) ? weights.agree : conflicting ? -weights.disagree : 0)

/** The score of `compare` without its explanation: for batch work, where most pairs are dropped. Always equals `compare(…).score`. */
export const score = (config: MatchingConfig, a: Profile, b: Profile): number => {
  const w = config.weights
  let sum = 0 + round(w.name * compareNames(config, a.name, b.name, [han(a.address.city), han(b.address.city)]).similarity)
  const address = compareAddresses(a.address, b.address)
  if (address.similarity !== undefined) sum += round(w.address * (2 * address.similarity - 1) * address.coverage)
  const sameKind = a.taxNumbers.some((x) => b.taxNumbers.some((y) => y.kind === x.kind))
  sum += exactContribution(
    w.taxNumber,
    a.taxNumbers.map((t) => t.value),
    b.taxNumbers.map((t) => t.value),
    sameKind
  )
  sum += exactContribution(w.email, a.emails, b.emails, true)
  sum += exactContribution(w.phone, a.phones, b.phones, true)
  return round(Math.min(1, Math.max(0, sum)))
}

/** A one-line summary of an explanation: `name 0.97, address 0.8, same tax number`. */
export const summarise = (fields: ReadonlyArray<FieldEvidence>): string =>
  fields
    .filter((f) => f.verdict !== "absent")
    .map((f) =>
      f.field === "name" || f.field === "address"
        ? `${f.field} ${f.similarity}`
        : f.verdict === "agrees"
          ? `same ${f.field === "taxNumber" ? "tax number" : f.field === "email" ? "e-mail" : "phone"}`
          : f.contribution < 0
            ? `different ${f.field === "taxNumber" ? "tax number" : f.field}`
            : undefined
    )
    .filter((s) => s !== undefined)
    .join(", ")
