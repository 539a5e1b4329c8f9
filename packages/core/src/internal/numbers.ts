import { Effect } from "effect"
import type { NumberRange } from "../Customizing.js"
import { formatNumber } from "../Customizing.js"
import { NumberRangeExhausted } from "../Errors.js"
import type { NumberRangeStoreShape } from "../NumberRangeStore.js"

/**
 * Hands out internal numbers. Gap-free ranges draw from the store inside the caller's
 * transaction. Buffered ranges reserve blocks of `range.buffer` positions in a transaction of their
 * own (so a failed create cannot hand a reserved block back while this process still holds it) and
 * serve them from memory.
 */
export const make = (store: NumberRangeStoreShape, tenant: string) =>
  Effect.gen(function* () {
    const buffers = new Map<string, { next: number; last: number }>()
    const refill = yield* Effect.makeSemaphore(1)

    /** Draws `count` consecutive numbers; call inside the transaction that uses them. */
    const draw = (rangeId: string, range: NumberRange, count = 1) =>
      store.draw(tenant, rangeId, range, count).pipe(
        Effect.catchTag("NumberRangeExhausted", () =>
          Effect.fail(new NumberRangeExhausted({ tenant, range: rangeId, last: formatNumber(range, range.to) }))
        )
      )

    /** One number from this process's block, reserving a new block when it is used up. */
    const buffered = (rangeId: string, range: NumberRange & { readonly buffer: number }) =>
      refill.withPermits(1)(
        Effect.gen(function* () {
          let block = buffers.get(rangeId)
          if (block === undefined || block.next > block.last) {
            const drawn = yield* draw(rangeId, range, range.buffer)
            block = { next: drawn.first, last: drawn.last }
            buffers.set(rangeId, block)
          }
          const position = block.next
          block.next += 1
          return formatNumber(range, position)
        })
      )

    return { draw, buffered }
  })
