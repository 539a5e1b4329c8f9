/**
 * Single read statements on the hot read paths (`CustomerStore.get`, the sales-force gets and
 * lists that partner determination makes), without `@effect/sql`'s per-statement machinery when
 * the dialect package offers a `StatementReader`.
 *
 * Through `@effect/sql` every statement outside a transaction opens a tracing span, a scope and
 * takes the connection's semaphore (its `acquirer`), which on SQLite allocates about ten times
 * what executing the statement and decoding its rows does (about 45 kB per statement): enough to
 * make partner determination's tail latency a matter of young-generation garbage collections.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Statement from "@effect/sql/Statement"
import { Context, Effect } from "effect"
import type { Row } from "./Rows.js"

/**
 * Runs one read statement (already compiled: SQL text and parameters) outside any transaction, as
 * one snapshot by itself, and returns its rows as the driver returns them. A dialect package
 * offers one when it can run such statements more cheaply than its `@effect/sql` client — SQLite:
 * a connection of its own with prepared statements cached, used for nothing else (so no
 * transaction is ever open on it). The rows must be those the client would return: same value
 * types, no name transforms.
 *
 * @example
 * ```ts
 * import { SqlError } from "@effect/sql/SqlError"
 * import type { SqlStore } from "@partnerkit/storage-sql"
 * import Database from "better-sqlite3"
 * import { Effect } from "effect"
 *
 * const db = new Database("partnerkit.db")
 * db.pragma("query_only = ON")
 * const statementReader: SqlStore.StatementReader = (sql, params) =>
 *   Effect.try({
 *     try: () => db.prepare(sql).all(...params) as ReadonlyArray<Record<string, unknown>>,
 *     catch: (cause) => new SqlError({ cause, message: "Failed to execute statement" })
 *   })
 * ```
 */
export type StatementReader = (sql: string, params: ReadonlyArray<unknown>) => Effect.Effect<ReadonlyArray<Row>, SqlError>

export interface Reads {
  /**
   * Runs a single read statement: inside a transaction or read snapshot on its connection; outside
   * one on the `StatementReader` when there is one, else the usual way (on the client the
   * statement was built with). Whenever a statement transformer is installed
   * (`Statement.withTransformer`, e.g. to record or rewrite statements) or safe integers are asked
   * for (`SqlClient.SafeIntegers`), it runs the usual way.
   */
  readonly read: <A extends object = Row>(statement: Statement.Statement<A>) => Effect.Effect<ReadonlyArray<A>, SqlError>
  /**
   * `read(build())` for a statement whose SQL text depends only on `shape` and whose parameters
   * are `params`: the text is compiled once per shape, and later calls that run it directly (in a
   * transaction or on the `StatementReader`) neither build nor compile the statement again.
   */
  readonly readShaped: <A extends object = Row>(
    shape: string,
    params: ReadonlyArray<unknown>,
    build: () => Statement.Statement<A>
  ) => Effect.Effect<ReadonlyArray<A>, SqlError>
}

const sameParams = (a: ReadonlyArray<unknown>, b: ReadonlyArray<unknown>) => a.length === b.length && a.every((v, i) => v === b[i])

/** The reads of one store, on `direct` when given (see `Reads`). */
export const make = (direct: StatementReader | undefined): Reads => {
  /** Compiled SQL text by shape. */
  const texts = new Map<string, string>()

  const run = <A extends object>(
    shape: string | undefined,
    params: ReadonlyArray<unknown> | undefined,
    build: () => Statement.Statement<A>
  ): Effect.Effect<ReadonlyArray<A>, SqlError> =>
    Effect.withFiberRuntime((fiber) => {
      if (fiber.getFiberRef(Statement.currentTransformer)._tag === "Some") return build()
      const context = fiber.currentContext
      const transaction = Context.getOption(context, SqlClient.TransactionConnection)
      const outside = transaction._tag === "None"
      if (outside && (direct === undefined || Context.get(context, SqlClient.SafeIntegers))) return build()
      let compiled: readonly [string, ReadonlyArray<unknown>]
      const known = shape === undefined ? undefined : texts.get(shape)
      if (known !== undefined && params !== undefined) {
        compiled = [known, params]
      } else {
        compiled = build().compile()
        // Remembered only when the statement's parameters are exactly those given for the shape.
        if (shape !== undefined && params !== undefined && sameParams(compiled[1], params)) texts.set(shape, compiled[0])
      }
      const [sql, values] = compiled
      const rows = transaction._tag === "Some" ? transaction.value[0].execute(sql, values, undefined) : direct!(sql, values)
      return rows as Effect.Effect<ReadonlyArray<A>, SqlError>
    })

  return {
    read: (statement) => run(undefined, undefined, () => statement),
    readShaped: (shape, params, build) => run(shape, params, build)
  }
}

/**
 * A tagged template that builds a statement on `client` and runs it with `reads.read`: for stores
 * whose read statements are all single statements (the CRM stores), `query\`SELECT …\`` in place
 * of `client\`SELECT …\``.
 */
export const query =
  (reads: Reads, client: SqlClient.SqlClient) =>
  <A extends object = Row>(strings: TemplateStringsArray, ...args: Array<unknown>): Effect.Effect<ReadonlyArray<A>, SqlError> =>
    reads.read(client<A>(strings, ...args))
