/**
 * The body of one OS process of the cross-process number-range test. A store's worker entry
 * (e.g. `storage-sqlite/test/support/SqliteDrawWorker.ts`) calls `runWorker` with its layer;
 * `Processes.ts` bundles that entry and forks it. The process opens the store with the config in
 * its argument, reports `ready`, waits for `go`, then runs `draws` transactions that each draw one
 * number and insert the customer with it; every `failEvery`-th transaction fails after both
 * writes (so its number must return to the range). It reports the numbers that committed.
 */
import { CustomerStore, NumberRangeStore, type Storage, StoreTransaction } from "@partnerkit/core"
import { Effect, Either, ManagedRuntime } from "effect"

export interface WorkerSpec {
  /** The store's config (JSON). */
  readonly config: unknown
  readonly tenant: string
  readonly range: string
  readonly draws: number
  readonly failEvery: number
}

export type WorkerMessage =
  | { readonly type: "ready" }
  | { readonly type: "done"; readonly committed: ReadonlyArray<number>; readonly errors: ReadonlyArray<string> }
  | { readonly type: "failed"; readonly error: string }

const send = (message: WorkerMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()))

/** Runs this process as a worker on the store `layer` builds from the config it is given. */
export const runWorker = async (layer: (config: unknown) => Storage.Layer): Promise<void> => {
  const spec = JSON.parse(process.argv[2]!) as WorkerSpec
  const runtime = ManagedRuntime.make(layer(spec.config))
  try {
    await runtime.runPromise(Effect.void)
    const go = new Promise<void>((resolve) => process.once("message", () => resolve()))
    await send({ type: "ready" })
    await go
    const committed: Array<number> = []
    const errors: Array<string> = []
    for (let i = 0; i < spec.draws; i++) {
      const outcome = await runtime.runPromise(
        Effect.gen(function* () {
          const tx = yield* StoreTransaction
          const ranges = yield* NumberRangeStore
          const customers = yield* CustomerStore
          return yield* Effect.either(
            tx.withTransaction(
              Effect.gen(function* () {
                const { first } = yield* ranges.draw(spec.tenant, spec.range, { from: 1, to: 999_999 })
                const number = `C${String(first).padStart(6, "0")}`
                yield* customers.insert({
                  tenant: spec.tenant,
                  number,
                  accountGroup: "0001",
                  general: { name: `Customer ${number} of process ${process.pid}` },
                  companyCodes: [],
                  salesAreas: [],
                  contacts: [],
                  centralBlock: null,
                  deletionFlag: false,
                  version: 1,
                  createdBy: `pid ${process.pid}`,
                  createdAt: new Date().toISOString(),
                  changedBy: `pid ${process.pid}`,
                  changedAt: new Date().toISOString()
                })
                if (i % spec.failEvery === spec.failEvery - 1) return yield* Effect.fail({ _tag: "Abandoned" as const })
                return first
              })
            )
          )
        })
      )
      if (Either.isRight(outcome)) committed.push(outcome.right)
      else if (outcome.left._tag !== "Abandoned") errors.push(String((outcome.left as { message?: string }).message ?? outcome.left._tag))
    }
    await send({ type: "done", committed, errors })
  } catch (error) {
    await send({ type: "failed", error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  } finally {
    await runtime.dispose()
  }
}
