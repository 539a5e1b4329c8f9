/**
 * The SQLite store: every storage port of `@partnerkit/core` in one database file, through
 * better-sqlite3 (`@effect/sql-sqlite-node`). The embedded default — one file, no server — that
 * is still safe when several processes open the same file.
 *
 * The connection is opened with these pragmas (see `docs/stores/sqlite.md`):
 * - `journal_mode = WAL`: readers never block the writer, nor the writer readers;
 * - `synchronous = NORMAL` (configurable): in WAL mode a crash never corrupts the database; a
 *   power loss may lose the last commits (choose `"FULL"` to make each commit durable);
 * - `foreign_keys = ON`: views and contacts belong to an existing customer;
 * - `busy_timeout` (default 5 s): a writer waits this long for another process's write lock;
 * - `optimize` at open and close: keeps the query planner's statistics current.
 *
 * Writes run in `BEGIN IMMEDIATE` transactions (`@effect/sql-sqlite-node` itself would begin
 * deferred ones), so concurrent writers in other processes queue on the file lock instead of
 * failing, and two processes never draw the same number. The store holds two connections: one
 * for writes and transactions (the fibers of this process queue for it), one for reads outside a
 * transaction, which therefore never wait for an open write transaction. A third connection
 * (`query_only`, never in a transaction) runs the single-statement reads of partner
 * determination (`CustomerStore.get`, sales employees, territories) directly on better-sqlite3.
 *
 * @example
 * ```ts
 * import { Actor, CustomerStore } from "@partnerkit/core"
 * import { SqliteStore } from "@partnerkit/storage-sqlite"
 * import { Effect } from "effect"
 *
 * const program = Effect.flatMap(CustomerStore, (customers) => customers.get("acme", "C0001", Actor.unrestricted))
 * const result = program.pipe(Effect.provide(SqliteStore.layer({ filename: "partnerkit.db" })))
 * ```
 * @module
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Sqlite from "@effect/sql-sqlite-node/SqliteClient"
import { Errors, type Storage } from "@partnerkit/core"
import { type Dialect, Migrations, SqlStore } from "@partnerkit/storage-sql"
import { type Context, Duration, Effect, Layer, type Scope } from "effect"
import { dialect as sqliteDialect } from "./internal/SqliteDialect.js"
import * as StatementReader from "./internal/StatementReader.js"

/** The SQLite dialect of the shared SQL store. */
export const dialect: Dialect.Dialect = sqliteDialect

export interface Config {
  /** The database file; created when missing. (`:memory:` works but hides locking: use a file.) */
  readonly filename: string
  /** `"auto"` (default): apply pending migrations at start. `"manual"`: only check the version; run `migrate` yourself. */
  readonly migrate?: SqlStore.MigrateMode | undefined
  /** How long a write waits for another connection's write lock before failing. Default 5 seconds. */
  readonly busyTimeout?: Duration.DurationInput | undefined
  /** `"NORMAL"` (default, fast, safe against corruption in WAL mode) or `"FULL"` (every commit durable). */
  readonly synchronous?: "NORMAL" | "FULL" | undefined
  /** Prepared statements kept per connection. Default 200. */
  readonly prepareCacheSize?: number | undefined
}

const openError = (operation: string) => (cause: unknown) => new Errors.StorageError({ operation, cause })

const open = (config: Config, role: "writer" | "reader"): Effect.Effect<Sqlite.SqliteClient, Errors.StorageError, Scope.Scope> =>
  Effect.gen(function* () {
    const client = yield* Sqlite.make({ filename: config.filename, prepareCacheSize: config.prepareCacheSize }).pipe(
      Effect.provide(Reactivity.layer),
      // better-sqlite3 throws while opening (missing directory, not a database…): a defect there.
      Effect.catchAllDefect((defect) => Effect.fail(openError("SqliteStore.open")(defect)))
    )
    const busyTimeout = Math.max(0, Math.round(Duration.toMillis(config.busyTimeout ?? Duration.seconds(5))))
    yield* client.unsafe(`PRAGMA busy_timeout = ${busyTimeout}`)
    yield* client.unsafe(`PRAGMA synchronous = ${config.synchronous === "FULL" ? "FULL" : "NORMAL"}`)
    yield* client.unsafe("PRAGMA foreign_keys = ON")
    if (role === "reader") {
      yield* client.unsafe("PRAGMA query_only = ON")
    } else {
      // Keeps the planner's statistics fresh (SQLite's advice for long-lived connections): at
      // open for tables that need it, and again when the store closes.
      yield* client.unsafe("PRAGMA optimize = 0x10002")
      yield* Effect.addFinalizer(() => Effect.ignore(client.unsafe("PRAGMA optimize")))
    }
    return client
  }).pipe(Effect.mapError((e) => (e instanceof Errors.StorageError ? e : openError("SqliteStore.open")(e.cause ?? e))))

