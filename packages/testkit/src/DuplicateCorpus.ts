/**
 * A labelled corpus for measuring a duplicate check: seeded and deterministic, with known
 * duplicates of the kinds real master data has — typos, legal-form variants (`GmbH` / `G.m.b.H.`,
 * `Ltd` / `Limited`, `有限公司` / `有限责任公司`), word order, abbreviations (`Masch.`, `Intl.`),
 * upper case, full-width characters, transliterations (`ü` / `ue` / `u`), Chinese names with and
 * without legal forms and city prefixes (`上海华通机电设备有限公司` / `华通机电设备(上海)有限公司` /
 * `华通机电`), changed addresses and missing fields — and hard negatives: different companies with
 * the same trade name in the same city, or the same Chinese trade name in another city.
 *
 * Every record carries its `entity`: records of one entity are duplicates of each other, records of
 * different entities are not. `evaluate` turns predicted pairs into precision and recall.
 *
 * @example
 * ```ts
 * import { DuplicateCorpus } from "@partnerkit/testkit"
 *
 * const corpus = DuplicateCorpus.generate({ seed: 7, entities: 200 })
 * const records = corpus.records.map((r) => DuplicateCorpus.toCustomerRecord("acme", r))
 * const quality = DuplicateCorpus.evaluate(corpus, [["C000001", "C000002"]])
 * console.log(records.length, corpus.truePairs, quality.precision, quality.recall)
 * ```
 * @module
 */
import type { Customer } from "@partnerkit/core"

/** One corpus record: general data and the entity it belongs to. */
export interface CorpusRecord {
  readonly number: string
  /** Records with the same entity describe the same party. */
  readonly entity: number
  /** How this record was made from its entity: `original`, or the variations applied, e.g. `typo+changedAddress`. */
  readonly variant: string
  readonly general: Customer.GeneralData
}

export interface Corpus {
  readonly records: ReadonlyArray<CorpusRecord>
  readonly entities: number
  /** Pairs of records of the same entity. */
  readonly truePairs: number
  /** Number of duplicate records per variation kind. */
  readonly variations: Readonly<Record<string, number>>
}

export interface CorpusOptions {
  readonly seed?: number
  /** Distinct parties (default 8,000: about 11,000 records). */
  readonly entities?: number
  /** Share of entities that get duplicates (default 0.3). */
  readonly duplicateShare?: number
  /** Share of entities that get a hard-negative sibling (default 0.05). */
  readonly siblingShare?: number
  /** Share of Chinese entities (default 0.3). */
  readonly chineseShare?: number
  /** Customer numbers are `prefix` + 6 digits (default `C`). */
  readonly prefix?: string
}

// ---------------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------------

type Random = () => number

