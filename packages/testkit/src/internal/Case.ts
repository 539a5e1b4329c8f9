/**
 * A conformance case: a name that says the sentence it checks, and the Effect that checks it.
 *
 * @internal
 */
import {
  ChangeDocumentStore,
  type ChangeDocumentStoreShape,
  CustomerStore,
  type CustomerStoreShape,
  NumberRangeStore,
  type NumberRangeStoreShape,
  type Storage,
  StoreTransaction
} from "@partnerkit/core"
import { Effect, Either } from "effect"
import { assert } from "vitest"

export interface Case<R> {
  /** Unique in the suite; it is the key of `ConformanceOptions.skip`. */
  readonly name: string
  readonly test: () => Effect.Effect<unknown, unknown, R>
}

/** A group of cases shown as one `describe` block. */
export interface Group<R> {
  readonly name: string
  readonly cases: ReadonlyArray<Case<R>>
}

export const make = <R>(name: string, test: () => Effect.Effect<unknown, unknown, R>): Case<R> => ({ name, test })

/** Every port of the store under test. */
export const ports: Effect.Effect<
  {
    readonly customers: CustomerStoreShape
    readonly documents: ChangeDocumentStoreShape
    readonly ranges: NumberRangeStoreShape
    readonly tx: Storage.StoreTransactionShape
  },
  never,
  Storage.Ports
> = Effect.all({ customers: CustomerStore, documents: ChangeDocumentStore, ranges: NumberRangeStore, tx: StoreTransaction })

/** The failure of `effect`; a success fails the test. */
export const failureOf = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<E, never, R> =>
  Effect.map(Effect.either(effect), (result) => {
    if (Either.isRight(result)) return assert.fail(`expected a failure, but it succeeded with ${JSON.stringify(result.right)}`)
    return result.left
  })

/** Runs `effects` all at once and returns each outcome. */
export const concurrently = <A, E, R>(
  effects: ReadonlyArray<Effect.Effect<A, E, R>>
): Effect.Effect<Array<Either.Either<A, E>>, never, R> =>
  Effect.all(
    effects.map((e) => Effect.either(e)),
    { concurrency: "unbounded" }
  )

/** The successes and failures of `outcomes`, in order. */
export const partition = <A, E>(outcomes: ReadonlyArray<Either.Either<A, E>>) => ({
  successes: outcomes.filter(Either.isRight).map((o) => o.right),
  failures: outcomes.filter(Either.isLeft).map((o) => o.left)
})

/** Plain-code-unit sort, the order the ports promise. */
export const codeUnitSort = (values: ReadonlyArray<string>): Array<string> => [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
