/**
 * The storage port for change documents.
 *
 * Semantics:
 * - `append` stores the documents as given. Inside `StoreTransaction.withTransaction` they commit
 *   or roll back with the change they describe. A document whose (tenant, customerNumber,
 *   changeNumber) exists already fails the append with `StorageError` and writes nothing.
 * - `list` returns the documents of one customer of one tenant, newest first (`changeNumber`
 *   descending), only those with `changeNumber < before` when `before` is given, at most `limit`.
 *   Items are filtered inside the query: an item is returned only when `visibility` allows the
 *   view it belongs to, judged by that view's authorization group as it is now in the customer
 *   record (general items by the general view's group). Items of a view that no longer exists, or
 *   of a customer that no longer exists, are returned only to an unrestricted visibility
 *   (`"all"`). A document stored without items, or left with none, is
 *   skipped and the page is filled from older documents. Items keep their stored order.
 *
 * @module
 */
import { Context, type Effect } from "effect"
import type { Visibility } from "./Actor.js"
import type { ChangeDocument } from "./ChangeDocument.js"
import type { StorageError } from "./Errors.js"

export interface ChangeDocumentQuery {
  readonly tenant: string
  readonly customerNumber: string
  readonly visibility: Visibility
  /** Exclusive upper bound on `changeNumber` (the cursor). */
  readonly before?: number | undefined
  readonly limit: number
}

export interface ChangeDocumentStoreShape {
  readonly append: (documents: ReadonlyArray<ChangeDocument>) => Effect.Effect<void, StorageError>
  readonly list: (query: ChangeDocumentQuery) => Effect.Effect<ReadonlyArray<ChangeDocument>, StorageError>
}

/** The change-document port. */
export class ChangeDocumentStore extends Context.Tag("@partnerkit/core/ChangeDocumentStore")<
  ChangeDocumentStore,
  ChangeDocumentStoreShape
>() {}
