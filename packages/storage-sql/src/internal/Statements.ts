/**
 * Statement helpers shared by the port implementations.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Statement from "@effect/sql/Statement"
import { Context, Effect } from "effect"
import type { Row } from "./Rows.js"

/** `fragments` joined with `AND`, leaving out the `undefined` ones. */
export const all = (sql: SqlClient.SqlClient, fragments: ReadonlyArray<Statement.Fragment | undefined>): Statement.Fragment =>
  sql.and(fragments.filter((f): f is Statement.Fragment => f !== undefined))

/**
 * Runs `statement`. Inside a transaction or read snapshot (every port operation runs in one) it
 * is compiled here and handed straight to the transaction's connection: `@effect/sql`'s own path
 * wraps each statement in a tracing span, a scope and a connection lookup, which on SQLite costs
 * several times what executing the statement does (a create is 15 statements). Outside a
 * transaction, and whenever a statement transformer is installed (`Statement.withTransformer`,
 * e.g. to record or rewrite statements), the statement runs the usual way.
 *
 * The stores' clients have no row or query-name transforms, so the rows are the driver's.
 */
export const execute = <A extends object = Row>(statement: Statement.Statement<A>): Effect.Effect<ReadonlyArray<A>, SqlError> =>
  Effect.withFiberRuntime((fiber) => {
    const transaction = Context.getOption(fiber.currentContext, SqlClient.TransactionConnection)
    if (transaction._tag === "None" || fiber.getFiberRef(Statement.currentTransformer)._tag === "Some") return statement
    const [sql, params] = statement.compile()
    return transaction.value[0].execute(sql, params, undefined) as Effect.Effect<ReadonlyArray<A>, SqlError>
  })

/**
 * Bound parameters per multi-row `INSERT`, well below every engine's limit (SQLite 32 766,
 * PostgreSQL 65 535): a batch of 1,000 customers is a few statements per table, not hundreds.
 */
const parametersPerStatement = 30_000
/** Rows per multi-row `INSERT` at most, whatever the width. */
const rowsPerStatement = 1_000

/** `items` in slices of `size`. */
export const chunks = <A>(items: ReadonlyArray<A>, size: number): Array<Array<A>> => {
  const out: Array<Array<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Rows per multi-row `INSERT` of rows with `columns` columns. */
export const rowsPerInsert = (columns: number): number =>
  Math.max(1, Math.min(rowsPerStatement, Math.floor(parametersPerStatement / columns)))

/** `INSERT INTO table (…) VALUES (…), (…)`, as few statements as the parameter budget allows; nothing for no rows. */
export const insertRows = (sql: SqlClient.SqlClient, table: string, rows: ReadonlyArray<Row>) => {
  if (rows.length === 0) return Effect.void
  const size = rowsPerInsert(Object.keys(rows[0]!).length)
  return rows.length <= size
    ? Effect.asVoid(execute(sql`INSERT INTO ${sql(table)} ${sql.insert(rows)}`))
    : Effect.forEach(chunks(rows, size), (chunk) => execute(sql`INSERT INTO ${sql(table)} ${sql.insert(chunk)}`), { discard: true })
}
