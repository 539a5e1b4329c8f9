import { describe, expect, it } from "@effect/vitest"
import { ChangeDocumentStore, CustomerStore, NumberRangeStore, SalesEmployeeStore, StoreTransaction } from "@partnerkit/core"
import { MemoryStore } from "@partnerkit/storage-memory"
import { Fixtures as F } from "@partnerkit/testkit"
import { Cause, Data, Deferred, Effect, Exit, Fiber, Option } from "effect"

class Abort extends Data.TaggedError("Abort") {}

const C = "C0001"

describe("MemoryStore", () => {
  describe("defensive copies", () => {
    it.effect("mutating a record after insert, or one returned by get or list, does not change the store", () =>
      Effect.gen(function* () {
        const customers = yield* CustomerStore
        const tenant = F.tenantId()
        const record = F.fullCustomer(tenant, C)
        const pristine = structuredClone(record)
        yield* customers.insert(record)
        ;(record.general as { name: string }).name = "mutated after insert"
        record.companyCodes.pop()

        const got = Option.getOrThrow(yield* customers.get(tenant, C, F.unrestricted))
        ;(got.general as { name: string }).name = "mutated after get"
        got.salesAreas.length = 0
        const [listed] = yield* customers.list({ tenant, visibility: F.unrestricted, limit: 1 })
        ;(listed!.contacts[0] as { lastName: string }).lastName = "mutated after list"

        expect(Option.getOrThrow(yield* customers.get(tenant, C, F.unrestricted))).toEqual(pristine)
      }).pipe(Effect.provide(MemoryStore.layer()))
    )

    it.effect("mutating change documents or sales employees after writing or reading them does not change the store", () =>
      Effect.gen(function* () {
        const documents = yield* ChangeDocumentStore
        const employees = yield* SalesEmployeeStore
        const customers = yield* CustomerStore
        const tenant = F.tenantId()
        yield* customers.insert(F.customer(tenant, C))
        const document = F.changeDocument(tenant, C, 1)
        yield* documents.append([document])
        ;(document.items[0] as { newValue: string }).newValue = "mutated"
        const [read] = yield* documents.list({ tenant, customerNumber: C, visibility: F.unrestricted, limit: 1 })
        read!.items.length = 0
        expect(yield* documents.list({ tenant, customerNumber: C, visibility: F.unrestricted, limit: 1 })).toEqual([
          F.changeDocument(tenant, C, 1)
        ])

        const employee = F.salesEmployee(tenant, "E01")
        yield* employees.put(employee, null)
        ;(employee as { name: string }).name = "mutated"
        const got = Option.getOrThrow(yield* employees.get(tenant, "E01"))
        ;(got as { name: string }).name = "mutated too"
        expect(yield* employees.get(tenant, "E01")).toEqual(Option.some(F.salesEmployee(tenant, "E01")))
      }).pipe(Effect.provide(MemoryStore.layer()))
    )

    it.effect("a value that cannot be copied fails with StorageError and is not stored", () =>
      Effect.gen(function* () {
        const customers = yield* CustomerStore
        const tenant = F.tenantId()
        const record = { ...F.customer(tenant, C), general: { ...F.general(), name: (() => "x") as unknown as string } }
        const exit = yield* Effect.exit(customers.insert(record))
        expect(Exit.isFailure(exit) && Option.getOrUndefined(Cause.failureOption(exit.cause))?._tag).toBe("StorageError")
        expect(Option.isNone(yield* customers.get(tenant, C, F.unrestricted))).toBe(true)
      }).pipe(Effect.provide(MemoryStore.layer()))
    )
  })

  describe("record order", () => {
    it.effect("returns views and contacts in the order CustomerRecord documents, whatever order they were written in", () =>
      Effect.gen(function* () {
        const customers = yield* CustomerStore
        const tenant = F.tenantId()
        const sorted = F.fullCustomer(tenant, C)
        const shuffled = {
          ...sorted,
          companyCodes: [...sorted.companyCodes].reverse(),
          salesAreas: [...sorted.salesAreas].reverse(),
          contacts: [...sorted.contacts].reverse()
        }
        yield* customers.insert(shuffled)
        expect(Option.getOrThrow(yield* customers.get(tenant, C, F.unrestricted))).toEqual(sorted)
        expect(shuffled.companyCodes[0]?.companyCode).toBe("2000") // the caller's record is left alone
        yield* customers.update({ ...shuffled, version: 2 }, 1)
        expect(Option.getOrThrow(yield* customers.get(tenant, C, F.unrestricted))).toEqual({ ...sorted, version: 2 })
      }).pipe(Effect.provide(MemoryStore.layer()))
    )
  })

  describe("instances", () => {
    it.effect("each build of layer() starts a fresh, empty store", () =>
      Effect.gen(function* () {
        const layer = MemoryStore.layer()
        const tenant = F.tenantId()
        yield* Effect.flatMap(CustomerStore, (s) => s.insert(F.customer(tenant, C))).pipe(Effect.provide(layer))
        const again = yield* Effect.flatMap(CustomerStore, (s) => s.get(tenant, C, F.unrestricted)).pipe(Effect.provide(layer))
        expect(Option.isNone(again)).toBe(true)
      })
    )

    it.effect("make builds the services directly", () =>
      Effect.gen(function* () {
        const store = yield* MemoryStore.make
        const tenant = F.tenantId()
        yield* store.transactions.withTransaction(store.numberRanges.draw(tenant, "C", F.interval(5, 9)))
        expect(yield* store.numberRanges.last(tenant, "C")).toEqual(Option.some(5))
      })
    )

    it.effect("a transaction of one store does not take in the writes made to another store", () =>
      Effect.gen(function* () {
        const a = yield* MemoryStore.make
        const b = yield* MemoryStore.make
        const tenant = F.tenantId()
        const exit = yield* Effect.exit(
          a.transactions.withTransaction(
            Effect.gen(function* () {
              yield* a.customers.insert(F.customer(tenant, "A0001"))
              yield* b.customers.insert(F.customer(tenant, "B0001"))
              return yield* new Abort()
            })
          )
        )
        expect(Exit.isFailure(exit)).toBe(true)
        expect(Option.isNone(yield* a.customers.get(tenant, "A0001", F.unrestricted))).toBe(true)
        // B's write was not part of A's transaction: it committed on its own.
        expect(Option.isSome(yield* b.customers.get(tenant, "B0001", F.unrestricted))).toBe(true)
      })
    )
  })

  describe("transactions", () => {
    it.effect("a nested call that fails undoes only its own writes, like a savepoint", () =>
      Effect.gen(function* () {
        const customers = yield* CustomerStore
        const ranges = yield* NumberRangeStore
        const tx = yield* StoreTransaction
        const tenant = F.tenantId()
        yield* tx.withTransaction(
          Effect.gen(function* () {
            yield* customers.insert(F.customer(tenant, "C0001"))
            const inner = yield* Effect.either(
              tx.withTransaction(
                Effect.gen(function* () {
                  yield* customers.insert(F.customer(tenant, "C0002"))
                  yield* ranges.draw(tenant, "C", F.interval(1, 9))
                  return yield* new Abort()
                })
              )
            )
            expect(inner._tag).toBe("Left")
            yield* customers.insert(F.customer(tenant, "C0003"))
          })
        )
        const listed = yield* customers.list({ tenant, visibility: F.unrestricted, limit: 10 })
        expect(listed.map((c) => c.number)).toEqual(["C0001", "C0003"])
        expect(Option.isNone(yield* ranges.last(tenant, "C"))).toBe(true)
      }).pipe(Effect.provide(MemoryStore.layer()))
    )

    it.effect("a write outside a transaction waits for an open transaction and is not lost by its commit", () =>
      Effect.gen(function* () {
        const customers = yield* CustomerStore
        const tx = yield* StoreTransaction
        const tenant = F.tenantId()
        const written = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const open = yield* Effect.fork(
          tx.withTransaction(
            Effect.gen(function* () {
              yield* customers.insert(F.customer(tenant, "C0001"))
              yield* Deferred.succeed(written, undefined)
              yield* Deferred.await(release)
            })
          )
        )
        yield* Deferred.await(written)
        const outside = yield* Effect.fork(customers.insert(F.customer(tenant, "C0002")))
        yield* Effect.yieldNow()
        expect(Option.isNone(yield* Fiber.poll(outside))).toBe(true)
        yield* Deferred.succeed(release, undefined)
        yield* Fiber.join(open)
        yield* Fiber.join(outside)
        const listed = yield* customers.list({ tenant, visibility: F.unrestricted, limit: 10 })
        expect(listed.map((c) => c.number)).toEqual(["C0001", "C0002"])
      }).pipe(Effect.provide(MemoryStore.layer()))
    )

    it.effect("fibers forked inside a transaction work on the same draft", () =>
      Effect.gen(function* () {
        const customers = yield* CustomerStore
        const tx = yield* StoreTransaction
        const tenant = F.tenantId()
        const exit = yield* Effect.exit(
          tx.withTransaction(
            Effect.gen(function* () {
              yield* Effect.forEach(["C0001", "C0002", "C0003"], (n) => customers.insert(F.customer(tenant, n)), {
                concurrency: "unbounded"
              })
              const inside = yield* customers.list({ tenant, visibility: F.unrestricted, limit: 10 })
              expect(inside).toHaveLength(3)
              return yield* new Abort()
            })
          )
        )
        expect(Exit.isFailure(exit)).toBe(true)
        expect(yield* customers.list({ tenant, visibility: F.unrestricted, limit: 10 })).toEqual([])
      }).pipe(Effect.provide(MemoryStore.layer()))
    )
  })

  describe("number ranges", () => {
    it.effect("draw with a count below 1 is a defect", () =>
      Effect.gen(function* () {
        const ranges = yield* NumberRangeStore
        const exit = yield* Effect.exit(ranges.draw(F.tenantId(), "C", F.interval(), 0))
        expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      }).pipe(Effect.provide(MemoryStore.layer()))
    )
  })
})
