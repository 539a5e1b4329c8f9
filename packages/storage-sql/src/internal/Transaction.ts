/**
 * Transactions on an `@effect/sql` client, with the begin statement chosen by the dialect.
 *
 * `@effect/sql`'s own `withTransaction` always starts with a plain `BEGIN` (on SQLite a deferred
 * transaction, which takes the write lock only at its first write and fails with `SQLITE_BUSY`
 * instead of waiting when another process wrote in between) and turns a failed `COMMIT` into a
 * defect. This one starts with the dialect's statement, reports a failed `COMMIT` as an error
 * (after rolling back), releases savepoints, and is otherwise compatible: it uses the same
 * `TransactionConnection` service and savepoint names, so `sql.withTransaction` nested inside it
 * (or around it) joins the same connection.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Exit, Option, Scope } from "effect"

const exec = (conn: Connection, statement: string): Effect.Effect<void, SqlError> =>
  Effect.asVoid(conn.executeUnprepared(statement, [], undefined))

export interface Transactions {
  /** Runs `effect` in a read-write transaction; nested: in a savepoint that rolls back alone. */
  readonly write: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | SqlError, R>
  /** Runs `effect` on one snapshot; inside a transaction it simply joins it. */
  readonly read: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | SqlError, R>
}

/**
 * Write transactions run on a connection of `writer`; read snapshots outside a transaction on a
 * connection of `reader` (the same client on PostgreSQL; on SQLite a second connection, so that
 * readers never wait for an open write transaction).
 */
export const make = (writer: SqlClient.SqlClient, reader: SqlClient.SqlClient, beginWrite: string, beginRead: string): Transactions => {
  const topLevel =
    (client: SqlClient.SqlClient, begin: string) =>
    <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | SqlError, R> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(Scope.make(), (scope) =>
          // Acquiring the connection is not interruptible: @effect/sql-pg's reserve would lose a
          // pool client that arrives after an interruption (as @effect/sql's own withTransaction).
          Scope.extend(client.reserve, scope).pipe(
            Effect.flatMap((conn) =>
              exec(conn, begin).pipe(
                Effect.zipRight(restore(Effect.provideService(effect, SqlClient.TransactionConnection, [conn, 0] as const))),
                Effect.exit,
                Effect.flatMap(
                  (exit): Effect.Effect<A, E | SqlError> =>
                    Exit.isSuccess(exit)
                      ? Effect.matchEffect(exec(conn, "COMMIT"), {
                          onFailure: (error) => Effect.zipRight(Effect.ignore(exec(conn, "ROLLBACK")), Effect.fail(error)),
                          onSuccess: () => exit
                        })
                      : Effect.zipRight(Effect.ignore(exec(conn, "ROLLBACK")), exit)
                )
              )
            ),
            Effect.onExit((exit) => Scope.close(scope, exit))
          )
        )
      )

  const savepoint = <A, E, R>(
    [conn, depth]: readonly [Connection, number],
    effect: Effect.Effect<A, E, R>
  ): Effect.Effect<A, E | SqlError, R> =>
    Effect.uninterruptibleMask((restore) => {
      const id = depth + 1
      const name = `effect_sql_${id}`
      return exec(conn, `SAVEPOINT ${name}`).pipe(
        Effect.zipRight(restore(Effect.provideService(effect, SqlClient.TransactionConnection, [conn, id] as const))),
        Effect.exit,
        Effect.flatMap(
          (exit): Effect.Effect<A, E | SqlError> =>
            Exit.isSuccess(exit)
              ? Effect.as(exec(conn, `RELEASE SAVEPOINT ${name}`), exit.value)
              : Effect.zipRight(
                  Effect.ignore(Effect.zipRight(exec(conn, `ROLLBACK TO SAVEPOINT ${name}`), exec(conn, `RELEASE SAVEPOINT ${name}`))),
                  exit
                )
        )
      )
    })

  const current = Effect.serviceOption(SqlClient.TransactionConnection)
  const writeTop = topLevel(writer, beginWrite)
  const readTop = topLevel(reader, beginRead)

  return {
    write: (effect) => Effect.flatMap(current, (conn) => (Option.isSome(conn) ? savepoint(conn.value, effect) : writeTop(effect))),
    read: (effect) => Effect.flatMap(current, (conn) => (Option.isSome(conn) ? effect : readTop(effect)))
  }
}
