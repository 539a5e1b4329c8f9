/**
 * The CRM read paths at scale (issue 6 §9): with 100,000 accounts, 1,000,000 activities and
 * 200,000 opportunities (quick: 2,000 / 20,000 / 4,000) on SQLite and PostgreSQL —
 * - the 360° view of a random account, as its owner: p50 / p99 (target p99 < 10 ms);
 * - follow-ups of one owner: p50 / p99 (target p99 < 10 ms), beside the raw driver running the
 *   same statement (open activities of the owner's visible accounts due before the window's end);
 * - the pipeline (`opportunities.forecast` by quarter and stage over every opportunity, as a
 *   manager who sees all): the time of one call (target < 1 s), beside the raw driver's GROUP BY;
 * - the open pipeline by stage (`analytics.pipelineByStage`) and a dynamic segment over every
 *   account (country, completed activities in 90 days, won deals in a year: count, and its first
 *   1,000 members), as the manager (target < 1 s).
 *
 * The data is written by the SQLite store through its ports (`CustomerStore.insertMany` for the
 * customers with their creation documents (`ChangeDocumentStore.append`); `AccountOwnershipStore`,
 * `ActivityStore` and `OpportunityStore` `put` for the rest),
 * in transactions of 2,000 accounts: what is measured is the reading, not the loading. Through
 * the ports that takes minutes at full size, so the file is kept in `bench/.cache/` (gitignored)
 * and reused by later runs of the same size (the store migrates it when the schema has moved on).
 * PostgreSQL gets the same rows: its store creates the schema, then every table is copied from
 * the SQLite file with `COPY` (column by column, as the SQLite store wrote them; both stores share
 * one schema definition).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { pipeline } from "node:stream/promises"
import { fileURLToPath } from "node:url"
import {
  Actor,
  ChangeDocument,
  ChangeDocumentStore,
  type Customer,
  CustomerStore,
  Customizing,
  Presets,
  StoreTransaction
} from "@partnerkit/core"
import {
  Account360,
  AccountOwnershipStore,
  Activities,
  type Activity,
  ActivityStore,
  Analytics,
  Crm,
  CrmConfig,
  type CrmStorage,
  Opportunities,
  type Opportunity,
  OpportunityStore,
  type SegmentRule,
  Segments
} from "@partnerkit/crm"
import { PostgresCrmStore } from "@partnerkit/storage-postgres"
import { SqliteCrmStore } from "@partnerkit/storage-sqlite"
import Database from "better-sqlite3"
import { Effect, ManagedRuntime } from "effect"
import pg from "pg"
import { from as copyFrom } from "pg-copy-streams"
import { type BenchOptions, type Figure, figure, percentile, seeded } from "./Figures.js"
import { generator } from "./Search.js"

const tenant = "search" // the tenant of Search.ts's generator
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const asOf = "2026-11-20T09:00:00.000Z"
const day = 86_400_000
const owners = 200
const teams = 20
const territories = 20

const rep = (i: number) => `rep${String(i).padStart(3, "0")}`
const team = (i: number) => `T${String(i).padStart(2, "0")}`
const territory = (i: number) => `Z${String(i).padStart(2, "0")}`

/** 20 teams of 10 reps each (rep k is in team floor(k / 10)); territories by account; a manager who sees all. */
const crmConfig = CrmConfig.makeOrThrow({
  ...CrmConfig.preset("team"),
  teams: Object.fromEntries(
    Array.from({ length: teams }, (_, t) => [
      team(t),
      { members: Array.from({ length: owners / teams }, (_, k) => rep(t * (owners / teams) + k)) }
    ])
  ),
  territories: Object.fromEntries(Array.from({ length: territories }, (_, t) => [territory(t), { members: [] }])),
  visibility: { rule: "team", unrestrictedUsers: ["manager"] }
})

const customizing = Customizing.merge(Presets.standard(tenant), {})
const manager = Actor.superUser(tenant, "manager")

type Runtime = ManagedRuntime.ManagedRuntime<Crm.Services, unknown>

const iso = (ms: number) => new Date(ms).toISOString()
const stages = crmConfig.sales.stages

