/**
 * The whole content of one memory store as an immutable value, and the port operations as pure
 * functions over it. Persistent structures make a snapshot (the start of a transaction) O(1):
 * a transaction's draft is just another `State` that shares everything it has not changed.
 *
 * Records are owned by the state: callers clone what they put in and what they hand out.
 *
 * @internal
 */
import {
  Actor,
  type ChangeDocument,
  type ChangeDocumentQuery,
  Customer,
  type CustomerQuery,
  type Drawn,
  Errors,
  type Interval,
  type SalesForce
} from "@partnerkit/core"
import { Data, Either, HashMap, Option, Order, RedBlackTree } from "effect"
import * as MatchIndex from "../MatchIndex.js"
import * as SearchIndex from "./SearchIndex.js"

type CustomerRecord = Customer.CustomerRecord
type Document = ChangeDocument.ChangeDocument

/**
 * `[tenant, customer number or id]`, ordered tenant first, then number in plain code-unit order.
 * Keys are `Data.tuple`s: the tree finds an entry by `Equal.equals`, which compares plain arrays
 * by reference.
 */
type TenantKey = readonly [tenant: string, id: string]
const tenantKeyOrder: Order.Order<TenantKey> = Order.tuple(Order.string, Order.string)
const tenantKey = (tenant: string, number: string): TenantKey => Data.tuple(tenant, number)

/** `[tenant, customer number, change number]`. */
type DocumentKey = readonly [tenant: string, customerNumber: string, changeNumber: number]
const documentKeyOrder: Order.Order<DocumentKey> = Order.tuple(Order.string, Order.string, Order.number)
const documentKey = (tenant: string, customerNumber: string, changeNumber: number): DocumentKey =>
  Data.tuple(tenant, customerNumber, changeNumber)

export interface State {
  /** Every customer of every tenant, ordered by tenant and number, so a page is O(log n + page). */
  readonly customers: RedBlackTree.RedBlackTree<TenantKey, CustomerRecord>
  /** Every change document, ordered by tenant, customer and change number. */
  readonly documents: RedBlackTree.RedBlackTree<DocumentKey, Document>
  /** The last position drawn, by `numberRangeKey(tenant, range)`. */
  readonly numberRanges: HashMap.HashMap<string, number>
  readonly salesEmployees: Table<SalesForce.SalesEmployee>
  readonly territories: Table<SalesForce.Territory>
  readonly assignmentChanges: Table<SalesForce.AssignmentChange>
  /** Customer number by `keyMappingKey(tenant, system, key)`. */
  readonly keyMappings: HashMap.HashMap<string, string>
  /** The duplicate check's blocking keys (`MatchIndexStore`), see `MatchIndex.ts`. */
  readonly matchIndex: MatchIndex.MatchIndex
  /** Customer search's token index (`CustomerSearchStore`), written with every customer write; see `SearchIndex.ts`. */
  readonly search: SearchIndex.SearchIndex
}

/** Records with a tenant, an id and a version, ordered by tenant and id. */
export type Table<V> = RedBlackTree.RedBlackTree<TenantKey, V>

export const empty: State = {
  customers: RedBlackTree.empty(tenantKeyOrder),
  documents: RedBlackTree.empty(documentKeyOrder),
  numberRanges: HashMap.empty(),
  salesEmployees: RedBlackTree.empty(tenantKeyOrder),
  territories: RedBlackTree.empty(tenantKeyOrder),
  assignmentChanges: RedBlackTree.empty(tenantKeyOrder),
  keyMappings: HashMap.empty(),
  matchIndex: MatchIndex.empty,
  search: SearchIndex.empty
}

/** A write's outcome: the value to return and the next state, or the failure (state unchanged). */
export type Written<A, E> = Either.Either<readonly [A, State], E>

// ---------------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------------

export const getCustomer = (state: State, tenant: string, number: string): CustomerRecord | undefined =>
  Option.getOrUndefined(RedBlackTree.findFirst(state.customers, tenantKey(tenant, number)))

export const insertCustomer = (state: State, record: CustomerRecord): Written<void, Errors.CustomerNumberTaken> => {
  const key = tenantKey(record.tenant, record.number)
  if (RedBlackTree.has(state.customers, key)) {
    return Either.left(new Errors.CustomerNumberTaken({ tenant: record.tenant, number: record.number }))
  }
  return Either.right([
    undefined,
    { ...state, customers: RedBlackTree.insert(state.customers, key, record), search: SearchIndex.replace(state.search, undefined, record) }
  ])
}

/** All or nothing: the first number that exists (or repeats) fails the whole batch. */
export const insertCustomers = (state: State, records: ReadonlyArray<CustomerRecord>): Written<void, Errors.CustomerNumberTaken> => {
  let customers = state.customers
  for (const record of records) {
    const key = tenantKey(record.tenant, record.number)
    if (RedBlackTree.has(customers, key)) {
      return Either.left(new Errors.CustomerNumberTaken({ tenant: record.tenant, number: record.number }))
    }
    customers = RedBlackTree.insert(customers, key, record)
  }
  return Either.right([
    undefined,
    {
      ...state,
      customers,
      search: SearchIndex.replaceMany(
        state.search,
        records.map((r) => [undefined, r] as const)
      )
    }
  ])
}

