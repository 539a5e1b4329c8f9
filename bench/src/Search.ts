/**
 * Customer search (issue 5 §4/§6: p99 < 25 ms at 1,000,000 customers on SQLite and PostgreSQL),
 * next to the naive way on the same data in the same run: a `LIKE '%…%'` scan on SQLite and an
 * `ILIKE '%…%'` scan on PostgreSQL, each term ANDed over name, search term, street and city,
 * with the same filters, page and count.
 *
 * Data: a deterministic synthetic tenant — 75 % German-style companies (1,024 surnames from
 * syllables, 40 trades, legal forms, 60 cities, 40 streets) and 25 % Chinese names (city prefix,
 * a two-character brand from 200 characters, an industry, a legal form such as 有限公司);
 * 20 % carry an authorization group, 2 % a central block, every customer one company-code view.
 * Rows go in with `CustomerStore.insertMany` (the bulk path, index included), 5,000 at a time.
 *
 * Queries are drawn from the data, in seven kinds a user types (a surname; a surname prefix and a
 * city; surname and trade; a two-character CJK brand; city + brand as one CJK run; a surname with
 * country and company-code filters; surname and trade by an actor restricted to one authorization
 * group). The figures are p50 / p99 of the service call (`CustomerSearch.search`, page of 20 with
 * the total), and separately of a broad one-word query (a trade: ~2 % of the tenant) whose total
 * has to count tens of thousands of matches.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Actor, type Customer, CustomerSearch, CustomerStore, Customizing, PartnerKit, Presets, type Storage } from "@partnerkit/core"
import { PostgresStore } from "@partnerkit/storage-postgres"
import { SqliteStore } from "@partnerkit/storage-sqlite"
import Database from "better-sqlite3"
import { Effect, ManagedRuntime } from "effect"
import pg from "pg"
import { type BenchOptions, type Figure, figure, percentile, seeded } from "./Figures.js"

const tenant = "search"
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test"

// ---------------------------------------------------------------------------------------------
// The data
// ---------------------------------------------------------------------------------------------

const firstSyllables = [
  "Bau",
  "Berg",
  "Brand",
  "Dorn",
  "Eich",
  "Feld",
  "Fisch",
  "Gold",
  "Grün",
  "Hahn",
  "Hart",
  "Heil",
  "Hof",
  "Horn",
  "Kirch",
  "Klein",
  "Kling",
  "Kolb",
  "Kraus",
  "Lang",
  "Lind",
  "Mohr",
  "Neu",
  "Ober",
  "Roth",
  "Sand",
  "Schön",
  "Stein",
  "Vogel",
  "Wald",
  "Weiß",
  "Wolf"
]
const lastSyllables = [
  "bach",
  "bauer",
  "berger",
  "brink",
  "dorf",
  "feld",
  "hagen",
  "hammer",
  "hausen",
  "heim",
  "hofer",
  "horst",
  "huber",
  "kamp",
  "korn",
  "lein",
  "mann",
  "meier",
  "müller",
  "ner",
  "reiter",
  "ried",
  "schmidt",
  "stedt",
  "stein",
  "thal",
  "wald",
  "weber",
  "wein",
  "winkel",
  "zeller",
  "ringer"
]
const trades = [
  "Maschinenbau",
  "Elektrotechnik",
  "Logistik",
  "Metallbau",
  "Kunststofftechnik",
  "Anlagenbau",
  "Fördertechnik",
  "Holzbau",
  "Glasbau",
  "Medizintechnik",
  "Feinmechanik",
  "Automation",
  "Verpackung",
  "Druckerei",
  "Spedition",
  "Handel",
  "Baustoffe",
  "Elektronik",
  "Software",
  "Beratung",
  "Reinigung",
  "Sicherheitstechnik",
  "Gerüstbau",
  "Dachdeckerei",
  "Sanitär",
  "Heizungsbau",
  "Lackiererei",
  "Werkzeugbau",
  "Formenbau",
  "Gießerei",
  "Schlosserei",
  "Kältetechnik",
  "Textil",
  "Papier",
  "Chemie",
  "Pharma",
  "Lebensmittel",
  "Getränke",
  "Möbel",
  "Optik"
]
const forms = ["GmbH", "GmbH", "GmbH", "AG", "KG", "GmbH & Co. KG", "e.K.", "SE", "OHG"]
const cities = [
  "München",
  "Berlin",
  "Hamburg",
  "Köln",
  "Frankfurt am Main",
  "Stuttgart",
  "Düsseldorf",
  "Leipzig",
  "Dortmund",
  "Essen",
  "Bremen",
  "Dresden",
  "Hannover",
  "Nürnberg",
  "Duisburg",
  "Bochum",
  "Wuppertal",
  "Bielefeld",
  "Bonn",
  "Münster",
  "Mannheim",
  "Karlsruhe",
  "Augsburg",
  "Wiesbaden",
  "Mönchengladbach",
  "Gelsenkirchen",
  "Aachen",
  "Braunschweig",
  "Kiel",
  "Chemnitz",
  "Halle",
  "Magdeburg",
  "Freiburg",
  "Krefeld",
  "Mainz",
  "Lübeck",
  "Erfurt",
  "Oberhausen",
  "Rostock",
  "Kassel",
  "Hagen",
  "Potsdam",
  "Saarbrücken",
  "Hamm",
  "Ludwigshafen",
  "Oldenburg",
  "Mülheim an der Ruhr",
  "Osnabrück",
  "Leverkusen",
  "Heidelberg",
  "Darmstadt",
  "Solingen",
  "Regensburg",
  "Herne",
  "Paderborn",
  "Neuss",
  "Ingolstadt",
  "Offenbach",
  "Fürth",
  "Würzburg"
]
const streets = [
  "Hauptstraße",
  "Schulstraße",
  "Gartenstraße",
  "Bahnhofstraße",
  "Dorfstraße",
  "Bergstraße",
  "Birkenweg",
  "Lindenstraße",
  "Kirchstraße",
  "Waldstraße",
  "Ringstraße",
  "Schillerstraße",
  "Goethestraße",
  "Industriestraße",
  "Gewerbepark",
  "Am Hafen",
  "Mühlenweg",
  "Poststraße",
  "Feldstraße",
  "Wiesenweg",
  "Friedhofstraße",
  "Talstraße",
  "Rosenstraße",
  "Blumenstraße",
  "Parkstraße",
  "Buchenweg",
  "Eichenweg",
  "Sonnenstraße",
  "Mozartstraße",
  "Beethovenstraße",
  "Kantstraße",
  "Lessingstraße",
  "Jahnstraße",
  "Uhlandstraße",
  "Feldweg",
  "Brunnenstraße",
  "Marktplatz",
  "Kastanienallee",
  "Ahornweg",
  "Tannenweg"
]
const cnCities = [
  "北京",
  "上海",
  "深圳",
  "广州",
  "杭州",
  "南京",
  "苏州",
  "成都",
  "武汉",
  "天津",
  "重庆",
  "西安",
  "青岛",
  "大连",
  "厦门",
  "宁波",
  "无锡",
  "长沙",
  "郑州",
  "济南",
  "合肥",
  "福州",
  "昆明",
  "沈阳",
  "哈尔滨",
  "长春",
  "石家庄",
  "太原",
  "南昌",
  "贵阳"
]
const brandChars = Array.from(
  "华为中兴联想海尔美的格力长城比亚迪吉利奇瑞腾讯阿里百度京东网易小米字节滴滴美团拼多多顺丰申通圆通韵达中通宝钢鞍钢首钢武钢马钢沙钢河钢太钢包钢攀钢" +
    "金银铜铁锡光明星辰日月山河湖海天地东南西北春夏秋冬龙凤麟鹏飞腾达远通泰安康宁和平信诚德仁义礼智恒昌盛兴旺隆丰源鑫淼森焱垚" +
    "嘉悦欣怡瑞祥福禄寿喜宏伟博雅俊杰英豪振宇航新创力"
)
const industries = [
  "科技",
  "电子",
  "机械",
  "贸易",
  "物流",
  "化工",
  "建材",
  "食品",
  "医药",
  "纺织",
  "汽车",
  "能源",
  "软件",
  "网络",
  "材料",
  "设备",
  "服装",
  "家具",
  "印刷",
  "包装"
]
const cnForms = ["有限公司", "有限公司", "股份有限公司", "集团有限公司", "有限责任公司"]
const roads = ["人民", "解放", "中山", "建设", "和平", "长江", "黄河", "新华", "胜利", "东风"]

interface Generated {
  readonly record: Customer.CustomerRecord
  readonly surname?: string
  readonly trade?: string
  readonly brand?: string
  readonly cnCity?: string
}

const stamp = "2026-01-01T00:00:00.000Z"

/** The `index`-th customer of the seed's sequence (numbers C00000001…). */
export const generator = (seed: number) => {
  const random = seeded(seed)
  const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)]!
  const surname = () => `${pick(firstSyllables)}${pick(lastSyllables)}`
  let index = 0
  return (): Generated => {
    index += 1
    const number = `C${String(index).padStart(8, "0")}`
    const roll = random()
    const authorizationGroup = roll < 0.1 ? "G1" : roll < 0.2 ? "G2" : undefined
    const base = {
      tenant,
      number,
      accountGroup: "0001",
      companyCodes: [
        { companyCode: pick(["1000", "2000", "3000"]), reconciliationAccount: "140000", postingBlock: null, deletionFlag: false }
      ],
      salesAreas: [],
      contacts: [],
      centralBlock: random() < 0.02 ? { reason: "credit", blockedBy: "bench", blockedAt: stamp } : null,
      deletionFlag: random() < 0.01,
      version: 1,
      createdBy: "bench",
      createdAt: stamp,
      changedBy: "bench",
      changedAt: stamp
    }
    if (random() < 0.25) {
      const cnCity = pick(cnCities)
      const brand = pick(brandChars) + pick(brandChars)
      const general: Customer.GeneralData = {
        name: `${cnCity}${brand}${pick(industries)}${pick(cnForms)}`,
        street: `${pick(roads)}路${1 + Math.floor(random() * 300)}号`,
        postalCode: String(100000 + Math.floor(random() * 800000)),
        city: cnCity,
        country: "CN",
        ...(authorizationGroup === undefined ? {} : { authorizationGroup })
      }
      return { record: { ...base, general }, brand, cnCity }
    }
    const name = surname()
    const trade = pick(trades)
    const partner = random() < 0.2 ? ` & ${surname()}` : ""
    const general: Customer.GeneralData = {
      name: `${name}${partner} ${trade} ${pick(forms)}`,
      ...(random() < 0.3 ? { searchTerm: name.toUpperCase() } : {}),
      street: `${pick(streets)} ${1 + Math.floor(random() * 200)}`,
      postalCode: String(10000 + Math.floor(random() * 89999)),
      city: pick(cities),
      country: pick(["DE", "DE", "DE", "DE", "DE", "DE", "AT", "AT", "CH"]),
      ...(authorizationGroup === undefined ? {} : { authorizationGroup })
    }
    return { record: { ...base, general }, surname: name, trade }
  }
}