const mulberry32 = (seed: number): Random => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <A>(random: Random, values: ReadonlyArray<A>): A => values[Math.floor(random() * values.length)]!
const chance = (random: Random, p: number) => random() < p
const digits = (random: Random, n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("")

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

const syllables = [
  "nor",
  "vel",
  "tra",
  "mar",
  "alt",
  "ber",
  "cor",
  "dex",
  "fin",
  "gal",
  "hel",
  "kar",
  "lum",
  "mer",
  "nex",
  "ost",
  "pra",
  "quin",
  "ros",
  "sol",
  "tec",
  "vin",
  "wal",
  "zen",
  "bra",
  "cal",
  "dor",
  "eli",
  "fal",
  "gor",
  "har",
  "ix",
  "jor",
  "kel",
  "lin",
  "mon",
  "nav",
  "or",
  "pel",
  "rin",
  "sax",
  "tor",
  "ur",
  "vas",
  "wen",
  "yor",
  "zar",
  "ben",
  "cas",
  "dan",
  "ed",
  "fon",
  "gen",
  "hal",
  "ist",
  "kor",
  "lev",
  "mia",
  "nol",
  "pax"
]
const surnamesDe = [
  "Müller",
  "Schmidt",
  "Schneider",
  "Fischer",
  "Weber",
  "Meyer",
  "Wagner",
  "Becker",
  "Schulz",
  "Hoffmann",
  "Schäfer",
  "Koch",
  "Bauer",
  "Richter",
  "Klein",
  "Wolf",
  "Schröder",
  "Neumann",
  "Schwarz",
  "Zimmermann",
  "Braun",
  "Krüger",
  "Hofmann",
  "Hartmann",
  "Lange",
  "Schmitt",
  "Werner",
  "Krause",
  "Meier",
  "Lehmann",
  "Köhler",
  "Herrmann",
  "König",
  "Walter",
  "Mayer",
  "Huber",
  "Kaiser",
  "Fuchs",
  "Peters",
  "Lang",
  "Scholz",
  "Möller",
  "Weiß",
  "Jung",
  "Hahn",
  "Vogel",
  "Friedrich",
  "Keller",
  "Günther",
  "Frank",
  "Berger",
  "Winkler",
  "Roth",
  "Beck",
  "Lorenz",
  "Baumann",
  "Franke",
  "Albrecht",
  "Schuster",
  "Simon",
  "Ludwig",
  "Böhm",
  "Winter",
  "Kraus",
  "Martin",
  "Schumacher",
  "Krämer",
  "Vogt",
  "Stein",
  "Jäger",
  "Otto",
  "Sommer",
  "Groß",
  "Seidel",
  "Heinrich",
  "Brandt",
  "Haas",
  "Schreiber",
  "Graf",
  "Schulte",
  "Dietrich",
  "Ziegler",
  "Kuhn",
  "Kühn",
  "Pohl",
  "Engel",
  "Horn",
  "Busch",
  "Bergmann",
  "Thomas",
  "Voigt",
  "Sauer",
  "Arnold",
  "Wolff",
  "Pfeiffer"
]
const surnamesEn = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Miller",
  "Davis",
  "Wilson",
  "Anderson",
  "Taylor",
  "Thomas",
  "Moore",
  "Jackson",
  "White",
  "Harris",
  "Clark",
  "Lewis",
  "Robinson",
  "Walker",
  "Young",
  "Allen",
  "King",
  "Wright",
  "Scott",
  "Hill",
  "Green",
  "Adams",
  "Baker",
  "Nelson",
  "Carter",
  "Mitchell",
  "Roberts",
  "Turner",
  "Phillips",
  "Campbell",
  "Parker",
  "Evans",
  "Edwards",
  "Collins",
  "Stewart",
  "Morris",
  "Rogers",
  "Reed",
  "Cook",
  "Morgan",
  "Bell",
  "Murphy",
  "Bailey",
  "Cooper",
  "Richardson",
  "Cox",
  "Howard",
  "Ward",
  "Peterson",
  "Gray",
  "Hughes",
  "Price",
  "Bennett",
  "Wood",
  "Barnes",
  "Ross",
  "Henderson",
  "Coleman",
  "Jenkins",
  "Perry",
  "Powell",
  "Long",
  "Patterson",
  "Flores",
  "Butler"
]
const surnamesFr = [
  "Dubois",
  "Durand",
  "Lefèvre",
  "Moreau",
  "Laurent",
  "Girard",
  "Rousseau",
  "Mercier",
  "Fournier",
  "Lambert",
  "Bonnet",
  "François",
  "Chevalier",
  "Gauthier",
  "Perrin",
  "Brunet",
  "Rivière",
  "Giraud",
  "Clément",
  "Garçon",
  "Leroy",
  "Renaud",
  "Barbier",
  "Aubert",
  "Hélie"
]
const surnamesIt = [
  "Rossi",
  "Russo",
  "Ferrari",
  "Esposito",
  "Bianchi",
  "Romano",
  "Colombo",
  "Ricci",
  "Marino",
  "Greco",
  "Bruno",
  "Gallo",
  "Conti",
  "De Luca",
  "Mancini",
  "Costa",
  "Giordano",
  "Rizzo",
  "Lombardi",
  "Moretti",
  "Barbieri",
  "Fontana",
  "Santoro",
  "Mariani",
  "Rinaldi"
]

interface Industry {
  readonly words: ReadonlyArray<string>
  /** An abbreviation a clerk might type, e.g. `Masch.`. */
  readonly short?: string
}
const industriesDe: ReadonlyArray<Industry> = [
  { words: ["Maschinenbau"], short: "Masch." },
  { words: ["Logistik"] },
  { words: ["Elektrotechnik"], short: "Elektrotechn." },
  { words: ["Bau"] },
  { words: ["Metallbau"] },
  { words: ["Holzbau"] },
  { words: ["Anlagenbau"] },
  { words: ["Werkzeugbau"] },
  { words: ["Spedition"] },
  { words: ["Haustechnik"] },
  { words: ["Kunststofftechnik"] },
  { words: ["Druckerei"] },
  { words: ["Autohaus"] },
  { words: ["Fensterbau"] },
  { words: ["Steuerberatung"] },
  { words: ["Immobilien"] },
  { words: ["Feinmechanik"] },
  { words: ["Landtechnik"] },
  { words: ["Software"] },
  { words: ["Handelsgesellschaft"], short: "Handelsges." },
  { words: ["Industrieservice"] },
  { words: ["Antriebstechnik"] }
]
const industriesEn: ReadonlyArray<Industry> = [
  { words: ["Manufacturing"], short: "Mfg." },
  { words: ["International", "Trading"], short: "Intl. Trading" },
  { words: ["Technologies"], short: "Tech" },
  { words: ["Logistics"] },
  { words: ["Consulting"] },
  { words: ["Systems"], short: "Sys." },
  { words: ["Foods"] },
  { words: ["Textiles"] },
  { words: ["Engineering"], short: "Eng." },
  { words: ["Services"], short: "Svcs" },
  { words: ["Brothers"], short: "Bros." },
  { words: ["Partners"] },
  { words: ["Software"] },
  { words: ["Industries"], short: "Ind." },
  { words: ["Electric"], short: "Elec." },
  { words: ["Pharmaceuticals"] },
  { words: ["Packaging"] },
  { words: ["Motors"] },
  { words: ["Capital"] },
  { words: ["Energy"] }
]
const industriesFr: ReadonlyArray<Industry> = [
  { words: ["Bâtiment"] },
  { words: ["Transports"] },
  { words: ["Électricité"] },
  { words: ["Menuiserie"] },
  { words: ["Conseil"] },
  { words: ["Industrie"] }
]
const industriesIt: ReadonlyArray<Industry> = [
  { words: ["Costruzioni"] },
  { words: ["Trasporti"] },
  { words: ["Meccanica"] },
  { words: ["Alimentari"] },
  { words: ["Impianti"] },
  { words: ["Tessile"] }
]

