/**
 * Registers the cross-process number-range test for one store: `processes` OS processes, each
 * drawing `draws` numbers in transactions that also insert the customer (every fifth transaction
 * fails on purpose), against one fresh database.
 */
import { Actor, CustomerStore, NumberRangeStore, type Storage } from "@partnerkit/core"
import { Effect, Layer, Option } from "effect"
import { expect, it } from "vitest"
import { drawInProcesses } from "./Processes.js"

export interface ProcessesSuiteOptions {
  readonly name: string
  /** The worker entry: a TS file calling `runWorker` with the store's layer. */
  readonly worker: string
  /** The store's config for a fresh database (JSON: it is passed to the processes). */
  readonly config: () => unknown
  /** The same store, opened in this process to check the result. */
  readonly layer: (config: unknown) => Storage.Layer
}

export const processesSuite = (options: ProcessesSuiteOptions, processes = 4, draws = 40): void => {
  it(`${options.name}: ${processes} processes drawing concurrently get every number once, without gaps`, async () => {
    const config = options.config()
    const tenant = `procs-${process.pid}`
    const result = await drawInProcesses(
      options.worker,
      { config, tenant, range: "C" },
      {
        processes,
        draws,
        failEvery: 5
      }
    )
    expect(result.errors).toEqual([])
    const all = result.committed.flat().sort((a, b) => a - b)
    const expected = processes * (draws - Math.floor(draws / 5))
    expect(all).toEqual(Array.from({ length: expected }, (_, i) => i + 1))
    // Every process got some of them: the draws really interleaved.
    for (const numbers of result.committed) expect(numbers.length).toBe(draws - Math.floor(draws / 5))

    const [last, customers] = await Effect.runPromise(
      Effect.scoped(
        Effect.flatMap(Layer.build(options.layer(config)), (context) =>
          Effect.gen(function* () {
            const ranges = yield* NumberRangeStore
            const store = yield* CustomerStore
            return [yield* ranges.last(tenant, "C"), yield* store.list({ tenant, visibility: Actor.unrestricted, limit: 1_000 })] as const
          }).pipe(Effect.provide(context))
        )
      )
    )
    expect(last).toEqual(Option.some(expected))
    expect(customers.map((c) => c.number)).toEqual(all.map((n) => `C${String(n).padStart(6, "0")}`))
    console.info(`${options.name}: ${expected} numbers drawn by ${processes} processes in ${result.drawMillis} ms`)
  }, 60_000)
}