// ---------------------------------------------------------------------------------------------
// The queries
// ---------------------------------------------------------------------------------------------

interface Query {
  readonly kind: string
  readonly text: string
  readonly country?: string
  readonly companyCode?: string
  readonly restricted?: boolean
}

const kinds = [
  "surname",
  "prefix + city",
  "surname + trade",
  "CJK brand",
  "CJK city+brand",
  "surname + filters",
  "restricted actor"
] as const

/** `count` queries drawn from `sample` (customers of the data set), cycling through the kinds. */
export const queriesFrom = (sample: ReadonlyArray<Generated>, count: number, seed: number): Array<Query> => {
  const random = seeded(seed)
  const latin = sample.filter((g) => g.surname !== undefined)
  const chinese = sample.filter((g) => g.brand !== undefined)
  const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)]!
  const out: Array<Query> = []
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length]!
    const l = pick(latin)
    const c = pick(chinese)
    switch (kind) {
      case "surname":
        out.push({ kind, text: l.surname! })
        break
      case "prefix + city":
        out.push({ kind, text: `${l.surname!.slice(0, 5)} ${l.record.general.city}` })
        break
      case "surname + trade":
        out.push({ kind, text: `${l.surname} ${l.trade}` })
        break
      case "CJK brand":
        out.push({ kind, text: c.brand! })
        break
      case "CJK city+brand":
        out.push({ kind, text: `${c.cnCity}${c.brand}` })
        break
      case "surname + filters":
        out.push({ kind, text: l.surname!, country: "DE", companyCode: "1000" })
        break
      case "restricted actor":
        out.push({ kind, text: `${l.surname} ${l.trade}`, restricted: true })
        break
    }
  }
  return out
}

