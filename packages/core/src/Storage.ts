/**
 * What a store provides: every storage port plus `StoreTransaction`. A store package exports
 * `layer(config)` of type `Storage.Layer` (and usually a scoped `make`).
 *
 * `StoreTransaction.withTransaction(effect)` runs `effect` so that all port operations inside it
 * commit together when it succeeds and leave no trace when it fails (or is interrupted). A nested
 * call joins the enclosing transaction like a savepoint: when it fails, its own writes are undone
 * (even if the enclosing effect recovers and goes on), and everything commits or rolls back with
 * the outermost call. Readers outside the transaction never see its uncommitted writes, and
 * never wait for it to end.
 *
 * @example
 * ```ts
 * import { Storage } from "@partnerkit/core"
 * import type { Layer } from "effect"
 *
 * declare const myStore: Storage.Layer
 * const store: Layer.Layer<Storage.Ports, unknown> = myStore
 * ```
 * @module
 */
import { Context, type Effect, type Layer as L } from "effect"
import type { ChangeDocumentStore } from "./ChangeDocumentStore.js"
import type { CustomerSearchStore } from "./CustomerSearchStore.js"
import type { CustomerStore } from "./CustomerStore.js"
import type { SchemaTooNew, StorageError } from "./Errors.js"
import type { KeyMappingStore } from "./KeyMappingStore.js"
import type { MatchIndexStore } from "./MatchIndexStore.js"
import type { NumberRangeStore } from "./NumberRangeStore.js"
import type { SalesEmployeeStore, TerritoryStore } from "./SalesForceStore.js"

export interface StoreTransactionShape {
  readonly withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StorageError, R>
}

/** Runs effects atomically against the store. */
export class StoreTransaction extends Context.Tag("@partnerkit/core/StoreTransaction")<
  StoreTransaction,
  StoreTransactionShape
>() {}

/** Every port a complete store provides. */
export type Ports =
  | CustomerStore
  | ChangeDocumentStore
  | NumberRangeStore
  | SalesEmployeeStore
  | TerritoryStore
  | KeyMappingStore
  | MatchIndexStore
  | CustomerSearchStore
  | StoreTransaction

/** The layer a store package exports. */
export type Layer = L.Layer<Ports, StorageError | SchemaTooNew>
