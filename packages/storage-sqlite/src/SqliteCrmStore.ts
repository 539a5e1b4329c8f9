/**
 * The SQLite store with the CRM ports of `@partnerkit/crm`: every core port and every CRM port
 * (`ProspectStore`, `AccountOwnershipStore`, `ActivityStore`, `ContactPreferenceStore`) on one
 * database file, with one `StoreTransaction` for both — the same connections, pragmas and
 * migrations as `SqliteStore` (the CRM tables are migration 3).
 *
 * @example
 * ```ts
 * import { Presets } from "@partnerkit/core"
 * import { createCrm } from "@partnerkit/crm"
 * import { SqliteCrmStore } from "@partnerkit/storage-sqlite"
 *
 * const crm = await createCrm({ customizing: Presets.standard("acme"), storage: SqliteCrmStore.layer({ filename: "partnerkit.db" }) })
 * await crm.close()
 * ```
 * @module
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { Errors } from "@partnerkit/core"
import { type CrmStorage, ReadConcurrency } from "@partnerkit/crm"
import { SqlCrmStore, SqlStore } from "@partnerkit/storage-sql"
import { Context, Effect, Layer, type Scope } from "effect"
import * as SqliteStore from "./SqliteStore.js"

/**
 * Opens the database as `SqliteStore.make` does (`SqliteStore.connections`), migrates or checks
 * the schema, and returns every core and CRM port (closed with the scope).
 */
export const make = (
  config: SqliteStore.Config
): Effect.Effect<Context.Context<CrmStorage.Ports>, Errors.StorageError | Errors.SchemaTooNew, Scope.Scope> =>
  Effect.gen(function* () {
    const { writer, reader, statementReader } = yield* SqliteStore.connections(config)
    const core = yield* SqlStore.make(SqliteStore.dialect, { migrate: config.migrate, reader, statementReader }).pipe(
      Effect.provideService(SqlClient.SqlClient, writer)
    )
    const crm = yield* SqlCrmStore.make(SqliteStore.dialect, { reader, statementReader }).pipe(
      Effect.provideService(SqlClient.SqlClient, writer)
    )
    // Reads run synchronously on one connection: forking a fiber per read would only allocate.
    return Context.merge(core, crm).pipe(Context.add(ReadConcurrency, 1))
  })

/** Every core and CRM port on one SQLite file. */
export const layer = (config: SqliteStore.Config): CrmStorage.Layer => Layer.scopedContext(make(config))
