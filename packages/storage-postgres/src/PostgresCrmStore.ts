/**
 * The PostgreSQL store with the CRM ports of `@partnerkit/crm`: every core port and every CRM
 * port (`ProspectStore`, `AccountOwnershipStore`, `ActivityStore`, `ContactPreferenceStore`) on
 * one database schema, with one `StoreTransaction` for both — the same pool, settings and
 * migrations as `PostgresStore` (the CRM tables are migration 3).
 *
 * @example
 * ```ts
 * import { Presets } from "@partnerkit/core"
 * import { createCrm } from "@partnerkit/crm"
 * import { PostgresCrmStore } from "@partnerkit/storage-postgres"
 *
 * const crm = await createCrm({
 *   customizing: Presets.standard("acme"),
 *   storage: PostgresCrmStore.layer({ url: "postgres://postgres@127.0.0.1:5432/test", schema: "partnerkit" })
 * })
 * await crm.close()
 * ```
 * @module
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { Errors } from "@partnerkit/core"
import type { CrmStorage } from "@partnerkit/crm"
import { SqlCrmStore, SqlStore } from "@partnerkit/storage-sql"
import { Context, Effect, Layer, type Scope } from "effect"
import * as PostgresStore from "./PostgresStore.js"

/** Opens the pool, migrates or checks the schema, and returns every core and CRM port (closed with the scope). */
export const make = (
  config: PostgresStore.Config
): Effect.Effect<Context.Context<CrmStorage.Ports>, Errors.StorageError | Errors.SchemaTooNew, Scope.Scope> =>
  Effect.gen(function* () {
    const { client, statementReader } = yield* PostgresStore.connections(config)
    const dialect = PostgresStore.dialect(config.schema)
    const core = yield* SqlStore.make(dialect, { migrate: config.migrate, statementReader }).pipe(
      Effect.provideService(SqlClient.SqlClient, client)
    )
    const crm = yield* SqlCrmStore.make(dialect, { statementReader }).pipe(Effect.provideService(SqlClient.SqlClient, client))
    return Context.merge(core, crm)
  })

/** Every core and CRM port on one PostgreSQL database (schema). */
export const layer = (config: PostgresStore.Config): CrmStorage.Layer => Layer.scopedContext(make(config))
