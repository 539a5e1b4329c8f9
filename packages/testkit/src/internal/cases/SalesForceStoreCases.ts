/**
 * `SalesEmployeeStore` and `TerritoryStore` (territories and assignment changes): one case per
 * sentence of the ports' doc comment, for each of the three kinds of record.
 *
 * @internal
 */
import { SalesEmployeeStore, type SalesForce, type Storage, StoreTransaction, TerritoryStore } from "@partnerkit/core"
import { Data, Effect, Option } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, concurrently, failureOf, make, partition } from "../Case.js"

/** The operations of one kind of versioned record, so each sentence is checked for all three kinds. */
interface Kind<A extends { readonly tenant: string; readonly id: string; readonly version: number }> {
  readonly label: string
  readonly build: (tenant: string, id: string, overrides?: Partial<A>) => A
  /** A field to change between versions. */
  readonly rename: (record: A, name: string) => A
  readonly get: (tenant: string, id: string) => Effect.Effect<Option.Option<A>, unknown, Storage.Ports>
  readonly put: (record: A, expectedVersion: number | null) => Effect.Effect<void, { readonly _tag: string }, Storage.Ports>
  readonly list: (tenant: string) => Effect.Effect<ReadonlyArray<A>, unknown, Storage.Ports>
}

const employees: Kind<SalesForce.SalesEmployee> = {
  label: "SalesEmployeeStore",
  build: F.salesEmployee,
  rename: (record, name) => ({ ...record, name }),
  get: (tenant, id) => Effect.flatMap(SalesEmployeeStore, (s) => s.get(tenant, id)),
  put: (record, expected) => Effect.flatMap(SalesEmployeeStore, (s) => s.put(record, expected)),
  list: (tenant) => Effect.flatMap(SalesEmployeeStore, (s) => s.list(tenant))
}

const territories: Kind<SalesForce.Territory> = {
  label: "TerritoryStore",
  build: F.territory,
  rename: (record, name) => ({ ...record, name }),
  get: (tenant, id) => Effect.flatMap(TerritoryStore, (s) => s.get(tenant, id)),
  put: (record, expected) => Effect.flatMap(TerritoryStore, (s) => s.put(record, expected)),
  list: (tenant) => Effect.flatMap(TerritoryStore, (s) => s.list(tenant))
}

const changes: Kind<SalesForce.AssignmentChange> = {
  label: "TerritoryStore changes",
  build: F.assignmentChange,
  rename: (record, comment) => ({ ...record, comment }),
  get: (tenant, id) => Effect.flatMap(TerritoryStore, (s) => s.getChange(tenant, id)),
  put: (record, expected) => Effect.flatMap(TerritoryStore, (s) => s.putChange(record, expected)),
  list: (tenant) => Effect.flatMap(TerritoryStore, (s) => s.listChanges(tenant, {}))
}

const next = <A extends { readonly version: number }>(record: A, changes: Partial<A> = {}): A => ({
  ...record,
  version: record.version + 1,
  ...changes
})

const casesOf = <A extends { readonly tenant: string; readonly id: string; readonly version: number }>(
  kind: Kind<A>
): ReadonlyArray<Case<Storage.Ports>> => [
  make(`${kind.label}: get returns none when nothing has that id in the tenant`, () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      expect(Option.isNone(yield* kind.get(tenant, "X1"))).toBe(true)
      yield* kind.put(kind.build(tenant, "X1"), null)
      expect(Option.isNone(yield* kind.get(tenant, "X2"))).toBe(true)
      expect(Option.isNone(yield* kind.get(F.tenantId(), "X1"))).toBe(true)
    })
  ),

  make(`${kind.label}: put with null creates the record, and get returns it as given`, () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const record = kind.build(tenant, "X1")
      yield* kind.put(record, null)
      expect(Option.getOrUndefined(yield* kind.get(tenant, "X1"))).toEqual(record)
    })
  ),

  make(`${kind.label}: put with null fails with VersionConflict when the record exists, and writes nothing`, () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const first = kind.rename(kind.build(tenant, "X1"), "first")
      yield* kind.put(first, null)
      const error = yield* failureOf(kind.put(kind.rename(kind.build(tenant, "X1"), "second"), null))
      expect(error).toMatchObject({ _tag: "VersionConflict", actual: 1 })
      expect(Option.getOrUndefined(yield* kind.get(tenant, "X1"))).toEqual(first)
    })
  ),

  make(`${kind.label}: put replaces the record only when the stored version equals the expected one`, () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const v1 = kind.build(tenant, "X1")
      yield* kind.put(v1, null)
      const v2 = next(kind.rename(v1, "second"))
      yield* kind.put(v2, 1)
      expect(Option.getOrUndefined(yield* kind.get(tenant, "X1"))).toEqual(v2)
      const stale = yield* failureOf(kind.put(next(kind.rename(v1, "stale")), 1))
      expect(stale).toMatchObject({ _tag: "VersionConflict", actual: 2 })
      const ahead = yield* failureOf(kind.put(next(kind.rename(v2, "ahead"), { version: 9 } as Partial<A>), 8))
      expect(ahead).toMatchObject({ _tag: "VersionConflict", actual: 2 })
      expect(Option.getOrUndefined(yield* kind.get(tenant, "X1"))).toEqual(v2)
    })
  ),

  make(`${kind.label}: put with a version fails with VersionConflict (actual 0) when nothing is stored, and writes nothing`, () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const error = yield* failureOf(kind.put(kind.build(tenant, "X1", { version: 2 } as Partial<A>), 1))
      expect(error).toMatchObject({ _tag: "VersionConflict", actual: 0 })
      expect(Option.isNone(yield* kind.get(tenant, "X1"))).toBe(true)
      expect(yield* kind.list(tenant)).toEqual([])
    })
  ),

  make(`${kind.label}: of concurrent puts from the same expected version exactly one succeeds`, () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const creators = Array.from({ length: 8 }, (_, i) => kind.rename(kind.build(tenant, "X1"), `creator ${i}`))
      const created = partition(yield* concurrently(creators.map((r) => kind.put(r, null))))
      expect(created.successes).toHaveLength(1)
      for (const failure of created.failures) expect(failure).toMatchObject({ _tag: "VersionConflict", actual: 1 })
      const v1 = Option.getOrThrow(yield* kind.get(tenant, "X1"))
      const writers = Array.from({ length: 8 }, (_, i) => next(kind.rename(v1, `writer ${i}`)))
      const outcomes = yield* concurrently(writers.map((r) => kind.put(r, 1)))
      const written = partition(outcomes)
      expect(written.successes).toHaveLength(1)
      for (const failure of written.failures) expect(failure).toMatchObject({ _tag: "VersionConflict", actual: 2 })
      const winner = writers[outcomes.findIndex((o) => o._tag === "Right")]
      expect(Option.getOrUndefined(yield* kind.get(tenant, "X1"))).toEqual(winner)
    })
  )
]