/** Legal forms per country: the canonical one first, then variants a clerk might type. */
const legalForms: Readonly<Record<string, ReadonlyArray<ReadonlyArray<string>>>> = {
  DE: [["GmbH", "G.m.b.H.", "Gmbh", "GMBH"], ["AG", "A.G."], ["GmbH & Co. KG", "GmbH & Co KG", "GmbH u. Co. KG"], ["KG"], ["e.K."]],
  GB: [
    ["Ltd", "Ltd.", "Limited", "LTD"],
    ["PLC", "plc"]
  ],
  US: [
    ["Inc.", "Inc", "Incorporated"],
    ["LLC", "L.L.C."],
    ["Corp.", "Corporation", "Corp"]
  ],
  FR: [
    ["SARL", "S.A.R.L.", "Sarl"],
    ["S.A.", "SA"],
    ["SAS", "S.A.S."]
  ],
  IT: [
    ["S.p.A.", "SpA", "S.P.A."],
    ["S.r.l.", "Srl", "S.R.L."]
  ],
  NL: [
    ["B.V.", "BV"],
    ["N.V.", "NV"]
  ]
}

const cityData: Readonly<Record<string, ReadonlyArray<readonly [city: string, postalPrefix: string, area: string]>>> = {
  DE: [
    ["Berlin", "10", "30"],
    ["Hamburg", "20", "40"],
    ["München", "80", "89"],
    ["Köln", "50", "221"],
    ["Frankfurt am Main", "60", "69"],
    ["Stuttgart", "70", "711"],
    ["Düsseldorf", "40", "211"],
    ["Leipzig", "04", "341"],
    ["Dresden", "01", "351"],
    ["Nürnberg", "90", "911"],
    ["Hannover", "30", "511"],
    ["Bremen", "28", "421"]
  ],
  GB: [
    ["London", "EC1A", "20"],
    ["Manchester", "M1", "161"],
    ["Birmingham", "B1", "121"],
    ["Leeds", "LS1", "113"],
    ["Glasgow", "G1", "141"],
    ["Bristol", "BS1", "117"]
  ],
  US: [
    ["New York", "100", "212"],
    ["Chicago", "606", "312"],
    ["Houston", "770", "713"],
    ["Seattle", "981", "206"],
    ["Boston", "021", "617"],
    ["Denver", "802", "303"]
  ],
  FR: [
    ["Paris", "75", "1"],
    ["Lyon", "69", "4"],
    ["Marseille", "13", "4"],
    ["Toulouse", "31", "5"],
    ["Nantes", "44", "2"]
  ],
  IT: [
    ["Milano", "201", "02"],
    ["Roma", "001", "06"],
    ["Torino", "101", "011"],
    ["Bologna", "401", "051"],
    ["Napoli", "801", "081"]
  ],
  NL: [
    ["Amsterdam", "10", "20"],
    ["Rotterdam", "30", "10"],
    ["Utrecht", "35", "30"],
    ["Eindhoven", "56", "40"]
  ]
}
const streetsDe = [
  "Haupt",
  "Bahnhof",
  "Garten",
  "Schiller",
  "Goethe",
  "Berliner",
  "Industrie",
  "Linden",
  "Kirch",
  "Wald",
  "Mühlen",
  "Schul",
  "Dorf",
  "Post",
  "Markt",
  "Rosen",
  "Birken",
  "Friedrich",
  "Kaiser",
  "Hafen",
  "Rhein",
  "Gewerbe",
  "Ahorn",
  "Eichen"
]
const streetTypesDe: ReadonlyArray<ReadonlyArray<string>> = [["straße", "str.", "strasse"], ["weg"], ["allee"], ["ring"]]
const streetsEn = [
  "High",
  "Station",
  "Church",
  "Park",
  "Victoria",
  "Green",
  "Manor",
  "Main",
  "Oak",
  "Maple",
  "Cedar",
  "Elm",
  "Washington",
  "Lake",
  "Hill",
  "Market",
  "Mill",
  "King",
  "Queen",
  "Bridge"
]
const streetTypesEn: ReadonlyArray<ReadonlyArray<string>> = [
  ["Street", "St", "St."],
  ["Road", "Rd", "Rd."],
  ["Avenue", "Ave", "Ave."],
  ["Lane", "Ln"]
]
const streetsFr = ["de la Paix", "Victor Hugo", "de la République", "Pasteur", "Jean Jaurès", "du Commerce", "des Lilas", "de l'Église"]
const streetsIt = ["Roma", "Garibaldi", "Mazzini", "Dante", "Verdi", "Cavour", "Marconi", "della Repubblica"]

