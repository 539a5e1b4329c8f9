/**
 * partnerkit on SQLite and PostgreSQL against the raw driver doing the same writes with the same
 * transaction boundaries, on the same run and the same generated rows (issue 3 §7). A customer is
 * general data, one company-code view, one sales-area view and two contact persons: with the four
 * self partners of the sold-to procedure and the change document of the create that is 46 rows in
 * 7 tables, plus the index rows partnerkit keeps with every customer (about 19: the duplicate
 * check's match-index keys and entry, the search tokens) in 3 more (`stores/Data.ts` writes them
 * all by hand for the raw side; the suite checks that both sides wrote the same rows).
 *
 * 1. create: `kit.customers.create`, one customer per transaction (validation, number draw,
 *    partners, change document, duplicate check and index rows), against better-sqlite3 / `pg`
 *    doing the draw and the INSERTs of every table in one transaction per customer; PostgreSQL on one connection and on eight.
 *    Once more with the duplicate check switched off (its two messages `off`): the work the raw
 *    side does, without the candidate reads and scoring it has no counterpart for.
 * 2. import: `kit.customers.importCustomers` from an async generator, 1,000 per transaction,
 *    against multi-row INSERTs of 1,000 customers per transaction (PostgreSQL also against COPY),
 *    each in a child process with node's default flags, peak RSS sampled every 100 ms.
 * 3. display by number, p50 / p99, against the same five SELECTs on one snapshot.
 * 4. number draws by 8 concurrent workers (SQLite: 8 OS processes on one file; PostgreSQL: 8
 *    connections), gap-free (one transaction per number) and buffered (blocks of
 *    `numberRanges.C.buffer` reserved in one transaction each, handed out from memory).
 *
 * Ratios: `value / baseline` for rates; for latencies and memory `baseline / value` (raw /
 * partnerkit, said in the figure's name). Either way a ratio ≥ 1 means partnerkit is at least as good.
 */
import { type ChildProcess, fork } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Actor, Customizing, createPartnerKit, NumberRangeStore, type PartnerKit, type Storage } from "@partnerkit/core"
import { PostgresStore } from "@partnerkit/storage-postgres"
import { SqliteStore } from "@partnerkit/storage-sqlite"
import { Effect } from "effect"
import { build } from "esbuild"
import pg from "pg"
import { type BenchOptions, type Figure, figure, percentile, seeded } from "./Figures.js"
import type { DrawRun, DrawTask, ImportReport, ImportTask, Message, Target } from "./stores/Child.js"
import * as Data from "./stores/Data.js"
import * as RawPostgres from "./stores/RawPostgres.js"
import * as RawSqlite from "./stores/RawSqlite.js"

const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const root = fileURLToPath(new URL("../../", import.meta.url))
const actor = Actor.superUser(Data.tenant, Data.user)
const buffer = 1_000
const workers = 8

interface Sizes {
  /** Milliseconds each create measurement runs (after the warm-up). */
  readonly window: number
  readonly warmup: number
  readonly reads: number
  readonly imported: number
  readonly drawMillis: number
}

const sizes = (quick: boolean): Sizes =>
  quick
    ? { window: 500, warmup: 20, reads: 300, imported: 500, drawMillis: 150 }
    : { window: 10_000, warmup: 1_000, reads: 20_000, imported: 1_000_000, drawMillis: 5_000 }

const gc = () => (globalThis as { gc?: () => void }).gc?.()
const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toPrecision(3))
const mb = (bytes: number) => bytes / 1024 / 1024

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------

/** Runs `op` in `concurrency` loops for `millis` ms; operations per second. */
const rate = async (concurrency: number, millis: number, op: () => unknown): Promise<{ perSecond: number; done: number }> => {
  gc()
  let done = 0
  const started = performance.now()
  const end = started + millis
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await op()
        done += 1
      }
    })
  )
  return { perSecond: done / ((performance.now() - started) / 1000), done }
}

const warm = async (concurrency: number, count: number, op: () => unknown) => {
  let left = count
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await op()
    })
  )
}

