/**
 * The SQLite dialect: STRICT tables, booleans as 0/1, JSON as text, `BEGIN IMMEDIATE` for writes.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { Dialect } from "@partnerkit/storage-sql"
import { Effect } from "effect"

export const dialect: Dialect.Dialect = {
  name: "sqlite",
  types: {
    key: "TEXT",
    text: "TEXT",
    integer: "INTEGER",
    bigint: "INTEGER",
    boolean: "INTEGER",
    json: "TEXT"
  },
  tableOptions: " STRICT",
  encodeBoolean: (value) => (value ? 1 : 0),
  decodeBoolean: (value) => value === 1 || value === 1n || value === true,
  encodeJson: (value) => JSON.stringify(value),
  decodeJson: (value) => (typeof value === "string" ? JSON.parse(value) : value),
  // `@effect/sql-sqlite-node` begins with a deferred `BEGIN`: such a transaction takes the write
  // lock only at its first write, and when another process committed after its first read it fails
  // with SQLITE_BUSY_SNAPSHOT instead of waiting. IMMEDIATE takes the lock (waiting up to
  // busy_timeout) before the first statement, so writers queue instead of failing.
  beginWrite: "BEGIN IMMEDIATE",
  // A deferred transaction: in WAL mode it reads one snapshot and never blocks writers.
  beginRead: "BEGIN",
  forUpdate: "",
  // The migration transaction is BEGIN IMMEDIATE already: it excludes every other writer.
  beforeMigrations: Effect.void,
  // SQLite ≥ 3.44 orders an aggregate's input with ORDER BY inside the call.
  jsonRows: (alias, columns, orderBy) =>
    `json_group_array(json_object(${columns.map((c) => `'${c}', ${alias}.${c}`).join(", ")}) ORDER BY ${orderBy})`,
  columnsOf: (table) =>
    Effect.flatMap(SqlClient.SqlClient, (sql) =>
      Effect.map(sql<{ readonly name: string }>`SELECT name FROM pragma_table_info(${table})`, (rows) => rows.map((r) => r.name))
    ),
  tableExists: (name) =>
    Effect.flatMap(SqlClient.SqlClient, (sql) =>
      Effect.map(sql`SELECT 1 AS present FROM sqlite_schema WHERE type = 'table' AND name = ${name}`, (rows) => rows.length > 0)
    )
}
