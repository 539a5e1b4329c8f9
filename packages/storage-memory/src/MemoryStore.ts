/**
 * An in-memory partnerkit store: every storage port (`CustomerStore`, `ChangeDocumentStore`,
 * `NumberRangeStore`, `SalesEmployeeStore`, `TerritoryStore`, `KeyMappingStore`,
 * `MatchIndexStore`, `CustomerSearchStore`, `StoreTransaction`) kept in the
 * process, with the same semantics as the
 * SQL stores, atomic and isolated transactions included. Data is lost when the process exits.
 *
 * Use it for tests, demos, prototypes and short-lived tools; use `@partnerkit/storage-sqlite` or
 * `@partnerkit/storage-postgres` for data that must survive the process.
 *
 * @example
 * ```ts
 * import { CustomerStore, StoreTransaction } from "@partnerkit/core"
 * import { MemoryStore } from "@partnerkit/storage-memory"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const transactions = yield* StoreTransaction
 *   const customers = yield* CustomerStore
 *   return yield* transactions.withTransaction(customers.list({ tenant: "acme", visibility: { authorizationGroups: "all" }, limit: 10 }))
 * })
 *
 * Effect.runPromise(Effect.provide(program, MemoryStore.layer())).then(console.log)
 * ```
 * @module
 */
import {
  ChangeDocumentStore,
  type ChangeDocumentStoreShape,
  Customer,
  CustomerSearchStore,
  type CustomerSearchStoreShape,
  CustomerStore,
  type CustomerStoreShape,
  Errors,
  KeyMappingStore,
  type KeyMappingStoreShape,
  MatchIndexStore,
  type MatchIndexStoreShape,
  NumberRangeStore,
  type NumberRangeStoreShape,
  SalesEmployeeStore,
  type SalesEmployeeStoreShape,
  type SalesForce,
  type Storage,
  StoreTransaction,
  TerritoryStore,
  type TerritoryStoreShape
} from "@partnerkit/core"
import { Context, Data, Effect, Either, Layer, Option, RedBlackTree } from "effect"
import * as SearchIndex from "./internal/SearchIndex.js"
import * as State from "./internal/State.js"
import * as Transactions from "./internal/Transactions.js"
import * as MatchIndex from "./MatchIndex.js"

/** The ports of one in-memory store, as plain service implementations. */
export interface MemoryStore {
  readonly customers: CustomerStoreShape
  readonly changeDocuments: ChangeDocumentStoreShape
  readonly numberRanges: NumberRangeStoreShape
  readonly salesEmployees: SalesEmployeeStoreShape
  readonly territories: TerritoryStoreShape
  readonly keyMappings: KeyMappingStoreShape
  readonly matchIndex: MatchIndexStoreShape
  readonly search: CustomerSearchStoreShape
  readonly transactions: Storage.StoreTransactionShape
}

/**
 * Copies data crossing the store's boundary, so that a caller mutating what it passed in or got
 * back cannot change what is stored. A value that cannot be copied (a function, say) is a
 * `StorageError`, as a driver would report a value it cannot bind.
 */
const copy = <A>(operation: string, value: A): Effect.Effect<A, Errors.StorageError> =>
  Effect.try({ try: () => structuredClone(value), catch: (cause) => new Errors.StorageError({ operation, cause }) })

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The record with its views and contacts in the order `CustomerRecord` documents (company codes
 * by code, sales areas by key, contacts by id), as a SQL store returns them whatever order they
 * were written in. Sorts in place: only for the store's own copy.
 */
const ordered = (record: Customer.CustomerRecord): Customer.CustomerRecord => {
  record.companyCodes.sort((a, b) => compareText(a.companyCode, b.companyCode))
  record.salesAreas.sort((a, b) => compareText(Customer.salesAreaKey(a.salesArea), Customer.salesAreaKey(b.salesArea)))
  record.contacts.sort((a, b) => compareText(a.id, b.id))
  return record
}