const cnCities: ReadonlyArray<readonly [city: string, postal: string, area: string, districts: ReadonlyArray<string>]> = [
  ["上海", "200", "21", ["浦东新区", "闵行区", "徐汇区", "嘉定区", "松江区", "宝山区"]],
  ["北京", "100", "10", ["朝阳区", "海淀区", "丰台区", "大兴区", "顺义区"]],
  ["广州", "510", "20", ["天河区", "白云区", "番禺区", "黄埔区"]],
  ["深圳", "518", "755", ["南山区", "宝安区", "龙岗区", "福田区"]],
  ["杭州", "310", "571", ["西湖区", "余杭区", "滨江区", "萧山区"]],
  ["苏州", "215", "512", ["工业园区", "吴中区", "相城区", "昆山市"]],
  ["南京", "210", "25", ["江宁区", "鼓楼区", "栖霞区"]],
  ["天津", "300", "22", ["滨海新区", "河西区", "南开区"]],
  ["成都", "610", "28", ["高新区", "武侯区", "锦江区"]],
  ["武汉", "430", "27", ["东湖高新区", "江汉区", "洪山区"]]
]
const cnTradeChars =
  "华通宏达鑫源恒盛泰安金辉永信博远嘉明瑞丰新隆振兴长城天成东方正大英豪美联海虹中科卓越顺发云峰汇德伟业宝利凯旋龙腾飞翔和平立信捷亿星光晨阳春秋万通佳禾富康祥瑞宇航创佳华夏九州".split(
    ""
  )
const cnIndustries = [
  "科技",
  "贸易",
  "机电设备",
  "电子",
  "化工",
  "物流",
  "食品",
  "纺织",
  "建材",
  "汽车配件",
  "医疗器械",
  "网络科技",
  "信息技术",
  "精密机械",
  "新材料",
  "环保科技",
  "实业",
  "电气",
  "包装材料",
  "塑胶制品"
]
const cnShortIndustries: Readonly<Record<string, string>> = {
  机电设备: "机电",
  汽车配件: "汽配",
  医疗器械: "医械",
  网络科技: "网络",
  信息技术: "信息",
  精密机械: "精机",
  环保科技: "环保",
  包装材料: "包装",
  塑胶制品: "塑胶"
}
const cnLegalForms = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司"]
const cnRoads = [
  "张江",
  "人民",
  "中山",
  "建设",
  "解放",
  "和平",
  "长江",
  "黄河",
  "东风",
  "新华",
  "科技",
  "创业",
  "金桥",
  "华山",
  "南京",
  "延安",
  "淮海",
  "虹桥"
]
const cnRoadTypes = ["路", "大道", "街"]
const cnHomophones: Readonly<Record<string, string>> = {
  华: "化",
  通: "同",
  宏: "鸿",
  达: "大",
  鑫: "新",
  源: "元",
  恒: "衡",
  盛: "胜",
  泰: "太",
  安: "按",
  金: "今",
  辉: "晖",
  信: "新",
  博: "搏",
  远: "原",
  明: "鸣",
  瑞: "锐",
  丰: "峰",
  隆: "龙",
  兴: "星"
}

// ---------------------------------------------------------------------------------------------
// Entities
// ---------------------------------------------------------------------------------------------

interface LatinEntity {
  readonly kind: "latin"
  readonly country: string
  /** Name words before the legal form. */
  readonly words: ReadonlyArray<string>
  readonly industry: Industry | undefined
  readonly legal: ReadonlyArray<string>
  readonly street: string
  readonly streetType: ReadonlyArray<string>
  readonly houseNumber: string
  readonly postalCode: string
  readonly city: string
  readonly area: string
  readonly phone: string | undefined
  readonly email: string | undefined
  readonly vat: string | undefined
}

interface ChineseEntity {
  readonly kind: "chinese"
  readonly city: string
  readonly trade: string
  readonly industry: string
  readonly legal: string
  readonly district: string
  readonly road: string
  readonly houseNumber: string
  readonly postalCode: string
  readonly area: string
  readonly phone: string | undefined
  readonly email: string | undefined
  readonly uscc: string | undefined
}

type Entity = LatinEntity | ChineseEntity

const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
const usccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const uscc = (random: Random, division: string): string => {
  let body = `91${division.padEnd(6, "0").slice(0, 6)}`
  while (body.length < 17) body += usccAlphabet[Math.floor(random() * usccAlphabet.length)]
  const sum = [...body].reduce((s, c, i) => s + usccAlphabet.indexOf(c) * usccWeights[i]!, 0)
  return body + usccAlphabet[(31 - (sum % 31)) % 31]
}