/** Activities and opportunities of account `index` (0-based; its number is `C` + index + 1, as the generator numbers). */
const crmRows = (index: number, number: string, random: () => number, activitiesPer: number, opportunitiesPer: number) => {
  const owner = rep(index % owners)
  const now = Date.parse(asOf)
  const activities: Array<Activity.Activity> = []
  for (let j = 0; j < activitiesPer; j++) {
    const kind = (["call", "meeting", "visit", "email", "task", "note"] as const)[j % 6]!
    // One in ten open, due between 30 days ago and 10 days ahead; the rest completed in the last year.
    const open = j === 0
    const createdAt = iso(now - Math.floor(random() * 400 * day))
    const base = {
      tenant,
      id: `A${String(index).padStart(7, "0")}${String(j).padStart(3, "0")}`,
      kind,
      subject: `${kind} ${j}`,
      customerNumber: number,
      owner,
      version: 1,
      createdBy: owner,
      createdAt,
      changedBy: owner,
      changedAt: createdAt
    }
    if (open) {
      const dueAt = iso(now + Math.floor((random() * 40 - 30) * day))
      activities.push({ ...base, status: "open", dueAt, at: dueAt })
    } else {
      const completedAt = iso(now - Math.floor(random() * 365 * day))
      activities.push({ ...base, status: "completed", completedAt, at: completedAt })
    }
  }
  const opportunities: Array<{ opportunity: Opportunity.Opportunity; closed: boolean }> = []
  for (let j = 0; j < opportunitiesPer; j++) {
    const roll = random()
    const stage = stages[Math.floor(random() * stages.length)]!
    const createdAt = iso(now - Math.floor((30 + random() * 300) * day))
    const closeDate = new Date(now + Math.floor((random() * 400 - 200) * day)).toISOString().slice(0, 10)
    const amount = 1_000 + Math.floor(random() * 99_000)
    const status = roll < 0.6 ? "open" : roll < 0.85 ? "won" : "lost"
    const opportunity: Opportunity.Opportunity = {
      tenant,
      id: `O${String(index).padStart(7, "0")}${String(j).padStart(3, "0")}`,
      name: `Deal ${index}-${j}`,
      amount,
      currency: "EUR",
      expectedCloseDate: closeDate,
      territory: territory(index % territories),
      customerNumber: number,
      owner,
      stage: stage.id,
      probability: status === "won" ? 100 : status === "lost" ? 0 : stage.probability,
      status,
      ...(status === "open" ? {} : { closeReason: status === "won" ? "price" : "competitor", closedAt: `${closeDate}T12:00:00.000Z` }),
      version: status === "open" ? 1 : 2,
      createdBy: owner,
      createdAt,
      changedBy: owner,
      changedAt: status === "open" ? createdAt : `${closeDate}T12:00:00.000Z`
    }
    opportunities.push({ opportunity, closed: status !== "open" })
  }
  return {
    ownership: {
      tenant,
      customerNumber: number,
      owner,
      team: team(Math.floor((index % owners) / (owners / teams))),
      territory: territory(index % territories),
      version: 1,
      changedBy: "bench",
      changedAt: asOf
    },
    activities,
    opportunities
  }
}

const historyEntry = (o: Opportunity.Opportunity, seq: number): Opportunity.HistoryEntry => ({
  tenant: o.tenant,
  opportunityId: o.id,
  seq,
  at: seq === 1 ? o.createdAt : o.changedAt,
  by: o.owner,
  change: seq === 1 ? "created" : o.status === "won" ? "won" : "lost",
  stage: o.stage,
  status: seq === 1 ? "open" : o.status,
  probability: seq === 1 ? (stages.find((s) => s.id === o.stage)?.probability ?? 10) : o.probability,
  amount: o.amount,
  currency: o.currency,
  expectedCloseDate: o.expectedCloseDate,
  owner: o.owner,
  territory: o.territory,
  customerNumber: o.customerNumber,
  ...(seq === 1 ? {} : { closeReason: o.closeReason })
})

interface Sizes {
  readonly accounts: number
  readonly activitiesPer: number
  readonly opportunitiesPer: number
}

