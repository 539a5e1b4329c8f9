/**
 * The duplicate check (issue 5 §3/§5/§6): `npm run bench -- --only duplicates [--quick] [--duplicated N]`.
 *
 * Data: the labelled corpus of `@partnerkit/testkit` (`DuplicateCorpus`) at N customers (default
 * 1,000,000; `--quick` 1,000) — about 30 % of the parties with planted duplicates (typos,
 * legal-form variants, word order, full-width, Chinese names with and without legal forms and
 * city prefixes, moved addresses), so the same run also gives precision and recall at that size.
 * Loading a million customers through `Customers.create` would take hours, so rows go in through
 * the bulk path, 5,000 per transaction: `CustomerStore.insertMany` and `DuplicateCheck.indexMany`
 * (the match index's `putMany`), as `importCustomers` writes them.
 *
 * Per store (memory, SQLite, PostgreSQL), each in a child process of its own so that its peak RSS
 * is its own:
 * - `check` p50 / p99 (the service, for inputs that have planted duplicates in the table), next to
 *   a naive approach on the same data: a full JS scan comparing the folded name with every
 *   customer by `fastest-levenshtein` (memory, SQLite), and on PostgreSQL `pg_trgm` — `name % $1`
 *   with a GIN index at `similarity_threshold` 0.5, ordered by `similarity`. Ratios are naive /
 *   ours: ≥ 1 means partnerkit is faster.
 * - the batch scan: time and the process's peak RSS, over min(N, 100,000) customers (quick: 500)
 *   in a tenant of their own — a scan makes one or two index queries per customer, and a million
 *   of them run for tens of minutes on a server database (see bench/README.md).
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import {
  Actor,
  type Customer,
  CustomerStore,
  DuplicateCheck,
  Matching,
  PartnerKit,
  Presets,
  type Storage,
  StoreTransaction
} from "@partnerkit/core"
import { MemoryStore } from "@partnerkit/storage-memory"
import { PostgresStore } from "@partnerkit/storage-postgres"
import { SqliteStore } from "@partnerkit/storage-sqlite"
import { Effect, ManagedRuntime } from "effect"
import { distance } from "fastest-levenshtein"
import pg from "pg"
// The corpus module itself: the testkit's index also loads vitest, which only runs under vitest.
import * as DuplicateCorpus from "../../packages/testkit/src/DuplicateCorpus.js"
import { type BenchOptions, type Figure, figure, percentile } from "./Figures.js"

const self = fileURLToPath(import.meta.url)
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const stores = ["memory", "sqlite", "postgres"] as const
type StoreName = (typeof stores)[number]

interface Settings {
  readonly store: StoreName
  readonly size: number
  readonly scanned: number
  readonly queries: number
  readonly naiveQueries: number
}

const rss = () => process.resourceUsage().maxRSS / 1024

/** The planted-duplicate corpus at `size` records (numbers C000001…), one entity per ~1.435 records. */
const corpusOf = (size: number, seed: number, prefix = "C") => {
  const corpus = DuplicateCorpus.generate({ seed, entities: Math.ceil(size / 1.43), prefix })
  return { corpus, records: corpus.records.slice(0, size) }
}

const countPairs = (records: ReadonlyArray<DuplicateCorpus.CorpusRecord>) => {
  const sizes = new Map<number, number>()
  for (const r of records) sizes.set(r.entity, (sizes.get(r.entity) ?? 0) + 1)
  let pairs = 0
  for (const n of sizes.values()) pairs += (n * (n - 1)) / 2
  return pairs
}

type Runtime = ManagedRuntime.ManagedRuntime<PartnerKit.Services, unknown>

