/**
 * The store benchmark's child processes, started by `Stores.ts` with node's default flags (no
 * `--max-old-space-size`, no `--expose-gc`): what an application's process would run with.
 *
 * - `import`: one bulk import (partnerkit, raw multi-row INSERTs, or COPY) of `count` generated
 *   customers in batches of `batch`, sampling `process.memoryUsage().rss` every 100 ms (and after
 *   every batch); answers with the time and the peak RSS.
 * - `draws`: a number-draw worker (one of 8 OS processes on one SQLite file): on `go` it draws
 *   for `millis` ms, gap-free (one transaction per number) or buffered (blocks of `buffer`
 *   reserved in one transaction each, handed out from memory), and answers how many it drew.
 */
import { Actor, createPartnerKit, NumberRangeStore, type PartnerKit } from "@partnerkit/core"
import { PostgresStore } from "@partnerkit/storage-postgres"
import { SqliteStore } from "@partnerkit/storage-sqlite"
import { Effect } from "effect"
import * as Data from "./Data.js"
import * as RawPostgres from "./RawPostgres.js"
import * as RawSqlite from "./RawSqlite.js"

export type Target =
  | { readonly store: "sqlite"; readonly filename: string }
  | { readonly store: "postgres"; readonly url: string; readonly schema: string }

export interface ImportTask {
  readonly task: "import"
  readonly side: "partnerkit" | "raw" | "copy"
  readonly target: Target
  readonly count: number
  readonly batch: number
  readonly seed: number
}

export interface ImportReport {
  readonly seconds: number
  /** RSS after opening the store, before the first record. */
  readonly startRss: number
  readonly peakRss: number
  readonly created: number
  readonly failed: number
}

/** A draw worker: started once, it runs the `DrawRun`s it is sent until it is sent `{ stop: true }`. */
export interface DrawTask {
  readonly task: "draws"
}

export interface DrawRun {
  readonly side: "partnerkit" | "raw"
  readonly filename: string
  /** Positions per reservation: 1 is gap-free. */
  readonly buffer: number
}

export type Message =
  | { readonly type: "ready" }
  | { readonly type: "done"; readonly report: ImportReport }
  | { readonly type: "drawn"; readonly draws: number; readonly reservations: number }
  | { readonly type: "failed"; readonly error: string }

const send = (message: Message) => new Promise<void>((resolve) => process.send!(message, () => resolve()))

export const system = "bench-import"

/** The import's source: an async generator of `count` keyed records. */
async function* source(count: number, seed: number) {
  const next = Data.generator(seed)
  for (let i = 1; i <= count; i++) yield { key: `K${i}`, ...next() }
}

const rssSampler = () => {
  let peak = process.memoryUsage().rss
  const sample = () => {
    const rss = process.memoryUsage().rss
    if (rss > peak) peak = rss
  }
  const timer = setInterval(sample, 100)
  return { sample, peak: () => peak, stop: () => clearInterval(timer) }
}

const kitFor = (target: Target, buffer?: number) =>
  createPartnerKit({
    customizing: Data.customizing(buffer),
    storage:
      target.store === "sqlite"
        ? SqliteStore.layer({ filename: target.filename })
        : PostgresStore.layer({ url: target.url, schema: target.schema, maxConnections: 2 })
  })

