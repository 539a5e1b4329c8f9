/**
 * The `AnalyticsStore` port of the memory store: each aggregate is one pass over the tenant's
 * opportunities (and their history) or activities in the CRM state of `MemoryCrmStore`, with
 * visibility applied as the SQL stores apply it inside their queries.
 *
 * @internal
 */
import { Actor, type CustomerStoreShape, type Errors } from "@partnerkit/core"
import {
  type AccountSalesBucket,
  type ActivityBucket,
  type AnalyticsStoreShape,
  type FunnelBucket,
  Opportunity,
  Ownership,
  type SalesCycleBucket,
  type StageBucket
} from "@partnerkit/crm"
import { Effect, HashMap, Option } from "effect"
import * as State from "./CrmState.js"
import type { StateAccess } from "./MemorySalesStore.js"

type AccountVisibility = Ownership.AccountVisibility

interface AccountOf {
  readonly tenant: string
  readonly customerNumber?: string | undefined
  readonly prospectId?: string | undefined
}

const cents = (amount: number) => Math.round(amount * 100)

const dayMs = 86_400_000

/** A map of aggregates: `bump(key, make)` returns the bucket under `key`, made by `make` the first time. */
const buckets = <B>() => {
  const map = new Map<string, B>()
  return {
    bump: (key: ReadonlyArray<unknown>, make: () => B): B => {
      const k = JSON.stringify(key)
      const found = map.get(k)
      if (found !== undefined) return found
      const made = make()
      map.set(k, made)
      return made
    },
    values: () => [...map.values()]
  }
}

