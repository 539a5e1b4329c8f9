/**
 * `MatchIndexStore`: one case per sentence of the port's doc comment (tenant scope, `put`
 * replaces, `remove`, ranking and limit, the frequency cap, `exclude`, no match, `putMany`, and
 * the transaction sentence).
 *
 * @internal
 */
import { type CandidateOptions, CustomerStore, MatchIndexStore, type Storage, StoreTransaction } from "@partnerkit/core"
import { Data, Deferred, Effect, Fiber } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, failureOf, make } from "../Case.js"

class Abort extends Data.TaggedError("Abort") {}

const options = (limit = 100, maxKeyFrequency = 1_000, exclude?: ReadonlyArray<string>): CandidateOptions => ({
  limit,
  maxKeyFrequency,
  exclude
})

const find = (tenant: string, keys: ReadonlyArray<string>, o: CandidateOptions = options()) =>
  Effect.flatMap(MatchIndexStore, (index) => index.candidates(tenant, keys, o))

const numbers = (tenant: string, keys: ReadonlyArray<string>, o: CandidateOptions = options()) =>
  Effect.map(find(tenant, keys, o), (found) => found.map((c) => c.number))

/** A read outside an open transaction must not wait for it. */
const withoutWaiting = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.timeoutFail(Effect.disconnect(effect), {
    duration: "5 seconds",
    onTimeout: () => new Error("a candidates call outside an open transaction waited for it")
  })

