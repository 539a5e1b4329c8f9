/**
 * The storage port for customer records. Stores implement it; `@partnerkit/testkit` checks each
 * sentence below.
 *
 * Semantics:
 * - All reads and writes are scoped by `tenant`: a record of another tenant is never returned,
 *   counted, overwritten or reported as a duplicate.
 * - `get` returns `Option.none()` when no customer has that number in the tenant, or when the
 *   general view's authorization group is hidden by `visibility`. Otherwise it returns the record
 *   with only the company-code and sales-area views `visibility` allows.
 * - `insert` fails with `CustomerNumberTaken` when the number exists in the tenant, and then
 *   writes nothing. Two concurrent inserts of the same number: exactly one succeeds.
 * - `insertMany` inserts all records or none: when any number exists in the tenant (or is given
 *   twice), it fails with `CustomerNumberTaken` for one of them and writes nothing. It is the
 *   batched form of `insert` for bulk imports; stores should write it with few statements.
 * - `update` replaces the whole record (views and contacts included) only if the stored version
 *   equals `expectedVersion`; otherwise it fails with `VersionConflict` (carrying the stored
 *   version) and writes nothing. A missing record fails with `CustomerNotFound`. Two concurrent
 *   updates from the same version: exactly one succeeds.
 * - `list` returns at most `limit` customers with number greater than `after`, ascending by
 *   number (plain code-unit order), applying the filters and `visibility` inside the query: a
 *   customer whose general view is hidden is skipped, a customer matches `companyCode` /
 *   `salesArea` only through a view the actor may see, and the page is filled from further rows.
 * - Records come back as they were written: views, contacts and partners in the order given
 *   (the `Customers` service writes views sorted by code / key and contacts by id), optional
 *   fields that were absent still absent.
 * - Inside `StoreTransaction.withTransaction` every operation is part of that transaction.
 *
 * @module
 */
import { Context, type Effect, type Option } from "effect"
import type { Visibility } from "./Actor.js"
import type { CustomerRecord, SalesArea } from "./Customer.js"
import type { CustomerNotFound, CustomerNumberTaken, StorageError, VersionConflict } from "./Errors.js"

/** What `list` selects. */
export interface CustomerQuery {
  readonly tenant: string
  readonly visibility: Visibility
  readonly accountGroup?: string | undefined
  readonly companyCode?: string | undefined
  readonly salesArea?: SalesArea | undefined
  /** Exclusive lower bound on the customer number (the cursor). */
  readonly after?: string | undefined
  readonly limit: number
}

export interface CustomerStoreShape {
  readonly get: (
    tenant: string,
    number: string,
    visibility: Visibility
  ) => Effect.Effect<Option.Option<CustomerRecord>, StorageError>
  readonly insert: (record: CustomerRecord) => Effect.Effect<void, CustomerNumberTaken | StorageError>
  readonly insertMany: (records: ReadonlyArray<CustomerRecord>) => Effect.Effect<void, CustomerNumberTaken | StorageError>
  readonly update: (
    record: CustomerRecord,
    expectedVersion: number
  ) => Effect.Effect<void, VersionConflict | CustomerNotFound | StorageError>
  readonly list: (query: CustomerQuery) => Effect.Effect<ReadonlyArray<CustomerRecord>, StorageError>
}

/** The customer-record port. */
export class CustomerStore extends Context.Tag("@partnerkit/core/CustomerStore")<CustomerStore, CustomerStoreShape>() {}
