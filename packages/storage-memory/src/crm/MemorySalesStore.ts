/**
 * The sales ports of the memory store (`LeadStore`, `OpportunityStore`) over the CRM state of
 * `MemoryCrmStore`, in its transactions. Queries scan the tenant's rows and apply visibility as
 * the SQL stores do inside their queries.
 *
 * @internal
 */
import { Actor, type Customer, type CustomerStoreShape, Errors } from "@partnerkit/core"
import {
  type Activity,
  type DuplicateCandidate,
  Lead,
  type LeadStoreShape,
  Opportunity,
  type OpportunityStoreShape,
  Ownership,
  type PipelineBucket,
  type Prospect
} from "@partnerkit/crm"
import { Effect, Either, HashMap, Option } from "effect"
import * as State from "./CrmState.js"

type AccountVisibility = Ownership.AccountVisibility

/** The CRM state's reads and writes, in the store's transactions (see `MemoryCrmStore`). */
export interface StateAccess {
  readonly read: <A>(f: (state: State.CrmState) => A) => Effect.Effect<A>
  readonly write: <A, E>(f: (state: State.CrmState) => State.Written<A, E>) => Effect.Effect<A, E>
}

const copy = <A>(operation: string, value: A): Effect.Effect<A, Errors.StorageError> =>
  Effect.try({ try: () => structuredClone(value), catch: (cause) => new Errors.StorageError({ operation, cause }) })

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Writes `row` under `k` of `table` if the stored version equals `expected` (`null`: must not exist). */
const putVersioned = <V extends { readonly version: number }>(
  rows: HashMap.HashMap<string, V>,
  k: string,
  id: string,
  row: V,
  expected: number | null
): Either.Either<HashMap.HashMap<string, V>, Errors.VersionConflict> => {
  const stored = Option.getOrUndefined(HashMap.get(rows, k))
  const actual = stored?.version ?? 0
  if ((expected === null && stored !== undefined) || (expected !== null && actual !== expected)) {
    return Either.left(new Errors.VersionConflict({ number: id, expected: expected ?? 0, actual }))
  }
  return Either.right(HashMap.set(rows, k, row))
}

/** Every customer of the tenant whose general view `groups` allows. */
const visibleCustomers = (customers: CustomerStoreShape, tenant: string, groups: Actor.Visibility) =>
  Effect.gen(function* () {
    const out: Array<Customer.CustomerRecord> = []
    let after: string | undefined
    for (;;) {
      const page = yield* customers.list({ tenant, visibility: groups, after, limit: 1000 })
      out.push(...page)
      const last = page.at(-1)
      if (page.length < 1000 || last === undefined) return out
      after = last.number
    }
  })