export const cases: ReadonlyArray<Case<Storage.Ports>> = [
  make("MatchIndexStore: a key of another tenant is never counted, matched or returned", () =>
    Effect.gen(function* () {
      const index = yield* MatchIndexStore
      const mine = F.tenantId()
      const other = F.tenantId()
      yield* index.put(mine, "C0001", ["k:shared"])
      yield* index.putMany(other, [
        { number: "C0002", keys: ["k:shared"] },
        { number: "C0003", keys: ["k:shared"] },
        { number: "C0004", keys: ["k:other"] }
      ])
      expect(yield* find(mine, ["k:shared", "k:other"])).toEqual([{ number: "C0001", sharedKeys: 1 }])
      // Three carriers in all, one in this tenant: a cap of 1 keeps the key here.
      expect(yield* numbers(mine, ["k:shared"], options(10, 1))).toEqual(["C0001"])
      expect(yield* numbers(other, ["k:shared"], options(10, 1))).toEqual([])
    })
  ),

  make("MatchIndexStore.put: replaces every key of the customer; duplicates in keys count once", () =>
    Effect.gen(function* () {
      const index = yield* MatchIndexStore
      const tenant = F.tenantId()
      yield* index.put(tenant, "C0001", ["k:a", "k:b", "k:a"])
      expect(yield* find(tenant, ["k:a", "k:b"])).toEqual([{ number: "C0001", sharedKeys: 2 }])
      yield* index.put(tenant, "C0001", ["k:c"])
      expect(yield* find(tenant, ["k:a", "k:b"])).toEqual([])
      expect(yield* find(tenant, ["k:c", "k:a"])).toEqual([{ number: "C0001", sharedKeys: 1 }])
      // A duplicate carrier counted once: C0001 alone carries k:c, so a cap of 1 keeps it.
      yield* index.put(tenant, "C0001", ["k:c", "k:c"])
      expect(yield* numbers(tenant, ["k:c"], options(10, 1))).toEqual(["C0001"])
    })
  ),

  make("MatchIndexStore.put: an empty keys is the same as remove", () =>
    Effect.gen(function* () {
      const index = yield* MatchIndexStore
      const tenant = F.tenantId()
      yield* index.put(tenant, "C0001", ["k:a"])
      yield* index.put(tenant, "C0002", ["k:a"])
      yield* index.put(tenant, "C0001", [])
      expect(yield* numbers(tenant, ["k:a"])).toEqual(["C0002"])
      // Gone from the frequency too: the cap of 1 keeps the key for C0002.
      expect(yield* numbers(tenant, ["k:a"], options(10, 1))).toEqual(["C0002"])
    })
  ),

  make("MatchIndexStore.remove: drops every key of the customer; a customer without keys is not an error", () =>
    Effect.gen(function* () {
      const index = yield* MatchIndexStore
      const tenant = F.tenantId()
      yield* index.put(tenant, "C0001", ["k:a", "k:b"])
      yield* index.put(tenant, "C0002", ["k:b"])
      yield* index.remove(tenant, "C0001")
      expect(yield* find(tenant, ["k:a", "k:b"])).toEqual([{ number: "C0002", sharedKeys: 1 }])
      yield* index.remove(tenant, "C0001")
      yield* index.remove(tenant, "C9999")
      expect(yield* numbers(tenant, ["k:b"])).toEqual(["C0002"])
    })
  ),

  make("MatchIndexStore.candidates: at most limit, by shared keys (descending), then by number in code-unit order", () =>
    Effect.gen(function* () {
      const index = yield* MatchIndexStore
      const tenant = F.tenantId()
      // Code-unit order: "C10" < "C9" < "c1"; a locale order would put "c1" first.
      yield* index.put(tenant, "c1", ["k:a", "k:b"])
      yield* index.put(tenant, "C9", ["k:a", "k:b"])
      yield* index.put(tenant, "C10", ["k:a"])
      yield* index.put(tenant, "C2", ["k:a", "k:b", "k:c"])
      yield* index.put(tenant, "C3", ["k:z"])
      expect(yield* find(tenant, ["k:a", "k:b", "k:c", "k:a"])).toEqual([
        { number: "C2", sharedKeys: 3 },
        { number: "C9", sharedKeys: 2 },
        { number: "c1", sharedKeys: 2 },
        { number: "C10", sharedKeys: 1 }
      ])
      expect(yield* numbers(tenant, ["k:a", "k:b"], options(2))).toEqual(["C2", "C9"])
    })
  ),

  make("MatchIndexStore.candidates: a key carried by more than maxKeyFrequency customers neither finds nor ranks anyone", () =>
    Effect.gen(function* () {
      const index = yield* MatchIndexStore
      const tenant = F.tenantId()
      yield* index.putMany(
        tenant,
        Array.from({ length: 6 }, (_, i) => ({ number: `C000${i}`, keys: ["k:common", ...(i === 4 ? ["k:rare"] : [])] }))
      )
      // Six carriers, cap 5: k:common is skipped; C0004 is found by k:rare alone, with one shared key.
      expect(yield* find(tenant, ["k:common", "k:rare"], options(10, 5))).toEqual([{ number: "C0004", sharedKeys: 1 }])
      expect(yield* find(tenant, ["k:common"], options(10, 5))).toEqual([])
      // At the cap the key counts.
      const atCap = yield* find(tenant, ["k:common", "k:rare"], options(10, 6))
      expect(atCap[0]).toEqual({ number: "C0004", sharedKeys: 2 })
      expect(atCap).toHaveLength(6)
    })
  ),

  make("MatchIndexStore.candidates: customers in exclude are left out; no match is an empty array", () =>
    Effect.gen(function* () {
      const index = yield* MatchIndexStore
      const tenant = F.tenantId()
      yield* index.put(tenant, "C0001", ["k:a", "k:b"])
      yield* index.put(tenant, "C0002", ["k:a"])
      expect(yield* find(tenant, ["k:a", "k:b"], options(10, 100, ["C0001"]))).toEqual([{ number: "C0002", sharedKeys: 1 }])
      expect(yield* find(tenant, ["k:nothing"])).toEqual([])
      expect(yield* find(tenant, [])).toEqual([])
      expect(yield* find(F.tenantId(), ["k:a"])).toEqual([])
    })
  ),

  make("MatchIndexStore.putMany: the same as put for each entry, in order", () =>
    Effect.gen(function* () {
      const index = yield* MatchIndexStore
      const tenant = F.tenantId()
      yield* index.put(tenant, "C0001", ["k:old"])
      yield* index.put(tenant, "C0003", ["k:a"])
      yield* index.putMany(tenant, [
        { number: "C0001", keys: ["k:a", "k:b"] },
        { number: "C0002", keys: ["k:a"] },
        { number: "C0002", keys: ["k:b"] },
        { number: "C0003", keys: [] }
      ])
      expect(yield* find(tenant, ["k:old"])).toEqual([])
      expect(yield* find(tenant, ["k:a", "k:b"])).toEqual([
        { number: "C0001", sharedKeys: 2 },
        { number: "C0002", sharedKeys: 1 }
      ])
      expect(yield* numbers(tenant, ["k:a"])).toEqual(["C0001"])
    })
  ),

  make(
    "MatchIndexStore.records: general data, account group and deletion flag of the numbers that are customers, in the order asked, any authorization group",
    () =>
      Effect.gen(function* () {
        const index = yield* MatchIndexStore
        const customers = yield* CustomerStore
        const tenant = F.tenantId()
        const first = F.customer(tenant, "C0001", {
          general: { name: "Erste GmbH", city: "Köln", authorizationGroup: "G9", phone: "+49221123456" }
        })
        const second = F.customer(tenant, "C0002", { general: { name: "Zweite AG" }, deletionFlag: true, accountGroup: "0002" })
        yield* customers.insertMany([first, second])
        yield* customers.insert(F.customer(F.tenantId(), "C0003"))
        expect(yield* index.records(tenant, ["C0002", "C9999", "C0001", "C0003"])).toEqual([
          { number: "C0002", accountGroup: "0002", general: second.general, deletionFlag: true },
          { number: "C0001", accountGroup: first.accountGroup, general: first.general, deletionFlag: false }
        ])
        expect(yield* index.records(tenant, [])).toEqual([])
      })
  ),

  make("MatchIndexStore: inside a transaction its writes are seen by its own candidates, by nobody else until it commits", () =>
    Effect.gen(function* () {
      const index = yield* MatchIndexStore
      const tx = yield* StoreTransaction
      const tenant = F.tenantId()
      yield* index.put(tenant, "C0001", ["k:a"])
      const written = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        tx.withTransaction(
          Effect.gen(function* () {
            yield* index.put(tenant, "C0002", ["k:a"])
            yield* index.remove(tenant, "C0001")
            const inside = yield* numbers(tenant, ["k:a"])
            yield* Deferred.succeed(written, undefined)
            yield* Deferred.await(release)
            return inside
          })
        )
      )
      yield* Deferred.await(written)
      expect(yield* withoutWaiting(numbers(tenant, ["k:a"]))).toEqual(["C0001"])
      yield* Deferred.succeed(release, undefined)
      expect(yield* Fiber.join(fiber)).toEqual(["C0002"])
      expect(yield* numbers(tenant, ["k:a"])).toEqual(["C0002"])
    })
  ),

  make("MatchIndexStore: writes of a transaction that fails are never seen", () =>
    Effect.gen(function* () {
      const index = yield* MatchIndexStore
      const tx = yield* StoreTransaction
      const tenant = F.tenantId()
      yield* index.put(tenant, "C0001", ["k:a"])
      const error = yield* failureOf(
        tx.withTransaction(
          Effect.gen(function* () {
            yield* index.putMany(tenant, [{ number: "C0002", keys: ["k:a", "k:b"] }])
            yield* index.put(tenant, "C0001", ["k:c"])
            yield* index.remove(tenant, "C0003")
            return yield* new Abort()
          })
        )
      )
      expect(error).toBeInstanceOf(Abort)
      expect(yield* find(tenant, ["k:a", "k:b", "k:c"])).toEqual([{ number: "C0001", sharedKeys: 1 }])
    })
  )
]