/** Loads the data set through the store's ports; `checkpoint` runs every 20,000 accounts (PostgreSQL: ANALYZE). */
const load = async (runtime: Runtime, sizes: Sizes, log: (line: string) => void, label: string, checkpoint: () => Promise<void>) => {
  const next = generator(7)
  const random = seeded(11)
  const batch = 2_000
  const started = performance.now()
  for (let i = 0; i < sizes.accounts; i += batch) {
    const customers: Array<Customer.CustomerRecord> = []
    const rows: Array<ReturnType<typeof crmRows>> = []
    for (let j = i; j < Math.min(sizes.accounts, i + batch); j++) {
      const g = next()
      customers.push(g.record)
      rows.push(crmRows(j, g.record.number, random, sizes.activitiesPer, sizes.opportunitiesPer))
    }
    await runtime.runPromise(
      Effect.gen(function* () {
        const tx = yield* StoreTransaction
        const store = yield* CustomerStore
        const ownership = yield* AccountOwnershipStore
        const activities = yield* ActivityStore
        const opportunities = yield* OpportunityStore
        const changeDocuments = yield* ChangeDocumentStore
        yield* tx.withTransaction(
          Effect.gen(function* () {
            yield* store.insertMany(customers)
            // The creation document the lifecycle writes, so that the timeline merges master-data changes too.
            yield* changeDocuments.append(
              customers.map((c) => ({
                tenant: c.tenant,
                customerNumber: c.number,
                changeNumber: 1,
                operation: "create" as const,
                changedBy: c.createdBy,
                changedAt: c.createdAt,
                items: ChangeDocument.diff(undefined, c)
              }))
            )
            for (const r of rows) {
              yield* ownership.put(r.ownership, null)
              for (const a of r.activities) yield* activities.put(a, null)
              for (const { opportunity, closed } of r.opportunities) {
                if (closed) {
                  const opened = { ...opportunity, status: "open" as const, version: 1, changedAt: opportunity.createdAt }
                  yield* opportunities.put(opened, null, historyEntry(opportunity, 1))
                  yield* opportunities.put(opportunity, 1, historyEntry(opportunity, 2))
                } else {
                  yield* opportunities.put(opportunity, null, historyEntry(opportunity, 1))
                }
              }
            }
          })
        )
      })
    )
    if ((i + batch) % 20_000 === 0) await checkpoint()
    if (i > 0 && i % 20_000 === 0) log(`    … ${label}: ${i} accounts loaded (${((performance.now() - started) / 1000).toFixed(0)} s)`)
  }
  await checkpoint()
  const seconds = (performance.now() - started) / 1000
  log(
    `  ${label}: ${sizes.accounts} accounts, ${sizes.accounts * sizes.activitiesPer} activities, ${sizes.accounts * sizes.opportunitiesPer} opportunities loaded in ${seconds.toFixed(0)} s`
  )
}

const timed = async <A>(samples: Array<number>, run: () => Promise<A>): Promise<A> => {
  const started = performance.now()
  const result = await run()
  samples.push(performance.now() - started)
  return result
}

/** The raw statements of the same reads, for one engine. */
interface Raw {
  readonly followUps: (owner: string, teamId: string, until: string) => Promise<number>
  readonly pipeline: () => Promise<number>
  readonly close: () => Promise<void>
}

/** Follow-ups: open activities of `owner` on accounts the owner's team sees, due before `until`, as the store orders them. */
const followUpsSql = (p: (i: number) => string, schema: string) =>
  `SELECT a.* FROM ${schema}crm_activities a
   WHERE a.tenant = ${p(1)} AND a.owner = ${p(2)} AND a.status = 'open' AND a.due_at < ${p(3)}
     AND EXISTS (SELECT 1 FROM ${schema}customers c WHERE c.tenant = a.tenant AND c.number = a.customer_number)
     AND EXISTS (SELECT 1 FROM ${schema}crm_account_owners o WHERE o.tenant = a.tenant AND o.customer_number = a.customer_number
                 AND (o.owner = ${p(4)} OR o.team = ${p(5)}))
   ORDER BY a.due_at, a.id LIMIT 201`

/** The pipeline as the store reads it: open and won opportunities by month of the expected close date, stage, currency and status. */
const pipelineSql = (p: (i: number) => string, schema: string) =>
  `SELECT substr(close_date, 1, 7) AS month, stage, currency, status, COUNT(*) AS n, SUM(amount_cents) AS amount,
     SUM(amount_cents * probability) AS weighted
   FROM ${schema}crm_opportunities
   WHERE tenant = ${p(1)} AND status IN ('open', 'won') AND amount_cents IS NOT NULL AND currency IS NOT NULL AND close_date IS NOT NULL
   GROUP BY substr(close_date, 1, 7), stage, currency, status`

