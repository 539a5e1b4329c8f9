/**
 * What differs between the SQL engines partnerkit runs on. Everything else — the schema, the
 * migrations, every query the ports make — is written once in `@partnerkit/storage-sql` against
 * `@effect/sql`'s `SqlClient`, and a dialect package (`@partnerkit/storage-sqlite`,
 * `@partnerkit/storage-postgres`) supplies one `Dialect` value.
 *
 * The shared SQL uses only syntax both engines accept: `INSERT … ON CONFLICT … DO NOTHING`,
 * `RETURNING`, `||`, `CASE`, `EXISTS`, `LIMIT`, `SAVEPOINT`. What is left here is type mapping,
 * value encoding, how a transaction starts, row locking, and the migration lock.
 *
 * @example
 * ```ts
 * import type { Dialect } from "@partnerkit/storage-sql"
 *
 * const describe = (dialect: Dialect.Dialect) => `${dialect.name}: booleans are ${dialect.types.boolean}`
 * ```
 * @module
 */
import type { SqlClient } from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type { Effect } from "effect"

/** The column types the schema is written in, as each engine spells them. */
export interface ColumnTypes {
  /**
   * Codes and identifiers that are compared and ordered by code unit: tenant, customer number,
   * account group, company code, authorization group… (PostgreSQL: `text COLLATE "C"`, so the
   * order never depends on the database's locale.)
   */
  readonly key: string
  /** Free text: names, streets, notes, ISO-8601 timestamps (stored exactly as given). */
  readonly text: string
  /** 32-bit integers: versions, change numbers, item positions. */
  readonly integer: string
  /** 64-bit integers: number-range positions (up to 15 digits). */
  readonly bigint: string
  readonly boolean: string
  /** A JSON document (tax numbers). */
  readonly json: string
}

/** One SQL engine, as the shared store sees it. */
export interface Dialect {
  /** `sqlite`, `postgres`: for messages and docs. */
  readonly name: string
  readonly types: ColumnTypes
  /** Appended to every `CREATE TABLE …)`, e.g. ` STRICT` on SQLite. */
  readonly tableOptions: string
  readonly encodeBoolean: (value: boolean) => unknown
  readonly decodeBoolean: (value: unknown) => boolean
  readonly encodeJson: (value: unknown) => unknown
  readonly decodeJson: (value: unknown) => unknown
  /**
   * Starts a read-write transaction. It must make concurrent writers (in other connections and
   * other processes) wait instead of failing halfway: SQLite `BEGIN IMMEDIATE` takes the write lock
   * at once; PostgreSQL `BEGIN` relies on row locks.
   */
  readonly beginWrite: string
  /**
   * Starts a read-only transaction in which every statement sees the same snapshot, so that a
   * record read in several queries is never torn by a concurrent write (SQLite `BEGIN` in WAL mode,
   * PostgreSQL `REPEATABLE READ READ ONLY`).
   */
  readonly beginRead: string
  /**
   * Appended to a `SELECT` that reads a row in order to update it: ` FOR UPDATE` on PostgreSQL;
   * empty on SQLite, where the write transaction already excludes other writers. (The shared
   * store no longer needs it: a number-range draw locks its row with an upsert.)
   */
  readonly forUpdate: string
  /**
   * Run first inside the migration transaction: serialises concurrent migrators (processes that
   * start at the same time) and prepares the namespace (e.g. `CREATE SCHEMA IF NOT EXISTS`).
   */
  readonly beforeMigrations: Effect.Effect<void, SqlError, SqlClient>
  /**
   * An aggregate over the rows of `alias` (a child table in a correlated subquery) that yields one
   * JSON array of objects keyed by column name, in `orderBy` order, and `[]` for no rows — so that
   * `CustomerStore.get` reads a record and its views in one statement instead of a snapshot of
   * five. `columns` are the columns of `alias`'s table (from `columnsOf`); SQLite's `json_object`
   * needs them, PostgreSQL's `json_agg(alias)` does not. The array comes back as the driver
   * returns JSON (text on SQLite, parsed on PostgreSQL): decode it with `decodeJson`. Values must
   * decode like the driver's own: booleans, integers and text as the dialect's decoders expect.
   */
  readonly jsonRows: (alias: string, columns: ReadonlyArray<string>, orderBy: string) => string
  /** The column names of `table` where unqualified names resolve to, in table order. */
  readonly columnsOf: (table: string) => Effect.Effect<ReadonlyArray<string>, SqlError, SqlClient>
  /** Does a table of this name exist where unqualified names resolve to? */
  readonly tableExists: (name: string) => Effect.Effect<boolean, SqlError, SqlClient>
}