const copyOut =
  <A>(operation: string) =>
  (value: A): Effect.Effect<A, Errors.StorageError> =>
    copy(operation, value)

/**
 * Builds a fresh, empty store and returns its services. It holds no resource, so it needs no
 * scope; build it once and share it for as long as the data should live.
 */
export const make: Effect.Effect<MemoryStore> = Effect.map(Transactions.make, (tx): MemoryStore => {
  const customers: CustomerStoreShape = {
    get: (tenant, number, visibility) =>
      tx
        .read((state) => {
          const stored = State.getCustomer(state, tenant, number)
          return stored === undefined ? undefined : Customer.visibleTo(stored, visibility)
        })
        .pipe(
          Effect.flatMap((visible) => (visible === undefined ? Effect.succeedNone : Effect.asSome(copy("CustomerStore.get", visible))))
        ),
    insert: (record) =>
      copy("CustomerStore.insert", record).pipe(
        Effect.flatMap((owned) => tx.write((state) => State.insertCustomer(state, ordered(owned))))
      ),
    insertMany: (records) =>
      copy("CustomerStore.insertMany", records).pipe(Effect.flatMap((owned) => tx.write((state) => State.insertCustomers(state, owned)))),
    update: (record, expectedVersion) =>
      copy("CustomerStore.update", record).pipe(
        Effect.flatMap((owned) => tx.write((state) => State.updateCustomer(state, ordered(owned), expectedVersion)))
      ),
    list: (query) => tx.read((state) => State.listCustomers(state, query)).pipe(Effect.flatMap(copyOut("CustomerStore.list")))
  }

  const changeDocuments: ChangeDocumentStoreShape = {
    append: (documents) =>
      copy("ChangeDocumentStore.append", documents).pipe(
        Effect.flatMap((owned) => tx.write((state) => State.appendDocuments(state, owned)))
      ),
    list: (query) => tx.read((state) => State.listDocuments(state, query)).pipe(Effect.flatMap(copyOut("ChangeDocumentStore.list")))
  }

  const numberRanges: NumberRangeStoreShape = {
    draw: (tenant, range, interval, count = 1) =>
      Number.isSafeInteger(count) && count >= 1
        ? tx.write((state) => State.draw(state, tenant, range, interval, count))
        : Effect.dieMessage(`NumberRangeStore.draw: count must be a positive integer, got ${count}`),
    last: (tenant, range) => tx.read((state) => State.lastDrawn(state, tenant, range))
  }

  const getRow =
    <T extends State.TableName>(table: T, operation: string) =>
    (tenant: string, id: string) =>
      tx
        .read((state) => State.getRow(state, table, tenant, id))
        .pipe(Effect.flatMap((row) => (Option.isNone(row) ? Effect.succeedNone : Effect.asSome(copy(operation, row.value)))))

  const salesEmployees: SalesEmployeeStoreShape = {
    get: getRow("salesEmployees", "SalesEmployeeStore.get"),
    put: (employee, expectedVersion) =>
      copy("SalesEmployeeStore.put", employee).pipe(
        Effect.flatMap((owned) => tx.write((state) => State.putRow(state, "salesEmployees", owned, expectedVersion)))
      ),
    list: (tenant) =>
      tx.read((state) => State.listRows(state, "salesEmployees", tenant)).pipe(Effect.flatMap(copyOut("SalesEmployeeStore.list")))
  }

  const territories: TerritoryStoreShape = {
    get: getRow("territories", "TerritoryStore.get"),
    put: (territory, expectedVersion) =>
      copy("TerritoryStore.put", territory).pipe(
        Effect.flatMap((owned) => tx.write((state) => State.putRow(state, "territories", owned, expectedVersion)))
      ),
    list: (tenant) =>
      tx
        .read((state) => State.listRows(state, "territories", tenant).sort(byPriorityThenId))
        .pipe(Effect.flatMap(copyOut("TerritoryStore.list"))),
    getChange: getRow("assignmentChanges", "TerritoryStore.getChange"),
    putChange: (change, expectedVersion) =>
      copy("TerritoryStore.putChange", change).pipe(
        Effect.flatMap((owned) => tx.write((state) => State.putRow(state, "assignmentChanges", owned, expectedVersion)))
      ),
    listChanges: (tenant, filter) =>
      tx
        .read((state) =>
          State.listRows(state, "assignmentChanges", tenant)
            .filter(
              (c) =>
                (filter.status === undefined || c.status === filter.status) &&
                (filter.approver === undefined || c.approver === filter.approver) &&
                (filter.territory === undefined || c.territory === filter.territory)
            )
            .sort(byRequestedAtThenId)
        )
        .pipe(Effect.flatMap(copyOut("TerritoryStore.listChanges")))
  }

  const keyMappings: KeyMappingStoreShape = {
    find: (tenant, system, keys) => tx.read((state) => State.findKeyMappings(state, tenant, system, keys)),
    put: (tenant, system, mappings) =>
      copy("KeyMappingStore.put", mappings).pipe(
        Effect.flatMap((owned) => tx.write((state) => State.putKeyMappings(state, tenant, system, owned)))
      )
  }

  // The index is part of the persistent state, so its writes share the store's transactions.
  const matchIndex: MatchIndexStoreShape = {
    ...MatchIndex.port({
      read: (f) => tx.read((state) => f(state.matchIndex)),
      write: (f) => tx.write((state) => Either.right([undefined, { ...state, matchIndex: f(state.matchIndex) }] as const))
    }),
    records: (tenant, numbers) =>
      tx
        .read((state) =>
          [...new Set(numbers)].flatMap((number) => {
            const stored = State.getCustomer(state, tenant, number)
            return stored === undefined
              ? []
              : [{ number, accountGroup: stored.accountGroup, general: stored.general, deletionFlag: stored.deletionFlag }]
          })
        )
        .pipe(Effect.flatMap(copyOut("MatchIndexStore.records")))
  }

  // The index lives in the state and is written by the customer writes themselves (State.ts).
  const search: CustomerSearchStoreShape = {
    search: (query) =>
      tx
        .read((state) =>
          SearchIndex.search(
            state.search,
            query,
            (number) => State.getCustomer(state, query.tenant, number),
            function* () {
              for (const [[tenant], record] of RedBlackTree.greaterThanEqual(state.customers, Data.tuple(query.tenant, ""))) {
                if (tenant !== query.tenant) return
                yield record
              }
            }
          )
        )
        .pipe(Effect.flatMap(copyOut("CustomerSearchStore.search")))
  }

  return {
    customers,
    changeDocuments,
    numberRanges,
    salesEmployees,
    territories,
    keyMappings,
    matchIndex,
    search,
    transactions: { withTransaction: tx.withTransaction }
  }
})

const byPriorityThenId = (a: SalesForce.Territory, b: SalesForce.Territory) => a.priority - b.priority || compareText(a.id, b.id)

const byRequestedAtThenId = (a: SalesForce.AssignmentChange, b: SalesForce.AssignmentChange) =>
  compareText(a.requestedAt, b.requestedAt) || compareText(a.id, b.id)

/** The services of `store` as the context a `Storage.Layer` provides. */
export const toContext = (store: MemoryStore): Context.Context<Storage.Ports> =>
  Context.make(CustomerStore, store.customers).pipe(
    Context.add(ChangeDocumentStore, store.changeDocuments),
    Context.add(NumberRangeStore, store.numberRanges),
    Context.add(SalesEmployeeStore, store.salesEmployees),
    Context.add(TerritoryStore, store.territories),
    Context.add(KeyMappingStore, store.keyMappings),
    Context.add(MatchIndexStore, store.matchIndex),
    Context.add(CustomerSearchStore, store.search),
    Context.add(StoreTransaction, store.transactions)
  )

/** Every storage port, in memory. Each time the layer is built it starts a fresh, empty store. */
export const layer = (): Storage.Layer => Layer.effectContext(Effect.map(make, toContext))
