/**
 * Driver failures become one `StorageError` naming the port operation; domain errors pass through.
 */
import { type SqlError, SqlErrorTypeId } from "@effect/sql/SqlError"
import { Errors } from "@partnerkit/core"
import { Effect, Predicate } from "effect"

/** Is `u` an `@effect/sql` error (`SqlError`, `ResultLengthMismatch`)? */
export const isSqlError = (u: unknown): u is SqlError => Predicate.hasProperty(u, SqlErrorTypeId)

/** The driver's own error when there is one (its message says what went wrong), else the `SqlError`. */
export const driverCause = (error: SqlError): unknown => ("cause" in error && error.cause !== undefined ? error.cause : error)

/** Maps every `@effect/sql` error of `self` to `StorageError({ operation })`. */
export const storageError =
  (operation: string) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, Exclude<E, SqlError> | Errors.StorageError, R> =>
    Effect.mapError(self, (e) =>
      isSqlError(e) ? new Errors.StorageError({ operation, cause: driverCause(e) }) : (e as Exclude<E, SqlError>)
    )
