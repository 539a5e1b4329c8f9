/**
 * The SQLite `StatementReader`: a third connection to the file (`query_only`), used only for
 * single read statements outside a transaction. No transaction is ever opened on it, so every
 * statement reads the latest committed snapshot by itself, and better-sqlite3 runs it
 * synchronously: nothing else can use the connection meanwhile, and it needs no semaphore, scope
 * or span — what makes a statement through `@effect/sql` cost about ten times what SQLite spends
 * on it. Prepared statements are cached per SQL text (least recently used dropped first).
 */
import { SqlError } from "@effect/sql/SqlError"
import type { SqlStore } from "@partnerkit/storage-sql"
import Database from "better-sqlite3"
import { Effect, type Scope } from "effect"

export interface Options {
  readonly filename: string
  /** Milliseconds a read waits for a lock (a checkpoint or recovery in another process). */
  readonly busyTimeout: number
  /** Prepared statements kept. */
  readonly cacheSize: number
}

/** Opens the connection (closed with the scope) and returns the reader. */
export const open = (options: Options): Effect.Effect<SqlStore.StatementReader, unknown, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.try(() => {
        const db = new Database(options.filename, { fileMustExist: true })
        try {
          db.pragma(`busy_timeout = ${options.busyTimeout}`)
          db.pragma("query_only = ON")
        } catch (cause) {
          db.close()
          throw cause
        }
        return db
      }),
      (db) => Effect.sync(() => db.close())
    ),
    (db) => {
      const cache = new Map<string, Database.Statement>()
      const prepare = (sql: string) => {
        let statement = cache.get(sql)
        if (statement === undefined) {
          statement = db.prepare(sql)
          if (cache.size >= options.cacheSize) cache.delete(cache.keys().next().value as string)
        } else {
          // Most recently used last.
          cache.delete(sql)
        }
        cache.set(sql, statement)
        return statement
      }
      return (sql, params) => {
        try {
          const statement = prepare(sql)
          if (!statement.reader) {
            return Effect.fail(new SqlError({ cause: new Error(`not a read statement: ${sql}`), message: "Failed to execute statement" }))
          }
          return Effect.succeed(statement.all(...params) as ReadonlyArray<Record<string, unknown>>)
        } catch (cause) {
          return Effect.fail(new SqlError({ cause, message: "Failed to execute statement" }))
        }
      }
    }
  )