/** JSON keeps the parts apart: no tenant, system and key can run into another's. */
const keyMappingKey = (tenant: string, system: string, key: string) => JSON.stringify([tenant, system, key])

export const findKeyMappings = (state: State, tenant: string, system: string, keys: ReadonlyArray<string>): ReadonlyMap<string, string> => {
  const found = new Map<string, string>()
  for (const key of keys) {
    const number = HashMap.get(state.keyMappings, keyMappingKey(tenant, system, key))
    if (Option.isSome(number)) found.set(key, number.value)
  }
  return found
}

export const putKeyMappings = (
  state: State,
  tenant: string,
  system: string,
  mappings: ReadonlyArray<{ readonly key: string; readonly number: string }>
): Written<void, Errors.StorageError> => {
  let keyMappings = state.keyMappings
  for (const { key, number } of mappings) {
    const k = keyMappingKey(tenant, system, key)
    if (HashMap.has(keyMappings, k)) {
      return Either.left(
        new Errors.StorageError({ operation: "KeyMappingStore.put", cause: new Error(`key ${key} of ${system} is mapped already`) })
      )
    }
    keyMappings = HashMap.set(keyMappings, k, number)
  }
  return Either.right([undefined, { ...state, keyMappings }])
}

export const updateCustomer = (
  state: State,
  record: CustomerRecord,
  expectedVersion: number
): Written<void, Errors.VersionConflict | Errors.CustomerNotFound> => {
  const key = tenantKey(record.tenant, record.number)
  const stored = getCustomer(state, record.tenant, record.number)
  if (stored === undefined) {
    return Either.left(new Errors.CustomerNotFound({ tenant: record.tenant, number: record.number }))
  }
  if (stored.version !== expectedVersion) {
    return Either.left(new Errors.VersionConflict({ number: record.number, expected: expectedVersion, actual: stored.version }))
  }
  // The tree keeps duplicate keys side by side, so the old entry goes before the new one comes in.
  const customers = RedBlackTree.insert(RedBlackTree.removeFirst(state.customers, key), key, record)
  return Either.right([undefined, { ...state, customers, search: SearchIndex.replace(state.search, stored, record) }])
}

const matches = (visible: CustomerRecord, query: CustomerQuery): boolean => {
  if (query.accountGroup !== undefined && visible.accountGroup !== query.accountGroup) return false
  if (query.companyCode !== undefined && !visible.companyCodes.some((v) => v.companyCode === query.companyCode)) {
    return false
  }
  if (query.salesArea !== undefined) {
    const wanted = Customer.salesAreaKey(query.salesArea)
    if (!visible.salesAreas.some((v) => Customer.salesAreaKey(v.salesArea) === wanted)) return false
  }
  return true
}

/**
 * One page of customers: starts at the cursor in the ordered tree and walks forward, applying
 * visibility and filters row by row until the page is full or the tenant's rows end.
 */
export const listCustomers = (state: State, query: CustomerQuery): Array<CustomerRecord> => {
  const page: Array<CustomerRecord> = []
  if (query.limit <= 0) return page
  const rows =
    query.after === undefined
      ? RedBlackTree.greaterThanEqual(state.customers, tenantKey(query.tenant, ""))
      : RedBlackTree.greaterThan(state.customers, tenantKey(query.tenant, query.after))
  for (const [[tenant], record] of rows) {
    if (tenant !== query.tenant) break
    const visible = Customer.visibleTo(record, query.visibility)
    if (visible === undefined || !matches(visible, query)) continue
    page.push(visible)
    if (page.length >= query.limit) break
  }
  return page
}

// ---------------------------------------------------------------------------------------------
// Change documents
// ---------------------------------------------------------------------------------------------

export const appendDocuments = (state: State, documents: ReadonlyArray<Document>): Written<void, Errors.StorageError> => {
  let tree = state.documents
  for (const document of documents) {
    const key = documentKey(document.tenant, document.customerNumber, document.changeNumber)
    if (RedBlackTree.has(tree, key)) {
      return Either.left(
        new Errors.StorageError({
          operation: "ChangeDocumentStore.append",
          cause: new Error(
            `change document ${document.changeNumber} of customer ${document.customerNumber} exists already in tenant ${document.tenant}`
          )
        })
      )
    }
    tree = RedBlackTree.insert(tree, key, document)
  }
  return Either.right([undefined, { ...state, documents: tree }])
}

/**
 * The authorization group of a view as it is now, `null` for a view without one, `undefined`
 * when the view (or the customer) does not exist any more.
 */