/** p50 and p99 of `samples` calls of `op` on random numbers in 1…`created`. */
const latencies = async (samples: number, created: number, op: (number: string) => unknown) => {
  const random = seeded(7)
  const pick = () => Data.formatNumber(1 + Math.floor(random() * created))
  for (let i = 0; i < Math.min(1_000, samples / 2); i++) await op(pick())
  gc()
  const times: Array<number> = []
  for (let i = 0; i < samples; i++) {
    const number = pick()
    const t0 = performance.now()
    const found = await op(number)
    times.push(performance.now() - t0)
    if (found === undefined) throw new Error(`${number} was not found`)
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) }
}

// ---------------------------------------------------------------------------------------------
// Same rows on both sides
// ---------------------------------------------------------------------------------------------

/** The rows of customers 1…n in every table, as the raw side's columns (timestamps left out). */
const rowsQuery = (table: Data.Table, placeholder: (i: number) => string) => {
  const cols = Data.columns[table].filter((c) => !c.endsWith("_at"))
  const numberColumn = table === "customers" ? "number" : "customer_number"
  return `SELECT ${cols.join(", ")} FROM ${table} WHERE tenant = ${placeholder(1)} AND ${numberColumn} <= ${placeholder(2)} ORDER BY ${cols
    .slice(0, 4)
    .join(", ")}`
}

const sameRows = (label: string, kit: unknown, raw: unknown) => {
  if (JSON.stringify(kit) !== JSON.stringify(raw)) throw new Error(`${label}: partnerkit and the raw driver wrote different rows`)
}

const sqliteRows = (file: string, n: number) => {
  const db = RawSqlite.open(file)
  try {
    return Data.tables.map((t) =>
      db
        .prepare(rowsQuery(t, () => "?"))
        .raw()
        .all(Data.tenant, Data.formatNumber(n))
    )
  } finally {
    db.close()
  }
}

const sqliteCounts = (file: string) => {
  const db = RawSqlite.open(file)
  try {
    return Object.fromEntries(
      [...Data.tables, "key_mappings" as const].map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n])
    )
  } finally {
    db.close()
  }
}

const pgRows = async (client: pg.Client, schema: string, n: number) => {
  await client.query(`SET search_path = ${schema}`)
  const out = []
  for (const t of Data.tables) {
    out.push(
      (await client.query({ text: rowsQuery(t, (i) => `$${i}`), values: [Data.tenant, Data.formatNumber(n)], rowMode: "array" })).rows
    )
  }
  return out
}

const pgCounts = async (client: pg.Client, schema: string) => {
  const out: Record<string, number> = {}
  for (const t of [...Data.tables, "key_mappings" as const])
    out[t] = Number((await client.query(`SELECT count(*) AS n FROM ${schema}.${t}`)).rows[0].n)
  return out
}

// ---------------------------------------------------------------------------------------------
// Child processes (imports, SQLite draw workers), bundled so that they start in about a second
// ---------------------------------------------------------------------------------------------

const bundleChild = async (): Promise<string> => {
  const dir = join(root, "node_modules", ".cache", "partnerkit-bench")
  mkdirSync(dir, { recursive: true })
  const outfile = join(dir, `child-${process.pid}.mjs`)
  await build({
    entryPoints: [fileURLToPath(new URL("./stores/Child.ts", import.meta.url))],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    tsconfig: join(root, "tsconfig.base.json"),
    packages: "external",
    // Keep `with { type: "json" }` on external JSON imports (Node 20.10+ requires it; esbuild's
    // node20 target would drop it).
    supported: { "import-attributes": true },
    logLevel: "warning"
  })
  return outfile
}

interface Child {
  readonly process: ChildProcess
  readonly next: () => Promise<Message>
}

