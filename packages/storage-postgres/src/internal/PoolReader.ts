/**
 * Single read statements outside a transaction, straight on the pool (`pool.query`): the same
 * SQL text, parameters and rows as through `@effect/sql`, without its per-statement tracing span,
 * scope and connection semaphore (see `SqlStore.Options.statementReader`). Each statement takes a
 * free connection of the pool and returns it, as `@effect/sql-pg` does for a read outside a
 * transaction; the pool's `search_path` (the store's schema) applies.
 */
import { SqlError } from "@effect/sql/SqlError"
import type { SqlStore } from "@partnerkit/storage-sql"
import { Effect } from "effect"
import type pg from "pg"

export const make =
  (pool: pg.Pool): SqlStore.StatementReader =>
  (sql, params) =>
    Effect.async<ReadonlyArray<Record<string, unknown>>, SqlError>((resume) => {
      pool.query(sql, params as Array<unknown>, (cause, result) => {
        resume(cause ? Effect.fail(new SqlError({ cause, message: "Failed to execute statement" })) : Effect.succeed(result.rows))
      })
    })
