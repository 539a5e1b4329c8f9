/**
 * Every storage port of `@partnerkit/core` (`CustomerStore`, `ChangeDocumentStore`,
 * `NumberRangeStore`, `SalesEmployeeStore`, `TerritoryStore`, `KeyMappingStore`,
 * `CustomerSearchStore`, `StoreTransaction`) on an `@effect/sql` `SqlClient`, for any `Dialect`.
 * The dialect packages build the client, pick the dialect and call `make`; applications use
 * `SqliteStore.layer` / `PostgresStore.layer` instead.
 *
 * Transactions: `StoreTransaction.withTransaction` starts the dialect's read-write transaction
 * (`BEGIN IMMEDIATE` on SQLite, `BEGIN` on PostgreSQL); a nested call joins it in a savepoint,
 * and every port operation inside joins it: those that find their failures (a taken number, a
 * version conflict, an exhausted range) before they write run without a savepoint, the batch
 * writes (`insertMany`, key mappings) in one, so that a failed operation writes nothing while the
 * caller's transaction stays usable. An operation that fails halfway otherwise (a driver error)
 * dooms the transaction: it rolls back instead of committing (see `internal/Transaction.ts`). Reads outside a transaction run on one snapshot, on the
 * `reader` client when one is given. Every statement inside a transaction — also one built with
 * `reader` — runs on the transaction's connection (`@effect/sql`'s `TransactionConnection`).
 *
 * @example
 * ```ts
 * import * as SqlClient from "@effect/sql/SqlClient"
 * import type { Storage } from "@partnerkit/core"
 * import { type Dialect, SqlStore } from "@partnerkit/storage-sql"
 * import { Layer } from "effect"
 *
 * declare const dialect: Dialect.Dialect
 * declare const client: Layer.Layer<SqlClient.SqlClient>
 * const store: Storage.Layer = Layer.effectContext(SqlStore.make(dialect)).pipe(Layer.provide(client))
 * ```
 * @module
 */
import * as SqlClient from "@effect/sql/SqlClient"
import {
  ChangeDocumentStore,
  CustomerSearchStore,
  CustomerStore,
  type Errors,
  KeyMappingStore,
  MatchIndexStore,
  NumberRangeStore,
  SalesEmployeeStore,
  type Storage,
  StoreTransaction,
  TerritoryStore
} from "@partnerkit/core"
import { Context, Effect } from "effect"
import type { Dialect } from "./Dialect.js"
import * as ChangeDocuments from "./internal/ChangeDocuments.js"
import * as Customers from "./internal/Customers.js"
import { storageError } from "./internal/Errors.js"
import * as KeyMappings from "./internal/KeyMappings.js"
import * as MatchIndex from "./internal/MatchIndex.js"
import * as NumberRanges from "./internal/NumberRanges.js"
import type { StatementReader } from "./internal/Reads.js"
import * as SalesForce from "./internal/SalesForce.js"
import * as Search from "./internal/Search.js"
import * as Transaction from "./internal/Transaction.js"
import * as Migrations from "./Migrations.js"

/** When the schema is migrated. */
export type MigrateMode =
  /** At start, every pending migration is applied (the default). */
  | "auto"
  /** Nothing is changed at start; the store refuses a schema older than it needs (run `migrate` first). */
  | "manual"

export interface Options {
  /** Default `"auto"`. */
  readonly migrate?: MigrateMode | undefined
  /**
   * The client for reads outside a transaction. Default: the client in context. SQLite passes a
   * second connection to the same file, so that reads never wait for an open write transaction
   * of this process (WAL lets readers and one writer run side by side).
   */
  readonly reader?: SqlClient.SqlClient | undefined
  /**
   * Runs the single-statement reads of partner determination's path (`CustomerStore.get`, the
   * sales-employee and territory gets and lists) outside a transaction, instead of `reader`:
   * `@effect/sql` spends far more per statement (a span, a scope, the connection's semaphore) than
   * SQLite spends executing it. Default: none, every read runs on `reader`. Inside a transaction
   * they run on its connection either way.
   */
  readonly statementReader?: StatementReader | undefined
}

export type { StatementReader } from "./internal/Reads.js"

/**
 * Checks or migrates the schema (per `options.migrate`), then returns every port, bound to the
 * client in context. Fails with `SchemaTooNew` on a schema newer than this package knows.
 */
export const make = (
  dialect: Dialect,
  options: Options = {}
): Effect.Effect<Context.Context<Storage.Ports>, Errors.StorageError | Errors.SchemaTooNew, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    if ((options.migrate ?? "auto") === "auto") yield* Migrations.migrate(dialect)
    else yield* Migrations.check(dialect)
    const reader = options.reader ?? sql
    const tx = Transaction.make(sql, reader, dialect.beginWrite, dialect.beginRead)
    const direct = options.statementReader
    return Context.make(CustomerStore, Customers.make(dialect, sql, reader, tx, direct)).pipe(
      Context.add(ChangeDocumentStore, ChangeDocuments.make(sql, reader, tx, direct)),
      Context.add(NumberRangeStore, NumberRanges.make(sql, reader, tx)),
      Context.add(SalesEmployeeStore, SalesForce.makeSalesEmployees(dialect, sql, reader, tx, direct)),
      Context.add(TerritoryStore, SalesForce.makeTerritories(dialect, sql, reader, tx, direct)),
      Context.add(KeyMappingStore, KeyMappings.make(sql, reader, tx)),
      Context.add(MatchIndexStore, MatchIndex.make(dialect, sql, reader, tx, direct)),
      Context.add(CustomerSearchStore, Search.make(dialect, sql, tx)),
      Context.add(StoreTransaction, {
        withTransaction: (effect) => tx.write(effect).pipe(storageError("StoreTransaction.withTransaction"))
      })
    )
  })