const broadQueries = (count: number): Array<Query> =>
  Array.from({ length: count }, (_, i) => ({ kind: "broad", text: trades[(i * 7) % trades.length]! }))

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

const customizing = Customizing.merge(Presets.standard(tenant), {})
const admin = Actor.superUser(tenant, "bench")
const clerk = Actor.make({
  userId: "clerk",
  tenant,
  authorizationGroups: ["G1"],
  companyCodes: "*",
  salesOrganizations: "*",
  activities: ["display"]
})

/** Loads `size` customers through `CustomerStore.insertMany`; returns a sample of them for queries. */
const load = async (
  runtime: ManagedRuntime.ManagedRuntime<PartnerKit.Services, unknown>,
  size: number,
  log: (line: string) => void,
  label: string,
  /** Run after every 100,000 customers (PostgreSQL: `ANALYZE`, as auto-analyze would). */
  checkpoint: () => Promise<void> = async () => {}
) => {
  const next = generator(7)
  const sample: Array<Generated> = []
  const batch = 5_000
  const started = performance.now()
  for (let i = 0; i < size; i += batch) {
    const records: Array<Customer.CustomerRecord> = []
    for (let j = i; j < Math.min(size, i + batch); j++) {
      const g = next()
      if (j % 97 === 0) sample.push(g)
      records.push(g.record)
    }
    await runtime.runPromise(Effect.flatMap(CustomerStore, (store) => store.insertMany(records)))
    if ((i + batch) % 100_000 === 0) await checkpoint()
    if (i > 0 && i % 100_000 === 0) log(`    … ${label}: ${i} customers loaded (${((performance.now() - started) / 1000).toFixed(0)} s)`)
  }
  const seconds = (performance.now() - started) / 1000
  log(`  ${label}: ${size} customers loaded with insertMany in ${seconds.toFixed(1)} s (${Math.round(size / seconds)}/s)`)
  return sample
}

