/**
 * The storage port for account ownership: the owner, team and territory of each customer
 * account.
 *
 * Semantics:
 * - All reads and writes are scoped by `tenant`.
 * - `get` returns the ownership of the customer, or `Option.none()` when it has none in the
 *   tenant. It applies no visibility: it is the services' own read.
 * - `put(ownership, expectedVersion)` writes only if the stored version equals `expectedVersion`
 *   (`null`: must not exist yet); otherwise it fails with `VersionConflict` (`actual` 0 when none)
 *   and writes nothing. Of two concurrent puts from the same expected version exactly one succeeds.
 * - `list` returns at most `limit` ownerships with customer number greater than `after`,
 *   ascending by customer number (plain code-unit order), with the `owner` / `team` / `territory`
 *   filters and `visibility` applied inside the query: an ownership is returned only when its
 *   customer exists in the tenant, the customer's general authorization group is allowed by
 *   `visibility.groups`, and the ownership is in `visibility.scope`; the page is filled from
 *   further rows.
 * - Inside `StoreTransaction.withTransaction` every operation is part of that transaction.
 *
 * @module
 */
import type { Errors } from "@partnerkit/core"
import { Context, type Effect, type Option } from "effect"
import type { AccountVisibility, Ownership } from "./Ownership.js"

export interface OwnershipQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  readonly owner?: string | undefined
  readonly team?: string | undefined
  readonly territory?: string | undefined
  /** Exclusive lower bound on the customer number (the cursor). */
  readonly after?: string | undefined
  readonly limit: number
}

export interface AccountOwnershipStoreShape {
  readonly get: (tenant: string, customerNumber: string) => Effect.Effect<Option.Option<Ownership>, Errors.StorageError>
  readonly put: (ownership: Ownership, expectedVersion: number | null) => Effect.Effect<void, Errors.VersionConflict | Errors.StorageError>
  readonly list: (query: OwnershipQuery) => Effect.Effect<ReadonlyArray<Ownership>, Errors.StorageError>
}

/** The account-ownership port. */
export class AccountOwnershipStore extends Context.Tag("@partnerkit/crm/AccountOwnershipStore")<
  AccountOwnershipStore,
  AccountOwnershipStoreShape
>() {}