const rawSqlite = (filename: string): Raw => {
  const db = new Database(filename, { readonly: true })
  const followUps = db.prepare(followUpsSql(() => "?", ""))
  const pipeline = db.prepare(pipelineSql(() => "?", ""))
  return {
    followUps: async (owner, teamId, until) => followUps.all(tenant, owner, until, owner, teamId).length,
    pipeline: async () => pipeline.all(tenant).length,
    close: async () => void db.close()
  }
}

const rawPostgres = (client: pg.Client, schema: string): Raw => ({
  followUps: async (owner, teamId, until) =>
    (
      await client.query(
        followUpsSql((i) => `$${i}`, `${schema}.`),
        [tenant, owner, until, owner, teamId]
      )
    ).rowCount ?? 0,
  pipeline: async () =>
    (
      await client.query(
        pipelineSql((i) => `$${i}`, `${schema}.`),
        [tenant]
      )
    ).rowCount ?? 0,
  close: async () => {}
})

const measure = async (runtime: Runtime, raw: Raw, sizes: Sizes, store: string, quick: boolean, log: (line: string) => void) => {
  const random = seeded(23)
  const views: Array<number> = []
  const followUps: Array<number> = []
  const rawFollowUps: Array<number> = []
  const viewCount = quick ? 200 : 2_000
  const followUpCount = quick ? 100 : 1_000
  const services = await runtime.runPromise(
    Effect.all({
      account360: Account360.Account360,
      activities: Activities.Activities,
      opportunities: Opportunities.Opportunities,
      analytics: Analytics.Analytics,
      segments: Segments.Segments
    })
  )
  const viewOf = (index: number) => {
    const number = `C${String(index + 1).padStart(8, "0")}`
    return runtime.runPromise(
      services.account360.view({ actor: Actor.superUser(tenant, rep(index % owners)), customerNumber: number, asOf })
    )
  }
  const followUpsOf = (owner: number) =>
    runtime.runPromise(services.activities.followUps({ actor: Actor.superUser(tenant, rep(owner)), asOf }))
  const until = iso(Date.parse(asOf) + crmConfig.followUps.dueSoonHours * 3_600_000)
  // Warm-up: statements prepared, caches filled.
  for (let i = 0; i < Math.min(100, viewCount); i++) await viewOf(Math.floor(random() * sizes.accounts))
  for (let i = 0; i < 20; i++) await followUpsOf(i)
  let viewed = 0
  for (let i = 0; i < viewCount; i++) {
    const view = await timed(views, () => viewOf(Math.floor(random() * sizes.accounts)))
    viewed += view.openActivities.length + view.timeline.items.length
  }
  let due = 0
  let rawDue = 0
  for (let i = 0; i < followUpCount; i++) {
    const owner = Math.floor(random() * owners)
    const result = await timed(followUps, () => followUpsOf(owner))
    due += result.overdue.length + result.dueSoon.length
    rawDue += await timed(rawFollowUps, () => raw.followUps(rep(owner), team(Math.floor(owner / (owners / teams))), until))
  }
  // The pipeline now (the target), and as it stood a month before `asOf` (rebuilt from the history).
  const forecast = (at?: string) =>
    runtime.runPromise(
      services.opportunities.forecast({ actor: manager, period: "quarter", by: "stage", ...(at === undefined ? {} : { asOf: at }) })
    )
  const monthBefore = iso(Date.parse(asOf) - 30 * day)
  const pipelineSamples: Array<number> = []
  const pastSamples: Array<number> = []
  const rawPipeline: Array<number> = []
  await forecast()
  await raw.pipeline()
  let rows = 0
  for (let i = 0; i < (quick ? 3 : 5); i++) {
    rows = (await timed(pipelineSamples, () => forecast())).rows.length
    await timed(rawPipeline, raw.pipeline)
    await timed(pastSamples, () => forecast(monthBefore))
  }
  // Analytics: the open pipeline by stage over every opportunity; a dynamic segment over every account.
  const byStage: Array<number> = []
  const segmentCounts: Array<number> = []
  const segmentPages: Array<number> = []
  const rule: SegmentRule.Rule = {
    all: [
      { field: "country", op: "in", values: ["DE", "AT"] },
      { field: "activities", days: 90, op: "gte", value: 2 },
      { field: "wonCount", days: 365, op: "gte", value: 1 }
    ]
  }
  await services.analytics.pipelineByStage({ actor: manager }).pipe(runtime.runPromise)
  let members = 0
  for (let i = 0; i < (quick ? 3 : 5); i++) {
    await timed(byStage, () => runtime.runPromise(services.analytics.pipelineByStage({ actor: manager })))
    members = (await timed(segmentCounts, () => runtime.runPromise(services.segments.count({ actor: manager, rule, asOf })))).count
    await timed(segmentPages, () => runtime.runPromise(services.segments.members({ actor: manager, rule, asOf, limit: 1000 })))
  }
  log(
    `  ${store}: pipeline by stage ${percentile([...byStage], 50).toFixed(0)} ms; segment of ${members} accounts: count ${percentile([...segmentCounts], 50).toFixed(0)} ms, first 1,000 ${percentile([...segmentPages], 50).toFixed(0)} ms`
  )
  log(
    `  ${store}: 360° p50 ${percentile([...views], 50).toFixed(2)} ms / p99 ${percentile([...views], 99).toFixed(2)} ms (${(viewed / viewCount).toFixed(0)} activities+entries per view); ` +
      `follow-ups p99 ${percentile([...followUps], 99).toFixed(2)} ms (${(due / followUpCount).toFixed(0)} per owner; raw ${(rawDue / followUpCount).toFixed(0)}); ` +
      `pipeline ${percentile([...pipelineSamples], 50).toFixed(0)} ms (${rows} rows; raw ${percentile([...rawPipeline], 50).toFixed(0)} ms), as of a month before ${percentile([...pastSamples], 50).toFixed(0)} ms`
  )
  const label = `${sizes.accounts} accounts`
  return [
    figure({ name: `360° view (${label}) p50`, store, value: percentile([...views], 50), unit: "ms", baseline: null }),
    figure({
      name: `360° view (${label}) p99`,
      store,
      value: percentile([...views], 99),
      unit: "ms",
      baseline: null,
      target: "p99 < 10 ms"
    }),
    figure({
      name: `follow-ups of one owner (${label}) p50, ratio raw/partnerkit`,
      store,
      value: percentile([...followUps], 50),
      unit: "ms",
      baseline: percentile([...rawFollowUps], 50),
      better: "lower"
    }),
    figure({
      name: `follow-ups of one owner (${label}) p99, ratio raw/partnerkit`,
      store,
      value: percentile([...followUps], 99),
      unit: "ms",
      baseline: percentile([...rawFollowUps], 99),
      better: "lower",
      target: "p99 < 10 ms"
    }),
    figure({
      name: `pipeline by quarter and stage (${sizes.accounts * sizes.opportunitiesPer} opportunities), ratio raw/partnerkit`,
      store,
      value: percentile([...pipelineSamples], 50),
      unit: "ms",
      baseline: percentile([...rawPipeline], 50),
      better: "lower",
      target: "< 1 s"
    }),
    figure({
      name: `analytics: open pipeline by stage (${sizes.accounts * sizes.opportunitiesPer} opportunities)`,
      store,
      value: percentile([...byStage], 50),
      unit: "ms",
      baseline: null,
      target: "< 1 s"
    }),
    figure({
      name: `dynamic segment over ${sizes.accounts} accounts (country, activities, won deals): count`,
      store,
      value: percentile([...segmentCounts], 50),
      unit: "ms",
      baseline: null,
      target: "< 1 s"
    }),
    figure({
      name: `dynamic segment over ${sizes.accounts} accounts: first 1,000 members`,
      store,
      value: percentile([...segmentPages], 50),
      unit: "ms",
      baseline: null,
      target: "< 1 s"
    }),
    figure({
      name: `pipeline as it stood a month before, from the history (${sizes.accounts * sizes.opportunitiesPer} opportunities)`,
      store,
      value: percentile([...pastSamples], 50),
      unit: "ms",
      baseline: null
    })
  ] satisfies Array<Figure>
}

