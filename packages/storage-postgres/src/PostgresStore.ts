/**
 * The PostgreSQL store: every storage port of `@partnerkit/core` on PostgreSQL, through
 * node-postgres (`@effect/sql-pg`). For production: many processes, many connections, one
 * database; tables keyed by tenant first, ready to be distributed by tenant (Citus).
 *
 * - Writes run in `READ COMMITTED` transactions; optimistic version checks are single
 *   `UPDATE … WHERE version = $expected` statements, number-range draws lock their row (an
 *   upsert, like `SELECT … FOR UPDATE`), so concurrent transactions drawing from one range queue on it.
 * - Reads outside a transaction run in a `REPEATABLE READ READ ONLY` transaction, so a record
 *   read in several queries is one consistent snapshot; a read that is one statement runs
 *   straight on the pool (`pool.query`), without `@effect/sql`'s per-statement overhead.
 * - `schema` puts the tables in their own schema (`search_path` is set on every connection);
 *   with `migrate: "auto"` the schema is created when missing.
 *
 * @example
 * ```ts
 * import { Actor, CustomerStore } from "@partnerkit/core"
 * import { PostgresStore } from "@partnerkit/storage-postgres"
 * import { Effect } from "effect"
 *
 * const store = PostgresStore.layer({ url: "postgres://postgres@127.0.0.1:5432/app", schema: "partnerkit" })
 * const program = Effect.flatMap(CustomerStore, (customers) => customers.get("acme", "C0001", Actor.unrestricted))
 * const result = program.pipe(Effect.provide(store))
 * ```
 * @module
 */

import type { ConnectionOptions } from "node:tls"
import * as Reactivity from "@effect/experimental/Reactivity"
import * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Errors, type Storage } from "@partnerkit/core"
import { type Dialect, Migrations, SqlStore } from "@partnerkit/storage-sql"
import { type Context, Duration, Effect, Layer, Redacted, type Scope } from "effect"
import pg from "pg"
import * as PoolReader from "./internal/PoolReader.js"
import * as PostgresDialect from "./internal/PostgresDialect.js"

export interface Config {
  /** `postgres://user:password@host:5432/database` (a `Redacted` keeps the password out of logs). */
  readonly url: string | Redacted.Redacted<string>
  /**
   * The schema the tables live in: lower-case letters, digits and `_`. Every connection's
   * `search_path` is set to it. Default: the server's `search_path` (usually `public`).
   */
  readonly schema?: string | undefined
  /** `"auto"` (default): apply pending migrations at start. `"manual"`: only check the version; run `migrate` yourself. */
  readonly migrate?: SqlStore.MigrateMode | undefined
  /** Pool size. Default 10. */
  readonly maxConnections?: number | undefined
  /** Connections kept open when idle. Default 0. */
  readonly minConnections?: number | undefined
  /** How long an idle connection stays open. Default 10 seconds. */
  readonly idleTimeout?: Duration.DurationInput | undefined
  /** How long to wait for a new connection (and for a free one when the pool is full). Default 5 seconds. */
  readonly connectTimeout?: Duration.DurationInput | undefined
  /** Close connections after this lifetime (behind PgBouncer or a load balancer). Default: never. */
  readonly connectionTTL?: Duration.DurationInput | undefined
  /** `application_name` shown in `pg_stat_activity`. Default `partnerkit`. */
  readonly applicationName?: string | undefined
  /** TLS: `true`, or node's TLS options (CA, certificates). Default: as the URL says. */
  readonly ssl?: boolean | ConnectionOptions | undefined
}

const validSchema = /^[a-z_][a-z0-9_]{0,62}$/

const failure = (operation: string) => (cause: unknown) => new Errors.StorageError({ operation, cause })

/** The PostgreSQL dialect of the shared SQL store, for tables in `schema`. */
export const dialect = (schema?: string): Dialect.Dialect => PostgresDialect.make(schema)