const runImport = async (task: ImportTask): Promise<ImportReport> => {
  const actor = Actor.superUser(Data.tenant, Data.user)
  if (task.side === "partnerkit") {
    const kit = await kitFor(task.target)
    const rss = rssSampler()
    const startRss = rss.peak()
    const started = performance.now()
    const result = await kit.customers.importCustomers({
      actor,
      system,
      source: source(task.count, task.seed),
      batchSize: task.batch,
      onProgress: rss.sample
    })
    const seconds = (performance.now() - started) / 1000
    rss.sample()
    rss.stop()
    await kit.close()
    return { seconds, startRss, peakRss: rss.peak(), created: result.created, failed: result.failed }
  }
  const target = task.target
  const write: (batch: ReadonlyArray<RawPostgres.Keyed>) => unknown =
    target.store === "sqlite"
      ? await (async () => {
          const db = RawSqlite.open(target.filename)
          RawSqlite.prepareRange(db)
          return RawSqlite.batchWriter(db, system)
        })()
      : await (async () => {
          const client = await RawPostgres.connect(target.url, target.schema)
          await RawPostgres.prepareRange(client)
          const write = task.side === "copy" ? RawPostgres.copyBatch : RawPostgres.writeBatch
          return (batch: ReadonlyArray<RawPostgres.Keyed>) => write(client, batch, system)
        })()
  const rss = rssSampler()
  const startRss = rss.peak()
  const started = performance.now()
  let batch: Array<RawPostgres.Keyed> = []
  let created = 0
  const flush = async () => {
    await write(batch)
    created += batch.length
    batch = []
    rss.sample()
    // better-sqlite3 never gives the event loop a turn: let the 100 ms sampler run.
    await new Promise((resolve) => setImmediate(resolve))
  }
  for await (const { key, ...input } of source(task.count, task.seed)) {
    batch.push({ key, input })
    if (batch.length === task.batch) await flush()
  }
  if (batch.length > 0) await flush()
  const seconds = (performance.now() - started) / 1000
  rss.stop()
  return { seconds, startRss, peakRss: rss.peak(), created, failed: 0 }
}

/** The parent's next message. */
const received = <A>() => new Promise<A>((resolve) => process.once("message", (m: A) => resolve(m)))

/** Waits for the parent's `go` (with the duration in ms). */
const go = async () => (await received<{ readonly millis: number }>()).millis

const runDraws = async () => {
  for (;;) {
    const run = await received<DrawRun | { readonly stop: true }>()
    if ("stop" in run) return
    await drawRun(run)
  }
}

const drawRun = async (task: DrawRun) => {
  const interval = { from: 1, to: 99_999_999 }
  if (task.side === "raw") {
    const db = RawSqlite.open(task.filename)
    RawSqlite.prepareRange(db)
    const draw = RawSqlite.drawer(db)
    await send({ type: "ready" })
    const millis = await go()
    const end = performance.now() + millis
    let draws = 0
    let reservations = 0
    let block = { next: 1, last: 0 }
    while (performance.now() < end) {
      if (block.next > block.last) {
        const first = draw(task.buffer)
        block = { next: first, last: first + task.buffer - 1 }
        reservations += 1
      }
      Data.formatNumber(block.next++)
      draws += 1
    }
    db.close()
    return send({ type: "drawn", draws, reservations })
  }
  const kit: PartnerKit.PartnerKit = await kitFor({ store: "sqlite", filename: task.filename })
  await send({ type: "ready" })
  const millis = await go()
  const counts = await kit.run(
    Effect.gen(function* () {
      const ranges = yield* NumberRangeStore
      const end = performance.now() + millis
      let draws = 0
      let reservations = 0
      let block = { next: 1, last: 0 }
      while (performance.now() < end) {
        if (block.next > block.last) {
          const drawn = yield* ranges.draw(Data.tenant, Data.rangeId, interval, task.buffer)
          block = { next: drawn.first, last: drawn.last }
          reservations += 1
        }
        Data.formatNumber(block.next++)
        draws += 1
      }
      return { draws, reservations }
    })
  )
  await kit.close()
  await send({ type: "drawn", ...counts })
}

const main = async () => {
  const task = JSON.parse(process.argv[2]!) as ImportTask | DrawTask
  if (task.task === "import") await send({ type: "done", report: await runImport(task) })
  else await runDraws()
}

// Exits explicitly: open clients and pools must not keep a finished child alive.
main().then(
  () => process.exit(0),
  async (error: unknown) => {
    await send({ type: "failed", error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
    process.exit(1)
  }
)
