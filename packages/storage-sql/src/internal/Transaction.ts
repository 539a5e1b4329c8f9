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
 *
 * Port operations join the caller's transaction in one of two ways:
 * - `write`: in a savepoint, which rolls back alone when the operation fails — for operations
 *   that can find a conflict after they wrote part of their rows (`insertMany`, key mappings);
 * - `join`: without a savepoint, for operations that find their domain failures (a taken number,
 *   a version conflict, an exhausted range) before they write anything, so that such a failure
 *   leaves the transaction as it was. A savepoint is two more statements per operation (two
 *   round trips on PostgreSQL; on SQLite every page the operation touches is also copied to the
 *   statement journal), and a create runs three such operations. If a joined operation fails
 *   for any other reason (a driver error, a defect, an interruption) after it may have written,
 *   the transaction is doomed: whatever the caller does next, it rolls back — at the enclosing
 *   savepoint when that rolls back, else at its end, where the commit becomes a rollback and
 *   fails. A partly written operation is never committed, on SQLite (where a failed statement is
 *   undone alone and the transaction goes on) as on PostgreSQL (which refuses every further
 *   statement, and would answer the final `COMMIT` with a silent rollback).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import { SqlError } from "@effect/sql/SqlError"
import { type Cause, Context, Effect, Exit, Scope } from "effect"
import { isSqlError } from "./Errors.js"

/**
 * Runs a transaction-control statement. Prepared (the drivers cache it): `BEGIN`, `COMMIT` and the
 * savepoints of a depth are the same few texts on every transaction.
 */
const exec = (conn: Connection, statement: string): Effect.Effect<void, SqlError> => Effect.asVoid(conn.execute(statement, [], undefined))

/** What a write transaction started here knows about itself; shared with its savepoints. */
interface State {
  /** The depth of the shallowest savepoint holding a joined operation that failed halfway (0: the transaction itself). */
  doomed: number | undefined
  cause: Cause.Cause<unknown> | undefined
}

class TransactionState extends Context.Tag("@partnerkit/storage-sql/TransactionState")<TransactionState, State>() {}

/** A plain failure with a domain error: the joined operation found it before it wrote. */
const isDomainFailure = (cause: Cause.Cause<unknown>) => cause._tag === "Fail" && !isSqlError(cause.error)

export interface Transactions {
  /** Runs `effect` in a read-write transaction; nested: in a savepoint that rolls back alone. */
  readonly write: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | SqlError, R>
  /**
   * Runs a port operation that finds its domain failures before it writes: in the caller's
   * transaction without a savepoint (dooming the transaction when it fails otherwise), or in a
   * read-write transaction of its own. Inside a transaction this module did not start (e.g.
   * `sql.withTransaction`) it runs in a savepoint, like `write`.
   */
  readonly join: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | SqlError, R>
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
            Effect.flatMap((conn) => {
              const state: State = { doomed: undefined, cause: undefined }
              const inside = effect.pipe(
                Effect.provideService(SqlClient.TransactionConnection, [conn, 0] as const),
                Effect.provideService(TransactionState, state)
              )
              return exec(conn, begin).pipe(
                Effect.zipRight(restore(inside)),
                Effect.exit,
                Effect.flatMap((exit): Effect.Effect<A, E | SqlError> => {
                  if (Exit.isFailure(exit)) return Effect.zipRight(Effect.ignore(exec(conn, "ROLLBACK")), exit)
                  if (state.doomed !== undefined) {
                    const error = new SqlError({
                      cause: state.cause,
                      message: "an operation failed halfway inside this transaction: rolled back instead of committed"
                    })
                    return Effect.zipRight(Effect.ignore(exec(conn, "ROLLBACK")), Effect.fail(error))
                  }
                  return Effect.matchEffect(exec(conn, "COMMIT"), {
                    onFailure: (error) => Effect.zipRight(Effect.ignore(exec(conn, "ROLLBACK")), Effect.fail(error)),
                    onSuccess: () => exit
                  })
                })
              )
            }),
            Effect.onExit((exit) => Scope.close(scope, exit))
          )
        )
      )

  /**
   * After savepoint `id` ended: rolled back, it undid everything written inside it (a doomed
   * operation's rows too); released, its writes belong to the enclosing level now.
   */
  const settle = (id: number, released: boolean): Effect.Effect<void> =>
    Effect.map(Effect.serviceOption(TransactionState), (state) => {
      if (state._tag === "None" || state.value.doomed === undefined || state.value.doomed < id) return
      if (released) {
        state.value.doomed = id - 1
      } else {
        state.value.doomed = undefined
        state.value.cause = undefined
      }
    })

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
              ? Effect.zipRight(exec(conn, `RELEASE SAVEPOINT ${name}`), Effect.as(settle(id, true), exit.value))
              : Effect.zipRight(
                  Effect.ignore(Effect.zipRight(exec(conn, `ROLLBACK TO SAVEPOINT ${name}`), exec(conn, `RELEASE SAVEPOINT ${name}`))),
                  Effect.zipRight(settle(id, false), exit)
                )
        )
      )
    })

  /** After a joined operation at `depth` ended: a failure other than a domain error dooms the transaction. */
  const doom =
    (state: State, depth: number) =>
    (exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> =>
      Effect.sync(() => {
        if (Exit.isSuccess(exit) || isDomainFailure(exit.cause)) return
        if (state.doomed === undefined || depth < state.doomed) {
          state.doomed = depth
          state.cause = exit.cause
        }
      })

  const writeTop = topLevel(writer, beginWrite)
  const readTop = topLevel(reader, beginRead)

  return {
    write: (effect) =>
      Effect.withFiberRuntime((fiber) => {
        const conn = Context.getOption(fiber.currentContext, SqlClient.TransactionConnection)
        return conn._tag === "Some" ? savepoint(conn.value, effect) : writeTop(effect)
      }),
    join: (effect) =>
      Effect.withFiberRuntime((fiber) => {
        const context = fiber.currentContext
        const conn = Context.getOption(context, SqlClient.TransactionConnection)
        if (conn._tag === "None") return writeTop(effect)
        const state = Context.getOption(context, TransactionState)
        return state._tag === "None" ? savepoint(conn.value, effect) : Effect.onExit(effect, doom(state.value, conn.value[1]))
      }),
    read: (effect) =>
      Effect.withFiberRuntime((fiber) =>
        Context.getOption(fiber.currentContext, SqlClient.TransactionConnection)._tag === "Some" ? effect : readTop(effect)
      )
  }
}
