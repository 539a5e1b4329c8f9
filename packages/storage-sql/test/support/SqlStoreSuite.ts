/**
 * Checks of the shared SQL store that the conformance suite does not make because they are about
 * how SQL does it: every field survives the columns, visibility and paging happen in the query,
 * reads are a fixed number of statements (no N+1), a failed port operation inside a caller's
 * transaction rolls back alone (savepoints) and leaves the transaction usable, and concurrent
 * writers on several connections behave as the ports say.
 *
 * Registered by the SQLite and PostgreSQL store tests with their layer.
 */
import * as Statement from "@effect/sql/Statement"
import {
  Actor,
  ChangeDocumentStore,
  type Customer,
  CustomerStore,
  KeyMappingStore,
  NumberRangeStore,
  SalesEmployeeStore,
  type Storage,
  StoreTransaction,
  TerritoryStore
} from "@partnerkit/core"
import { Deferred, Effect, Either, Exit, Fiber, ManagedRuntime, Option } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as R from "./Records.js"

const ports = Effect.all({
  customers: CustomerStore,
  documents: ChangeDocumentStore,
  ranges: NumberRangeStore,
  tx: StoreTransaction
})

const only = (...groups: Array<string>): Actor.Visibility => ({ authorizationGroups: groups })

/** Runs `effect` and returns the SQL of every statement it executed (BEGIN/COMMIT/SAVEPOINT excluded). */
const recording = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<[A, Array<string>], E, R> =>
  Effect.suspend(() => {
    const statements: Array<string> = []
    return effect.pipe(
      Statement.withTransformer((statement) => {
        statements.push(statement.compile()[0])
        return Effect.succeed(statement)
      }),
      Effect.map((a): [A, Array<string>] => [a, statements])
    )
  })

export interface SqlStoreSuiteOptions {
  /** Several connections (PostgreSQL pool) or one (SQLite): decides what "concurrent" can show. */
  readonly connections: "one" | "many"
}

