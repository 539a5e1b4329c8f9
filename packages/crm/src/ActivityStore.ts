/**
 * The storage port for activities.
 *
 * An activity belongs to its customer when `customerNumber` is set, otherwise to its prospect.
 * It is visible to an `AccountVisibility` when that account is: a customer whose general
 * authorization group `visibility.groups` allows and whose ownership is in `visibility.scope`
 * (no ownership: only in the `"all"` scope); a prospect whose own group and assignment are
 * allowed. An activity of a customer or prospect that does not exist is visible only to an
 * unrestricted visibility.
 *
 * Semantics:
 * - All reads and writes are scoped by `tenant`.
 * - `get` returns `Option.none()` when no activity has that id in the tenant, or when it is not
 *   visible.
 * - `put(activity, expectedVersion)` writes only if the stored version equals `expectedVersion`
 *   (`null`: must not exist yet); otherwise it fails with `VersionConflict` (`actual` 0 when
 *   none) and writes nothing. Of two concurrent puts from the same version exactly one succeeds.
 * - `listByAccount` returns the visible activities of one account — `customerNumber` equal to the
 *   customer's, or `prospectId` equal to the prospect's — with the `status` filter, newest first
 *   (`at` descending, then id descending), only those before the `before` position when given,
 *   at most `limit`.
 * - `open` returns visible activities with status `open`, with the `owner` and `account` filters,
 *   ordered by `dueAt` ascending (activities without a due date last), then id; with `dueBefore`,
 *   only those due strictly before it (none without a due date); at most `limit`. Stores answer
 *   it from an index on (tenant, owner, status, due time).
 * - `summary` counts the visible activities of one account by status, the open ones due before
 *   `asOf` (overdue), and returns the latest `completedAt` of a completed call, meeting, visit or
 *   e-mail (`lastContactAt`, absent when there is none). Hidden activities are never counted.
 * - `relink` sets `customerNumber` on every activity of the prospect that has none (a
 *   conversion), incrementing each one's version and setting `changedBy` / `changedAt`; it
 *   returns how many it changed.
 * - Activities come back as they were written.
 * - Inside `StoreTransaction.withTransaction` every operation is part of that transaction.
 *
 * @module
 */
import type { Errors } from "@partnerkit/core"
import { Context, type Effect, type Option } from "effect"
import type { AccountRef, Activity, Status } from "./Activity.js"
import type { AccountVisibility } from "./Ownership.js"

/** A position on an account's timeline: `at`, then id. */
export interface TimelinePosition {
  readonly at: string
  readonly id: string
}

export interface AccountActivityQuery {
  readonly tenant: string
  readonly account: AccountRef
  readonly visibility: AccountVisibility
  readonly status?: Status | undefined
  /** Exclusive: only activities older than this position (the cursor). */
  readonly before?: TimelinePosition | undefined
  readonly limit: number
}

export interface OpenActivityQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  readonly owner?: string | undefined
  readonly account?: AccountRef | undefined
  /** Exclusive upper bound on `dueAt`. */
  readonly dueBefore?: string | undefined
  readonly limit: number
}

export interface ActivitySummary {
  readonly total: number
  readonly open: number
  readonly overdue: number
  readonly completed: number
  readonly cancelled: number
  readonly lastContactAt?: string | undefined
}

export interface ActivityStoreShape {
  readonly get: (tenant: string, id: string, visibility: AccountVisibility) => Effect.Effect<Option.Option<Activity>, Errors.StorageError>
  readonly put: (activity: Activity, expectedVersion: number | null) => Effect.Effect<void, Errors.VersionConflict | Errors.StorageError>
  readonly listByAccount: (query: AccountActivityQuery) => Effect.Effect<ReadonlyArray<Activity>, Errors.StorageError>
  readonly open: (query: OpenActivityQuery) => Effect.Effect<ReadonlyArray<Activity>, Errors.StorageError>
  readonly summary: (query: {
    readonly tenant: string
    readonly account: AccountRef
    readonly visibility: AccountVisibility
    readonly asOf: string
  }) => Effect.Effect<ActivitySummary, Errors.StorageError>
  readonly relink: (
    tenant: string,
    prospectId: string,
    customerNumber: string,
    changedBy: string,
    changedAt: string
  ) => Effect.Effect<number, Errors.StorageError>
}

/** The activity port. */
export class ActivityStore extends Context.Tag("@partnerkit/crm/ActivityStore")<ActivityStore, ActivityStoreShape>() {}
