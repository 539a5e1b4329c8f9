/**
 * partnerkit's memory store with the CRM ports of `@partnerkit/crm` (`ProspectStore`,
 * `AccountOwnershipStore`, `ActivityStore`, `ContactPreferenceStore`) next to every core port, and
 * one `StoreTransaction` over both: a conversion writes the customer, its change document, the
 * ownership, the prospect and the moved activities atomically, and a failed one leaves no trace.
 *
 * Visibility is applied as the SQL stores apply it inside their queries: an account's records are
 * returned only when core's authorization group and the CRM scope allow the account.
 *
 * @example
 * ```ts
 * import { Presets } from "@partnerkit/core"
 * import { createCrm } from "@partnerkit/crm"
 * import { MemoryCrmStore } from "@partnerkit/storage-memory"
 *
 * const crm = await createCrm({ customizing: Presets.standard("acme"), storage: MemoryCrmStore.layer() })
 * await crm.close()
 * ```
 * @module
 */
import {
  Actor,
  ChangeDocumentStore,
  CustomerSearchStore,
  CustomerStore,
  type CustomerStoreShape,
  Errors,
  KeyMappingStore,
  MatchIndexStore,
  NumberRangeStore,
  SalesEmployeeStore,
  StoreTransaction,
  TerritoryStore
} from "@partnerkit/core"
import {
  type AccountActivityQuery,
  AccountBehaviourStore,
  type AccountBehaviourStoreShape,
  AccountOwnershipStore,
  type AccountOwnershipStoreShape,
  Activity,
  ActivityStore,
  type ActivityStoreShape,
  AnalyticsStore,
  type AnalyticsStoreShape,
  ContactPreferenceStore,
  type ContactPreferenceStoreShape,
  type CrmStorage,
  compareContactPreferences,
  LeadStore,
  type LeadStoreShape,
  OpportunityStore,
  type OpportunityStoreShape,
  Ownership,
  type Prospect,
  ProspectStore,
  type ProspectStoreShape,
  ReadConcurrency,
  SegmentStore,
  type SegmentStoreShape,
  TicketStore,
  type TicketStoreShape
} from "@partnerkit/crm"
import { Context, Effect, Either, FiberRef, HashMap, Layer, Option, Ref } from "effect"
import * as MemoryStore from "../MemoryStore.js"
import * as State from "./CrmState.js"
import * as MemoryAnalyticsStore from "./MemoryAnalyticsStore.js"
import * as MemorySalesStore from "./MemorySalesStore.js"
import * as MemorySegmentStore from "./MemorySegmentStore.js"
import * as MemoryTicketStore from "./MemoryTicketStore.js"

type AccountVisibility = Ownership.AccountVisibility

