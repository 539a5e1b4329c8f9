/**
 * The storage port for the CRM analytics: aggregates computed inside the store's query engine
 * (one `GROUP BY` on SQLite and PostgreSQL, a pass over the tenant's rows in memory), never by
 * loading the opportunities or activities into the service. Stores implement it;
 * `@partnerkit/testkit`'s `runCrmConformance` checks each sentence below.
 *
 * An opportunity or activity counts for an `AccountVisibility` exactly when `OpportunityStore` /
 * `ActivityStore` would return it: its customer exists, the customer's general authorization
 * group is allowed and its ownership is in the scope; or, without a customer, its prospect's own
 * group and assignment are allowed. Nothing of a hidden account is ever counted.
 *
 * Semantics (all scoped by `tenant`; date bounds are inclusive `YYYY-MM-DD`, instants ISO 8601):
 * - `stagePipeline` counts the visible `open` opportunities by stage and currency (`currency`
 *   `null` for those without an amount or currency: counted, amounts 0), with the `owner`,
 *   `territory`, `salesArea` (key `1000/10/00`) and expected-close-date (`closeFrom` /
 *   `closeTo`) filters; `amountCents` sums the amounts in hundredths, `weightedCentPercents`
 *   hundredths × probability.
 * - `funnel` takes the visible opportunities (any status) whose expected close date lies in
 *   `[closeFrom, closeTo]` (for a closed one: its close date), with the `owner` filter, and
 *   groups them by status, by the furthest stage of `stages` their history ever recorded
 *   (`furthest`: its position in `stages`; -1 when none of its stages is in the list) and, with
 *   `byOwner`, by owner (else `owner` is `""`).
 * - `salesCycles` takes the visible `won` opportunities whose close date lies in
 *   `[closeFrom, closeTo]`, with the `owner` filter, and counts them by `days`: whole days from
 *   the UTC date of their creation (the first history entry) to the close date, never negative.
 * - `activityStats` counts the visible activities whose timeline position `at` lies in
 *   `[from, to)` by owner, kind and status, with the `owner` filter; `overdue` counts the open
 *   ones among them due strictly before `asOf`.
 * - `accountSales` aggregates the visible opportunities of one customer that have an amount and a
 *   currency, by status and currency: every `open` one, and the `won` ones whose close date lies
 *   in `[wonFrom, wonTo]`.
 *
 * @example
 * ```ts
 * import { AnalyticsStore, Ownership } from "@partnerkit/crm"
 * import { Effect } from "effect"
 *
 * const byStage = Effect.flatMap(AnalyticsStore, (store) =>
 *   store.stagePipeline({ tenant: "acme", visibility: Ownership.unrestricted })
 * )
 * ```
 * @module
 */
import type { Errors } from "@partnerkit/core"
import { Context, type Effect } from "effect"
import type { Status as ActivityStatus, Kind } from "./Activity.js"
import type { Status } from "./Opportunity.js"
import type { AccountVisibility } from "./Ownership.js"

export interface StagePipelineQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  readonly owner?: string | undefined
  readonly territory?: string | undefined
  /** The sales-area key, `1000/10/00` (`Opportunity.salesAreaKey`). */
  readonly salesArea?: string | undefined
  readonly closeFrom?: string | undefined
  readonly closeTo?: string | undefined
}

/** Open opportunities of one stage in one currency. */
export interface StageBucket {
  readonly stage: string
  /** `null`: opportunities without an amount or currency. */
  readonly currency: string | null
  readonly count: number
  readonly amountCents: number
  readonly weightedCentPercents: number
}

export interface FunnelQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  /** The stage ids in order (the sales methodology). */
  readonly stages: ReadonlyArray<string>
  readonly closeFrom: string
  readonly closeTo: string
  readonly owner?: string | undefined
  readonly byOwner: boolean
}

export interface FunnelBucket {
  /** `""` unless `byOwner`. */
  readonly owner: string
  readonly status: Status
  /** Position in `stages` of the furthest stage the opportunity was ever in; -1 for none. */
  readonly furthest: number
  readonly count: number
}

export interface SalesCycleQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  readonly closeFrom: string
  readonly closeTo: string
  readonly owner?: string | undefined
}

export interface SalesCycleBucket {
  readonly days: number
  readonly count: number
}

export interface ActivityStatsQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  /** Inclusive. */
  readonly from: string
  /** Exclusive. */
  readonly to: string
  /** Open activities due before this instant are overdue. */
  readonly asOf: string
  readonly owner?: string | undefined
}

export interface ActivityBucket {
  readonly owner: string
  readonly kind: Kind
  readonly status: ActivityStatus
  readonly count: number
  readonly overdue: number
}

export interface AccountSalesQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  readonly customerNumber: string
  /** Won opportunities closing on or after this date… */
  readonly wonFrom: string
  /** …and on or before this one. */
  readonly wonTo: string
}

export interface AccountSalesBucket {
  readonly status: "open" | "won"
  readonly currency: string
  readonly count: number
  readonly amountCents: number
  readonly weightedCentPercents: number
}

export interface AnalyticsStoreShape {
  readonly stagePipeline: (query: StagePipelineQuery) => Effect.Effect<ReadonlyArray<StageBucket>, Errors.StorageError>
  readonly funnel: (query: FunnelQuery) => Effect.Effect<ReadonlyArray<FunnelBucket>, Errors.StorageError>
  readonly salesCycles: (query: SalesCycleQuery) => Effect.Effect<ReadonlyArray<SalesCycleBucket>, Errors.StorageError>
  readonly activityStats: (query: ActivityStatsQuery) => Effect.Effect<ReadonlyArray<ActivityBucket>, Errors.StorageError>
  readonly accountSales: (query: AccountSalesQuery) => Effect.Effect<ReadonlyArray<AccountSalesBucket>, Errors.StorageError>
}

/** The analytics port. */
export class AnalyticsStore extends Context.Tag("@partnerkit/crm/AnalyticsStore")<AnalyticsStore, AnalyticsStoreShape>() {}
