/**
 * The PostgreSQL dialect: `text COLLATE "C"` keys, native booleans, `jsonb`, row locks, snapshot
 * reads, and an advisory lock around migrations.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { Dialect } from "@partnerkit/storage-sql"
import { Effect } from "effect"

/** First key of the migration advisory lock: "pk" in ASCII, so other applications' locks do not collide. */
const lockClass = 0x706b

/** The dialect for a store whose tables live in `schema` (or wherever the search_path points). */
export const make = (schema: string | undefined): Dialect.Dialect => ({
  name: "postgres",
  types: {
    // "C": plain byte order, whatever the database's locale (customer numbers sort as the port says).
    key: `text COLLATE "C"`,
    text: "text",
    integer: "integer",
    bigint: "bigint",
    boolean: "boolean",
    json: "jsonb"
  },
  tableOptions: "",
  encodeBoolean: (value) => value,
  decodeBoolean: (value) => value === true,
  // Sent as text; PostgreSQL casts it to the jsonb column it is written to.
  encodeJson: (value) => JSON.stringify(value),
  decodeJson: (value) => (typeof value === "string" ? JSON.parse(value) : value),
  beginWrite: "BEGIN",
  beginRead: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
  forUpdate: " FOR UPDATE",
  beforeMigrations: Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.zipRight(
      // Held until the migration transaction ends: stores starting together migrate one at a time.
      sql`SELECT pg_advisory_xact_lock(${lockClass}, hashtext(${schema ?? "(search_path)"}::text))`,
      schema === undefined ? Effect.void : sql`CREATE SCHEMA IF NOT EXISTS ${sql(schema)}`
    )
  ),
  jsonRows: (alias, _columns, orderBy) => `coalesce(json_agg(${alias} ORDER BY ${orderBy}), '[]'::json)`,
  columnsOf: (table) =>
    Effect.flatMap(SqlClient.SqlClient, (sql) =>
      Effect.map(
        sql<{ readonly column_name: string }>`SELECT column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = ${table} ORDER BY ordinal_position`,
        (rows) => rows.map((r) => r.column_name)
      )
    ),
  tableExists: (name) =>
    Effect.flatMap(SqlClient.SqlClient, (sql) =>
      Effect.map(
        sql<{ readonly present: unknown }>`SELECT to_regclass(${name}) IS NOT NULL AS present`,
        (rows) => rows[0]?.present === true
      )
    )
})