export const make = (tx: StateAccess, customers: CustomerStoreShape): AnalyticsStoreShape => {
  const readState = tx.read((s) => s)

  /** Is the record's account visible (customer when `customerNumber` is set, else prospect)? Asks the customer port once per customer. */
  const visibleFilter = (state: State.CrmState, visibility: AccountVisibility) => {
    const seen = new Map<string, boolean>()
    return (record: AccountOf): Effect.Effect<boolean, Errors.StorageError> =>
      Effect.gen(function* () {
        if (Ownership.isUnrestricted(visibility)) return true
        if (record.customerNumber !== undefined) {
          const known = seen.get(record.customerNumber)
          if (known !== undefined) return known
          const found = yield* customers.get(record.tenant, record.customerNumber, Actor.unrestricted)
          const visible =
            Option.isSome(found) &&
            Actor.canSeeGroup(visibility.groups, found.value.general.authorizationGroup) &&
            Ownership.inScope(
              visibility.scope,
              Option.getOrUndefined(HashMap.get(state.ownerships, State.key(record.tenant, record.customerNumber)))
            )
          seen.set(record.customerNumber, visible)
          return visible
        }
        const prospect =
          record.prospectId === undefined
            ? undefined
            : Option.getOrUndefined(HashMap.get(state.prospects, State.key(record.tenant, record.prospectId)))
        return (
          prospect !== undefined &&
          Actor.canSeeGroup(visibility.groups, prospect.authorizationGroup) &&
          Ownership.inScope(visibility.scope, prospect)
        )
      })
  }

  /** The tenant's opportunities that pass `keep`, then visibility. */
  const opportunities = (tenant: string, visibility: AccountVisibility, keep: (o: Opportunity.Opportunity) => boolean) =>
    Effect.flatMap(readState, (state) =>
      Effect.map(Effect.filter(State.rowsOf(state.opportunities, tenant).filter(keep), visibleFilter(state, visibility)), (rows) => ({
        state,
        rows
      }))
    )

  const between = (value: string | undefined, from: string | undefined, to: string | undefined) =>
    value !== undefined && (from === undefined || value >= from) && (to === undefined || value <= to)

  return {
    stagePipeline: (query) =>
      Effect.map(
        opportunities(
          query.tenant,
          query.visibility,
          (o) =>
            o.status === "open" &&
            (query.owner === undefined || o.owner === query.owner) &&
            (query.territory === undefined || o.territory === query.territory) &&
            (query.salesArea === undefined || (o.salesArea !== undefined && Opportunity.salesAreaKey(o.salesArea) === query.salesArea)) &&
            (query.closeFrom === undefined && query.closeTo === undefined
              ? true
              : between(o.expectedCloseDate, query.closeFrom, query.closeTo))
        ),
        ({ rows }) => {
          const out = buckets<{ -readonly [K in keyof StageBucket]: StageBucket[K] }>()
          for (const o of rows) {
            const priced = o.amount !== undefined && o.currency !== undefined
            const currency = priced ? (o.currency ?? null) : null
            const b = out.bump([o.stage, currency], () => ({ stage: o.stage, currency, count: 0, amountCents: 0, weightedCentPercents: 0 }))
            b.count++
            if (priced) {
              b.amountCents += cents(o.amount ?? 0)
              b.weightedCentPercents += cents(o.amount ?? 0) * o.probability
            }
          }
          return out.values()
        }
      ),
    funnel: (query) =>
      Effect.map(
        opportunities(
          query.tenant,
          query.visibility,
          (o) => between(o.expectedCloseDate, query.closeFrom, query.closeTo) && (query.owner === undefined || o.owner === query.owner)
        ),
        ({ state, rows }) => {
          const out = buckets<{ -readonly [K in keyof FunnelBucket]: FunnelBucket[K] }>()
          for (const o of rows) {
            const history = Option.getOrElse(HashMap.get(state.opportunityHistory, State.key(o.tenant, o.id)), () => [])
            const furthest = history.reduce((max, e) => Math.max(max, query.stages.indexOf(e.stage)), -1)
            const owner = query.byOwner ? o.owner : ""
            out.bump([owner, o.status, furthest], () => ({ owner, status: o.status, furthest, count: 0 })).count++
          }
          return out.values()
        }
      ),
    salesCycles: (query) =>
      Effect.map(
        opportunities(
          query.tenant,
          query.visibility,
          (o) =>
            o.status === "won" &&
            between(o.expectedCloseDate, query.closeFrom, query.closeTo) &&
            (query.owner === undefined || o.owner === query.owner)
        ),
        ({ state, rows }) => {
          const out = buckets<{ -readonly [K in keyof SalesCycleBucket]: SalesCycleBucket[K] }>()
          for (const o of rows) {
            const history = Option.getOrElse(HashMap.get(state.opportunityHistory, State.key(o.tenant, o.id)), () => [])
            const created = history.find((e) => e.seq === 1)?.at ?? o.createdAt
            const days = Math.max(
              0,
              Math.round((Date.parse(`${o.expectedCloseDate}T00:00:00.000Z`) - Date.parse(`${created.slice(0, 10)}T00:00:00.000Z`)) / dayMs)
            )
            out.bump([days], () => ({ days, count: 0 })).count++
          }
          return out.values()
        }
      ),
    activityStats: (query) =>
      Effect.gen(function* () {
        const state = yield* readState
        const rows = State.rowsOf(state.activities, query.tenant).filter(
          (a) => a.at >= query.from && a.at < query.to && (query.owner === undefined || a.owner === query.owner)
        )
        const visible = yield* Effect.filter(rows, visibleFilter(state, query.visibility))
        const out = buckets<{ -readonly [K in keyof ActivityBucket]: ActivityBucket[K] }>()
        for (const a of visible) {
          const b = out.bump([a.owner, a.kind, a.status], () => ({ owner: a.owner, kind: a.kind, status: a.status, count: 0, overdue: 0 }))
          b.count++
          if (a.status === "open" && a.dueAt !== undefined && a.dueAt < query.asOf) b.overdue++
        }
        return out.values()
      }),
    accountSales: (query) =>
      Effect.map(
        opportunities(
          query.tenant,
          query.visibility,
          (o) =>
            o.customerNumber === query.customerNumber &&
            o.amount !== undefined &&
            o.currency !== undefined &&
            (o.status === "open" || (o.status === "won" && between(o.expectedCloseDate, query.wonFrom, query.wonTo)))
        ),
        ({ rows }) => {
          const out = buckets<{ -readonly [K in keyof AccountSalesBucket]: AccountSalesBucket[K] }>()
          for (const o of rows) {
            const status = o.status === "won" ? "won" : "open"
            const currency = o.currency ?? ""
            const b = out.bump([status, currency], () => ({ status, currency, count: 0, amountCents: 0, weightedCentPercents: 0 }))
            b.count++
            b.amountCents += cents(o.amount ?? 0)
            b.weightedCentPercents += cents(o.amount ?? 0) * o.probability
          }
          return out.values()
        }
      )
  }
}