/** Thrown inside a transaction to abort it. */
class Abort extends Data.TaggedError("Abort") {}

export const cases: ReadonlyArray<Case<Storage.Ports>> = [
  ...casesOf(employees),
  ...casesOf(territories),
  ...casesOf(changes),

  make("SalesEmployeeStore: list returns every employee of the tenant ordered by id", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      for (const id of ["E03", "E10", "E01", "E02"]) yield* employees.put(F.salesEmployee(tenant, id), null)
      yield* employees.put(F.salesEmployee(F.tenantId(), "E00"), null)
      yield* employees.put(F.salesEmployee(`${tenant}E`, "00"), null)
      expect((yield* employees.list(tenant)).map((e) => e.id)).toEqual(["E01", "E02", "E03", "E10"])
      expect(yield* employees.list(F.tenantId())).toEqual([])
    })
  ),

  make("TerritoryStore: list returns every territory of the tenant ordered by priority, then id", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const rows: Array<[string, number]> = [
        ["T4", 10],
        ["T1", 100],
        ["T3", 10],
        ["T2", 5],
        ["T0", 100]
      ]
      for (const [id, priority] of rows) yield* territories.put(F.territory(tenant, id, { priority }), null)
      yield* territories.put(F.territory(F.tenantId(), "T9", { priority: 0 }), null)
      expect((yield* territories.list(tenant)).map((t) => t.id)).toEqual(["T2", "T3", "T4", "T0", "T1"])
    })
  ),

  make("TerritoryStore: listChanges returns the tenant's changes ordered by requestedAt, then id, with the filters given", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const store = yield* TerritoryStore
      const rows: Array<[string, string, SalesForce.AssignmentChange["status"], string, string]> = [
        // id, requestedAt, status, approver, territory
        ["A3", "2024-03-01T09:00:00.000Z", "pending", "boss.a", "T1"],
        ["A1", "2024-03-02T09:00:00.000Z", "pending", "boss.b", "T1"],
        ["A2", "2024-03-01T09:00:00.000Z", "accepted", "boss.a", "T2"],
        ["A4", "2024-01-15T09:00:00.000Z", "rejected", "boss.a", "T1"],
        ["A5", "2024-03-03T09:00:00.000Z", "pending", "boss.a", "T2"]
      ]
      for (const [id, requestedAt, status, approver, territory] of rows) {
        yield* store.putChange(F.assignmentChange(tenant, id, { requestedAt, status, approver, territory }), null)
      }
      yield* store.putChange(F.assignmentChange(F.tenantId(), "A0", { approver: "boss.a" }), null)
      const ids = (filter: Parameters<typeof store.listChanges>[1]) =>
        Effect.map(store.listChanges(tenant, filter), (list) => list.map((c) => c.id))
      expect(yield* ids({})).toEqual(["A4", "A2", "A3", "A1", "A5"])
      expect(yield* ids({ status: "pending" })).toEqual(["A3", "A1", "A5"])
      expect(yield* ids({ approver: "boss.a" })).toEqual(["A4", "A2", "A3", "A5"])
      expect(yield* ids({ territory: "T2" })).toEqual(["A2", "A5"])
      expect(yield* ids({ status: "pending", approver: "boss.a", territory: "T1" })).toEqual(["A3"])
      expect(yield* ids({ status: "accepted", territory: "T1" })).toEqual([])
    })
  ),

  make("SalesEmployeeStore / TerritoryStore: writes inside a failed transaction leave no trace", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const tx = yield* StoreTransaction
      const territory = F.territory(tenant, "T1")
      yield* territories.put(territory, null)
      const error = yield* failureOf(
        tx.withTransaction(
          Effect.gen(function* () {
            yield* employees.put(F.salesEmployee(tenant, "E01"), null)
            yield* territories.put(next(territory, { salesEmployee: "E01" }), 1)
            yield* changes.put(F.assignmentChange(tenant, "A1", { territory: "T1", status: "accepted" }), null)
            expect(Option.isSome(yield* employees.get(tenant, "E01"))).toBe(true)
            return yield* new Abort()
          })
        )
      )
      expect(error).toMatchObject({ _tag: "Abort" })
      expect(yield* employees.list(tenant)).toEqual([])
      expect(yield* territories.list(tenant)).toEqual([territory])
      expect(yield* changes.list(tenant)).toEqual([])
    })
  )
]