/**
 * Opens the database file with the store's pragmas, as an `@effect/sql` client on one connection
 * (closed with the scope): for your own queries next to the store, or for backups
 * (`client.backup(path)`).
 */
export const makeClient = (config: Config): Effect.Effect<Sqlite.SqliteClient, Errors.StorageError, Scope.Scope> => open(config, "writer")

/** The connection for single read statements outside a transaction (see `internal/StatementReader.ts`). */
const openStatementReader = (config: Config) =>
  StatementReader.open({
    filename: config.filename,
    busyTimeout: Math.max(0, Math.round(Duration.toMillis(config.busyTimeout ?? Duration.seconds(5)))),
    cacheSize: config.prepareCacheSize ?? 200
  }).pipe(Effect.mapError(openError("SqliteStore.open")))

const inMemory = (filename: string) => filename === ":memory:" || filename === "" || filename.startsWith("file::memory:")

/**
 * The store's connections (closed with the scope): one for writes and transactions, one
 * (`query_only`) for reads outside a transaction, one (`query_only`) for single read statements
 * outside a transaction. `SqliteCrmStore` opens the same.
 *
 * @internal
 */
export const connections = (config: Config) =>
  Effect.gen(function* () {
    const writer = yield* open(config, "writer")
    // An in-memory database exists only on its own connection: there, reads share the writer.
    const memory = inMemory(config.filename)
    const reader = memory ? writer : yield* open(config, "reader")
    const statementReader = memory ? undefined : yield* openStatementReader(config)
    return { writer, reader, statementReader }
  })

/**
 * Opens the database (`connections`), migrates or checks the schema, and returns every port
 * (closed with the scope).
 */
export const make = (
  config: Config
): Effect.Effect<Context.Context<Storage.Ports>, Errors.StorageError | Errors.SchemaTooNew, Scope.Scope> =>
  Effect.gen(function* () {
    const { writer, reader, statementReader } = yield* connections(config)
    return yield* SqlStore.make(sqliteDialect, { migrate: config.migrate, reader, statementReader }).pipe(
      Effect.provideService(SqlClient.SqlClient, writer)
    )
  })

/** Every storage port on one SQLite file. */
export const layer = (config: Config): Storage.Layer => Layer.scopedContext(make(config))

/**
 * Applies pending migrations (up to `options.to`, default all) and closes the file again: for a
 * deploy step when the store runs with `migrate: "manual"`. Fails with `SchemaTooNew` when the
 * file was written by a newer partnerkit.
 */
export const migrate = (
  config: Config,
  options?: Migrations.MigrateOptions
): Effect.Effect<Migrations.MigrationReport, Errors.StorageError | Errors.SchemaTooNew> =>
  Effect.scoped(
    Effect.flatMap(open(config, "writer"), (client) =>
      Migrations.migrate(sqliteDialect, options).pipe(Effect.provideService(SqlClient.SqlClient, client))
    )
  )

/** The schema version recorded in the file (0 when it was never migrated). */
export const schemaVersion = (config: Config): Effect.Effect<number, Errors.StorageError> =>
  Effect.scoped(
    Effect.flatMap(makeClient(config), (client) =>
      Migrations.currentVersion(sqliteDialect).pipe(
        Effect.provideService(SqlClient.SqlClient, client),
        Effect.mapError(openError("SqliteStore.schemaVersion"))
      )
    )
  )
