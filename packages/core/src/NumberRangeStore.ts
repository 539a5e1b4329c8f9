/**
 * The storage port for number-range state (SAP: NRIV): the last position drawn per tenant and
 * range. The interval itself is customizing and passed in on each call.
 *
 * Semantics:
 * - `draw` hands out the next `count` positions (default 1; a `count` that is not a positive
 *   integer is a defect) after the last one drawn, starting
 *   at `interval.from`, and returns the first and last of them. When fewer than `count` remain it
 *   returns those that remain; when none remain it fails with `NumberRangeExhausted` (its `last` is
 *   the last position, as text: the service formats the number) and changes nothing. A position is never handed out twice, also not to concurrent callers in other
 *   fibers, connections or processes.
 * - Inside `StoreTransaction.withTransaction` the draw is part of the transaction: if the
 *   transaction fails, the positions return to the range (gap-free numbering). Concurrent
 *   transactions drawing from the same range are serialised on it.
 * - `last` returns the last position drawn, or `Option.none()` before the first draw.
 * - Ranges are independent per tenant and per range id.
 *
 * @module
 */
import { Context, type Effect, type Option } from "effect"
import type { NumberRangeExhausted, StorageError } from "./Errors.js"

export interface Interval {
  readonly from: number
  readonly to: number
}

export interface Drawn {
  readonly first: number
  readonly last: number
}

export interface NumberRangeStoreShape {
  readonly draw: (
    tenant: string,
    range: string,
    interval: Interval,
    count?: number
  ) => Effect.Effect<Drawn, NumberRangeExhausted | StorageError>
  readonly last: (tenant: string, range: string) => Effect.Effect<Option.Option<number>, StorageError>
}

/** The number-range port. */
export class NumberRangeStore extends Context.Tag("@partnerkit/core/NumberRangeStore")<
  NumberRangeStore,
  NumberRangeStoreShape
>() {}
