/**
 * The storage port for behavioural aggregates of customer accounts: the store evaluates a
 * `SegmentRule.Plan` and computes `SegmentRule.Value`s (activity counts, last contact, won
 * amounts and counts, RFM scores) in its query engine, never loading activities or
 * opportunities into the caller.
 *
 * Semantics:
 * - All reads are scoped by `tenant`. Only customer accounts are considered (not prospects).
 * - An account is considered only when it is visible to `visibility`: the customer's general
 *   authorization group is allowed by `visibility.groups` and its ownership is in
 *   `visibility.scope` (no ownership: only in the `"all"` scope). A hidden account is never
 *   returned and never counted.
 * - Customer group and sales area are read from the account's sales-area views whose own
 *   authorization group `visibility.groups` allows.
 * - The metrics count the account's activities and opportunities as `SegmentRule.Metric`
 *   defines them (`SegmentRule.metricOf` is the reference).
 * - `accounts` returns at most `limit` visible accounts with customer number greater than
 *   `after` (or only `customerNumber`), for which `where` holds, ascending by customer number
 *   (plain code-unit order), each with its name and the `values` in the order asked.
 * - `count` counts the visible accounts for which `where` holds.
 * - `distribution` counts the visible accounts for which `where` holds, grouped by the `by`
 *   values; groups come back ordered by their key.
 *
 * @module
 */
import type { Errors } from "@partnerkit/core"
import { Context, type Effect } from "effect"
import type { AccountVisibility } from "./Ownership.js"
import type { Plan, Value } from "./SegmentRule.js"

export interface BehaviourQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  readonly where?: Plan | undefined
  /** Only this account. */
  readonly customerNumber?: string | undefined
  /** Exclusive lower bound on the customer number (the cursor). */
  readonly after?: string | undefined
  readonly limit: number
  readonly values: ReadonlyArray<Value>
}

export interface BehaviourRow {
  readonly customerNumber: string
  readonly name: string
  /** The values asked for, in order: counts and cents as numbers, instants and dates as text, `null` for none. */
  readonly values: ReadonlyArray<number | string | null>
}

export interface DistributionQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  readonly where?: Plan | undefined
  readonly by: ReadonlyArray<Value>
}

export interface DistributionRow {
  readonly key: ReadonlyArray<number | string | null>
  readonly count: number
}

export interface AccountBehaviourStoreShape {
  readonly accounts: (query: BehaviourQuery) => Effect.Effect<ReadonlyArray<BehaviourRow>, Errors.StorageError>
  readonly count: (query: {
    readonly tenant: string
    readonly visibility: AccountVisibility
    readonly where?: Plan | undefined
  }) => Effect.Effect<number, Errors.StorageError>
  readonly distribution: (query: DistributionQuery) => Effect.Effect<ReadonlyArray<DistributionRow>, Errors.StorageError>
}

/** The account-behaviour port. */
export class AccountBehaviourStore extends Context.Tag("@partnerkit/crm/AccountBehaviourStore")<
  AccountBehaviourStore,
  AccountBehaviourStoreShape
>() {}

/** Orders distribution keys: element by element, `null` first, numbers before text. */
export const compareKeys = (a: ReadonlyArray<number | string | null>, b: ReadonlyArray<number | string | null>): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? null
    const y = b[i] ?? null
    if (x === y) continue
    if (x === null) return -1
    if (y === null) return 1
    if (typeof x !== typeof y) return typeof x === "number" ? -1 : 1
    return x < y ? -1 : 1
  }
  return 0
}