/** Starts the child with node's default flags (no larger heap, no exposed gc). */
const startChild = (entry: string, task: ImportTask | DrawTask): Child => {
  const child = fork(entry, [JSON.stringify(task)], { cwd: root, execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] })
  const queue: Array<Message> = []
  const waiting: Array<{ resolve: (m: Message) => void; reject: (e: Error) => void }> = []
  child.on("message", (m) => {
    const w = waiting.shift()
    if (w === undefined) queue.push(m as Message)
    else w.resolve(m as Message)
  })
  child.on("exit", (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`bench child exited with ${code}`))
  })
  return {
    process: child,
    next: () =>
      new Promise<Message>((resolve, reject) => {
        const m = queue.shift()
        if (m !== undefined) resolve(m)
        else waiting.push({ resolve, reject })
      }).then((m) => {
        if (m.type === "failed") throw new Error(`bench child failed:\n${m.error}`)
        return m
      })
  }
}

const exited = (child: Child) =>
  child.process.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.process.once("exit", () => resolve()))

const runImport = async (entry: string, task: ImportTask): Promise<ImportReport> => {
  const child = startChild(entry, task)
  const message = await child.next()
  await exited(child)
  if (message.type !== "done") throw new Error(`unexpected ${message.type} from the import child`)
  return message.report
}

/** 8 draw worker processes; each run has them all draw from one SQLite file; draws per second over all of them. */
const drawProcesses = (entry: string) => {
  const children = Array.from({ length: workers }, () => startChild(entry, { task: "draws" }))
  const run = async (task: DrawRun, millis: number) => {
    for (const c of children) c.process.send(task)
    for (const c of children) await c.next()
    const started = performance.now()
    for (const c of children) c.process.send({ millis })
    const results = await Promise.all(children.map((c) => c.next()))
    const seconds = (performance.now() - started) / 1000
    let draws = 0
    let reservations = 0
    for (const r of results) {
      if (r.type !== "drawn") throw new Error(`unexpected ${r.type} from a draw worker`)
      draws += r.draws
      reservations += r.reservations
    }
    return { perSecond: draws / seconds, draws, reservations }
  }
  /** Lets the workers exit; kills those that do not within 10 s (e.g. after a failed run). */
  const close = async () => {
    for (const c of children) if (c.process.connected) c.process.send({ stop: true })
    const timer = setTimeout(() => {
      for (const c of children) if (c.process.exitCode === null) c.process.kill()
    }, 10_000)
    await Promise.all(children.map(exited))
    clearTimeout(timer)
  }
  return { run, close }
}

// ---------------------------------------------------------------------------------------------
// Suites per store
// ---------------------------------------------------------------------------------------------

const kitOn = (storage: Storage.Layer, withBuffer?: number) => createPartnerKit({ customizing: Data.customizing(withBuffer), storage })

/**
 * The same, with the duplicate check before a create switched off (both of its messages `off`):
 * the work the raw writer does — validation, number draw, rows, change document, index rows —
 * without the candidate reads and scoring the raw side has no counterpart for.
 */
const kitWithoutDuplicateCheck = (storage: Storage.Layer) =>
  createPartnerKit({
    customizing: Customizing.merge(Data.customizing(), {
      messages: { DUPLICATE_SUSPECTED: "off", DUPLICATE_OUTSIDE_AUTHORIZATION: "off" }
    }),
    storage
  })

const createFigure = (name: string, store: string, kit: number, raw: number) =>
  figure({ name, store, value: kit, unit: "customers/s", baseline: raw, target: "≥ 0.5 × raw" })

const readFigures = (store: string, kit: { p50: number; p99: number }, raw: { p50: number; p99: number }) => [
  figure({ name: "display by number p50 (ratio raw/partnerkit)", store, value: kit.p50, unit: "ms", baseline: raw.p50, better: "lower" }),
  figure({ name: "display by number p99 (ratio raw/partnerkit)", store, value: kit.p99, unit: "ms", baseline: raw.p99, better: "lower" })
]