/** Latencies in ms of `queries` through the service; also the mean hits per kind, for the log. */
const measure = async (runtime: ManagedRuntime.ManagedRuntime<PartnerKit.Services, unknown>, queries: ReadonlyArray<Query>) => {
  const samples: Array<number> = []
  const cpu: Array<number> = []
  const totals = new Map<string, Array<number>>()
  for (const q of queries) {
    const cpuStarted = process.cpuUsage()
    const started = performance.now()
    const result = await runtime.runPromise(
      Effect.flatMap(CustomerSearch.CustomerSearch, (s) =>
        s.search({
          actor: q.restricted === true ? clerk : admin,
          text: q.text,
          limit: 20,
          ...(q.country === undefined ? {} : { country: q.country }),
          ...(q.companyCode === undefined ? {} : { companyCode: q.companyCode })
        })
      )
    )
    samples.push(performance.now() - started)
    const used = process.cpuUsage(cpuStarted)
    cpu.push((used.user + used.system) / 1000)
    totals.set(q.kind, [...(totals.get(q.kind) ?? []), result.total])
  }
  return { samples, cpu, totals }
}

/** The naive statement for `q`: every term a `%term%` pattern over the concatenated fields, same filters, page and count. */
const naiveStatements = (q: Query, like: "LIKE" | "ILIKE", placeholder: (i: number) => string, schema = "") => {
  const terms = q.text.split(/\s+/).filter((t) => t !== "")
  const params: Array<string> = [tenant]
  const text = "(name || ' ' || COALESCE(search_term, '') || ' ' || COALESCE(street, '') || ' ' || COALESCE(city, ''))"
  const where = [`c.tenant = ${placeholder(1)}`]
  for (const term of terms) {
    params.push(`%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)
    where.push(`${text} ${like} ${placeholder(params.length)} ESCAPE '\\'`)
  }
  if (q.country !== undefined) {
    params.push(q.country)
    where.push(`c.country = ${placeholder(params.length)}`)
  }
  if (q.companyCode !== undefined) {
    params.push(q.companyCode)
    where.push(
      `EXISTS (SELECT 1 FROM ${schema}company_code_views v WHERE v.tenant = c.tenant AND v.customer_number = c.number AND v.company_code = ${placeholder(params.length)})`
    )
  }
  if (q.restricted === true) where.push("(c.authorization_group IS NULL OR c.authorization_group = 'G1')")
  const from = `FROM ${schema}customers c WHERE ${where.join(" AND ")}`
  return { page: `SELECT c.* ${from} ORDER BY c.number LIMIT 21`, count: `SELECT COUNT(*) AS n ${from}`, params }
}

const summarise = (totals: Map<string, Array<number>>) =>
  [...totals].map(([kind, t]) => `${kind} ~${Math.round(t.reduce((a, b) => a + b, 0) / t.length)}`).join(", ")

const figuresFor = (
  store: string,
  size: number,
  ours: Array<number>,
  broad: Array<number>,
  naive: Array<number>,
  target: string
): Array<Figure> => {
  const label = `search (${size} customers)`
  const naiveP50 = percentile([...naive], 50)
  const naiveP99 = percentile([...naive], 99)
  return [
    figure({
      name: `${label} p50, ratio naive/partnerkit`,
      store,
      value: percentile([...ours], 50),
      unit: "ms",
      baseline: naiveP50,
      better: "lower"
    }),
    figure({
      name: `${label} p99, ratio naive/partnerkit`,
      store,
      value: percentile([...ours], 99),
      unit: "ms",
      baseline: naiveP99,
      better: "lower",
      target
    }),
    figure({ name: `${label} broad one-word query p50`, store, value: percentile([...broad], 50), unit: "ms", baseline: null }),
    figure({ name: `${label} broad one-word query p99`, store, value: percentile([...broad], 99), unit: "ms", baseline: null })
  ]
}

/** Thrown to leave out a store that `--search-stores` does not name. */
class SkipStore extends Error {}

const runtimeFor = (storage: Storage.Layer) => ManagedRuntime.make(PartnerKit.layer({ customizing, storage }))

export const run = async (options: BenchOptions): Promise<Array<Figure>> => {
  const size = options.searched ?? (options.quick ? 2_000 : 1_000_000)
  const searches = options.quick ? 70 : 700
  const naiveSearches = options.quick ? 14 : 21
  const broadSearches = options.quick ? 20 : 100
  const figures: Array<Figure> = []
  const target = "p99 < 25 ms at 1,000,000"
  const stores = options.searchStores ?? ["sqlite", "postgres"]

  // SQLite: a file of its own; the naive side opens the same file with better-sqlite3.
  const dir = mkdtempSync(join(tmpdir(), "partnerkit-bench-search-"))
  try {
    if (!stores.includes("sqlite")) throw new SkipStore()
    const filename = join(dir, "search.sqlite")
    const runtime = runtimeFor(SqliteStore.layer({ filename }))
    const sample = await load(runtime, size, options.log, "sqlite")
    // What the store's `PRAGMA optimize` does at the next open: statistics for the loaded tables.
    const analyzer = new Database(filename)
    analyzer.exec("ANALYZE")
    analyzer.close()
    const queries = queriesFrom(sample, searches, 11)
    await measure(runtime, queries.slice(0, 50)) // warm-up
    const ours = await measure(runtime, queries)
    const broad = await measure(runtime, broadQueries(broadSearches))
    options.log(`  sqlite mean totals: ${summarise(ours.totals)}, ${summarise(broad.totals)}`)
    const db = new Database(filename, { readonly: true })
    const naive: Array<number> = []
    for (const q of queries.slice(0, naiveSearches)) {
      const { page, count, params } = naiveStatements(q, "LIKE", () => "?")
      const started = performance.now()
      db.prepare(page).all(...params)
      db.prepare(count).get(...params)
      naive.push(performance.now() - started)
    }
    db.close()
    await runtime.dispose()
    figures.push(...figuresFor("sqlite", size, ours.samples, broad.samples, naive, target))
    // SQLite runs in this process: its CPU time per search is what the search costs, whatever
    // else the machine is doing (the wall-clock figures include waiting for a shared CPU).
    figures.push(
      figure({
        name: `search (${size} customers) CPU time p50`,
        store: "sqlite",
        value: percentile([...ours.cpu], 50),
        unit: "ms",
        baseline: null
      }),
      figure({
        name: `search (${size} customers) CPU time p99`,
        store: "sqlite",
        value: percentile([...ours.cpu], 99),
        unit: "ms",
        baseline: null
      })
    )
    options.log(
      `  sqlite: p50 ${percentile([...ours.samples], 50).toFixed(2)} ms, p99 ${percentile([...ours.samples], 99).toFixed(2)} ms; naive LIKE p50 ${percentile([...naive], 50).toFixed(0)} ms`
    )
  } catch (error) {
    if (!(error instanceof SkipStore)) throw error
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  if (!stores.includes("postgres")) return figures

  // PostgreSQL: a schema of its own, dropped afterwards; the naive side queries it with node-postgres.
  const admin = new pg.Client({ connectionString: databaseUrl })
  const reachable = await admin.connect().then(
    () => true,
    (error: unknown) => {
      options.log(`  postgres: skipped, no server at ${databaseUrl} (${String(error)})`)
      return false
    }
  )
  if (!reachable) return figures
  const schema = `pk_bench_search_${process.pid}`
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    const runtime = runtimeFor(PostgresStore.layer({ url: databaseUrl, schema, maxConnections: 4 }))
    // The development machines run PostgreSQL with autovacuum off: without statistics the plans
    // of the foreign-key checks stay those of empty tables and the load slows down as it grows.
    const sample = await load(runtime, size, options.log, "postgres", async () => {
      await admin.query(`ANALYZE ${schema}.customers, ${schema}.company_code_views, ${schema}.customer_search_tokens`)
    })
    // What autovacuum does to freshly loaded tables in production, done now: statistics for the
    // planner and the visibility map that lets index-only scans skip the heap.
    await admin.query(
      `VACUUM ANALYZE ${schema}.customers, ${schema}.customer_search_tokens, ${schema}.customer_search_cjk, ${schema}.company_code_views`
    )
    const queries = queriesFrom(sample, searches, 11)
    await measure(runtime, queries.slice(0, 50))
    const ours = await measure(runtime, queries)
    const broad = await measure(runtime, broadQueries(broadSearches))
    options.log(`  postgres mean totals: ${summarise(ours.totals)}`)
    const naive: Array<number> = []
    for (const q of queries.slice(0, naiveSearches)) {
      const { page, count, params } = naiveStatements(q, "ILIKE", (i) => `$${i}`, `${schema}.`)
      const started = performance.now()
      await admin.query(page, params)
      await admin.query(count, params)
      naive.push(performance.now() - started)
    }
    await runtime.dispose()
    figures.push(...figuresFor("postgres", size, ours.samples, broad.samples, naive, target))
    options.log(
      `  postgres: p50 ${percentile([...ours.samples], 50).toFixed(2)} ms, p99 ${percentile([...ours.samples], 99).toFixed(2)} ms; naive ILIKE p50 ${percentile([...naive], 50).toFixed(0)} ms`
    )
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {})
    await admin.end()
  }
  return figures
}