/** The store's connection pool (closed with the scope). */
const openPool = (config: Config): Effect.Effect<pg.Pool, Errors.StorageError, Scope.Scope> =>
  Effect.gen(function* () {
    const schema = config.schema
    if (schema !== undefined && !validSchema.test(schema)) {
      return yield* Effect.fail(
        failure("PostgresStore.open")(new Error(`schema "${schema}" must be lower-case letters, digits and _ (at most 63)`))
      )
    }
    const millis = (d: Duration.DurationInput | undefined, fallback: Duration.DurationInput) => Math.round(Duration.toMillis(d ?? fallback))
    return yield* Effect.acquireRelease(
      Effect.sync(() => {
        const pool = new pg.Pool({
          connectionString: Redacted.isRedacted(config.url) ? Redacted.value(config.url) : config.url,
          max: config.maxConnections ?? 10,
          min: config.minConnections ?? 0,
          idleTimeoutMillis: millis(config.idleTimeout, Duration.seconds(10)),
          connectionTimeoutMillis: millis(config.connectTimeout, Duration.seconds(5)),
          ...(config.connectionTTL === undefined
            ? {}
            : { maxLifetimeSeconds: Math.max(1, Math.round(Duration.toSeconds(config.connectionTTL))) }),
          application_name: config.applicationName ?? "partnerkit",
          ...(config.ssl === undefined ? {} : { ssl: config.ssl }),
          ...(schema === undefined ? {} : { options: `-c search_path=${schema}` })
        })
        // An idle connection that dies (server restart, pg_terminate_backend) must not crash the
        // process; the pool replaces it and the next query reports its own error.
        pool.on("error", () => {})
        return pool
      }),
      (pool) => Effect.promise(() => pool.end())
    )
  })

/** `pool` as an `@effect/sql-pg` client. */
const clientOf = (pool: pg.Pool): Effect.Effect<PgClient.PgClient, Errors.StorageError, Scope.Scope> =>
  PgClient.fromPool({ acquire: Effect.succeed(pool), applicationName: pool.options.application_name ?? "partnerkit" }).pipe(
    Effect.provide(Reactivity.layer),
    Effect.mapError((e) => failure("PostgresStore.open")(e.cause ?? e))
  )

/**
 * A connection pool with the store's settings, as an `@effect/sql-pg` client (closed with the
 * scope): for your own queries next to the store.
 */
export const makeClient = (config: Config): Effect.Effect<PgClient.PgClient, Errors.StorageError, Scope.Scope> =>
  Effect.flatMap(openPool(config), clientOf)

/**
 * The store's pool as the `@effect/sql-pg` client and as the reader of single read statements
 * outside a transaction (closed with the scope). `PostgresCrmStore` opens the same.
 *
 * @internal
 */
export const connections = (config: Config) =>
  Effect.gen(function* () {
    const pool = yield* openPool(config)
    const client = yield* clientOf(pool)
    return { client, statementReader: PoolReader.make(pool) }
  })

/** Opens the pool, migrates or checks the schema, and returns every port (closed with the scope). */
export const make = (
  config: Config
): Effect.Effect<Context.Context<Storage.Ports>, Errors.StorageError | Errors.SchemaTooNew, Scope.Scope> =>
  Effect.flatMap(connections(config), ({ client, statementReader }) =>
    SqlStore.make(dialect(config.schema), { migrate: config.migrate, statementReader }).pipe(
      Effect.provideService(SqlClient.SqlClient, client)
    )
  )

/** Every storage port on one PostgreSQL database (schema). */
export const layer = (config: Config): Storage.Layer => Layer.scopedContext(make(config))

/**
 * Applies pending migrations (up to `options.to`, default all), creating the schema when
 * missing, and closes the pool again: for a deploy step when stores run with `migrate: "manual"`.
 * Fails with `SchemaTooNew` when the schema was written by a newer partnerkit.
 */
export const migrate = (
  config: Config,
  options?: Migrations.MigrateOptions
): Effect.Effect<Migrations.MigrationReport, Errors.StorageError | Errors.SchemaTooNew> =>
  Effect.scoped(
    Effect.flatMap(makeClient(config), (client) =>
      Migrations.migrate(dialect(config.schema), options).pipe(Effect.provideService(SqlClient.SqlClient, client))
    )
  )

/** The schema version recorded in the database (0 when it was never migrated). */
export const schemaVersion = (config: Config): Effect.Effect<number, Errors.StorageError> =>
  Effect.scoped(
    Effect.flatMap(makeClient(config), (client) =>
      Migrations.currentVersion(dialect(config.schema)).pipe(
        Effect.provideService(SqlClient.SqlClient, client),
        Effect.mapError((e) => failure("PostgresStore.schemaVersion")(e.cause ?? e))
      )
    )
  )
