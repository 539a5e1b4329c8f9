/**
 * The storage port for saved segments, frozen snapshots and campaigns with their members and
 * responses.
 *
 * Semantics:
 * - All reads and writes are scoped by `tenant`.
 * - `putSegment(segment, expectedVersion)` writes only if the stored version equals
 *   `expectedVersion` (`null`: must not exist yet); otherwise it fails with `VersionConflict`
 *   (`actual` 0 when none) and writes nothing.
 * - `getSegment` / `getSnapshot` / `getCampaign` return `Option.none()` when no record has that id.
 * - `listSegments`, `listSnapshots` (optionally of one segment), `listCampaigns` return at most
 *   `limit` records with id greater than `after`, ascending by id.
 * - `putSnapshot(snapshot, members)` stores the snapshot and its member customer numbers;
 *   `putCampaign(campaign, members)` the campaign and its members. Both insert only (a snapshot
 *   or campaign is never changed), in one step: all or nothing.
 * - `snapshotMembers` returns at most `limit` member customer numbers greater than `after`,
 *   ascending, only those whose account is visible (as in `AccountBehaviourStore`).
 * - `campaignMembers` likewise returns members (with the `group` filter); `campaignMember`
 *   returns one member, applying no visibility.
 * - `accountConsents` returns the account-level contact preferences (no contact id) of the given
 *   customers.
 * - `putResponse` stores a response (insert only).
 * - `campaignFigures` counts the campaign's members per group and the members with at least one
 *   response per group, over visible accounts only.
 * - `campaignReturn` sums, per currency, the amounts (hundredths) of won opportunities visible to
 *   `visibility` whose lead (`leadId`) has the campaign's `campaignId`.
 * - Inside `StoreTransaction.withTransaction` every operation is part of that transaction.
 *
 * @module
 */
import type { Errors } from "@partnerkit/core"
import { Context, type Effect, type Option } from "effect"
import type { Campaign, CampaignMember, CampaignResponse, Group } from "./Campaign.js"
import type { ContactPreference } from "./ContactPreference.js"
import type { AccountVisibility } from "./Ownership.js"
import type { Segment, Snapshot } from "./Segment.js"

export interface IdPage {
  readonly tenant: string
  /** Exclusive lower bound on the id (the cursor). */
  readonly after?: string | undefined
  readonly limit: number
}

export interface MemberPage {
  readonly tenant: string
  readonly visibility: AccountVisibility
  readonly after?: string | undefined
  readonly limit: number
}

export interface GroupCounts {
  readonly contacted: number
  readonly control: number
  readonly excluded: number
}

export interface SegmentStoreShape {
  readonly putSegment: (
    segment: Segment,
    expectedVersion: number | null
  ) => Effect.Effect<void, Errors.VersionConflict | Errors.StorageError>
  readonly getSegment: (tenant: string, id: string) => Effect.Effect<Option.Option<Segment>, Errors.StorageError>
  readonly listSegments: (query: IdPage) => Effect.Effect<ReadonlyArray<Segment>, Errors.StorageError>
  readonly putSnapshot: (snapshot: Snapshot, members: ReadonlyArray<string>) => Effect.Effect<void, Errors.StorageError>
  readonly getSnapshot: (tenant: string, id: string) => Effect.Effect<Option.Option<Snapshot>, Errors.StorageError>
  readonly listSnapshots: (
    query: IdPage & { readonly segmentId?: string | undefined }
  ) => Effect.Effect<ReadonlyArray<Snapshot>, Errors.StorageError>
  readonly snapshotMembers: (
    query: MemberPage & { readonly snapshotId: string }
  ) => Effect.Effect<ReadonlyArray<string>, Errors.StorageError>
  readonly accountConsents: (
    tenant: string,
    customerNumbers: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlyArray<ContactPreference>, Errors.StorageError>
  readonly putCampaign: (campaign: Campaign, members: ReadonlyArray<CampaignMember>) => Effect.Effect<void, Errors.StorageError>
  readonly getCampaign: (tenant: string, id: string) => Effect.Effect<Option.Option<Campaign>, Errors.StorageError>
  readonly listCampaigns: (query: IdPage) => Effect.Effect<ReadonlyArray<Campaign>, Errors.StorageError>
  readonly campaignMembers: (
    query: MemberPage & { readonly campaignId: string; readonly group?: Group | undefined }
  ) => Effect.Effect<ReadonlyArray<CampaignMember>, Errors.StorageError>
  readonly campaignMember: (
    tenant: string,
    campaignId: string,
    customerNumber: string
  ) => Effect.Effect<Option.Option<CampaignMember>, Errors.StorageError>
  readonly putResponse: (response: CampaignResponse) => Effect.Effect<void, Errors.StorageError>
  readonly campaignFigures: (query: {
    readonly tenant: string
    readonly campaignId: string
    readonly visibility: AccountVisibility
  }) => Effect.Effect<{ readonly members: GroupCounts; readonly responders: GroupCounts }, Errors.StorageError>
  readonly campaignReturn: (query: {
    readonly tenant: string
    readonly campaignId: string
    readonly visibility: AccountVisibility
  }) => Effect.Effect<
    ReadonlyArray<{ readonly currency: string; readonly amountCents: number; readonly count: number }>,
    Errors.StorageError
  >
}

/** The segment and campaign port. */
export class SegmentStore extends Context.Tag("@partnerkit/crm/SegmentStore")<SegmentStore, SegmentStoreShape>() {}