/** insertMany + indexMany, 5,000 customers per transaction; returns the seconds it took. */
const load = async (runtime: Runtime, tenant: string, records: ReadonlyArray<DuplicateCorpus.CorpusRecord>) => {
  const started = performance.now()
  for (let i = 0; i < records.length; i += 5_000) {
    const batch: Array<Customer.CustomerRecord> = records.slice(i, i + 5_000).map((r) => DuplicateCorpus.toCustomerRecord(tenant, r))
    await runtime.runPromise(
      Effect.gen(function* () {
        const customers = yield* CustomerStore
        const tx = yield* StoreTransaction
        const duplicates = yield* DuplicateCheck.DuplicateCheck
        yield* tx.withTransaction(Effect.zipRight(customers.insertMany(batch), duplicates.indexMany(batch)))
      })
    )
  }
  return (performance.now() - started) / 1000
}

/** A full JS scan: the folded name of `probe` against every customer's, keeping the 10 closest. */
const naiveScan = (names: ReadonlyArray<string>, probe: string) => {
  const best: Array<number> = []
  for (let i = 0; i < names.length; i++) {
    const d = distance(probe, names[i]!)
    if (best.length < 10 || d < best[best.length - 1]!) {
      best.push(d)
      best.sort((a, b) => a - b)
      if (best.length > 10) best.pop()
    }
  }
  return best
}