const currentGroup = (customer: CustomerRecord | undefined, item: ChangeDocument.ChangeItem): string | null | undefined => {
  if (customer === undefined) return undefined
  switch (item.viewKind) {
    case "general":
      return customer.general.authorizationGroup ?? null
    case "companyCode": {
      const view = customer.companyCodes.find((v) => v.companyCode === item.viewId)
      return view === undefined ? undefined : (view.authorizationGroup ?? null)
    }
    case "salesArea": {
      const view = customer.salesAreas.find((v) => Customer.salesAreaKey(v.salesArea) === item.viewId)
      return view === undefined ? undefined : (view.authorizationGroup ?? null)
    }
  }
}

/**
 * One page of a customer's documents, newest first. Items are judged against the customer record
 * in the same state. An item of a view that no longer exists is shown only to unrestricted
 * readers: nobody can say any more which group it belonged to.
 */
export const listDocuments = (state: State, query: ChangeDocumentQuery): Array<Document> => {
  const page: Array<Document> = []
  if (query.limit <= 0) return page
  const customer = getCustomer(state, query.tenant, query.customerNumber)
  const unrestricted = query.visibility.authorizationGroups === "all"
  const isVisible = (item: ChangeDocument.ChangeItem): boolean => {
    if (unrestricted) return true
    const group = currentGroup(customer, item)
    return group !== undefined && Actor.canSeeGroup(query.visibility, group)
  }
  const rows = RedBlackTree.lessThanReversed(
    state.documents,
    documentKey(query.tenant, query.customerNumber, query.before ?? Number.POSITIVE_INFINITY)
  )
  for (const [[tenant, customerNumber], document] of rows) {
    if (tenant !== query.tenant || customerNumber !== query.customerNumber) break
    const items = document.items.filter(isVisible)
    if (items.length === 0) continue
    page.push(items.length === document.items.length ? document : { ...document, items })
    if (page.length >= query.limit) break
  }
  return page
}

// ---------------------------------------------------------------------------------------------
// Number ranges
// ---------------------------------------------------------------------------------------------

const numberRangeKey = (tenant: string, range: string): string => JSON.stringify([tenant, range])

export const lastDrawn = (state: State, tenant: string, range: string): Option.Option<number> =>
  HashMap.get(state.numberRanges, numberRangeKey(tenant, range))

export const draw = (
  state: State,
  tenant: string,
  range: string,
  interval: Interval,
  count: number
): Written<Drawn, Errors.NumberRangeExhausted> => {
  const last = lastDrawn(state, tenant, range)
  const next = Option.match(last, { onNone: () => interval.from, onSome: (n) => Math.max(n + 1, interval.from) })
  if (next > interval.to) {
    return Either.left(new Errors.NumberRangeExhausted({ tenant, range, last: String(Option.getOrElse(last, () => interval.to)) }))
  }
  const drawn: Drawn = { first: next, last: Math.min(interval.to, next + count - 1) }
  const numberRanges = HashMap.set(state.numberRanges, numberRangeKey(tenant, range), drawn.last)
  return Either.right([drawn, { ...state, numberRanges }])
}

// ---------------------------------------------------------------------------------------------
// Versioned tables: sales employees, territories, assignment changes
// ---------------------------------------------------------------------------------------------

interface Versioned {
  readonly tenant: string
  readonly id: string
  readonly version: number
}

/** The tables keyed by tenant and id. */
export type TableName = "salesEmployees" | "territories" | "assignmentChanges"

type RowOf<T extends TableName> = State[T] extends Table<infer V> ? V : never

export const getRow = <T extends TableName>(state: State, table: T, tenant: string, id: string): Option.Option<RowOf<T>> =>
  RedBlackTree.findFirst(state[table] as Table<RowOf<T>>, tenantKey(tenant, id))

/**
 * Writes `row` if the stored version equals `expectedVersion` (`null`: the row must not exist);
 * otherwise fails with `VersionConflict` (`actual` 0 when there is no row) and changes nothing.
 */
export const putRow = <T extends TableName>(
  state: State,
  table: T,
  row: RowOf<T> & Versioned,
  expectedVersion: number | null
): Written<void, Errors.VersionConflict> => {
  const rows = state[table] as Table<RowOf<T>>
  const key = tenantKey(row.tenant, row.id)
  const stored = Option.getOrUndefined(RedBlackTree.findFirst(rows, key)) as Versioned | undefined
  const actual = stored?.version ?? 0
  if ((expectedVersion === null && stored !== undefined) || (expectedVersion !== null && actual !== expectedVersion)) {
    return Either.left(new Errors.VersionConflict({ number: row.id, expected: expectedVersion ?? 0, actual }))
  }
  const next = RedBlackTree.insert(RedBlackTree.removeFirst(rows, key), key, row)
  return Either.right([undefined, { ...state, [table]: next }])
}

/** Every row of the tenant, ordered by id. */
export const listRows = <T extends TableName>(state: State, table: T, tenant: string): Array<RowOf<T>> => {
  const rows: Array<RowOf<T>> = []
  for (const [[rowTenant], row] of RedBlackTree.greaterThanEqual(state[table] as Table<RowOf<T>>, tenantKey(tenant, ""))) {
    if (rowTenant !== tenant) break
    rows.push(row)
  }
  return rows
}
