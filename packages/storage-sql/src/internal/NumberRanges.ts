/**
 * `NumberRangeStore` in SQL: one `number_range_state` row per (tenant, range) holding the last
 * position drawn (NULL until the first draw commits).
 *
 * A draw is two statements in the caller's transaction (or a read-write transaction of its own):
 * 1. `INSERT … VALUES (NULL) ON CONFLICT DO UPDATE SET last = last RETURNING last` creates the row
 *    when it is missing and locks it — an upsert takes the row lock on PostgreSQL like
 *    `SELECT … FOR UPDATE` and reads the latest committed `last`; on SQLite the `BEGIN IMMEDIATE`
 *    transaction already holds the database's single write lock. Concurrent draws from other
 *    connections and processes queue here until this transaction ends (a concurrent first draw
 *    waits for the other transaction, then finds its row);
 * 2. `UPDATE … SET last` moves it on.
 * An exhausted range fails after step 1, which changed nothing (a missing row became a row
 * without a position, an existing one kept its position), so the caller's transaction goes on
 * unharmed without a savepoint. If the enclosing transaction rolls back, so does the draw: the
 * positions return to the range.
 */
import type { SqlClient } from "@effect/sql/SqlClient"
import { Errors, type NumberRangeStoreShape } from "@partnerkit/core"
import { Effect, Option } from "effect"
import { storageError } from "./Errors.js"
import { execute } from "./Statements.js"
import type { Transactions } from "./Transaction.js"

const toNumber = (value: unknown): number | undefined => (value === null || value === undefined ? undefined : Number(value))

export const make = (sql: SqlClient, reader: SqlClient, tx: Transactions): NumberRangeStoreShape => {
  const draw: NumberRangeStoreShape["draw"] = (tenant, range, interval, count = 1) => {
    if (!Number.isSafeInteger(count) || count < 1) {
      return Effect.die(new RangeError(`NumberRangeStore.draw: count must be a positive integer, got ${count}`))
    }
    return tx
      .join(
        Effect.gen(function* () {
          const rows = yield* execute(sql<{ readonly last: unknown }>`INSERT INTO number_range_state (tenant, range_id, last)
            VALUES (${tenant}, ${range}, NULL)
            ON CONFLICT (tenant, range_id) DO UPDATE SET last = number_range_state.last RETURNING last`)
          const stored = toNumber(rows[0]?.last)
          // A range whose interval was moved up starts again at its new `from`.
          const before = Math.max(stored ?? interval.from - 1, interval.from - 1)
          if (before >= interval.to) {
            return yield* Effect.fail(new Errors.NumberRangeExhausted({ tenant, range, last: String(stored ?? interval.to) }))
          }
          const last = Math.min(before + count, interval.to)
          yield* execute(sql`UPDATE number_range_state SET last = ${last} WHERE tenant = ${tenant} AND range_id = ${range}`)
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