/** Measures one store; runs in its own process. */
const measure = async (settings: Settings, log: (line: string) => void): Promise<Array<Figure>> => {
  const { store, size } = settings
  const figures: Array<Figure> = []
  const tenant = "dup"
  const sizeLabel = size.toLocaleString("en")
  let started = performance.now()
  const { corpus, records } = corpusOf(size, 42)
  log(`  ${store}: generated ${sizeLabel} customers in ${((performance.now() - started) / 1000).toFixed(1)} s`)

  const dir = mkdtempSync(join(tmpdir(), "partnerkit-bench-duplicates-"))
  const schema = `pk_bench_dup_${process.pid}`
  const admin = store === "postgres" ? new pg.Client({ connectionString: databaseUrl }) : undefined
  if (admin !== undefined) {
    await admin.connect()
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  }
  const storageOf = (): Storage.Layer =>
    store === "memory"
      ? MemoryStore.layer()
      : store === "sqlite"
        ? SqliteStore.layer({ filename: join(dir, "duplicates.sqlite") })
        : PostgresStore.layer({ url: databaseUrl, schema, maxConnections: 8 })
  const runtime: Runtime = ManagedRuntime.make(PartnerKit.layer({ customizing: Presets.standard(tenant), storage: storageOf() }))
  try {
    const loadSeconds = await load(runtime, tenant, records)
    log(`  ${store}: loaded and indexed in ${loadSeconds.toFixed(1)} s (${Math.round(size / loadSeconds)}/s)`)
    figures.push(
      figure({
        name: `load + match index, insertMany + indexMany (${sizeLabel} customers)`,
        store,
        value: size / loadSeconds,
        unit: "customers/s",
        baseline: null
      })
    )
    // What autovacuum does in production (it is off on the development machines): statistics, and
    // the visibility map that lets the match index's primary key be read without the heap.
    if (admin !== undefined)
      await admin.query(`VACUUM (ANALYZE) ${schema}.match_index_keys, ${schema}.match_index_entries, ${schema}.customers`)

    // Queries: records with planted duplicates, checked as new inputs against everyone else.
    const entitySize = new Map<number, number>()
    for (const r of records) entitySize.set(r.entity, (entitySize.get(r.entity) ?? 0) + 1)
    const entityOf = new Map(records.map((r) => [r.number, r.entity]))
    const withDuplicates = records.filter((r) => entitySize.get(r.entity)! > 1)
    const step = Math.max(1, Math.floor(withDuplicates.length / settings.queries))
    const queries = Array.from({ length: Math.min(settings.queries, withDuplicates.length) }, (_, i) => withDuplicates[i * step]!)
    const actor = Actor.superUser(tenant)
    const check = (q: DuplicateCorpus.CorpusRecord) =>
      runtime.runPromise(
        Effect.flatMap(DuplicateCheck.DuplicateCheck, (d) => d.check({ actor, input: { general: q.general }, exclude: q.number }))
      )
    for (const q of queries.slice(0, 20)) await check(q)
    const latencies: Array<number> = []
    let found = 0
    for (const q of queries) {
      const t = performance.now()
      const result = await check(q)
      latencies.push(performance.now() - t)
      if (result.candidates.some((c) => c.suspected && entityOf.get(c.number) === q.entity)) found++
    }
    const p50 = percentile(latencies, 50)
    const p99 = percentile(latencies, 99)
    log(
      `  ${store}: check p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (${queries.length} queries; a planted duplicate found for ${found})`
    )

    // The naive ways on the same data.
    let naive: { readonly label: string; readonly p50: number; readonly p99: number }
    if (admin !== undefined) {
      await admin.query("CREATE EXTENSION IF NOT EXISTS pg_trgm")
      started = performance.now()
      await admin.query(`CREATE INDEX customers_name_trgm ON ${schema}.customers USING gin (name gin_trgm_ops)`)
      await admin.query(`ANALYZE ${schema}.customers`)
      log(`  ${store}: pg_trgm GIN index built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      await admin.query("SET pg_trgm.similarity_threshold = 0.5")
      const times: Array<number> = []
      for (const q of queries.slice(0, settings.naiveQueries)) {
        const t = performance.now()
        await admin.query(
          `SELECT number, similarity(name, $1) AS s FROM ${schema}.customers WHERE tenant = $2 AND name % $1 ORDER BY s DESC LIMIT 10`,
          [q.general.name, tenant]
        )
        times.push(performance.now() - t)
      }
      naive = { label: "pg_trgm name % $1, GIN, threshold 0.5", p50: percentile([...times], 50), p99: percentile([...times], 99) }
    } else {
      const names = records.map((r) => Matching.fold(r.general.name))
      const times: Array<number> = []
      for (const q of queries.slice(0, settings.naiveQueries)) {
        const t = performance.now()
        naiveScan(names, Matching.fold(q.general.name))
        times.push(performance.now() - t)
      }
      naive = { label: "full JS scan, fastest-levenshtein", p50: percentile([...times], 50), p99: percentile([...times], 99) }
    }
    log(`  ${store}: naive (${naive.label}) p50 ${naive.p50.toFixed(1)} ms, p99 ${naive.p99.toFixed(1)} ms`)
    for (const [p, value, baseline] of [
      ["p50", p50, naive.p50],
      ["p99", p99, naive.p99]
    ] as const) {
      figures.push(
        figure({
          name: `duplicate check ${p} at ${sizeLabel} (ratio ${naive.label} / partnerkit)`,
          store,
          value,
          unit: "ms",
          baseline,
          better: "lower",
          ...(p === "p99" ? { target: "< 25 ms" } : {})
        })
      )
    }
    figures.push(
      figure({
        name: `check: a planted duplicate suspected (${queries.length} inputs)`,
        store,
        value: found / queries.length,
        unit: "ratio",
        baseline: null
      })
    )

    // The batch scan: the whole tenant, or a tenant of `scanned` customers with a service built for
    // it (over the same database; the memory store gets a store of its own).
    let scanRuntime = runtime
    let scanRecords = records
    let scanCorpus = corpus
    let scanTenant = tenant
    if (settings.scanned < size) {
      scanTenant = "dup-scan"
      const scanned = corpusOf(settings.scanned, 43, "S")
      scanRecords = scanned.records
      scanCorpus = scanned.corpus
      scanRuntime = ManagedRuntime.make(PartnerKit.layer({ customizing: Presets.standard(scanTenant), storage: storageOf() }))
      await load(scanRuntime, scanTenant, scanRecords)
    }
    const scanActor = Actor.superUser(scanTenant)
    started = performance.now()
    const scan = await scanRuntime.runPromise(Effect.flatMap(DuplicateCheck.DuplicateCheck, (d) => d.scan({ actor: scanActor })))
    if (scanRuntime !== runtime) await scanRuntime.dispose()
    const scanSeconds = (performance.now() - started) / 1000
    const pairs: Array<readonly [string, string]> = []
    for (const c of scan.clusters) {
      for (let i = 0; i < c.members.length; i++)
        for (let j = i + 1; j < c.members.length; j++) pairs.push([c.members[i]!.number, c.members[j]!.number])
    }
    const quality = DuplicateCorpus.evaluate({ ...scanCorpus, records: scanRecords, truePairs: countPairs(scanRecords) }, pairs)
    const scannedLabel = scanRecords.length.toLocaleString("en")
    log(
      `  ${store}: batch scan of ${scannedLabel} in ${scanSeconds.toFixed(1)} s, ${scan.clusters.length} clusters; precision ${quality.precision.toFixed(4)}, recall ${quality.recall.toFixed(4)}; peak RSS ${rss().toFixed(0)} MiB`
    )
    figures.push(figure({ name: `batch scan (${scannedLabel} customers)`, store, value: scanSeconds, unit: "s", baseline: null }))
    figures.push(
      figure({
        name: `batch scan precision (planted duplicates, ${scannedLabel})`,
        store,
        value: quality.precision,
        unit: "ratio",
        baseline: null,
        target: "≥ 0.95"
      })
    )
    figures.push(
      figure({
        name: `batch scan recall (planted duplicates, ${scannedLabel})`,
        store,
        value: quality.recall,
        unit: "ratio",
        baseline: null,
        target: "≥ 0.90"
      })
    )
    figures.push(figure({ name: "peak RSS of the store's process (load, checks, scan)", store, value: rss(), unit: "MiB", baseline: null }))
  } finally {
    await runtime.dispose()
    if (admin !== undefined) {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {})
      await admin.end()
    }
    rmSync(dir, { recursive: true, force: true })
  }
  return figures
}

// ---------------------------------------------------------------------------------------------
// The suite: one child process per store
// ---------------------------------------------------------------------------------------------

/** Heap for a child measuring `size` customers: the memory store holds them all, twice over while it scans. */
const heapFor = (store: StoreName, size: number) =>
  store === "memory"
    ? Math.min(16_000, Math.max(2_000, Math.ceil((size / 1_000_000) * 12_000)))
    : Math.max(2_000, Math.ceil((size / 1_000_000) * 4_000))

/** The suite for `npm run bench`: every store, each measured in a child process of its own. */
export const run = async (options: BenchOptions): Promise<Array<Figure>> => {
  const size = options.duplicated ?? (options.quick ? 1_000 : 1_000_000)
  const settings = {
    size,
    scanned: Math.min(size, options.quick ? 500 : 100_000),
    queries: options.quick ? 30 : 200,
    naiveQueries: options.quick ? 5 : 20
  }
  const figures: Array<Figure> = []
  const dir = mkdtempSync(join(tmpdir(), "partnerkit-bench-duplicates-out-"))
  try {
    for (const store of stores) {
      if (store === "postgres" && !(await postgresAnswers())) {
        options.log(`  postgres: no server at ${databaseUrl}: PostgreSQL figures skipped`)
        continue
      }
      if (options.quick) {
        // A smoke run: in this process (a child costs seconds of start-up); its RSS figure is then the bench process's.
        figures.push(...(await measure({ ...settings, store }, options.log)))
        continue
      }
      const out = join(dir, `${store}.json`)
      const child = spawnSync(
        process.execPath,
        [`--max-old-space-size=${heapFor(store, size)}`, "--import", "tsx", self, "--child", JSON.stringify({ ...settings, store }), out],
        { stdio: "inherit" }
      )
      if (child.status !== 0) throw new Error(`the ${store} measurement failed (exit ${child.status ?? child.signal})`)
      figures.push(...(JSON.parse(readFileSync(out, "utf8")) as Array<Figure>))
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return figures
}

const postgresAnswers = async () => {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 })
  try {
    await client.connect()
    await client.end()
    return true
  } catch {
    return false
  }
}

// A child: `duplicates.ts --child '{"store":…}' out.json`.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { child: { type: "string" } } })
  if (values.child === undefined || positionals[0] === undefined)
    throw new Error("usage: duplicates.ts --child '<settings json>' <out.json>")
  const figures = await measure(JSON.parse(values.child) as Settings, (line) => console.log(line))
  writeFileSync(positionals[0], JSON.stringify(figures))
}
