/**
 * The storage port for key mappings (SAP MDG: key mapping): which customer number an external
 * key of a source system maps to. Bulk imports use it to be idempotent — re-running the same file
 * finds the keys it created and creates no duplicates.
 *
 * Semantics:
 * - Everything is scoped by `tenant` and `system` (the name of the source, e.g. `legacy-erp`).
 * - `find` returns the mappings of the given keys that exist (keys without a mapping are absent
 *   from the result). Duplicate keys in the argument are allowed.
 * - `put` adds mappings. A key that is already mapped, or given twice in the call, fails the
 *   call with `StorageError` and writes nothing (a key maps to one customer, forever). Two concurrent puts of the same key:
 *   exactly one succeeds.
 * - Inside `StoreTransaction.withTransaction` both are part of that transaction.
 *
 * @module
 */
import { Context, type Effect } from "effect"
import type { StorageError } from "./Errors.js"

export interface KeyMapping {
  readonly key: string
  readonly number: string
}

export interface KeyMappingStoreShape {
  readonly find: (
    tenant: string,
    system: string,
    keys: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlyMap<string, string>, StorageError>
  readonly put: (tenant: string, system: string, mappings: ReadonlyArray<KeyMapping>) => Effect.Effect<void, StorageError>
}

/** The key-mapping port. */
export class KeyMappingStore extends Context.Tag("@partnerkit/core/KeyMappingStore")<KeyMappingStore, KeyMappingStoreShape>() {}