const runtimeFor = (storage: CrmStorage.Layer): Runtime =>
  ManagedRuntime.make(Crm.layer({ customizing, storage, config: crmConfig })) as Runtime

/** The loaded file for `sizes`, from the cache or built (and then cached). */
const datasetFile = async (sizes: Sizes, log: (line: string) => void): Promise<string> => {
  const cache = join(dirname(fileURLToPath(import.meta.url)), "..", ".cache")
  const cached = join(cache, `crm-${sizes.accounts}x${sizes.activitiesPer}x${sizes.opportunitiesPer}-v2.sqlite`)
  if (existsSync(cached)) {
    log(`  sqlite: reusing ${cached} (delete it to load the data again)`)
    return cached
  }
  mkdirSync(cache, { recursive: true })
  const building = `${cached}.building`
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${building}${suffix}`, { force: true })
  const runtime = runtimeFor(SqliteCrmStore.layer({ filename: building }))
  await load(runtime, sizes, log, "sqlite", async () => {
    // What the store's `PRAGMA optimize` does at the next open: statistics for the loaded tables.
    const analyzer = new Database(building)
    analyzer.exec("ANALYZE")
    analyzer.close()
  })
  await runtime.dispose()
  const db = new Database(building)
  db.pragma("wal_checkpoint(TRUNCATE)")
  db.close()
  renameSync(building, cached)
  return cached
}

/** Copies every table with rows from the SQLite file into `schema` (created by the PostgreSQL store), with COPY. */
export const copyToPostgres = async (filename: string, client: pg.Client, schema: string, log: (line: string) => void) => {
  const started = performance.now()
  const db = new Database(filename, { readonly: true })
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>
  )
    .map((t) => t.name)
    .filter((t) => !t.includes("migration"))
  const copyText = (value: unknown) =>
    value === null || value === undefined
      ? "\\N"
      : String(value).replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")
  let rows = 0
  for (const table of tables) {
    const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name)
    const statement = db.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(", ")} FROM ${table}`).raw(true)
    const stream = client.query(copyFrom(`COPY ${schema}.${table} (${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN`))
    await pipeline(
      (function* () {
        let chunk: Array<string> = []
        for (const row of statement.iterate() as Iterable<Array<unknown>>) {
          chunk.push(`${row.map(copyText).join("\t")}\n`)
          rows += 1
          if (chunk.length === 5_000) {
            yield chunk.join("")
            chunk = []
          }
        }
        if (chunk.length > 0) yield chunk.join("")
      })(),
      stream
    )
  }
  db.close()
  log(
    `  postgres: ${rows} rows of ${tables.length} tables copied from the SQLite file in ${((performance.now() - started) / 1000).toFixed(0)} s`
  )
  return tables
}

