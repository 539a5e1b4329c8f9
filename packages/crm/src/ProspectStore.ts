/**
 * The storage port for prospects. Stores implement it; `@partnerkit/testkit`'s
 * `runCrmConformance` checks each sentence below.
 *
 * Semantics:
 * - All reads and writes are scoped by `tenant`: a prospect of another tenant is never returned,
 *   counted or overwritten.
 * - `get` returns `Option.none()` when no prospect has that id in the tenant, or when
 *   `visibility` hides it: its `authorizationGroup` is not allowed by `visibility.groups`, or its
 *   owner / team / territory is not in `visibility.scope`.
 * - `put(prospect, expectedVersion)` writes the prospect only if the stored version equals
 *   `expectedVersion`, where `null` means "must not exist yet"; otherwise it fails with
 *   `VersionConflict` (`actual` is the stored version, 0 when none) and writes nothing. Of two
 *   concurrent puts from the same expected version exactly one succeeds.
 * - `list` returns at most `limit` prospects with id greater than `after`, ascending by id (plain
 *   code-unit order), with the `status` and `owner` filters and `visibility` applied inside the
 *   query: the page is filled from further rows, never shortened by hidden ones.
 * - Prospects come back as they were written (contacts in the order given; absent optional
 *   fields still absent).
 * - Inside `StoreTransaction.withTransaction` every operation is part of that transaction.
 *
 * @module
 */
import type { Errors } from "@partnerkit/core"
import { Context, type Effect, type Option } from "effect"
import type { AccountVisibility } from "./Ownership.js"
import type { Prospect } from "./Prospect.js"

export interface ProspectQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  readonly status?: Prospect["status"] | undefined
  readonly owner?: string | undefined
  /** Exclusive lower bound on the id (the cursor). */
  readonly after?: string | undefined
  readonly limit: number
}

export interface ProspectStoreShape {
  readonly get: (tenant: string, id: string, visibility: AccountVisibility) => Effect.Effect<Option.Option<Prospect>, Errors.StorageError>
  readonly put: (prospect: Prospect, expectedVersion: number | null) => Effect.Effect<void, Errors.VersionConflict | Errors.StorageError>
  readonly list: (query: ProspectQuery) => Effect.Effect<ReadonlyArray<Prospect>, Errors.StorageError>
}

/** The prospect port. */
export class ProspectStore extends Context.Tag("@partnerkit/crm/ProspectStore")<ProspectStore, ProspectStoreShape>() {}
