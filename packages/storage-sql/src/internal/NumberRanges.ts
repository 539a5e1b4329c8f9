/**
 * `NumberRangeStore` in SQL: one `number_range_state` row per (tenant, range) holding the last
 * position drawn (NULL until the first draw commits).
 *
 * A draw runs in a read-write transaction, or in a savepoint of the caller's transaction:
 * 1. `INSERT … ON CONFLICT DO NOTHING` makes sure the row exists (a concurrent first draw waits
 *    for the other transaction, then finds the row);
 * 2. `SELECT last … FOR UPDATE` locks it (PostgreSQL; on SQLite the `BEGIN IMMEDIATE` transaction
 *    already holds the database's single write lock), so concurrent draws from other connections
 *    and processes queue here until this transaction ends;
 * 3. `UPDATE … SET last` moves it on.
 * If the enclosing transaction rolls back, so does the draw: the positions return to the range.
 */
import type { SqlClient } from "@effect/sql/SqlClient"
import { Errors, type NumberRangeStoreShape } from "@partnerkit/core"
import { Effect, Option } from "effect"
import type { Dialect } from "../Dialect.js"
import { storageError } from "./Errors.js"
import type { Transactions } from "./Transaction.js"

const toNumber = (value: unknown): number | undefined => (value === null || value === undefined ? undefined : Number(value))

export const make = (dialect: Dialect, sql: SqlClient, reader: SqlClient, tx: Transactions): NumberRangeStoreShape => {
  const draw: NumberRangeStoreShape["draw"] = (tenant, range, interval, count = 1) => {
    if (!Number.isSafeInteger(count) || count < 1) {
      return Effect.die(new RangeError(`NumberRangeStore.draw: count must be a positive integer, got ${count}`))
    }
    const key = sql`tenant = ${tenant} AND range_id = ${range}`
    return tx
      .write(
        Effect.gen(function* () {
          yield* sql`INSERT INTO number_range_state (tenant, range_id, last) VALUES (${tenant}, ${range}, NULL)
            ON CONFLICT (tenant, range_id) DO NOTHING`
          const rows = yield* sql<{ readonly last: unknown }>`SELECT last FROM number_range_state
            WHERE ${key}${sql.literal(dialect.forUpdate)}`
          const stored = toNumber(rows[0]?.last)
          // A range whose interval was moved up starts again at its new `from`.
          const before = Math.max(stored ?? interval.from - 1, interval.from - 1)
          if (before >= interval.to) {
            return yield* Effect.fail(new Errors.NumberRangeExhausted({ tenant, range, last: String(stored ?? interval.to) }))
          }
          const last = Math.min(before + count, interval.to)
          yield* sql`UPDATE number_range_state SET last = ${last} WHERE ${key}`
          return { first: before + 1, last }
        })
      )
      .pipe(storageError("NumberRangeStore.draw"))
  }

  const last: NumberRangeStoreShape["last"] = (tenant, range) =>
    reader<{ readonly last: unknown }>`SELECT last FROM number_range_state WHERE tenant = ${tenant} AND range_id = ${range}`.pipe(
      Effect.map((rows) => Option.fromNullable(toNumber(rows[0]?.last))),
      storageError("NumberRangeStore.last")
    )

  return { draw, last }
}
