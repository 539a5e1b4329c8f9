/**
 * `StoreTransaction`: atomicity, isolation, nesting, and the transaction sentences of each port.
 *
 * @internal
 */
import type { Storage } from "@partnerkit/core"
import { Data, Deferred, Effect, Exit, Fiber, Option } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, failureOf, make, ports } from "../Case.js"

/** The failure the cases inject to abort a transaction. */
class Boom extends Data.TaggedError("Boom")<{ readonly step: string }> {}

const number = (n: number) => `C${String(n).padStart(4, "0")}`

/**
 * Reads made from outside an open transaction must not wait for it; a store whose readers block
 * on the writer would otherwise hang the case until the test timeout.
 */
const withoutWaiting = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  // Disconnected: a reader stuck in an uninterruptible wait must not hold the timeout up too.
  Effect.timeoutFail(Effect.disconnect(effect), {
    duration: "5 seconds",
    onTimeout: () => new Error("a read outside an open transaction waited for it: readers must not block on writers")
  })

/**
 * Waits until the transaction in `fiber` signals `written`. Should the transaction end first (it
 * failed before signalling), its outcome fails the case instead of leaving it waiting forever.
 */
const awaitSignal = <A, E>(written: Deferred.Deferred<void>, fiber: Fiber.Fiber<A, E>) =>
  Effect.raceFirst(
    Deferred.await(written),
    Effect.flatMap(Fiber.join(fiber), () => Effect.dieMessage("the transaction ended before it signalled"))
  )

/**
 * The writes every atomicity case makes inside its transaction: a drawn number, a new customer
 * under it with its change document, and a change to an existing customer with its document.
 */
const writeEverything = (tenant: string, existing: ReturnType<typeof F.customer>) =>
  Effect.gen(function* () {
    const { customers, documents, ranges } = yield* ports
    const drawn = yield* ranges.draw(tenant, "C", F.interval(1, 9999))
    const created = F.customer(tenant, number(drawn.first))
    yield* customers.insert(created)
    yield* documents.append([F.changeDocument(tenant, created.number, 1)])
    yield* customers.update(F.nextVersion(existing, { general: F.general({ name: "Changed in the transaction" }) }), 1)
    yield* documents.append([F.changeDocument(tenant, existing.number, 2)])
    return created.number
  })

/** Asserts that none of `writeEverything`'s writes is visible. */
const expectNoTrace = (tenant: string, existing: ReturnType<typeof F.customer>) =>
  Effect.gen(function* () {
    const { customers, documents, ranges } = yield* ports
    expect(Option.isNone(yield* customers.get(tenant, number(1), F.unrestricted))).toBe(true)
    expect(Option.getOrUndefined(yield* customers.get(tenant, existing.number, F.unrestricted))).toEqual(existing)
    const listed = yield* customers.list({ tenant, visibility: F.unrestricted, limit: 10 })
    expect(listed).toEqual([existing])
    for (const customerNumber of [number(1), existing.number]) {
      expect(yield* documents.list({ tenant, customerNumber, visibility: F.unrestricted, limit: 10 })).toEqual([])
    }
    expect(Option.isNone(yield* ranges.last(tenant, "C"))).toBe(true)
  })

/** Asserts that every one of `writeEverything`'s writes is visible. */
const expectCommitted = (tenant: string, existing: ReturnType<typeof F.customer>) =>
  Effect.gen(function* () {
    const { customers, documents, ranges } = yield* ports
    expect(Option.isSome(yield* customers.get(tenant, number(1), F.unrestricted))).toBe(true)
    const changed = Option.getOrThrow(yield* customers.get(tenant, existing.number, F.unrestricted))
    expect(changed.version).toBe(2)
    expect((yield* documents.list({ tenant, customerNumber: number(1), visibility: F.unrestricted, limit: 10 })).length).toBe(1)
    expect((yield* documents.list({ tenant, customerNumber: existing.number, visibility: F.unrestricted, limit: 10 })).length).toBe(1)
    expect(yield* ranges.last(tenant, "C")).toEqual(Option.some(1))
  })

/** A tenant with one customer (`C9000`, version 1) written outside any transaction. */
const setUp = Effect.gen(function* () {
  const { customers } = yield* ports
  const tenant = F.tenantId()
  const existing = F.customer(tenant, "C9000")
  yield* customers.insert(existing)
  return { tenant, existing }
})