export const make = (tx: StateAccess, customers: CustomerStoreShape) => {
  const readState = tx.read((s) => s)

  const customerVisible = (state: State.CrmState, tenant: string, number: string, visibility: AccountVisibility) =>
    Effect.map(customers.get(tenant, number, Actor.unrestricted), (found) => {
      if (Option.isNone(found)) return false
      if (!Actor.canSeeGroup(visibility.groups, found.value.general.authorizationGroup)) return false
      return Ownership.inScope(visibility.scope, Option.getOrUndefined(HashMap.get(state.ownerships, State.key(tenant, number))))
    })

  /** A prospect or a lead: its own authorization group and assignment. */
  const assignedVisible = (
    record: Ownership.Assignment & { readonly authorizationGroup?: string | undefined },
    visibility: AccountVisibility
  ) => Actor.canSeeGroup(visibility.groups, record.authorizationGroup) && Ownership.inScope(visibility.scope, record)
  const prospectVisible = (prospect: Prospect.Prospect, visibility: AccountVisibility) => assignedVisible(prospect, visibility)
  const leadVisible = (lead: Lead.Lead, visibility: AccountVisibility) => assignedVisible(lead, visibility)

  /** Is the account of a record (customer when `customerNumber` is set, else prospect) visible? Memoised per call. */
  const accountFilter = (state: State.CrmState, tenant: string, visibility: AccountVisibility) => {
    const seen = new Map<string, boolean>()
    return (record: { readonly customerNumber?: string | undefined; readonly prospectId?: string | undefined }) =>
      Effect.gen(function* () {
        if (Ownership.isUnrestricted(visibility)) return true
        if (record.customerNumber !== undefined) {
          const known = seen.get(record.customerNumber)
          if (known !== undefined) return known
          const visible = yield* customerVisible(state, tenant, record.customerNumber, visibility)
          seen.set(record.customerNumber, visible)
          return visible
        }
        const prospect =
          record.prospectId === undefined
            ? undefined
            : Option.getOrUndefined(HashMap.get(state.prospects, State.key(tenant, record.prospectId)))
        return prospect !== undefined && prospectVisible(prospect, visibility)
      })
  }

  const ofAccount = (
    record: { readonly customerNumber?: string | undefined; readonly prospectId?: string | undefined },
    account: Activity.AccountRef
  ) => ("customerNumber" in account ? record.customerNumber === account.customerNumber : record.prospectId === account.prospectId)

  // -------------------------------------------------------------------------------------------
  // Leads
  // -------------------------------------------------------------------------------------------

  const leads: LeadStoreShape = {
    get: (tenant, id, visibility) =>
      Effect.flatMap(readState, (state) => {
        const found = Option.getOrUndefined(HashMap.get(state.leads, State.key(tenant, id)))
        return found === undefined || !leadVisible(found, visibility) ? Effect.succeedNone : Effect.asSome(copy("LeadStore.get", found))
      }),
    put: (lead, expected) =>
      Effect.flatMap(copy("LeadStore.put", lead), (owned) =>
        tx.write((state) =>
          Either.map(putVersioned(state.leads, State.key(owned.tenant, owned.id), owned.id, owned, expected), (rows) => [
            undefined,
            { ...state, leads: rows }
          ])
        )
      ),
    list: (query) =>
      Effect.flatMap(readState, (state) => {
        if (query.limit <= 0) return Effect.succeed([])
        const rows = State.rowsOf(state.leads, query.tenant)
          .filter(
            (l) =>
              (query.after === undefined || l.id > query.after) &&
              (query.status === undefined || l.status === query.status) &&
              (query.owner === undefined || l.owner === query.owner) &&
              (query.source === undefined || l.source === query.source) &&
              (query.campaignId === undefined || l.campaignId === query.campaignId) &&
              leadVisible(l, query.visibility)
          )
          .sort((a, b) => compareText(a.id, b.id))
          .slice(0, query.limit)
        return copy("LeadStore.list", rows)
      }),
    nextTurn: (tenant, pool) =>
      tx.write((state) => {
        const k = State.key(tenant, pool)
        const turn = Option.getOrElse(HashMap.get(state.turns, k), () => 0)
        return Either.right([turn, { ...state, turns: HashMap.set(state.turns, k, turn + 1) }])
      }),
    duplicates: (query) =>
      Effect.gen(function* () {
        const state = yield* readState
        if (query.limit <= 0 || (query.names.length === 0 && query.emails.length === 0)) return []
        const name = (v: string | undefined) => v !== undefined && query.names.includes(Lead.matchKey(v))
        const email = (v: string | undefined) => v !== undefined && query.emails.includes(Lead.matchKey(v))
        const matched = (n: boolean, e: boolean): Array<"name" | "email"> => [
          ...(n ? ["name" as const] : []),
          ...(e ? ["email" as const] : [])
        ]
        const out: Array<DuplicateCandidate> = []
        const candidates = yield* visibleCustomers(customers, query.tenant, query.visibility.groups)
        for (const c of candidates) {
          const owned = Option.getOrUndefined(HashMap.get(state.ownerships, State.key(query.tenant, c.number)))
          if (!Ownership.inScope(query.visibility.scope, owned)) continue
          const on = matched(name(c.general.name), email(c.general.email))
          if (on.length > 0) out.push({ kind: "customer", customerNumber: c.number, name: c.general.name, matchedOn: on })
          for (const p of c.contacts) {
            if (email(p.email)) {
              const full = p.firstName === undefined ? p.lastName : `${p.firstName} ${p.lastName}`
              out.push({ kind: "contact", customerNumber: c.number, contactId: p.id, name: full, matchedOn: ["email"] })
            }
          }
        }
        const prospects = State.rowsOf(state.prospects, query.tenant)
          .filter((p) => p.status === "open" && prospectVisible(p, query.visibility))
          .sort((a, b) => compareText(a.id, b.id))
        for (const p of prospects) {
          const on = matched(name(p.name), email(p.email))
          if (on.length > 0) out.push({ kind: "prospect", prospectId: p.id, name: p.name, matchedOn: on })
        }
        return out.slice(0, query.limit)
      }),
    activities: (tenant, leadId) =>
      Effect.flatMap(readState, (state) =>
        copy(
          "LeadStore.activities",
          State.rowsOf(state.activities, tenant)
            .filter((a) => a.leadId === leadId)
            .sort((a, b) => compareText(b.at, a.at) || compareText(b.id, a.id))
        )
      ),
    linkActivities: (tenant, leadId, link, changedBy, changedAt) =>
      tx.write((state) => {
        let activities = state.activities
        let count = 0
        for (const [k, a] of state.activities) {
          if (a.tenant === tenant && a.leadId === leadId && a.customerNumber === undefined && a.prospectId === undefined) {
            const next: Activity.Activity = { ...a, ...link, version: a.version + 1, changedBy, changedAt }
            activities = HashMap.set(
              activities,
              k,
              Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) as Activity.Activity
            )
            count++
          }
        }
        return Either.right([count, { ...state, activities }])
      })
  }

  // -------------------------------------------------------------------------------------------
  // Opportunities
  // -------------------------------------------------------------------------------------------

  const appendHistory = (state: State.CrmState, entry: Opportunity.HistoryEntry) => {
    const k = State.key(entry.tenant, entry.opportunityId)
    const before = Option.getOrElse(HashMap.get(state.opportunityHistory, k), (): ReadonlyArray<Opportunity.HistoryEntry> => [])
    return HashMap.set(state.opportunityHistory, k, [...before, entry])
  }

  const timelineChanges: ReadonlyArray<Opportunity.Change> = ["created", "stage", "won", "lost", "reopened"]

  const newestFirst = (a: Opportunity.HistoryEntry, b: Opportunity.HistoryEntry) =>
    compareText(b.at, a.at) || compareText(b.opportunityId, a.opportunityId) || b.seq - a.seq

  const cents = (amount: number) => Math.round(amount * 100)

  const opportunities: OpportunityStoreShape = {
    get: (tenant, id, visibility) =>
      Effect.gen(function* () {
        const state = yield* readState
        const found = Option.getOrUndefined(HashMap.get(state.opportunities, State.key(tenant, id)))
        if (found === undefined || !(yield* accountFilter(state, tenant, visibility)(found))) return Option.none()
        return Option.some(yield* copy("OpportunityStore.get", found))
      }),
    put: (opportunity, expected, entry) =>
      Effect.flatMap(copy("OpportunityStore.put", [opportunity, entry] as const), ([owned, ownedEntry]) =>
        tx.write((state) =>
          Either.map(putVersioned(state.opportunities, State.key(owned.tenant, owned.id), owned.id, owned, expected), (rows) => [
            undefined,
            { ...state, opportunities: rows, opportunityHistory: appendHistory(state, ownedEntry) }
          ])
        )
      ),
    list: (query) =>
      Effect.gen(function* () {
        const state = yield* readState
        if (query.limit <= 0) return []
        const rows = State.rowsOf(state.opportunities, query.tenant)
          .filter(
            (o) =>
              (query.after === undefined || o.id > query.after) &&
              (query.account === undefined || ofAccount(o, query.account)) &&
              (query.owner === undefined || o.owner === query.owner) &&
              (query.status === undefined || o.status === query.status) &&
              (query.stage === undefined || o.stage === query.stage)
          )
          .sort((a, b) => compareText(a.id, b.id))
        const visible = yield* Effect.filter(rows, accountFilter(state, query.tenant, query.visibility))
        return yield* copy("OpportunityStore.list", visible.slice(0, query.limit))
      }),
    history: (tenant, id) =>
      Effect.flatMap(readState, (state) =>
        copy(
          "OpportunityStore.history",
          Option.getOrElse(HashMap.get(state.opportunityHistory, State.key(tenant, id)), () => [])
        )
      ),
    accountHistory: (query) =>
      Effect.gen(function* () {
        const state = yield* readState
        if (query.limit <= 0) return []
        const entries: Array<Opportunity.HistoryEntry> = []
        for (const list of HashMap.values(state.opportunityHistory)) {
          for (const e of list) {
            if (e.tenant !== query.tenant || !ofAccount(e, query.account) || !timelineChanges.includes(e.change)) continue
            const b = query.before
            if (
              b !== undefined &&
              !(
                e.at < b.at ||
                (e.at === b.at && (e.opportunityId < b.opportunityId || (e.opportunityId === b.opportunityId && e.seq < b.seq)))
              )
            ) {
              continue
            }
            entries.push(e)
          }
        }
        entries.sort(newestFirst)
        const visible = yield* Effect.filter(entries, accountFilter(state, query.tenant, query.visibility))
        return yield* copy("OpportunityStore.accountHistory", visible.slice(0, query.limit))
      }),
    pipeline: (query) =>
      Effect.gen(function* () {
        const state = yield* readState
        // The figures each opportunity had: now, or in its latest entry at or before `asOf`.
        const figures: Array<Opportunity.HistoryEntry | Opportunity.Opportunity> = []
        if (query.asOf === undefined) {
          figures.push(...State.rowsOf(state.opportunities, query.tenant))
        } else {
          for (const list of HashMap.values(state.opportunityHistory)) {
            let latest: Opportunity.HistoryEntry | undefined
            for (const e of list)
              if (e.tenant === query.tenant && e.at <= query.asOf && (latest === undefined || e.seq > latest.seq)) latest = e
            if (latest !== undefined) figures.push(latest)
          }
        }
        const candidates = figures.filter(
          (f) =>
            (f.status === "open" || f.status === "won") &&
            f.amount !== undefined &&
            f.currency !== undefined &&
            f.expectedCloseDate !== undefined &&
            (query.closeFrom === undefined || f.expectedCloseDate >= query.closeFrom) &&
            (query.closeTo === undefined || f.expectedCloseDate <= query.closeTo) &&
            (query.owner === undefined || f.owner === query.owner) &&
            (query.territory === undefined || f.territory === query.territory)
        )
        const visible = yield* Effect.filter(candidates, accountFilter(state, query.tenant, query.visibility))
        const buckets = new Map<string, { -readonly [K in keyof PipelineBucket]: PipelineBucket[K] }>()
        for (const f of visible) {
          const key =
            query.by === "stage"
              ? f.stage
              : query.by === "owner"
                ? f.owner
                : query.by === "territory"
                  ? (f.territory ?? "")
                  : query.by === "salesArea"
                    ? f.salesArea === undefined
                      ? ""
                      : Opportunity.salesAreaKey(f.salesArea)
                    : ""
          const month = (f.expectedCloseDate ?? "").slice(0, 7)
          const status = f.status as "open" | "won"
          const currency = f.currency ?? ""
          const k = JSON.stringify([month, key, currency, status])
          const bucket = buckets.get(k) ?? { month, key, currency, status, count: 0, amountCents: 0, weightedCentPercents: 0 }
          bucket.count++
          bucket.amountCents += cents(f.amount ?? 0)
          bucket.weightedCentPercents += cents(f.amount ?? 0) * f.probability
          buckets.set(k, bucket)
        }
        return [...buckets.values()]
      }),
    linkProspect: (tenant, prospectId, customerNumber, changedBy, changedAt) =>
      tx.write((state) => {
        let rows = state.opportunities
        let history = state.opportunityHistory
        let count = 0
        for (const [k, o] of state.opportunities) {
          if (o.tenant === tenant && o.prospectId === prospectId && o.customerNumber === undefined) {
            const next: Opportunity.Opportunity = { ...o, customerNumber, version: o.version + 1, changedBy, changedAt }
            rows = HashMap.set(rows, k, next)
            history = appendHistory({ ...state, opportunityHistory: history }, Opportunity.historyEntry(next, o))
            count++
          }
        }
        return Either.right([count, { ...state, opportunities: rows, opportunityHistory: history }])
      })
  }

  return { leads, opportunities }
}
