/**
 * Atomic, isolated transactions over an immutable `State`.
 *
 * - Committed state lives in one `Ref`. Readers outside a transaction read it and never wait.
 * - A transaction takes the write lock (a one-permit semaphore), copies the committed state into
 *   a draft (O(1): the state is persistent) and runs with that draft in a `FiberRef`, so every
 *   port call inside it, in fibers it forks too, reads and writes the draft. On success the draft
 *   replaces the committed state in one step; on failure, defect or interruption it is dropped.
 * - A write outside a transaction is a transaction of its own.
 * - A nested `withTransaction` joins the enclosing one; like a SQL savepoint, a nested call that
 *   fails undoes its own writes, and everything commits or rolls back with the outermost call.
 *
 * Transactions are serialised, which is what the number-range port asks for ("concurrent
 * transactions drawing from the same range are serialised on it") and costs little in memory.
 *
 * @internal
 */
import { Effect, Either, FiberRef, Option, Ref } from "effect"
import * as State from "./State.js"

export interface Transactions {
  /** Reads the state the caller may see: its transaction's draft, or the committed state. */
  readonly read: <A>(f: (state: State.State) => A) => Effect.Effect<A>
  /** Applies a pure write to the caller's draft, or as a transaction of its own outside one. */
  readonly write: <A, E>(f: (state: State.State) => State.Written<A, E>) => Effect.Effect<A, E>
  readonly withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

const apply =
  <A, E>(f: (state: State.State) => State.Written<A, E>) =>
  (state: State.State): readonly [Either.Either<A, E>, State.State] => {
    const outcome = f(state)
    return Either.isLeft(outcome) ? [Either.left(outcome.left), state] : [Either.right(outcome.right[0]), outcome.right[1]]
  }

/** A fresh, empty store. Each call makes its own lock and its own transaction `FiberRef`. */
export const make: Effect.Effect<Transactions> = Effect.gen(function* () {
  const committed = yield* Ref.make(State.empty)
  const writeLock = yield* Effect.makeSemaphore(1)
  // Per store: a transaction on one store must not capture the calls made to another.
  const currentDraft = FiberRef.unsafeMake(Option.none<Ref.Ref<State.State>>())

  const stateRef = Effect.map(
    FiberRef.get(currentDraft),
    Option.getOrElse(() => committed)
  )

  const read = <A>(f: (state: State.State) => A): Effect.Effect<A> => Effect.flatMap(stateRef, (ref) => Effect.map(Ref.get(ref), f))

  const write = <A, E>(f: (state: State.State) => State.Written<A, E>): Effect.Effect<A, E> =>
    Effect.flatMap(FiberRef.get(currentDraft), (draft) =>
      Option.match(draft, {
        onSome: (ref) => Effect.flatten(Ref.modify(ref, apply(f))),
        // The lock keeps a lone write from landing between a transaction's snapshot and its commit.
        onNone: () => writeLock.withPermits(1)(Effect.flatten(Ref.modify(committed, apply(f))))
      })
    )

  const outermost = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    writeLock.withPermits(1)(
      Effect.uninterruptibleMask((restore) =>
        Effect.gen(function* () {
          const draft = yield* Ref.make(yield* Ref.get(committed))
          const result = yield* Effect.locally(restore(effect), currentDraft, Option.some(draft))
          yield* Ref.set(committed, yield* Ref.get(draft))
          return result
        })
      )
    )

  const nested = <A, E, R>(draft: Ref.Ref<State.State>, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(Ref.get(draft), (savepoint) => Effect.onError(effect, () => Ref.set(draft, savepoint)))

  const withTransaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(FiberRef.get(currentDraft), (draft) =>
      Option.match(draft, { onSome: (ref) => nested(ref, effect), onNone: () => outermost(effect) })
    )

  return { read, write, withTransaction }
})