const importFigures = (store: string, count: number, kit: ImportReport, raw: ImportReport, copy?: ImportReport) => {
  const kitRate = count / kit.seconds
  const label = `import ${count.toLocaleString("en-US")} customers, 1,000 per transaction`
  return [
    figure({
      name: `${label} (raw: multi-row INSERTs)`,
      store,
      value: kitRate,
      unit: "customers/s",
      baseline: count / raw.seconds,
      target: "≥ 0.6 × raw"
    }),
    ...(copy === undefined
      ? []
      : [figure({ name: `${label} (raw: COPY)`, store, value: kitRate, unit: "customers/s", baseline: count / copy.seconds })]),
    figure({
      name: `import peak RSS (ratio raw/partnerkit)`,
      store,
      value: mb(kit.peakRss),
      unit: "MB",
      baseline: mb(raw.peakRss),
      better: "lower",
      target: "< 400 MB"
    })
  ]
}

const drawFigures = (store: string, where: string, gapFree: { kit: number; raw: number }, buffered: { kit: number; raw: number }) => [
  figure({ name: `number draws, gap-free, ${where}`, store, value: gapFree.kit, unit: "draws/s", baseline: gapFree.raw }),
  figure({
    name: `number draws, buffered ${buffer.toLocaleString("en-US")}, ${where}`,
    store,
    value: buffered.kit,
    unit: "draws/s",
    baseline: buffered.raw
  })
]

const sqliteSuite = async (dir: string, entry: string, s: Sizes, log: (line: string) => void): Promise<Array<Figure>> => {
  const figures: Array<Figure> = []
  const file = (name: string) => join(dir, `${name}.sqlite`)
  const migrate = (filename: string) => Effect.runPromise(SqliteStore.migrate({ filename }))

  // 1. create, one customer per transaction
  await migrate(file("raw-create"))
  const db = RawSqlite.open(file("raw-create"))
  RawSqlite.prepareRange(db)
  const rawCreate = RawSqlite.creator(db)
  const rawNext = Data.generator(1)
  await warm(1, s.warmup, () => rawCreate(rawNext()))
  const raw = await rate(1, s.window, () => rawCreate(rawNext()))
  const kit = await kitOn(SqliteStore.layer({ filename: file("kit-create") }))
  const kitNext = Data.generator(1)
  await warm(1, s.warmup, () => kit.customers.create({ actor, ...kitNext() }))
  const measured = await rate(1, s.window, () => kit.customers.create({ actor, ...kitNext() }))
  log(`  sqlite create: partnerkit ${fmt(measured.perSecond)}/s, raw ${fmt(raw.perSecond)}/s`)
  figures.push(createFigure("create, 1 customer per transaction", "sqlite", measured.perSecond, raw.perSecond))
  const created = s.warmup + Math.min(raw.done, measured.done)
  sameRows("sqlite create", sqliteRows(file("kit-create"), created), sqliteRows(file("raw-create"), created))
  {
    const bare = await kitWithoutDuplicateCheck(SqliteStore.layer({ filename: file("kit-create-no-duplicate-check") }))
    const bareNext = Data.generator(1)
    await warm(1, s.warmup, () => bare.customers.create({ actor, ...bareNext() }))
    const bareRate = await rate(1, s.window, () => bare.customers.create({ actor, ...bareNext() }))
    log(`  sqlite create, duplicate check off: partnerkit ${fmt(bareRate.perSecond)}/s, raw ${fmt(raw.perSecond)}/s`)
    figures.push(createFigure("create, 1 customer per transaction, duplicate check off", "sqlite", bareRate.perSecond, raw.perSecond))
    await bare.close()
  }

  // 3. display by number
  const rawRead = RawSqlite.reader(db)
  const rawReads = await latencies(s.reads, created, (n) => rawRead(n))
  const kitReads = await latencies(s.reads, created, (number) => kit.customers.display({ actor, number }))
  log(`  sqlite display p50/p99: partnerkit ${fmt(kitReads.p50)}/${fmt(kitReads.p99)} ms, raw ${fmt(rawReads.p50)}/${fmt(rawReads.p99)} ms`)
  figures.push(...readFigures("sqlite", kitReads, rawReads))
  db.close()
  await kit.close()

  // 4. number draws: 8 OS processes on one file (one process has one writer connection)
  const pool = drawProcesses(entry)
  try {
    const draws = async (side: "partnerkit" | "raw", size: number) => {
      const filename = file(`draws-${side}-${size}`)
      await migrate(filename)
      const result = await pool.run({ side, filename, buffer: size }, s.drawMillis)
      const check = RawSqlite.open(filename)
      const last = (check.prepare("SELECT last FROM number_range_state").get() as { last: number } | undefined)?.last ?? 0
      check.close()
      if (last !== result.reservations * size)
        throw new Error(`sqlite draws (${side}, ${size}): ${result.reservations * size} reserved, range at ${last}`)
      return result.perSecond
    }
    const gapFree = { raw: await draws("raw", 1), kit: await draws("partnerkit", 1) }
    const buffered = { raw: await draws("raw", buffer), kit: await draws("partnerkit", buffer) }
    log(
      `  sqlite draws gap-free: partnerkit ${fmt(gapFree.kit)}/s, raw ${fmt(gapFree.raw)}/s; buffered: ${fmt(buffered.kit)}/s, ${fmt(buffered.raw)}/s`
    )
    figures.push(...drawFigures("sqlite", `${workers} processes`, gapFree, buffered))
  } finally {
    await pool.close()
  }

  // 2. bulk import
  const imported = async (side: "partnerkit" | "raw") => {
    const filename = file(`import-${side}`)
    if (side === "raw") await migrate(filename)
    const target: Target = { store: "sqlite", filename }
    const report = await runImport(entry, { task: "import", side, target, count: s.imported, batch: 1_000, seed: 2 })
    log(
      `  sqlite import (${side}): ${fmt(s.imported / report.seconds)}/s, peak RSS ${fmt(mb(report.peakRss))} MB (start ${fmt(mb(report.startRss))} MB)`
    )
    return report
  }
  const rawImport = await imported("raw")
  const kitImport = await imported("partnerkit")
  const counts = [sqliteCounts(file("import-partnerkit")), sqliteCounts(file("import-raw"))]
  sameRows("sqlite import (row counts)", counts[0], counts[1])
  if (kitImport.created !== s.imported) throw new Error(`sqlite import created ${kitImport.created} of ${s.imported}`)
  figures.push(...importFigures("sqlite", s.imported, kitImport, rawImport))
  for (const side of ["partnerkit", "raw"])
    for (const suffix of ["", "-wal", "-shm"]) rmSync(file(`import-${side}`) + suffix, { force: true })
  return figures
}

