/**
 * The storage port for opportunities and their history. Stores implement it;
 * `@partnerkit/testkit`'s `runCrmConformance` checks each sentence below.
 *
 * An opportunity (or a history entry) belongs to its customer when `customerNumber` is set,
 * otherwise to its prospect, and is visible to an `AccountVisibility` exactly when an activity of
 * that account would be (see `ActivityStore`): the customer exists, its general authorization
 * group is allowed and its ownership is in the scope; or the prospect's own group and assignment
 * are allowed.
 *
 * Semantics:
 * - All reads and writes are scoped by `tenant`.
 * - `get` returns `Option.none()` when no opportunity has that id in the tenant, or when it is
 *   not visible.
 * - `put(opportunity, expectedVersion, entry)` writes the opportunity and appends `entry` to its
 *   history, only if the stored version equals `expectedVersion` (`null`: must not exist yet);
 *   otherwise it fails with `VersionConflict` (`actual` 0 when none) and writes neither. Of two
 *   concurrent puts from the same expected version exactly one succeeds.
 * - `list` returns at most `limit` visible opportunities with id greater than `after`, ascending
 *   by id, with the `account`, `owner`, `status` and `stage` filters applied inside the query.
 * - `history(tenant, id)` returns the opportunity's history entries by `seq` ascending (the
 *   service checks visibility first).
 * - `accountHistory` returns the visible history entries of one account whose change is
 *   `created`, `stage`, `won`, `lost` or `reopened` (not `updated`), newest first (`at`, then
 *   opportunity id, then `seq`, descending), only those before `before` when given, at most
 *   `limit`.
 * - `pipeline` aggregates inside the store (never loading the opportunities) by month of the
 *   expected close date, the dimension `by`, currency and status, over opportunities that are
 *   visible, `open` or `won`, have an amount, a currency and an expected close date, and pass the
 *   `closeFrom` / `closeTo` (inclusive), `owner` and `territory` filters. Without `asOf` it reads
 *   the current opportunities; with `asOf` it reads each opportunity's latest history entry at
 *   or before `asOf` (so a later change, close or new opportunity does not count), with
 *   visibility judged on that entry's account. `amountCents` is the sum of amounts in hundredths,
 *   `weightedCentPercents` the sum of hundredths × probability.
 * - `linkProspect` sets `customerNumber` on every opportunity of the prospect that has none (a
 *   conversion), incrementing its version, setting `changedBy` / `changedAt` and appending an
 *   `updated` history entry; it returns how many it changed.
 * - Opportunities come back as they were written.
 * - Inside `StoreTransaction.withTransaction` every operation is part of that transaction.
 *
 * @module
 */
import type { Errors } from "@partnerkit/core"
import { Context, type Effect, type Option } from "effect"
import type { AccountRef } from "./Activity.js"
import type { Dimension, HistoryEntry, Opportunity, Status } from "./Opportunity.js"
import type { AccountVisibility } from "./Ownership.js"

export interface OpportunityQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  readonly account?: AccountRef | undefined
  readonly owner?: string | undefined
  readonly status?: Status | undefined
  readonly stage?: string | undefined
  /** Exclusive lower bound on the id (the cursor). */
  readonly after?: string | undefined
  readonly limit: number
}

/** A position in an account's opportunity history. */
export interface HistoryPosition {
  readonly at: string
  readonly opportunityId: string
  readonly seq: number
}

export interface AccountHistoryQuery {
  readonly tenant: string
  readonly account: AccountRef
  readonly visibility: AccountVisibility
  /** Exclusive: only entries older than this position (the cursor). */
  readonly before?: HistoryPosition | undefined
  readonly limit: number
}

export interface PipelineQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  readonly by: Dimension
  readonly closeFrom?: string | undefined
  readonly closeTo?: string | undefined
  readonly owner?: string | undefined
  readonly territory?: string | undefined
  /** Reconstruct from the history as it stood at this instant. */
  readonly asOf?: string | undefined
}

/** One aggregate of the pipeline. */
export interface PipelineBucket {
  /** `YYYY-MM` of the expected close date. */
  readonly month: string
  /** The dimension's value: stage id, owner, territory, sales-area key (`1000/10/00`); `""` for none. */
  readonly key: string
  readonly currency: string
  readonly status: "open" | "won"
  readonly count: number
  readonly amountCents: number
  readonly weightedCentPercents: number
}

export interface OpportunityStoreShape {
  readonly get: (
    tenant: string,
    id: string,
    visibility: AccountVisibility
  ) => Effect.Effect<Option.Option<Opportunity>, Errors.StorageError>
  readonly put: (
    opportunity: Opportunity,
    expectedVersion: number | null,
    entry: HistoryEntry
  ) => Effect.Effect<void, Errors.VersionConflict | Errors.StorageError>
  readonly list: (query: OpportunityQuery) => Effect.Effect<ReadonlyArray<Opportunity>, Errors.StorageError>
  readonly history: (tenant: string, id: string) => Effect.Effect<ReadonlyArray<HistoryEntry>, Errors.StorageError>
  readonly accountHistory: (query: AccountHistoryQuery) => Effect.Effect<ReadonlyArray<HistoryEntry>, Errors.StorageError>
  readonly pipeline: (query: PipelineQuery) => Effect.Effect<ReadonlyArray<PipelineBucket>, Errors.StorageError>
  readonly linkProspect: (
    tenant: string,
    prospectId: string,
    customerNumber: string,
    changedBy: string,
    changedAt: string
  ) => Effect.Effect<number, Errors.StorageError>
}

/** The opportunity port. */
export class OpportunityStore extends Context.Tag("@partnerkit/crm/OpportunityStore")<OpportunityStore, OpportunityStoreShape>() {}