/** Registers the SQL-specific store checks against `layer` (built once for the suite). */
export const sqlStoreSuite = (name: string, layer: () => Storage.Layer, options: SqlStoreSuiteOptions): void => {
  describe(`${name} SQL store`, () => {
    let runtime: ManagedRuntime.ManagedRuntime<Storage.Ports, unknown>
    beforeAll(async () => {
      runtime = ManagedRuntime.make(layer())
      await runtime.runPromise(Effect.void)
    })
    afterAll(async () => {
      await runtime?.dispose()
    })
    const run = <A, E>(effect: Effect.Effect<A, E, Storage.Ports>): Promise<A> => runtime.runPromise(effect)

    it("stores every field of every view and reads the record back exactly as written, order included", () =>
      run(
        Effect.gen(function* () {
          const { customers } = yield* ports
          const t = R.tenant()
          const record = R.full(t, "C0001")
          yield* customers.insert(record)
          expect(Option.getOrThrow(yield* customers.get(t, "C0001", Actor.unrestricted))).toStrictEqual(record)
          const reversed: Customer.CustomerRecord = {
            ...R.full(t, "C0002"),
            companyCodes: [...record.companyCodes].reverse(),
            salesAreas: [...record.salesAreas].reverse(),
            contacts: [...record.contacts].reverse()
          }
          yield* customers.insert(reversed)
          expect(Option.getOrThrow(yield* customers.get(t, "C0002", Actor.unrestricted))).toStrictEqual(reversed)
          const minimal = R.minimal(t, "C0003", { general: { name: "Only a name", taxNumbers: [] } })
          yield* customers.insert(minimal)
          expect(Option.getOrThrow(yield* customers.get(t, "C0003", Actor.unrestricted))).toStrictEqual(minimal)
        })
      ))

    it("orders customer numbers by code unit, whatever the database's locale", () =>
      run(
        Effect.gen(function* () {
          const { customers } = yield* ports
          const t = R.tenant()
          const numbers = ["b", "B", "a", "A", "10", "9", "_x", "a-b", "ab", "Ä", "ä", "z"]
          for (const n of numbers) yield* customers.insert(R.minimal(t, n))
          const page = yield* customers.list({ tenant: t, visibility: Actor.unrestricted, limit: 100 })
          expect(page.map((c) => c.number)).toEqual([...numbers].sort())
        })
      ))

    it("get is one statement (after the store's one-time schema read); list is five statements for a page of any size (no N+1)", () =>
      run(
        Effect.gen(function* () {
          const { customers } = yield* ports
          const t = R.tenant()
          for (let i = 1; i <= 25; i++) yield* customers.insert(R.full(t, `C${String(i).padStart(4, "0")}`))
          yield* customers.get(t, "C0002", Actor.unrestricted)
          const [one, getStatements] = yield* recording(customers.get(t, "C0001", only("G1")))
          expect(Option.isSome(one)).toBe(true)
          expect(getStatements).toHaveLength(1)
          expect(getStatements[0]).toMatch(/^SELECT c\.\*/)
          const [page, listStatements] = yield* recording(customers.list({ tenant: t, visibility: only("G1"), limit: 20 }))
          expect(page).toHaveLength(20)
          expect(listStatements).toHaveLength(5)
          expect(listStatements[0]).toMatch(/LIMIT/)
          for (const statement of listStatements.slice(1)) expect(statement).toMatch(/ IN \(/)
        })
      ))

    it("list fills the page past hidden customers and views hidden in the filtered view", () =>
      run(
        Effect.gen(function* () {
          const { customers } = yield* ports
          const t = R.tenant()
          // 30 customers; every second one hidden by its general view, every third one's 1000
          // view hidden.
          for (let i = 1; i <= 30; i++) {
            const number = `C${String(i).padStart(4, "0")}`
            yield* customers.insert(
              R.minimal(t, number, {
                general: { name: number, ...(i % 2 === 0 ? { authorizationGroup: "HIDE" } : {}) },
                companyCodes: [R.companyCodeView("1000", { authorizationGroup: i % 3 === 0 ? "HIDE" : "G1" })]
              })
            )
          }
          const visible = Array.from({ length: 30 }, (_, k) => k + 1).filter((i) => i % 2 !== 0)
          const page = yield* customers.list({ tenant: t, visibility: only("G1"), limit: 5 })
          expect(page.map((c) => c.number)).toEqual(visible.slice(0, 5).map((i) => `C${String(i).padStart(4, "0")}`))
          const byCode = yield* customers.list({ tenant: t, visibility: only("G1"), companyCode: "1000", limit: 5 })
          expect(byCode.map((c) => c.number)).toEqual(
            visible
              .filter((i) => i % 3 !== 0)
              .slice(0, 5)
              .map((i) => `C${String(i).padStart(4, "0")}`)
          )
          const next = yield* customers.list({
            tenant: t,
            visibility: only("G1"),
            companyCode: "1000",
            after: byCode[4]!.number,
            limit: 100
          })
          expect(next.map((c) => c.number)).toEqual(
            visible
              .filter((i) => i % 3 !== 0)
              .slice(5)
              .map((i) => `C${String(i).padStart(4, "0")}`)
          )
          // No groups at all: only customers whose general view has no group.
          const ungrouped = yield* customers.list({ tenant: t, visibility: only(), limit: 100 })
          expect(ungrouped).toHaveLength(visible.length)
          expect(ungrouped.every((c) => c.companyCodes.every((v) => v.authorizationGroup === undefined))).toBe(true)
        })
      ))

    it("list combines the account-group, company-code and sales-area filters", () =>
      run(
        Effect.gen(function* () {
          const { customers } = yield* ports
          const t = R.tenant()
          yield* customers.insert(R.full(t, "A1", { accountGroup: "0001" }))
          yield* customers.insert(R.full(t, "A2", { accountGroup: "0002" }))
          yield* customers.insert(R.full(t, "A3", { accountGroup: "0001", salesAreas: [] }))
          yield* customers.insert(R.full(t, "A4", { accountGroup: "0001", companyCodes: [] }))
          const page = yield* customers.list({
            tenant: t,
            visibility: Actor.unrestricted,
            accountGroup: "0001",
            companyCode: "1000",
            salesArea: { salesOrganization: "1000", distributionChannel: "10", division: "00" },
            limit: 10
          })
          expect(page.map((c) => c.number)).toEqual(["A1"])
          // G2 may not see the 1000/20/00 view: A1 matches that sales area only through it.
          const hidden = yield* customers.list({
            tenant: t,
            visibility: only("G1"),
            salesArea: { salesOrganization: "1000", distributionChannel: "20", division: "00" },
            limit: 10
          })
          expect(hidden).toEqual([])
        })
      ))

    it("a taken number inside a transaction fails alone; the transaction goes on and commits", () =>
      run(
        Effect.gen(function* () {
          const { customers, tx } = yield* ports
          const t = R.tenant()
          yield* customers.insert(R.minimal(t, "C0001"))
          const outcome = yield* tx.withTransaction(
            Effect.gen(function* () {
              const taken = yield* Effect.either(customers.insert(R.full(t, "C0001")))
              const conflict = yield* Effect.either(customers.update(R.minimal(t, "C0001", { version: 3 }), 2))
              yield* customers.insert(R.minimal(t, "C0002"))
              return [taken, conflict]
            })
          )
          const tags = outcome.map((e: Either.Either<void, { readonly _tag: string }>) => (Either.isLeft(e) ? e.left._tag : "ok"))
          expect(tags).toEqual(["CustomerNumberTaken", "VersionConflict"])
          expect(Option.getOrThrow(yield* customers.get(t, "C0001", Actor.unrestricted))).toStrictEqual(R.minimal(t, "C0001"))
          expect(Option.isSome(yield* customers.get(t, "C0002", Actor.unrestricted))).toBe(true)
        })
      ))

    // A record whose two contacts share an id: the customer row is written, then a contact row
    // violates the primary key — a driver failure halfway through a port operation.
    const halfWritten = (t: string, number: string) => R.full(t, number, { contacts: [R.contact("0001"), R.contact("0001")] })

    it("an operation that fails halfway dooms the transaction: recovering from it, the caller still rolls back", () =>
      run(
        Effect.gen(function* () {
          const { customers, tx } = yield* ports
          const t = R.tenant()
          const outcome = yield* Effect.either(
            tx.withTransaction(
              Effect.gen(function* () {
                yield* customers.insert(R.minimal(t, "C0001"))
                const failed = yield* Effect.either(customers.insert(halfWritten(t, "C0002")))
                expect(Either.isLeft(failed) && failed.left._tag).toBe("StorageError")
                yield* Effect.either(customers.insert(R.minimal(t, "C0003")))
              })
            )
          )
          expect(Either.isLeft(outcome) && outcome.left._tag).toBe("StorageError")
          for (const n of ["C0001", "C0002", "C0003"]) expect(Option.isNone(yield* customers.get(t, n, Actor.unrestricted))).toBe(true)
          // The store is usable afterwards.
          yield* customers.insert(R.minimal(t, "C0004"))
          expect(Option.isSome(yield* customers.get(t, "C0004", Actor.unrestricted))).toBe(true)
        })
      ))

    it("an operation that fails halfway inside a nested withTransaction is undone with it; the outer one commits", () =>
      run(
        Effect.gen(function* () {
          const { customers, tx } = yield* ports
          const t = R.tenant()
          yield* tx.withTransaction(
            Effect.gen(function* () {
              yield* customers.insert(R.minimal(t, "C0001"))
              const inner = yield* Effect.either(tx.withTransaction(customers.insert(halfWritten(t, "C0002"))))
              expect(Either.isLeft(inner) && inner.left._tag).toBe("StorageError")
              yield* customers.insert(R.minimal(t, "C0003"))
            })
          )
          expect(Option.isSome(yield* customers.get(t, "C0001", Actor.unrestricted))).toBe(true)
          expect(Option.isNone(yield* customers.get(t, "C0002", Actor.unrestricted))).toBe(true)
          expect(Option.isSome(yield* customers.get(t, "C0003", Actor.unrestricted))).toBe(true)
          // Outside any transaction the operation runs in one of its own: nothing of it stays.
          expect(Either.isLeft(yield* Effect.either(customers.insert(halfWritten(t, "C0005"))))).toBe(true)
          expect(Option.isNone(yield* customers.get(t, "C0005", Actor.unrestricted))).toBe(true)
        })
      ))

    it("a nested withTransaction that fails rolls back its own writes only", () =>
      run(
        Effect.gen(function* () {
          const { customers, ranges, tx } = yield* ports
          const t = R.tenant()
          yield* tx.withTransaction(
            Effect.gen(function* () {
              yield* customers.insert(R.minimal(t, "OUTER"))
              yield* Effect.either(
                tx.withTransaction(
                  Effect.gen(function* () {
                    yield* customers.insert(R.minimal(t, "INNER"))
                    yield* ranges.draw(t, "R", { from: 1, to: 10 })
                    return yield* Effect.fail("inner fails")
                  })
                )
              )
              expect(yield* ranges.draw(t, "R", { from: 1, to: 10 })).toEqual({ first: 1, last: 1 })
            })
          )
          expect(Option.isSome(yield* customers.get(t, "OUTER", Actor.unrestricted))).toBe(true)
          expect(Option.isNone(yield* customers.get(t, "INNER", Actor.unrestricted))).toBe(true)
          expect(yield* ranges.last(t, "R")).toEqual(Option.some(1))
        })
      ))

    it("an interrupted transaction leaves no trace", () =>
      run(
        Effect.gen(function* () {
          const { customers, ranges, tx } = yield* ports
          const t = R.tenant()
          const written = yield* Deferred.make<void>()
          const fiber = yield* Effect.fork(
            tx.withTransaction(
              Effect.gen(function* () {
                yield* customers.insert(R.full(t, "C0001"))
                yield* ranges.draw(t, "R", { from: 1, to: 10 }, 3)
                yield* Deferred.succeed(written, undefined)
                return yield* Effect.never
              })
            )
          )
          yield* Deferred.await(written)
          expect(Exit.isInterrupted(yield* Fiber.interrupt(fiber))).toBe(true)
          expect(Option.isNone(yield* customers.get(t, "C0001", Actor.unrestricted))).toBe(true)
          expect(Option.isNone(yield* ranges.last(t, "R"))).toBe(true)
        })
      ))

    it("a reader outside a transaction neither waits for it nor sees its uncommitted writes", () =>
      run(
        Effect.gen(function* () {
          const { customers, tx } = yield* ports
          const t = R.tenant()
          const written = yield* Deferred.make<void>()
          const release = yield* Deferred.make<void>()
          const writer = yield* Effect.fork(
            tx.withTransaction(
              Effect.gen(function* () {
                yield* customers.insert(R.minimal(t, "C0001"))
                yield* Deferred.succeed(written, undefined)
                yield* Deferred.await(release)
              })
            )
          )
          yield* Deferred.await(written)
          const outside = yield* customers.get(t, "C0001", Actor.unrestricted).pipe(Effect.timeout("2 seconds"))
          expect(Option.isNone(outside)).toBe(true)
          yield* Deferred.succeed(release, undefined)
          yield* Fiber.join(writer)
          expect(Option.isSome(yield* customers.get(t, "C0001", Actor.unrestricted))).toBe(true)
        })
      ))

    it("change-document items are filtered by the view's current group, and the page is filled", () =>
      run(
        Effect.gen(function* () {
          const { customers, documents } = yield* ports
          const t = R.tenant()
          const record = R.minimal(t, "C0001", {
            general: { name: "C0001", authorizationGroup: "G1" },
            companyCodes: [
              R.companyCodeView("1000", { authorizationGroup: "G1" }),
              R.companyCodeView("2000", { authorizationGroup: "G2" })
            ],
            salesAreas: [R.salesAreaView("1000/10/00", { authorizationGroup: "G2" })]
          })
          yield* customers.insert(record)
          const g = R.item({ path: "general.phone" })
          const cc1 = R.item({ viewKind: "companyCode", viewId: "1000", path: "companyCodes.1000.paymentTerms" })
          const cc2 = R.item({ viewKind: "companyCode", viewId: "2000", path: "companyCodes.2000.paymentTerms" })
          const sa = R.item({ viewKind: "salesArea", viewId: "1000/10/00", path: "salesAreas.1000/10/00.currency" })
          yield* documents.append([
            R.document(t, "C0001", 1, [g, cc1, cc2, sa]),
            R.document(t, "C0001", 2, [cc2]),
            R.document(t, "C0001", 3, [sa, cc2]),
            R.document(t, "C0001", 4, [cc1]),
            R.document(t, "C0001", 5, [sa])
          ])
          const g1 = yield* documents.list({ tenant: t, customerNumber: "C0001", visibility: only("G1"), limit: 2 })
          expect(g1.map((d) => [d.changeNumber, d.items.map((i) => i.path)])).toEqual([
            [4, [cc1.path]],
            [1, [g.path, cc1.path]]
          ])
          const g2 = yield* documents.list({ tenant: t, customerNumber: "C0001", visibility: only("G2"), before: 5, limit: 10 })
          expect(g2.map((d) => [d.changeNumber, d.items.map((i) => i.path)])).toEqual([
            [3, [sa.path, cc2.path]],
            [2, [cc2.path]],
            [1, [cc2.path, sa.path]]
          ])
          // The sales-area view moves to G1: its old items follow it.
          yield* customers.update({ ...record, version: 2, salesAreas: [R.salesAreaView("1000/10/00", { authorizationGroup: "G1" })] }, 1)
          const now = yield* documents.list({ tenant: t, customerNumber: "C0001", visibility: only("G1"), limit: 10 })
          expect(now.map((d) => d.changeNumber)).toEqual([5, 4, 3, 1])
          // One statement: the page and its visible items (no read transaction around two).
          const [, statements] = yield* recording(documents.list({ tenant: t, customerNumber: "C0001", visibility: only("G1"), limit: 10 }))
          expect(statements).toHaveLength(1)
        })
      ))

    it("an item of a view that no longer exists is shown to unrestricted readers only", () =>
      run(
        Effect.gen(function* () {
          const { customers, documents } = yield* ports
          const t = R.tenant()
          const record = R.minimal(t, "C0001", { companyCodes: [R.companyCodeView("1000", { authorizationGroup: "G1" })] })
          yield* customers.insert(record)
          const gone = R.item({ viewKind: "companyCode", viewId: "1000", path: "companyCodes.1000.paymentTerms" })
          yield* documents.append([R.document(t, "C0001", 1, [gone]), R.document(t, "NOBODY", 1, [R.item()])])
          yield* customers.update({ ...record, version: 2, companyCodes: [] }, 1)
          const list = (number: string, visibility: Actor.Visibility) =>
            documents.list({ tenant: t, customerNumber: number, visibility, limit: 10 })
          expect(yield* list("C0001", only("G1"))).toEqual([])
          expect((yield* list("C0001", Actor.unrestricted)).map((d) => d.items)).toEqual([[gone]])
          expect(yield* list("NOBODY", only("G1"))).toEqual([])
          expect(yield* list("NOBODY", Actor.unrestricted)).toHaveLength(1)
        })
      ))

    it("sales-area partners keep their order and optional default, and follow their view's visibility", () =>
      run(
        Effect.gen(function* () {
          const { customers } = yield* ports
          const t = R.tenant()
          const record = R.full(t, "C0001")
          yield* customers.insert(record)
          const [visible, hidden] = record.salesAreas
          expect(visible?.partners?.length).toBeGreaterThan(1)
          const g1 = Option.getOrThrow(yield* customers.get(t, "C0001", only("G1")))
          expect(g1.salesAreas).toStrictEqual([visible])
          const [listed] = yield* customers.list({ tenant: t, visibility: only("G1"), limit: 1 })
          expect(listed?.salesAreas).toStrictEqual([visible])
          // Replacing the partners (fewer, reordered) replaces the rows.
          const partners = [
            { function: "WE", partner: "C0009" },
            { function: "AG", partner: "C0001" }
          ]
          const changed = {
            ...record,
            version: 2,
            salesAreas: [
              { ...visible!, partners },
              { ...hidden!, partners: undefined }
            ]
          }
          yield* customers.update(changed, 1)
          const read = Option.getOrThrow(yield* customers.get(t, "C0001", Actor.unrestricted))
          expect(read.salesAreas[0]?.partners).toStrictEqual(partners)
          expect(read.salesAreas[1]).not.toHaveProperty("partners")
        })
      ))

    it("sales employees, territories and assignment changes: versioned puts, ordered lists, filters", () =>
      run(
        Effect.gen(function* () {
          const employees = yield* SalesEmployeeStore
          const territories = yield* TerritoryStore
          const t = R.tenant()
          const anna = { tenant: t, id: "E2", name: "Anna", email: "anna@example.com", active: true, version: 1 }
          const ben = { tenant: t, id: "E1", name: "Ben", active: false, version: 1 }
          yield* employees.put(anna, null)
          yield* employees.put(ben, null)
          expect(yield* Effect.flip(employees.put(anna, null))).toMatchObject({
            _tag: "VersionConflict",
            number: "E2",
            expected: 0,
            actual: 1
          })
          expect(yield* Effect.flip(employees.put({ ...anna, version: 3 }, 2))).toMatchObject({ expected: 2, actual: 1 })
          expect(yield* Effect.flip(employees.put({ ...anna, id: "E9" }, 1))).toMatchObject({ expected: 1, actual: 0 })
          yield* employees.put({ ...anna, phone: "+49 1", version: 2 }, 1)
          expect(yield* employees.list(t)).toStrictEqual([ben, { ...anna, phone: "+49 1", version: 2 }])
          expect(yield* employees.get(t, "E1")).toStrictEqual(Option.some(ben))
          expect(yield* employees.get(R.tenant(), "E1")).toStrictEqual(Option.none())

          const south = {
            tenant: t,
            id: "T2",
            name: "South",
            priority: 10,
            criteria: { countries: ["DE"], postalCodes: [{ from: "80000", to: "87999" }] },
            salesEmployee: null,
            version: 1
          }
          const north = { tenant: t, id: "T1", name: "North", priority: 20, criteria: {}, salesEmployee: "E1", version: 1 }
          const west = { ...north, id: "T0", name: "West" }
          for (const territory of [south, north, west]) yield* territories.put(territory, null)
          expect((yield* territories.list(t)).map((x) => x.id)).toEqual(["T2", "T0", "T1"])
          expect(yield* territories.get(t, "T2")).toStrictEqual(Option.some(south))

          const change = (id: string, requestedAt: string, extra: object = {}) => ({
            tenant: t,
            id,
            territory: "T1",
            salesEmployee: "E2",
            previous: "E1",
            requestedBy: "li.na",
            requestedAt,
            approver: "boss",
            status: "pending" as const,
            decidedAt: null,
            comment: null,
            version: 1,
            ...extra
          })
          const c1 = change("A", "2024-05-02T10:00:00.000Z")
          const c2 = change("B", "2024-05-01T10:00:00.000Z", { territory: "T2", previous: null })
          const c3 = change("C", "2024-05-01T10:00:00.000Z", { approver: "other" })
          for (const c of [c1, c2, c3]) yield* territories.putChange(c, null)
          const accepted = { ...c1, status: "accepted" as const, decidedAt: "2024-05-03T00:00:00.000Z", comment: "ok", version: 2 }
          yield* territories.putChange(accepted, 1)
          const ids = (filter: Parameters<typeof territories.listChanges>[1]) =>
            Effect.map(territories.listChanges(t, filter), (list) => list.map((c) => c.id))
          expect(yield* ids({})).toEqual(["B", "C", "A"])
          expect(yield* ids({ status: "pending" })).toEqual(["B", "C"])
          expect(yield* ids({ approver: "boss", status: "pending" })).toEqual(["B"])
          expect(yield* ids({ territory: "T1" })).toEqual(["C", "A"])
          expect(yield* territories.getChange(t, "A")).toStrictEqual(Option.some(accepted))
        })
      ))

    it("insertMany writes a batch in a few statements, or nothing when one number is taken", () =>
      run(
        Effect.gen(function* () {
          const { customers } = yield* ports
          const t = R.tenant()
          const batch = Array.from({ length: 450 }, (_, i) => R.full(t, `B${String(i).padStart(4, "0")}`))
          const [, statements] = yield* recording(customers.insertMany(batch))
          // 3 chunks of customers, 5 of company-code views, 5 of sales-area views, 9 of partners, 5 of contacts.
          expect(statements.length).toBeLessThanOrEqual(30)
          const page = yield* customers.list({ tenant: t, visibility: Actor.unrestricted, limit: 1_000 })
          expect(page).toStrictEqual(batch)

          const more = [R.minimal(t, "N0001"), R.full(t, "B0449"), R.minimal(t, "N0002")]
          expect(yield* Effect.flip(customers.insertMany(more))).toMatchObject({ _tag: "CustomerNumberTaken", number: "B0449" })
          const twice = [R.minimal(t, "N0001"), R.minimal(t, "N0001")]
          expect(yield* Effect.flip(customers.insertMany(twice))).toMatchObject({ _tag: "CustomerNumberTaken", number: "N0001" })
          expect(Option.isNone(yield* customers.get(t, "N0001", Actor.unrestricted))).toBe(true)
          expect(yield* customers.list({ tenant: t, visibility: Actor.unrestricted, after: "B0449", limit: 10 })).toEqual([])
        })
      ))

    it("key mappings: found in batches, a mapped key fails the whole put, concurrent puts of one key: one wins", () =>
      run(
        Effect.gen(function* () {
          const mappings = yield* KeyMappingStore
          const t = R.tenant()
          const many = Array.from({ length: 1_200 }, (_, i) => ({ key: `K${i}`, number: `C${String(i).padStart(5, "0")}` }))
          yield* mappings.put(t, "erp", many)
          const found = yield* mappings.find(t, "erp", [...many.map((m) => m.key), "K0", "unknown"])
          expect(found.size).toBe(1_200)
          expect(found.get("K1199")).toBe("C01199")
          expect((yield* mappings.find(t, "crm", ["K1"])).size).toBe(0)
          expect((yield* mappings.find(R.tenant(), "erp", ["K1"])).size).toBe(0)

          const failure = yield* Effect.flip(
            mappings.put(t, "erp", [
              { key: "NEW", number: "C9" },
              { key: "K5", number: "C9" }
            ])
          )
          expect(failure._tag).toBe("StorageError")
          expect((yield* mappings.find(t, "erp", ["NEW"])).size).toBe(0)
          expect(
            (yield* Effect.flip(
              mappings.put(t, "erp", [
                { key: "X", number: "1" },
                { key: "X", number: "2" }
              ])
            ))._tag
          ).toBe("StorageError")

          const racers = yield* Effect.all(
            Array.from({ length: 6 }, (_, i) => Effect.either(mappings.put(t, "erp", [{ key: "RACE", number: `C${i}` }]))),
            { concurrency: "unbounded" }
          )
          expect(racers.filter(Either.isRight)).toHaveLength(1)
        })
      ))

    it("an append with one duplicate document writes none of the batch", () =>
      run(
        Effect.gen(function* () {
          const { documents } = yield* ports
          const t = R.tenant()
          yield* documents.append([R.document(t, "C0001", 2)])
          const failure = yield* Effect.flip(documents.append([R.document(t, "C0001", 1), R.document(t, "C0001", 2)]))
          expect(failure._tag).toBe("StorageError")
          const left = yield* documents.list({ tenant: t, customerNumber: "C0001", visibility: Actor.unrestricted, limit: 10 })
          expect(left.map((d) => d.changeNumber)).toEqual([2])
        })
      ))

    it("large appends and records are written in chunks", () =>
      run(
        Effect.gen(function* () {
          const { customers, documents } = yield* ports
          const t = R.tenant()
          const items = Array.from({ length: 1_500 }, (_, i) => R.item({ path: `general.notes.${String(i).padStart(4, "0")}` }))
          yield* documents.append([R.document(t, "C0001", 1, items)])
          const [doc] = yield* documents.list({ tenant: t, customerNumber: "C0001", visibility: Actor.unrestricted, limit: 1 })
          expect(doc?.items.map((i) => i.path)).toEqual(items.map((i) => i.path))
          const contacts = Array.from({ length: 450 }, (_, i) => R.contact(String(i + 1).padStart(4, "0")))
          yield* customers.insert(R.minimal(t, "C0001", { contacts }))
          const read = Option.getOrThrow(yield* customers.get(t, "C0001", Actor.unrestricted))
          expect(read.contacts).toHaveLength(450)
        })
      ))

    it("draws continue after a moved interval and return a partial block at the end", () =>
      run(
        Effect.gen(function* () {
          const { ranges } = yield* ports
          const t = R.tenant()
          expect(yield* ranges.draw(t, "R", { from: 5, to: 20 }, 4)).toEqual({ first: 5, last: 8 })
          // The interval was moved up: drawing starts at its new start.
          expect(yield* ranges.draw(t, "R", { from: 100, to: 103 }, 3)).toEqual({ first: 100, last: 102 })
          expect(yield* ranges.draw(t, "R", { from: 100, to: 103 }, 3)).toEqual({ first: 103, last: 103 })
          const exhausted = yield* Effect.flip(ranges.draw(t, "R", { from: 100, to: 103 }))
          expect(exhausted._tag).toBe("NumberRangeExhausted")
          expect(yield* ranges.last(t, "R")).toEqual(Option.some(103))
          // Positions past 2^32 (15-digit ranges).
          const big = 999_999_999_999_990
          expect(yield* ranges.draw(t, "BIG", { from: big, to: big + 9 }, 2)).toEqual({ first: big, last: big + 1 })
          expect(yield* ranges.last(t, "BIG")).toEqual(Option.some(big + 1))
        })
      ))

    it(`concurrent transactions drawing from one range never share a number (${options.connections} connection(s))`, () =>
      run(
        Effect.gen(function* () {
          const { ranges, tx } = yield* ports
          const t = R.tenant()
          const outcomes = yield* Effect.all(
            Array.from({ length: 40 }, (_, i) =>
              Effect.either(
                tx.withTransaction(
                  Effect.gen(function* () {
                    const drawn = yield* ranges.draw(t, "R", { from: 1, to: 1_000 })
                    yield* Effect.sleep("1 millis")
                    if (i % 4 === 3) return yield* Effect.fail("abandoned")
                    return drawn.first
                  })
                )
              )
            ),
            { concurrency: "unbounded" }
          )
          const numbers = outcomes.filter(Either.isRight).map((e) => e.right)
          expect(numbers).toHaveLength(30)
          expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
          expect(yield* ranges.last(t, "R")).toEqual(Option.some(30))
        })
      ))

    it("of concurrent inserts of one number and concurrent updates from one version, exactly one succeeds", () =>
      run(
        Effect.gen(function* () {
          const { customers } = yield* ports
          const t = R.tenant()
          const inserts = yield* Effect.all(
            Array.from({ length: 8 }, (_, i) => Effect.either(customers.insert(R.full(t, "C0001", { createdBy: `writer ${i}` })))),
            { concurrency: "unbounded" }
          )
          expect(inserts.filter(Either.isRight)).toHaveLength(1)
          expect(inserts.filter(Either.isLeft).map((e) => e.left._tag)).toEqual(Array(7).fill("CustomerNumberTaken"))
          const stored = Option.getOrThrow(yield* customers.get(t, "C0001", Actor.unrestricted))
          const updates = yield* Effect.all(
            Array.from({ length: 8 }, (_, i) =>
              Effect.either(customers.update({ ...stored, version: 2, changedBy: `writer ${i}`, contacts: [R.contact(`000${i}`)] }, 1))
            ),
            { concurrency: "unbounded" }
          )
          expect(updates.filter(Either.isRight)).toHaveLength(1)
          for (const failure of updates.filter(Either.isLeft)) {
            expect(failure.left).toMatchObject({ _tag: "VersionConflict", expected: 1, actual: 2 })
          }
          const after = Option.getOrThrow(yield* customers.get(t, "C0001", Actor.unrestricted))
          expect(after.contacts).toHaveLength(1)
          expect(after.contacts[0]!.id).toBe(`000${after.changedBy.slice(-1)}`)
        })
      ))
  })
}