const copy = <A>(operation: string, value: A): Effect.Effect<A, Errors.StorageError> =>
  Effect.try({ try: () => structuredClone(value), catch: (cause) => new Errors.StorageError({ operation, cause }) })

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The CRM state's transactions, joined to the core store's (see `Transactions` for the design). */
const makeTransactions = Effect.gen(function* () {
  const committed = yield* Ref.make(State.empty)
  const writeLock = yield* Effect.makeSemaphore(1)
  const currentDraft = FiberRef.unsafeMake(Option.none<Ref.Ref<State.CrmState>>())
  const stateRef = Effect.map(
    FiberRef.get(currentDraft),
    Option.getOrElse(() => committed)
  )

  const read = <A>(f: (state: State.CrmState) => A): Effect.Effect<A> => Effect.flatMap(stateRef, (ref) => Effect.map(Ref.get(ref), f))

  const apply =
    <A, E>(f: (state: State.CrmState) => State.Written<A, E>) =>
    (state: State.CrmState): readonly [Either.Either<A, E>, State.CrmState] => {
      const outcome = f(state)
      return Either.isLeft(outcome) ? [Either.left(outcome.left), state] : [Either.right(outcome.right[0]), outcome.right[1]]
    }

  const write = <A, E>(f: (state: State.CrmState) => State.Written<A, E>): Effect.Effect<A, E> =>
    Effect.flatMap(FiberRef.get(currentDraft), (draft) =>
      Option.match(draft, {
        onSome: (ref) => Effect.flatten(Ref.modify(ref, apply(f))),
        onNone: () => writeLock.withPermits(1)(Effect.flatten(Ref.modify(committed, apply(f))))
      })
    )

  const outermost = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    writeLock.withPermits(1)(
      Effect.uninterruptibleMask((restore) =>
        Effect.gen(function* () {
          const draft = yield* Ref.make(yield* Ref.get(committed))
          const result = yield* Effect.locally(restore(effect), currentDraft, Option.some(draft))
          yield* Ref.set(committed, yield* Ref.get(draft))
          return result
        })
      )
    )

  const nested = <A, E, R>(draft: Ref.Ref<State.CrmState>, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(Ref.get(draft), (savepoint) => Effect.onError(effect, () => Ref.set(draft, savepoint)))

  const withTransaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(FiberRef.get(currentDraft), (draft) =>
      Option.match(draft, { onSome: (ref) => nested(ref, effect), onNone: () => outermost(effect) })
    )

  return { read, write, withTransaction }
})

/** The CRM ports of one memory store, reading customers through the store's `CustomerStore`. */
export interface MemoryCrmPorts {
  readonly prospects: ProspectStoreShape
  readonly ownerships: AccountOwnershipStoreShape
  readonly activities: ActivityStoreShape
  readonly preferences: ContactPreferenceStoreShape
  readonly tickets: TicketStoreShape
  readonly leads: LeadStoreShape
  readonly opportunities: OpportunityStoreShape
  readonly behaviour: AccountBehaviourStoreShape
  readonly segments: SegmentStoreShape
  readonly analytics: AnalyticsStoreShape
  /** Runs `effect` in a transaction of the CRM state (the layer joins it to the core store's). */
  readonly withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

/** Builds the CRM ports over `customers` (the same store's customer port). */
export const make = (customers: CustomerStoreShape): Effect.Effect<MemoryCrmPorts> =>
  Effect.map(makeTransactions, (tx): MemoryCrmPorts => {
    /** Is the customer visible: it exists, its general group is allowed and its ownership in scope? */
    const customerVisible = (state: State.CrmState, tenant: string, number: string, visibility: AccountVisibility) =>
      Effect.map(customers.get(tenant, number, Actor.unrestricted), (found) => {
        if (Option.isNone(found)) return false
        if (!Actor.canSeeGroup(visibility.groups, found.value.general.authorizationGroup)) return false
        return Ownership.inScope(visibility.scope, Option.getOrUndefined(HashMap.get(state.ownerships, State.key(tenant, number))))
      })

    const prospectVisible = (prospect: Prospect.Prospect, visibility: AccountVisibility) =>
      Actor.canSeeGroup(visibility.groups, prospect.authorizationGroup) && Ownership.inScope(visibility.scope, prospect)

    /** A visibility check per activity, asking the customer port once per customer. */
    const activityFilter = (state: State.CrmState, visibility: AccountVisibility) => {
      const seen = new Map<string, boolean>()
      return (a: Activity.Activity) =>
        Effect.gen(function* () {
          if (Ownership.isUnrestricted(visibility)) return true
          if (a.customerNumber !== undefined) {
            const known = seen.get(a.customerNumber)
            if (known !== undefined) return known
            const visible = yield* customerVisible(state, a.tenant, a.customerNumber, visibility)
            seen.set(a.customerNumber, visible)
            return visible
          }
          const prospect =
            a.prospectId === undefined ? undefined : Option.getOrUndefined(HashMap.get(state.prospects, State.key(a.tenant, a.prospectId)))
          return prospect !== undefined && prospectVisible(prospect, visibility)
        })
    }

    const visibleActivities = (state: State.CrmState, rows: ReadonlyArray<Activity.Activity>, visibility: AccountVisibility) =>
      Effect.filter(rows, activityFilter(state, visibility))

    const readState = tx.read((s) => s)

    const prospects: ProspectStoreShape = {
      get: (tenant, id, visibility) =>
        Effect.flatMap(readState, (state) => {
          const found = Option.getOrUndefined(HashMap.get(state.prospects, State.key(tenant, id)))
          return found === undefined || !prospectVisible(found, visibility)
            ? Effect.succeedNone
            : Effect.asSome(copy("ProspectStore.get", found))
        }),
      put: (prospect, expected) =>
        Effect.flatMap(copy("ProspectStore.put", prospect), (owned) =>
          tx.write((state) => State.put(state, "prospects", State.key(owned.tenant, owned.id), owned.id, owned, expected))
        ),
      list: (query) =>
        Effect.flatMap(readState, (state) => {
          if (query.limit <= 0) return Effect.succeed([])
          const rows = State.rowsOf(state.prospects, query.tenant)
            .filter(
              (p) =>
                (query.after === undefined || p.id > query.after) &&
                (query.status === undefined || p.status === query.status) &&
                (query.owner === undefined || p.owner === query.owner) &&
                prospectVisible(p, query.visibility)
            )
            .sort((a, b) => compareText(a.id, b.id))
            .slice(0, query.limit)
          return copy("ProspectStore.list", rows)
        })
    }

    const ownerships: AccountOwnershipStoreShape = {
      get: (tenant, customerNumber) =>
        Effect.flatMap(readState, (state) => {
          const found = Option.getOrUndefined(HashMap.get(state.ownerships, State.key(tenant, customerNumber)))
          return found === undefined ? Effect.succeedNone : Effect.asSome(copy("AccountOwnershipStore.get", found))
        }),
      put: (ownership, expected) =>
        Effect.flatMap(copy("AccountOwnershipStore.put", ownership), (owned) =>
          tx.write((state) =>
            State.put(state, "ownerships", State.key(owned.tenant, owned.customerNumber), owned.customerNumber, owned, expected)
          )
        ),
      list: (query) =>
        Effect.gen(function* () {
          const state = yield* readState
          const page: Array<Ownership.Ownership> = []
          if (query.limit <= 0) return page
          const rows = State.rowsOf(state.ownerships, query.tenant)
            .filter(
              (o) =>
                (query.after === undefined || o.customerNumber > query.after) &&
                (query.owner === undefined || o.owner === query.owner) &&
                (query.team === undefined || o.team === query.team) &&
                (query.territory === undefined || o.territory === query.territory)
            )
            .sort((a, b) => compareText(a.customerNumber, b.customerNumber))
          for (const o of rows) {
            if (!(yield* customerVisible(state, o.tenant, o.customerNumber, query.visibility))) continue
            page.push(o)
            if (page.length >= query.limit) break
          }
          return yield* copy("AccountOwnershipStore.list", page)
        })
    }

    const ofAccount = (a: Activity.Activity, account: Activity.AccountRef) =>
      "customerNumber" in account ? a.customerNumber === account.customerNumber : a.prospectId === account.prospectId

    const newestFirst = (a: Activity.Activity, b: Activity.Activity) => compareText(b.at, a.at) || compareText(b.id, a.id)

    const before = (a: Activity.Activity, position: AccountActivityQuery["before"]) =>
      position === undefined || a.at < position.at || (a.at === position.at && a.id < position.id)

    /** Due time ascending, without a due date last, then id. */
    const byDue = (a: Activity.Activity, b: Activity.Activity) =>
      a.dueAt === b.dueAt ? compareText(a.id, b.id) : a.dueAt === undefined ? 1 : b.dueAt === undefined ? -1 : compareText(a.dueAt, b.dueAt)

    const activities: ActivityStoreShape = {
      get: (tenant, id, visibility) =>
        Effect.gen(function* () {
          const state = yield* readState
          const found = Option.getOrUndefined(HashMap.get(state.activities, State.key(tenant, id)))
          if (found === undefined || !(yield* activityFilter(state, visibility)(found))) return Option.none()
          return Option.some(yield* copy("ActivityStore.get", found))
        }),
      put: (activity, expected) =>
        Effect.flatMap(copy("ActivityStore.put", activity), (owned) =>
          tx.write((state) => State.put(state, "activities", State.key(owned.tenant, owned.id), owned.id, owned, expected))
        ),
      listByAccount: (query) =>
        Effect.gen(function* () {
          const state = yield* readState
          if (query.limit <= 0) return []
          const rows = State.rowsOf(state.activities, query.tenant)
            .filter(
              (a) => ofAccount(a, query.account) && (query.status === undefined || a.status === query.status) && before(a, query.before)
            )
            .sort(newestFirst)
          const visible = yield* visibleActivities(state, rows, query.visibility)
          return yield* copy("ActivityStore.listByAccount", visible.slice(0, query.limit))
        }),
      open: (query) =>
        Effect.gen(function* () {
          const state = yield* readState
          if (query.limit <= 0) return []
          const rows = State.rowsOf(state.activities, query.tenant)
            .filter(
              (a) =>
                a.status === "open" &&
                (query.owner === undefined || a.owner === query.owner) &&
                (query.account === undefined || ofAccount(a, query.account)) &&
                (query.dueBefore === undefined || (a.dueAt !== undefined && a.dueAt < query.dueBefore))
            )
            .sort(byDue)
          const visible = yield* visibleActivities(state, rows, query.visibility)
          return yield* copy("ActivityStore.open", visible.slice(0, query.limit))
        }),
      summary: (query) =>
        Effect.gen(function* () {
          const state = yield* readState
          const rows = State.rowsOf(state.activities, query.tenant).filter((a) => ofAccount(a, query.account))
          const visible = yield* visibleActivities(state, rows, query.visibility)
          let lastContactAt: string | undefined
          for (const a of visible) {
            if (a.status === "completed" && a.completedAt !== undefined && Activity.contactKinds.includes(a.kind)) {
              if (lastContactAt === undefined || a.completedAt > lastContactAt) lastContactAt = a.completedAt
            }
          }
          const count = (p: (a: Activity.Activity) => boolean) => visible.filter(p).length
          return {
            total: visible.length,
            open: count((a) => a.status === "open"),
            overdue: count((a) => a.status === "open" && a.dueAt !== undefined && a.dueAt < query.asOf),
            completed: count((a) => a.status === "completed"),
            cancelled: count((a) => a.status === "cancelled"),
            ...(lastContactAt === undefined ? {} : { lastContactAt })
          }
        }),
      relink: (tenant, prospectId, customerNumber, changedBy, changedAt) =>
        tx.write((state) => State.relink(state, tenant, prospectId, customerNumber, changedBy, changedAt))
    }

    const preferences: ContactPreferenceStoreShape = {
      put: (preference) =>
        Effect.flatMap(copy("ContactPreferenceStore.put", preference), (owned) => tx.write((state) => State.putPreference(state, owned))),
      list: (tenant, customerNumber) =>
        Effect.flatMap(readState, (state) =>
          copy(
            "ContactPreferenceStore.list",
            State.rowsOf(state.preferences, tenant)
              .filter((p) => p.customerNumber === customerNumber)
              .sort(compareContactPreferences)
          )
        )
    }

    return {
      prospects,
      ownerships,
      activities,
      preferences,
      tickets: MemoryTicketStore.make(customers, tx),
      ...MemorySalesStore.make(tx, customers),
      ...MemorySegmentStore.make(tx, customers),
      analytics: MemoryAnalyticsStore.make(tx, customers),
      withTransaction: tx.withTransaction
    }
  })

/**
 * Every core port and every CRM port, in memory, with one transaction over both. Each time the
 * layer is built it starts a fresh, empty store.
 */
export const layer = (): CrmStorage.Layer =>
  Layer.effectContext(
    Effect.gen(function* () {
      const core = yield* MemoryStore.make
      const crm = yield* make(core.customers)
      // Core's ports one by one (not `MemoryStore.toContext`): the CRM layer provides exactly
      // `CrmStorage.Ports`, and a port added to `Storage.Ports` later fails the type check here.
      return Context.make(CustomerStore, core.customers).pipe(
        Context.add(ChangeDocumentStore, core.changeDocuments),
        Context.add(NumberRangeStore, core.numberRanges),
        Context.add(SalesEmployeeStore, core.salesEmployees),
        Context.add(TerritoryStore, core.territories),
        Context.add(KeyMappingStore, core.keyMappings),
        Context.add(MatchIndexStore, core.matchIndex),
        Context.add(CustomerSearchStore, core.search),
        Context.add(StoreTransaction, {
          withTransaction: (effect) => core.transactions.withTransaction(crm.withTransaction(effect))
        }),
        Context.add(ProspectStore, crm.prospects),
        Context.add(AccountOwnershipStore, crm.ownerships),
        Context.add(ActivityStore, crm.activities),
        Context.add(ContactPreferenceStore, crm.preferences),
        Context.add(TicketStore, crm.tickets),
        Context.add(LeadStore, crm.leads),
        Context.add(OpportunityStore, crm.opportunities),
        Context.add(AccountBehaviourStore, crm.behaviour),
        Context.add(SegmentStore, crm.segments),
        Context.add(AnalyticsStore, crm.analytics),
        // Reads run synchronously in-process: forking a fiber per read would only allocate.
        Context.add(ReadConcurrency, 1)
      )
    })
  )