export const run = async (options: BenchOptions): Promise<Array<Figure>> => {
  const sizes: Sizes = { accounts: options.quick ? 2_000 : 100_000, activitiesPer: 10, opportunitiesPer: 2 }
  const figures: Array<Figure> = []
  const source = await datasetFile(sizes, options.log)

  const dir = mkdtempSync(join(tmpdir(), "partnerkit-bench-crm-"))
  try {
    const filename = join(dir, "crm.sqlite")
    copyFileSync(source, filename)
    const runtime = runtimeFor(SqliteCrmStore.layer({ filename }))
    const raw = rawSqlite(filename)
    figures.push(...(await measure(runtime, raw, sizes, "sqlite", options.quick, options.log)))
    await raw.close()
    await runtime.dispose()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  const admin = new pg.Client({ connectionString: databaseUrl })
  const reachable = await admin.connect().then(
    () => true,
    (error: unknown) => {
      options.log(`  postgres: skipped, no server at ${databaseUrl} (${String(error)})`)
      return false
    }
  )
  if (!reachable) return figures
  const schema = `pk_bench_crm_${process.pid}`
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    // The store creates the schema (every migration), then the rows are copied in.
    const created = runtimeFor(PostgresCrmStore.layer({ url: databaseUrl, schema, maxConnections: 4 }))
    await created.runPromise(Effect.void)
    await created.dispose()
    const tables = await copyToPostgres(source, admin, schema, options.log)
    // Autovacuum is off on the development machines: statistics and visibility map, as it would keep them.
    await admin.query(`VACUUM ANALYZE ${tables.map((t) => `${schema}.${t}`).join(", ")}`)
    const runtime = runtimeFor(PostgresCrmStore.layer({ url: databaseUrl, schema, maxConnections: 4 }))
    figures.push(...(await measure(runtime, rawPostgres(admin, schema), sizes, "postgres", options.quick, options.log)))
    await runtime.dispose()
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {})
    await admin.end()
  }
  return figures
}