const invented = (random: Random) => {
  const n = chance(random, 0.7) ? 2 : 3
  const word = Array.from({ length: n }, () => pick(random, syllables)).join("")
  return word[0]!.toUpperCase() + word.slice(1)
}

const slug = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, "")
    .slice(0, 16)

const latinEntity = (random: Random, country: string, base?: LatinEntity): LatinEntity => {
  const surnames = country === "DE" ? surnamesDe : country === "FR" ? surnamesFr : country === "IT" ? surnamesIt : surnamesEn
  const industries = country === "DE" ? industriesDe : country === "FR" ? industriesFr : country === "IT" ? industriesIt : industriesEn
  let words: Array<string>
  let industry: Industry | undefined
  if (base !== undefined) {
    // A sibling: same trade name, another industry, same city.
    words = [...base.words]
    do industry = pick(random, industries)
    while (industry === base.industry)
  } else {
    const pattern = random()
    if (pattern < 0.35) {
      words = [pick(random, surnames)]
      industry = pick(random, industries)
    } else if (pattern < 0.65) {
      words = [invented(random)]
      industry = pick(random, industries)
    } else if (pattern < 0.8) {
      words = [pick(random, surnames), "&", pick(random, surnames)]
      industry = chance(random, 0.5) ? pick(random, industries) : undefined
    } else if (pattern < 0.9) {
      words = [invented(random), invented(random)]
      industry = undefined
    } else {
      words = [pick(random, surnames), invented(random)]
      industry = pick(random, industries)
    }
  }
  const [city, postalPrefix, area] =
    base !== undefined ? ([base.city, base.postalCode.slice(0, 2), base.area] as const) : pick(random, cityData[country]!)
  const postalCode =
    country === "GB"
      ? `${postalPrefix} ${1 + Math.floor(random() * 9)}${pick(random, ["AA", "AB", "BD", "HX", "QT"])}`
      : country === "NL"
        ? `${postalPrefix}${digits(random, 2)} ${pick(random, ["AB", "CD", "EF", "GH", "KL"])}`
        : `${postalPrefix}${digits(random, 5 - postalPrefix.length)}`
  const name = [...words, ...(industry?.words ?? [])].join(" ")
  const domain = `${slug(name)}${digits(random, 2)}.${country === "GB" ? "co.uk" : country === "US" ? "com" : country.toLowerCase()}`
  const streetPool = country === "DE" ? streetsDe : country === "FR" ? streetsFr : country === "IT" ? streetsIt : streetsEn
  const streetTypes = country === "DE" ? streetTypesDe : streetTypesEn
  return {
    kind: "latin",
    country,
    words,
    industry,
    legal: pick(random, legalForms[country]!),
    street: pick(random, streetPool),
    streetType: pick(random, streetTypes),
    houseNumber: `${1 + Math.floor(random() * 180)}${chance(random, 0.1) ? pick(random, ["a", "b"]) : ""}`,
    postalCode,
    city,
    area,
    phone: chance(random, 0.85) ? `+${countryCallingCode[country]} ${area} ${digits(random, 7)}` : undefined,
    email: chance(random, 0.6) ? `info@${domain}` : undefined,
    vat:
      ["DE", "FR", "IT", "NL"].includes(country) && chance(random, 0.6)
        ? `${country}${digits(random, country === "FR" ? 11 : country === "NL" ? 9 : country === "IT" ? 11 : 9)}${country === "NL" ? "B01" : ""}`
        : undefined
  }
}

const countryCallingCode: Readonly<Record<string, string>> = { DE: "49", GB: "44", US: "1", FR: "33", IT: "39", NL: "31" }