export const cases: ReadonlyArray<Case<Storage.Ports>> = [
  make("StoreTransaction: commits every write of a successful transaction together", () =>
    Effect.gen(function* () {
      const { tx } = yield* ports
      const { tenant, existing } = yield* setUp
      expect(yield* tx.withTransaction(writeEverything(tenant, existing))).toBe(number(1))
      yield* expectCommitted(tenant, existing)
    })
  ),

  make("StoreTransaction: operations inside a transaction see its own writes", () =>
    Effect.gen(function* () {
      const { customers, documents, ranges, tx } = yield* ports
      const { tenant, existing } = yield* setUp
      yield* tx.withTransaction(
        Effect.gen(function* () {
          yield* writeEverything(tenant, existing)
          expect(Option.isSome(yield* customers.get(tenant, number(1), F.unrestricted))).toBe(true)
          expect(Option.getOrThrow(yield* customers.get(tenant, existing.number, F.unrestricted)).version).toBe(2)
          const listed = yield* customers.list({ tenant, visibility: F.unrestricted, limit: 10 })
          expect(listed.map((c) => [c.number, c.version])).toEqual([
            [number(1), 1],
            [existing.number, 2]
          ])
          const docs = yield* documents.list({ tenant, customerNumber: existing.number, visibility: F.unrestricted, limit: 10 })
          expect(docs.map((d) => d.changeNumber)).toEqual([2])
          expect(yield* ranges.last(tenant, "C")).toEqual(Option.some(1))
          // A duplicate insert inside the transaction sees the transaction's own row.
          const taken = yield* Effect.either(customers.insert(F.customer(tenant, number(1))))
          expect(taken._tag === "Left" && taken.left._tag).toBe("CustomerNumberTaken")
        })
      )
    })
  ),

  make("StoreTransaction: a failed transaction leaves no customer, no change document and no drawn number", () =>
    Effect.gen(function* () {
      const { ranges, tx } = yield* ports
      const { tenant, existing } = yield* setUp
      const error = yield* failureOf(
        tx.withTransaction(Effect.zipRight(writeEverything(tenant, existing), Effect.fail(new Boom({ step: "after writing" }))))
      )
      // The transaction's own failure comes out as it went in.
      expect(error).toBeInstanceOf(Boom)
      expect(error).toMatchObject({ _tag: "Boom", step: "after writing" })
      yield* expectNoTrace(tenant, existing)
      // Gap-free: the number returned to the range is drawn again.
      expect(yield* ranges.draw(tenant, "C", F.interval(1, 9999))).toEqual({ first: 1, last: 1 })
    })
  ),

  make("StoreTransaction: a transaction ending in a defect leaves no trace", () =>
    Effect.gen(function* () {
      const { tx } = yield* ports
      const { tenant, existing } = yield* setUp
      const exit = yield* Effect.exit(tx.withTransaction(Effect.zipRight(writeEverything(tenant, existing), Effect.dieMessage("bug"))))
      expect(Exit.isFailure(exit)).toBe(true)
      yield* expectNoTrace(tenant, existing)
    })
  ),

  make("StoreTransaction: an interrupted transaction leaves no trace", () =>
    Effect.gen(function* () {
      const { customers, tx } = yield* ports
      const { tenant, existing } = yield* setUp
      const written = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        tx.withTransaction(
          Effect.zipRight(writeEverything(tenant, existing), Effect.zipRight(Deferred.succeed(written, undefined), Effect.never))
        )
      )
      yield* awaitSignal(written, fiber)
      yield* Fiber.interrupt(fiber)
      yield* expectNoTrace(tenant, existing)
      // The store is usable afterwards: nothing is left locked.
      yield* customers.insert(F.customer(tenant, number(2)))
      yield* tx.withTransaction(customers.insert(F.customer(tenant, number(3))))
    })
  ),

  make("StoreTransaction: readers outside a transaction never see its uncommitted writes", () =>
    Effect.gen(function* () {
      const { tx } = yield* ports
      const { tenant, existing } = yield* setUp
      const written = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        tx.withTransaction(
          Effect.gen(function* () {
            const created = yield* writeEverything(tenant, existing)
            yield* Deferred.succeed(written, undefined)
            yield* Deferred.await(release)
            return created
          })
        )
      )
      yield* awaitSignal(written, fiber)
      // The transaction is open and has written everything: read from outside while it waits.
      yield* withoutWaiting(expectNoTrace(tenant, existing))
      yield* Deferred.succeed(release, undefined)
      expect(yield* Fiber.join(fiber)).toBe(number(1))
      yield* expectCommitted(tenant, existing)
    })
  ),

  make("StoreTransaction: a nested call joins the enclosing transaction and rolls back with it", () =>
    Effect.gen(function* () {
      const { customers, tx } = yield* ports
      const { tenant, existing } = yield* setUp
      const error = yield* failureOf(
        tx.withTransaction(
          Effect.gen(function* () {
            yield* tx.withTransaction(writeEverything(tenant, existing))
            // The inner call's writes are part of the outer transaction...
            expect(Option.isSome(yield* customers.get(tenant, number(1), F.unrestricted))).toBe(true)
            return yield* Effect.fail(new Boom({ step: "after the nested call" }))
          })
        )
      )
      expect(error).toMatchObject({ _tag: "Boom", step: "after the nested call" })
      // ...so they roll back with it, although the inner call succeeded.
      yield* expectNoTrace(tenant, existing)
    })
  ),

  make("StoreTransaction: a nested call commits only when the enclosing transaction commits", () =>
    Effect.gen(function* () {
      const { tx } = yield* ports
      const { tenant, existing } = yield* setUp
      const written = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        tx.withTransaction(
          Effect.gen(function* () {
            yield* tx.withTransaction(writeEverything(tenant, existing))
            yield* Deferred.succeed(written, undefined)
            yield* Deferred.await(release)
          })
        )
      )
      yield* awaitSignal(written, fiber)
      yield* withoutWaiting(expectNoTrace(tenant, existing))
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(fiber)
      yield* expectCommitted(tenant, existing)
    })
  ),

  make("StoreTransaction: concurrent transactions drawing from one range are serialised and stay gap-free", () =>
    Effect.gen(function* () {
      const { customers, ranges, tx } = yield* ports
      const tenant = F.tenantId()
      const attempt = (i: number) =>
        tx.withTransaction(
          Effect.gen(function* () {
            const drawn = yield* ranges.draw(tenant, "C", F.interval(1, 9999))
            // Yield between steps, so that the transactions really interleave (a store without I/O
            // would otherwise run each one to its end before starting the next).
            yield* Effect.yieldNow()
            yield* customers.insert(F.customer(tenant, number(drawn.first)))
            yield* Effect.yieldNow()
            if (i % 2 === 1) return yield* Effect.fail(new Boom({ step: `attempt ${i}` }))
            return drawn.first
          })
        )
      const outcomes = yield* Effect.all(
        Array.from({ length: 8 }, (_, i) => Effect.either(attempt(i))),
        { concurrency: "unbounded" }
      )
      const committed = outcomes.flatMap((o) => (o._tag === "Right" ? [o.right] : []))
      expect(committed.sort((a, b) => a - b)).toEqual([1, 2, 3, 4])
      expect(yield* ranges.last(tenant, "C")).toEqual(Option.some(4))
      const listed = yield* customers.list({ tenant, visibility: F.unrestricted, limit: 100 })
      expect(listed.map((c) => c.number)).toEqual([1, 2, 3, 4].map(number))
    })
  ),

  make("StoreTransaction: an exhausted draw inside a transaction fails it with NumberRangeExhausted and rolls it back", () =>
    Effect.gen(function* () {
      const { customers, ranges, tx } = yield* ports
      const tenant = F.tenantId()
      yield* ranges.draw(tenant, "C", F.interval(1, 2), 2)
      const error = yield* failureOf(
        tx.withTransaction(
          Effect.gen(function* () {
            yield* customers.insert(F.customer(tenant, number(100)))
            yield* ranges.draw(tenant, "C", F.interval(1, 2))
          })
        )
      )
      expect(error).toMatchObject({ _tag: "NumberRangeExhausted", tenant, range: "C" })
      expect(Option.isNone(yield* customers.get(tenant, number(100), F.unrestricted))).toBe(true)
      expect(yield* ranges.last(tenant, "C")).toEqual(Option.some(2))
    })
  )
]
