import { Actor, Presets } from "@partnerkit/core"
import { ActivityStore, type ActivityStoreShape, type CrmStorage, createCrm, ReadConcurrency } from "@partnerkit/crm"
import { MemoryCrmStore } from "@partnerkit/storage-memory"
import { Context, Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"

/**
 * The memory store with its activity reads logged as `start …` / `end …`, a yield between the
 * two, so that reads that run at once interleave; `concurrency` overrides `ReadConcurrency`
 * (`undefined`: the store's own value).
 */
const logged = (log: Array<string>, concurrency?: number | "unbounded"): CrmStorage.Layer =>
  Layer.map(MemoryCrmStore.layer(), (context) => {
    const store = Context.get(context, ActivityStore)
    const around = <A, E>(name: string, read: Effect.Effect<A, E>): Effect.Effect<A, E> =>
      Effect.sync(() => log.push(`start ${name}`)).pipe(
        Effect.zipRight(Effect.yieldNow()),
        Effect.zipRight(read),
        Effect.tap(() => Effect.sync(() => log.push(`end ${name}`)))
      )
    const wrapped: ActivityStoreShape = {
      ...store,
      open: (query) => around("open", store.open(query)),
      summary: (query) => around("summary", store.summary(query)),
      listByAccount: (query) => around("listByAccount", store.listByAccount(query))
    }
    const withStore = Context.add(context, ActivityStore, wrapped)
    return concurrency === undefined ? withStore : Context.add(withStore, ReadConcurrency, concurrency)
  })

const viewLog = async (concurrency?: number | "unbounded") => {
  const log: Array<string> = []
  const crm = await createCrm({
    customizing: Presets.standard("acme"),
    storage: logged(log, concurrency),
    config: { visibility: { rule: "own", unrestrictedUsers: ["admin"] } }
  })
  try {
    const actor = Actor.superUser("acme", "admin")
    const { customer } = await crm.customers.create({
      actor,
      accountGroup: "0004",
      general: { name: "Nordlicht Logistik GmbH", street: "Kai 3", postalCode: "20457", city: "Hamburg", country: "DE" }
    })
    log.length = 0
    await crm.account360.view({ actor, customerNumber: customer.number })
    return log
  } finally {
    await crm.close()
  }
}

/** The most reads in flight at once in `log`. */
const inFlight = (log: ReadonlyArray<string>) => {
  let now = 0
  let most = 0
  for (const entry of log) {
    now += entry.startsWith("start") ? 1 : -1
    most = Math.max(most, now)
  }
  return most
}

describe("ReadConcurrency", () => {
  it("the memory store reads one at a time: each read ends before the next starts", async () => {
    const log = await viewLog()
    expect(log).toHaveLength(6)
    expect(inFlight(log)).toBe(1)
  })

  it("unbounded: the 360° view's independent reads are in flight at once", async () => {
    const log = await viewLog("unbounded")
    expect(log).toHaveLength(6)
    expect(inFlight(log)).toBeGreaterThanOrEqual(2)
  })
})
