/**
 * The storage ports for sales employees and territories (with their assignment changes).
 *
 * Semantics (both ports):
 * - Everything is scoped by `tenant`.
 * - `get…` returns `Option.none()` when nothing has that id in the tenant.
 * - `put(record, expectedVersion)` writes the record only if the stored version equals
 *   `expectedVersion`, where `null` means "must not exist yet". Otherwise it fails with
 *   `VersionConflict` (`actual` is the stored version, 0 when none; `expected` is 0 for `null`) and
 *   writes nothing. Of two
 *   concurrent puts from the same expected version exactly one succeeds.
 * - `list…` returns all records of the tenant ordered by id in plain code-unit order (territories:
 *   by priority, then id; changes: by `requestedAt`, then id), with the filters given.
 * - Inside `StoreTransaction.withTransaction` every operation is part of that transaction.
 *
 * @module
 */
import { Context, type Effect, type Option } from "effect"
import type { StorageError, VersionConflict } from "./Errors.js"
import type { AssignmentChange, SalesEmployee, Territory } from "./SalesForce.js"

export interface SalesEmployeeStoreShape {
  readonly get: (tenant: string, id: string) => Effect.Effect<Option.Option<SalesEmployee>, StorageError>
  readonly put: (employee: SalesEmployee, expectedVersion: number | null) => Effect.Effect<void, VersionConflict | StorageError>
  readonly list: (tenant: string) => Effect.Effect<ReadonlyArray<SalesEmployee>, StorageError>
}

/** The sales-employee port. */
export class SalesEmployeeStore extends Context.Tag("@partnerkit/core/SalesEmployeeStore")<
  SalesEmployeeStore,
  SalesEmployeeStoreShape
>() {}

export interface TerritoryStoreShape {
  readonly get: (tenant: string, id: string) => Effect.Effect<Option.Option<Territory>, StorageError>
  readonly put: (territory: Territory, expectedVersion: number | null) => Effect.Effect<void, VersionConflict | StorageError>
  readonly list: (tenant: string) => Effect.Effect<ReadonlyArray<Territory>, StorageError>
  readonly getChange: (tenant: string, id: string) => Effect.Effect<Option.Option<AssignmentChange>, StorageError>
  readonly putChange: (change: AssignmentChange, expectedVersion: number | null) => Effect.Effect<void, VersionConflict | StorageError>
  readonly listChanges: (
    tenant: string,
    filter: { readonly status?: AssignmentChange["status"]; readonly approver?: string; readonly territory?: string }
  ) => Effect.Effect<ReadonlyArray<AssignmentChange>, StorageError>
}

/** The territory port: territories and the changes of their assignments. */
export class TerritoryStore extends Context.Tag("@partnerkit/core/TerritoryStore")<TerritoryStore, TerritoryStoreShape>() {}