const chineseEntity = (random: Random, base?: ChineseEntity, otherCity = false): ChineseEntity => {
  const [city, postal, area, districts] =
    base !== undefined && !otherCity
      ? cnCities.find((c) => c[0] === base.city)!
      : pick(
          random,
          cnCities.filter((c) => base === undefined || c[0] !== base.city)
        )
  const trade = base !== undefined ? base.trade : pick(random, cnTradeChars) + pick(random, cnTradeChars)
  let industry = pick(random, cnIndustries)
  if (base !== undefined && !otherCity) while (industry === base.industry) industry = pick(random, cnIndustries)
  if (base !== undefined && otherCity) industry = base.industry
  return {
    kind: "chinese",
    city,
    trade,
    industry,
    legal: pick(random, cnLegalForms),
    district: pick(random, districts),
    road: pick(random, cnRoads),
    houseNumber: String(1 + Math.floor(random() * 999)),
    postalCode: `${postal}${digits(random, 3)}`,
    area,
    phone: chance(random, 0.85) ? `+86 ${area} ${digits(random, 8)}` : undefined,
    email: chance(random, 0.4) ? `sales@${slug(city + trade) || "cn"}${digits(random, 3)}.cn` : undefined,
    uscc: chance(random, 0.6) ? uscc(random, `${area}0000`) : undefined
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering and variation
// ---------------------------------------------------------------------------------------------

const fullWidth = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, "\u3000")

const typo = (random: Random, word: string): string => {
  if (word.length < 5) return word
  const chars = [...word]
  const i = 1 + Math.floor(random() * (chars.length - 2))
  const letters = "abcdefghijklmnoprstuvwz"
  switch (Math.floor(random() * 4)) {
    case 0:
      chars[i] = pick(random, [...letters])
      break
    case 1:
      chars.splice(i, 1)
      break
    case 2:
      chars.splice(i, 0, pick(random, [...letters]))
      break
    default: {
      const c = chars[i]!
      chars[i] = chars[i + 1]!
      chars[i + 1] = c
    }
  }
  return chars.join("")
}

const transliterate = (random: Random, text: string): string => {
  const style = Math.floor(random() * 2)
  return style === 0
    ? text
        .replace(/ä/g, "ae")
        .replace(/ö/g, "oe")
        .replace(/ü/g, "ue")
        .replace(/Ä/g, "Ae")
        .replace(/Ö/g, "Oe")
        .replace(/Ü/g, "Ue")
        .replace(/ß/g, "ss")
        .normalize("NFD")
        .replace(/\p{M}/gu, "")
    : text.replace(/ß/g, "ss").normalize("NFD").replace(/\p{M}/gu, "")
}

interface Rendered {
  name: string
  street: string
  houseNumber: string | undefined
  postalCode: string
  city: string
  phone: string | undefined
  email: string | undefined
  tax: Customer.TaxNumber | undefined
  country: string
}

const renderLatin = (e: LatinEntity, legal = e.legal[0]!, streetType = e.streetType[0]!): Rendered => {
  const name = [...e.words, ...(e.industry?.words ?? []), legal].join(" ")
  const street =
    e.country === "DE"
      ? `${e.street}${streetType}`
      : e.country === "FR"
        ? `rue ${e.street}`
        : e.country === "IT"
          ? `Via ${e.street}`
          : `${e.street} ${streetType}`
  return {
    name,
    street,
    houseNumber: e.houseNumber,
    postalCode: e.postalCode,
    city: e.city,
    phone: e.phone,
    email: e.email,
    tax: e.vat === undefined ? undefined : { kind: "VAT", value: e.vat },
    country: e.country
  }
}

const renderChinese = (e: ChineseEntity): Rendered => ({
  name: `${e.city}${e.trade}${e.industry}${e.legal}`,
  street: `${e.district}${e.road}${pick(mulberry32(e.road.length), cnRoadTypes)}`,
  houseNumber: `${e.houseNumber}号`,
  postalCode: e.postalCode,
  city: e.city,
  phone: e.phone,
  email: e.email,
  tax: e.uscc === undefined ? undefined : { kind: "USCC", value: e.uscc },
  country: "CN"
})

const latinVariations = [
  "legalForm",
  "typo",
  "wordOrder",
  "abbreviation",
  "upperCase",
  "fullWidth",
  "transliteration",
  "changedAddress",
  "addressFormat"
] as const
const chineseVariations = [
  "noLegalForm",
  "legalFormVariant",
  "noCityPrefix",
  "cityPrefixVariant",
  "cityInBrackets",
  "shortName",
  "typo",
  "fullWidthBrackets",
  "changedAddress"
] as const

const varyLatin = (random: Random, e: LatinEntity, kinds: ReadonlyArray<string>): Rendered => {
  const legal = kinds.includes("legalForm") ? (chance(random, 0.25) ? "" : pick(random, e.legal)) : e.legal[0]!
  const streetType = kinds.includes("addressFormat") ? pick(random, e.streetType) : e.streetType[0]!
  let words = [...e.words]
  let industry = [...(e.industry?.words ?? [])]
  if (kinds.includes("abbreviation")) {
    if (e.industry?.short !== undefined) industry = [e.industry.short]
    else if (words.includes("&")) words = words.map((w) => (w === "&" ? "und" : w))
    else industry = industry.map((w) => (w.length > 6 ? `${w.slice(0, 5)}.` : w))
  }
  if (kinds.includes("typo")) {
    const all = [...words, ...industry]
    const candidates = all.map((w, i) => [w, i] as const).filter(([w]) => w.length >= 5)
    if (candidates.length > 0) {
      const [w, i] = pick(random, candidates)
      if (i < words.length) words[i] = typo(random, w)
      else industry[i - words.length] = typo(random, w)
    }
  }
  let nameParts = [...words, ...industry]
  if (kinds.includes("wordOrder")) nameParts = industry.length > 0 ? [...industry, ...words] : [...words].reverse()
  let rendered = renderLatin(e, legal, streetType)
  let name = [...nameParts, legal].filter((s) => s !== "").join(" ")
  if (kinds.includes("transliteration")) name = transliterate(random, name)
  if (kinds.includes("upperCase")) name = name.toUpperCase()
  if (kinds.includes("fullWidth")) name = fullWidth(name)
  rendered = { ...rendered, name }
  if (kinds.includes("addressFormat")) {
    rendered = chance(random, 0.5)
      ? { ...rendered, street: `${rendered.street} ${rendered.houseNumber}`, houseNumber: undefined }
      : rendered
    if (kinds.includes("transliteration") || chance(random, 0.3))
      rendered = { ...rendered, street: transliterate(random, rendered.street), city: transliterate(random, rendered.city) }
  }
  if (kinds.includes("changedAddress")) {
    const moved = latinEntity(random, e.country)
    rendered = {
      ...rendered,
      street: renderLatin(moved).street,
      houseNumber: moved.houseNumber,
      postalCode: moved.postalCode,
      city: chance(random, 0.5) ? e.city : moved.city,
      phone: chance(random, 0.5) ? rendered.phone : moved.phone
    }
  }
  return rendered
}

const varyChinese = (random: Random, e: ChineseEntity, kinds: ReadonlyArray<string>): Rendered => {
  let trade = e.trade
  if (kinds.includes("typo")) {
    const i = Math.floor(random() * 2)
    const c = trade[i]!
    const replacement = cnHomophones[c] ?? pick(random, cnTradeChars)
    trade = i === 0 ? replacement + trade[1]! : trade[0]! + replacement
  }
  const industry = kinds.includes("shortName") ? (cnShortIndustries[e.industry] ?? e.industry) : e.industry
  const legal =
    kinds.includes("noLegalForm") || kinds.includes("shortName")
      ? ""
      : kinds.includes("legalFormVariant")
        ? pick(
            random,
            cnLegalForms.filter((l) => l !== e.legal)
          )
        : e.legal
  let city =
    kinds.includes("noCityPrefix") || kinds.includes("shortName") ? "" : kinds.includes("cityPrefixVariant") ? `${e.city}市` : e.city
  let name = `${city}${trade}${industry}${legal}`
  if (kinds.includes("cityInBrackets")) {
    city = ""
    const open = kinds.includes("fullWidthBrackets") ? "（" : "("
    const close = kinds.includes("fullWidthBrackets") ? "）" : ")"
    name = `${trade}${industry}${open}${e.city}${close}${legal || "有限公司"}`
  } else if (kinds.includes("fullWidthBrackets")) {
    name = `${trade}${industry}（${e.city}）${legal || "有限公司"}`
  }
  let rendered: Rendered = { ...renderChinese(e), name }
  if (kinds.includes("changedAddress")) {
    const moved = chineseEntity(random)
    const r = renderChinese(moved)
    rendered = {
      ...rendered,
      street: r.street,
      houseNumber: r.houseNumber,
      postalCode: chance(random, 0.5) ? moved.postalCode : e.postalCode
    }
  }
  return rendered
}

const dropFields = (random: Random, r: Rendered): Rendered => ({
  ...r,
  phone: chance(random, 0.3) ? undefined : r.phone,
  email: chance(random, 0.4) ? undefined : r.email,
  tax: chance(random, 0.4) ? undefined : r.tax
})

const toGeneral = (r: Rendered): Customer.GeneralData => {
  const general: Record<string, unknown> = { name: r.name, street: r.street, postalCode: r.postalCode, city: r.city, country: r.country }
  if (r.houseNumber !== undefined) general.houseNumber = r.houseNumber
  if (r.phone !== undefined) general.phone = r.phone
  if (r.email !== undefined) general.email = r.email
  if (r.tax !== undefined) general.taxNumbers = [r.tax]
  return general as Customer.GeneralData
}

// ---------------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------------

const latinKey = (e: LatinEntity) =>
  [...e.words, ...(e.industry?.words ?? [])]
    .map((w) => slug(w))
    .filter((w) => w !== "")
    .sort()
    .join(" ")

/**
 * Generates the corpus. The same options give the same corpus, record for record. Numbers are
 * shuffled, so duplicates are not neighbours.
 */
export const generate = (options: CorpusOptions = {}): Corpus => {
  const random = mulberry32(options.seed ?? 20_240_115)
  const entityCount = options.entities ?? 8_000
  const duplicateShare = options.duplicateShare ?? 0.3
  const siblingShare = options.siblingShare ?? 0.05
  const chineseShare = options.chineseShare ?? 0.3
  const entities: Array<Entity> = []
  const seen = new Set<string>()
  const latinCountries = ["DE", "DE", "DE", "GB", "US", "US", "FR", "IT", "NL"]
  while (entities.length < entityCount) {
    if (chance(random, chineseShare)) {
      const e = chineseEntity(random)
      const key = `${e.city}|${e.trade}|${e.industry}`
      if (seen.has(key)) continue
      seen.add(key)
      entities.push(e)
      if (chance(random, siblingShare) && entities.length < entityCount) {
        const sibling = chineseEntity(random, e, chance(random, 0.5))
        const siblingKey = `${sibling.city}|${sibling.trade}|${sibling.industry}`
        if (!seen.has(siblingKey)) {
          seen.add(siblingKey)
          entities.push(sibling)
        }
      }
    } else {
      const e = latinEntity(random, pick(random, latinCountries))
      const key = latinKey(e)
      if (seen.has(key)) continue
      seen.add(key)
      entities.push(e)
      if (e.industry !== undefined && chance(random, siblingShare) && entities.length < entityCount) {
        const sibling = latinEntity(random, e.country, e)
        const siblingKey = latinKey(sibling)
        if (!seen.has(siblingKey)) {
          seen.add(siblingKey)
          entities.push(sibling)
        }
      }
    }
  }

  const drafts: Array<{ entity: number; variant: string; general: Customer.GeneralData }> = []
  const variations: Record<string, number> = {}
  entities.forEach((e, entity) => {
    drafts.push({ entity, variant: "original", general: toGeneral(e.kind === "latin" ? renderLatin(e) : renderChinese(e)) })
    if (!chance(random, duplicateShare)) return
    const copies = 1 + (chance(random, 0.35) ? 1 : 0) + (chance(random, 0.1) ? 1 : 0)
    for (let i = 0; i < copies; i++) {
      const pool: ReadonlyArray<string> = e.kind === "latin" ? latinVariations : chineseVariations
      const kinds = [pick(random, pool)]
      if (chance(random, 0.4)) {
        const second = pick(random, pool)
        if (!kinds.includes(second)) kinds.push(second)
      }
      for (const k of kinds) variations[k] = (variations[k] ?? 0) + 1
      const rendered = dropFields(random, e.kind === "latin" ? varyLatin(random, e, kinds) : varyChinese(random, e, kinds))
      drafts.push({ entity, variant: kinds.join("+"), general: toGeneral(rendered) })
    }
  })

  // Shuffle (Fisher–Yates), then number.
  for (let i = drafts.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[drafts[i], drafts[j]] = [drafts[j]!, drafts[i]!]
  }
  const prefix = options.prefix ?? "C"
  const records = drafts.map((d, i) => ({ number: `${prefix}${String(i + 1).padStart(6, "0")}`, ...d }))
  const sizes = new Map<number, number>()
  for (const r of records) sizes.set(r.entity, (sizes.get(r.entity) ?? 0) + 1)
  let truePairs = 0
  for (const n of sizes.values()) truePairs += (n * (n - 1)) / 2
  return { records, entities: entities.length, truePairs, variations }
}

/** A complete customer record (account group `0001`, no views) for a corpus record, ready for `CustomerStore.insert`. */
export const toCustomerRecord = (
  tenant: string,
  record: CorpusRecord,
  overrides: Partial<Customer.CustomerRecord> = {}
): Customer.CustomerRecord => ({
  tenant,
  number: record.number,
  accountGroup: "0001",
  general: record.general,
  companyCodes: [],
  salesAreas: [],
  contacts: [],
  centralBlock: null,
  deletionFlag: false,
  version: 1,
  createdBy: "corpus",
  createdAt: "2024-01-15T08:30:00.000Z",
  changedBy: "corpus",
  changedAt: "2024-01-15T08:30:00.000Z",
  ...overrides
})

/** Precision and recall of predicted duplicate pairs against the corpus's entities. */
export interface Quality {
  readonly precision: number
  readonly recall: number
  readonly truePositives: number
  readonly falsePositives: number
  readonly falseNegatives: number
  /** Up to 20 false positives and false negatives, for reading. */
  readonly examples: {
    readonly falsePositives: ReadonlyArray<readonly [string, string]>
    readonly falseNegatives: ReadonlyArray<readonly [string, string]>
  }
}

/** Scores predicted pairs (customer numbers, either order, repeats ignored). */
export const evaluate = (corpus: Corpus, predicted: Iterable<readonly [string, string]>): Quality => {
  const entityOf = new Map(corpus.records.map((r) => [r.number, r.entity]))
  const pairs = new Set<string>()
  let tp = 0
  let fp = 0
  const falsePositives: Array<readonly [string, string]> = []
  for (const [a, b] of predicted) {
    if (a === b) continue
    const key = a < b ? `${a}|${b}` : `${b}|${a}`
    if (pairs.has(key)) continue
    pairs.add(key)
    if (entityOf.get(a) !== undefined && entityOf.get(a) === entityOf.get(b)) tp++
    else {
      fp++
      if (falsePositives.length < 20) falsePositives.push([a, b])
    }
  }
  const byEntity = new Map<number, Array<string>>()
  for (const r of corpus.records) byEntity.set(r.entity, [...(byEntity.get(r.entity) ?? []), r.number])
  const falseNegatives: Array<readonly [string, string]> = []
  for (const numbers of byEntity.values()) {
    for (let i = 0; i < numbers.length && falseNegatives.length < 20; i++) {
      for (let j = i + 1; j < numbers.length && falseNegatives.length < 20; j++) {
        const [a, b] = [numbers[i]!, numbers[j]!]
        if (!pairs.has(a < b ? `${a}|${b}` : `${b}|${a}`)) falseNegatives.push([a, b])
      }
    }
  }
  return {
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: corpus.truePairs === 0 ? 1 : tp / corpus.truePairs,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: corpus.truePairs - tp,
    examples: { falsePositives, falseNegatives }
  }
}
