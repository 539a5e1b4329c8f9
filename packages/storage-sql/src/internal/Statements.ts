/**
 * Statement helpers shared by the port implementations.
 */
import type { SqlClient } from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import { Effect } from "effect"
import type { Row } from "./Rows.js"

/** `fragments` joined with `AND`, leaving out the `undefined` ones. */
export const all = (sql: SqlClient, fragments: ReadonlyArray<Fragment | undefined>): Fragment =>
  sql.and(fragments.filter((f): f is Fragment => f !== undefined))

/** Rows per multi-row `INSERT`, well below every engine's bound-parameter limit (SQLite 32 766, PostgreSQL 65 535). */
const chunkSize = 200

/** `items` in slices of `size` (default: rows per multi-row `INSERT`). */
export const chunks = <A>(items: ReadonlyArray<A>, size = chunkSize): Array<Array<A>> => {
  const out: Array<Array<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** `INSERT INTO table (…) VALUES (…), (…)` in chunks of `chunkSize` rows; nothing for no rows. */
export const insertRows = (sql: SqlClient, table: string, rows: ReadonlyArray<Row>) =>
  Effect.forEach(chunks(rows), (chunk) => sql`INSERT INTO ${sql(table)} ${sql.insert(chunk)}`, { discard: true })
