/**
 * The storage port for leads, their round-robin turns and their duplicate candidates. Stores
 * implement it; `@partnerkit/testkit`'s `runCrmConformance` checks each sentence below.
 *
 * A lead is visible to an `AccountVisibility` when its own authorization group is allowed by
 * `visibility.groups` and its owner / team / territory is in `visibility.scope` (as a prospect).
 *
 * Semantics:
 * - All reads and writes are scoped by `tenant`: a lead, a turn counter or a candidate of another
 *   tenant is never returned, counted or overwritten.
 * - `get` returns `Option.none()` when no lead has that id in the tenant, or when it is not
 *   visible.
 * - `put(lead, expectedVersion)` writes the lead only if the stored version equals
 *   `expectedVersion` (`null`: must not exist yet); otherwise it fails with `VersionConflict`
 *   (`actual` 0 when none) and writes nothing. Of two concurrent puts from the same expected
 *   version exactly one succeeds.
 * - `list` returns at most `limit` visible leads with id greater than `after`, ascending by id,
 *   with the `status`, `owner`, `source` and `campaignId` filters applied inside the query: the
 *   page is filled from further rows, never shortened by hidden ones.
 * - `nextTurn(tenant, pool)` returns 0 on the first call for a pool, then 1, 2, …: concurrent
 *   calls never return the same number and no number is skipped. Inside a transaction that rolls
 *   back, the turn is given back.
 * - `duplicates` returns, for the given match keys (`Lead.matchKey` of names and e-mail
 *   addresses), the visible customers whose name or general e-mail matches, the contact persons
 *   of visible customers whose e-mail matches, and the visible open prospects whose name or
 *   e-mail matches — each with what matched; customers and contacts by customer number (then
 *   contact id), then prospects by id; at most `limit`. Hidden accounts are never returned.
 * - `activities(tenant, leadId)` returns the activities logged on the lead (`leadId`), newest
 *   first (`at`, then id, descending); the service checks the lead's visibility first.
 * - `linkActivities` sets `customerNumber` and / or `prospectId` on every activity of the lead
 *   that has neither (a conversion), incrementing each one's version and setting `changedBy` /
 *   `changedAt`; it returns how many it changed.
 * - Leads come back as they were written.
 * - Inside `StoreTransaction.withTransaction` every operation is part of that transaction.
 *
 * @module
 */
import type { Errors } from "@partnerkit/core"
import { Context, type Effect, type Option } from "effect"
import type { Activity } from "./Activity.js"
import type { Lead, Status } from "./Lead.js"
import type { AccountVisibility } from "./Ownership.js"

export interface LeadQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  readonly status?: Status | undefined
  readonly owner?: string | undefined
  readonly source?: string | undefined
  readonly campaignId?: string | undefined
  /** Exclusive lower bound on the id (the cursor). */
  readonly after?: string | undefined
  readonly limit: number
}

export interface DuplicateQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  /** `Lead.matchKey` of the names to look for (company names). */
  readonly names: ReadonlyArray<string>
  /** `Lead.matchKey` of the e-mail addresses to look for. */
  readonly emails: ReadonlyArray<string>
  readonly limit: number
}

/** An existing account or contact that may be the lead's. */
export interface DuplicateCandidate {
  readonly kind: "customer" | "contact" | "prospect"
  readonly customerNumber?: string | undefined
  readonly contactId?: string | undefined
  readonly prospectId?: string | undefined
  /** The customer's, prospect's or contact person's name. */
  readonly name: string
  readonly matchedOn: ReadonlyArray<"name" | "email">
}

/** Where a converted lead's activities go. */
export interface ActivityLink {
  readonly customerNumber?: string | undefined
  readonly prospectId?: string | undefined
}

export interface LeadStoreShape {
  readonly get: (tenant: string, id: string, visibility: AccountVisibility) => Effect.Effect<Option.Option<Lead>, Errors.StorageError>
  readonly put: (lead: Lead, expectedVersion: number | null) => Effect.Effect<void, Errors.VersionConflict | Errors.StorageError>
  readonly list: (query: LeadQuery) => Effect.Effect<ReadonlyArray<Lead>, Errors.StorageError>
  readonly nextTurn: (tenant: string, pool: string) => Effect.Effect<number, Errors.StorageError>
  readonly duplicates: (query: DuplicateQuery) => Effect.Effect<ReadonlyArray<DuplicateCandidate>, Errors.StorageError>
  readonly activities: (tenant: string, leadId: string) => Effect.Effect<ReadonlyArray<Activity>, Errors.StorageError>
  readonly linkActivities: (
    tenant: string,
    leadId: string,
    link: ActivityLink,
    changedBy: string,
    changedAt: string
  ) => Effect.Effect<number, Errors.StorageError>
}

/** The lead port. */
export class LeadStore extends Context.Tag("@partnerkit/crm/LeadStore")<LeadStore, LeadStoreShape>() {}