const postgresSuite = async (entry: string, s: Sizes, log: (line: string) => void): Promise<Array<Figure>> => {
  const figures: Array<Figure> = []
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  const schemas: Array<string> = []
  const schema = async (label: string) => {
    const name = `pkbench_${process.pid}_${label}`
    schemas.push(name)
    await Effect.runPromise(PostgresStore.migrate({ url: databaseUrl, schema: name }))
    return name
  }
  const store = (name: string, maxConnections: number) => PostgresStore.layer({ url: databaseUrl, schema: name, maxConnections })
  // A server with autovacuum off never analyzes the fresh tables: the plans of the foreign-key
  // checks, made while the tables were empty, stay sequential scans and every insert gets slower
  // as the tables grow. Do what autovacuum's auto-analyze would do, for both sides alike.
  const autovacuum = (await admin.query<{ autovacuum: string }>("SHOW autovacuum")).rows[0]?.autovacuum === "on"
  if (!autovacuum) log("  ! this server runs with autovacuum = off: the suite ANALYZEs its tables every 2 s, as auto-analyze would")
  const analyzed = async <A>(name: string, work: () => Promise<A>): Promise<A> => {
    if (autovacuum) return work()
    const client = new pg.Client({ connectionString: databaseUrl })
    await client.connect()
    let running = true
    const tables = [...Data.tables, "key_mappings", "number_range_state"].map((t) => `${name}.${t}`).join(", ")
    const loop = (async () => {
      while (running) {
        await new Promise((resolve) => setTimeout(resolve, 2_000))
        if (running) await client.query(`ANALYZE ${tables}`)
      }
    })()
    try {
      return await work()
    } finally {
      running = false
      await loop.catch(() => undefined)
      await client.end()
    }
  }
  try {
    // 1. create, one customer per transaction: one connection, then eight
    const creates = async (connections: number) => {
      const rawSchema = await schema(`raw_create${connections}`)
      const clients = await Promise.all(Array.from({ length: connections }, () => RawPostgres.connect(databaseUrl, rawSchema)))
      await RawPostgres.prepareRange(clients[0]!)
      const rawNext = Data.generator(1)
      const pool = clients.slice()
      const op = async () => {
        const client = pool.pop()!
        try {
          await RawPostgres.create(client, rawNext())
        } finally {
          pool.push(client)
        }
      }
      const raw = await analyzed(rawSchema, async () => {
        await warm(connections, s.warmup, op)
        return rate(connections, s.window, op)
      })
      const kitSchema = await schema(`kit_create${connections}`)
      const kit = await kitOn(store(kitSchema, connections))
      const kitNext = Data.generator(1)
      const kitOp = () => kit.customers.create({ actor, ...kitNext() })
      const measured = await analyzed(kitSchema, async () => {
        await warm(connections, s.warmup, kitOp)
        return rate(connections, s.window, kitOp)
      })
      log(
        `  postgres create (${connections} connection${connections > 1 ? "s" : ""}): partnerkit ${fmt(measured.perSecond)}/s, raw ${fmt(raw.perSecond)}/s`
      )
      const connectionsLabel = connections === 1 ? "1 connection" : `${connections} connections`
      figures.push(createFigure(`create, 1 customer per transaction, ${connectionsLabel}`, "postgres", measured.perSecond, raw.perSecond))
      const created = s.warmup + Math.min(raw.done, measured.done)
      if (connections === 1) sameRows("postgres create", await pgRows(admin, kitSchema, created), await pgRows(admin, rawSchema, created))
      return { kit, clients, created, raw }
    }
    const single = await creates(1)
    {
      const bareSchema = await schema("kit_create_bare")
      const bare = await kitWithoutDuplicateCheck(store(bareSchema, 1))
      const bareNext = Data.generator(1)
      const bareOp = () => bare.customers.create({ actor, ...bareNext() })
      const bareRate = await analyzed(bareSchema, async () => {
        await warm(1, s.warmup, bareOp)
        return rate(1, s.window, bareOp)
      })
      log(
        `  postgres create (1 connection), duplicate check off: partnerkit ${fmt(bareRate.perSecond)}/s, raw ${fmt(single.raw.perSecond)}/s`
      )
      figures.push(
        createFigure(
          "create, 1 customer per transaction, 1 connection, duplicate check off",
          "postgres",
          bareRate.perSecond,
          single.raw.perSecond
        )
      )
      await bare.close()
    }

    // 3. display by number (one connection each)
    const client = single.clients[0]!
    const rawReads = await latencies(s.reads, single.created, (n) => RawPostgres.read(client, n))
    const kitReads = await latencies(s.reads, single.created, (number) => single.kit.customers.display({ actor, number }))
    log(
      `  postgres display p50/p99: partnerkit ${fmt(kitReads.p50)}/${fmt(kitReads.p99)} ms, raw ${fmt(rawReads.p50)}/${fmt(rawReads.p99)} ms`
    )
    figures.push(...readFigures("postgres", kitReads, rawReads))
    await single.kit.close()
    for (const c of single.clients) await c.end()

    const eight = await creates(workers)
    await eight.kit.close()
    for (const c of eight.clients) await c.end()

    // 4. number draws: 8 connections
    const draws = async (side: "partnerkit" | "raw", size: number) => {
      const name = await schema(`draws_${side === "raw" ? "raw" : "kit"}_${size}`)
      let reservations = 0
      let result: { perSecond: number; done: number }
      if (side === "raw") {
        const clients = await Promise.all(Array.from({ length: workers }, () => RawPostgres.connect(databaseUrl, name)))
        await RawPostgres.prepareRange(clients[0]!)
        const pool = clients.slice()
        result = await rate(workers, s.drawMillis, async () => {
          const c = pool.pop()!
          try {
            await RawPostgres.drawPositions(c, size)
          } finally {
            pool.push(c)
          }
          reservations += 1
        })
        for (const c of clients) await c.end()
      } else {
        const kit: PartnerKit.PartnerKit = await kitOn(store(name, workers))
        const interval = { from: 1, to: 99_999_999 }
        const ranges = await kit.run(NumberRangeStore)
        result = await rate(workers, s.drawMillis, async () => {
          await kit.run(ranges.draw(Data.tenant, Data.rangeId, interval, size))
          reservations += 1
        })
        await kit.close()
      }
      const last = Number((await admin.query(`SELECT last FROM ${name}.number_range_state`)).rows[0]?.last ?? 0)
      if (last !== reservations * size)
        throw new Error(`postgres draws (${side}, ${size}): ${reservations * size} reserved, range at ${last}`)
      return result.perSecond * size
    }
    const gapFree = { raw: await draws("raw", 1), kit: await draws("partnerkit", 1) }
    const buffered = { raw: await draws("raw", buffer), kit: await draws("partnerkit", buffer) }
    log(
      `  postgres draws gap-free: partnerkit ${fmt(gapFree.kit)}/s, raw ${fmt(gapFree.raw)}/s; buffered: ${fmt(buffered.kit)}/s, ${fmt(buffered.raw)}/s`
    )
    figures.push(...drawFigures("postgres", `${workers} connections`, gapFree, buffered))

    // 2. bulk import
    const imported = async (side: "partnerkit" | "raw" | "copy") => {
      const name = await schema(`import_${side === "partnerkit" ? "kit" : side}`)
      const target: Target = { store: "postgres", url: databaseUrl, schema: name }
      const report = await analyzed(name, () =>
        runImport(entry, { task: "import", side, target, count: s.imported, batch: 1_000, seed: 2 })
      )
      log(
        `  postgres import (${side}): ${fmt(s.imported / report.seconds)}/s, peak RSS ${fmt(mb(report.peakRss))} MB (start ${fmt(mb(report.startRss))} MB)`
      )
      const counts = await pgCounts(admin, name)
      await admin.query(`DROP SCHEMA ${name} CASCADE`)
      return { report, counts }
    }
    const rawImport = await imported("raw")
    const copyImport = await imported("copy")
    const kitImport = await imported("partnerkit")
    sameRows("postgres import (row counts)", kitImport.counts, rawImport.counts)
    sameRows("postgres import (row counts, COPY)", kitImport.counts, copyImport.counts)
    if (kitImport.report.created !== s.imported) throw new Error(`postgres import created ${kitImport.report.created} of ${s.imported}`)
    figures.push(...importFigures("postgres", s.imported, kitImport.report, rawImport.report, copyImport.report))
    return figures
  } finally {
    for (const name of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`)
    await admin.end()
  }
}

const postgresReachable = async () => {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2_000 })
  try {
    await client.connect()
    await client.end()
    return true
  } catch {
    return false
  }
}

export const run = async (options: BenchOptions): Promise<Array<Figure>> => {
  const s = { ...sizes(options.quick), ...(options.imported === undefined ? {} : { imported: options.imported }) }
  const dir = mkdtempSync(join(tmpdir(), "partnerkit-bench-stores-"))
  const entry = await bundleChild()
  try {
    const measured = (store: string) => options.stores === undefined || options.stores.includes(store)
    const figures = measured("sqlite") ? await sqliteSuite(dir, entry, s, options.log) : []
    if (!measured("postgres")) return figures
    if (await postgresReachable()) figures.push(...(await postgresSuite(entry, s, options.log)))
    else options.log(`  !!! PostgreSQL at ${databaseUrl} does not answer: its figures are SKIPPED (set DATABASE_URL or start the server)`)
    return figures
  } finally {
    rmSync(dir, { recursive: true, force: true })
    rmSync(entry, { force: true })
  }
}
