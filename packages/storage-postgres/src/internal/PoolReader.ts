/**
 * Single read statements outside a transaction, straight on the pool (`pool.query`): the same
 * SQL text, parameters and rows as through `@effect/sql`, without its per-statement tracing span,
 * scope and connection semaphore (see `SqlStore.Options.statementReader`). Each statement takes a
 * free connection of the pool and returns it, as `@effect/sql-pg` does for a read outside a
 * transaction; the pool's `search_path` (the store's schema) applies. The first 500 distinct texts
 * are prepared by name (each connection parses and plans them once); a statement whose result
 * columns a migration in another process changed runs unnamed from then on.
 */
import { SqlError } from "@effect/sql/SqlError"
import type { SqlStore } from "@partnerkit/storage-sql"
import { Effect } from "effect"
import type pg from "pg"

/** Statement texts prepared by name on the server (per connection, on first use); more run unnamed. */
const preparedTexts = 500

/** The server refuses a prepared statement whose result columns changed since it was prepared (`ALTER TABLE` by a migration). */
const staleResultType = (cause: unknown) =>
  (cause as { code?: unknown }).code === "0A000" && /cached plan must not change result type/.test(String((cause as Error).message))

export const make = (pool: pg.Pool): SqlStore.StatementReader => {
  // A name per distinct text, so that each connection parses and plans a statement once and
  // later runs only bind and execute (the CRM's reads spent more in planning than in executing).
  // `null`: run unnamed.
  const names = new Map<string, string | null>()
  const nameOf = (sql: string): string | null => {
    let name = names.get(sql)
    if (name === undefined) {
      name = names.size < preparedTexts ? `pk_read_${names.size + 1}` : null
      names.set(sql, name)
    }
    return name
  }
  const run = (query: pg.QueryConfig) =>
    new Promise<pg.QueryResult>((resolve, reject) =>
      pool.query(query, (cause: Error | undefined, result: pg.QueryResult) => (cause ? reject(cause) : resolve(result)))
    )
  return (sql, params) =>
    Effect.tryPromise({
      try: async () => {
        const values = params as Array<unknown>
        const name = nameOf(sql)
        if (name === null) return (await run({ text: sql, values })).rows
        try {
          return (await run({ name, text: sql, values })).rows
        } catch (cause) {
          // Another process migrated the schema under this one: the text runs unnamed from now on.
          if (!staleResultType(cause)) throw cause
          names.set(sql, null)
          return (await run({ text: sql, values })).rows
        }
      },
      catch: (cause) => new SqlError({ cause, message: "Failed to execute statement" })
    })
}
