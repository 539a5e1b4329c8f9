/**
 * `NumberRangeStore`: one case per sentence of the port's doc comment.
 *
 * @internal
 */
import type { Storage } from "@partnerkit/core"
import { Effect, Option } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, failureOf, make, ports } from "../Case.js"

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

export const cases: ReadonlyArray<Case<Storage.Ports>> = [
  make("NumberRangeStore.last returns none before the first draw", () =>
    Effect.gen(function* () {
      const { ranges } = yield* ports
      expect(Option.isNone(yield* ranges.last(F.tenantId(), "C"))).toBe(true)
    })
  ),

  make("NumberRangeStore.draw starts at `interval.from`", () =>
    Effect.gen(function* () {
      const { ranges } = yield* ports
      const tenant = F.tenantId()
      expect(yield* ranges.draw(tenant, "C", F.interval(100, 999))).toEqual({ first: 100, last: 100 })
      expect(yield* ranges.last(tenant, "C")).toEqual(Option.some(100))
      expect(yield* ranges.draw(tenant, "Z", F.interval(0, 9))).toEqual({ first: 0, last: 0 })
    })
  ),

  make("NumberRangeStore.draw hands out the next position after the last one drawn", () =>
    Effect.gen(function* () {
      const { ranges } = yield* ports
      const tenant = F.tenantId()
      const drawn: Array<number> = []
      for (let i = 0; i < 5; i++) drawn.push((yield* ranges.draw(tenant, "C", F.interval(1, 9999))).first)
      expect(drawn).toEqual([1, 2, 3, 4, 5])
      expect(yield* ranges.last(tenant, "C")).toEqual(Option.some(5))
    })
  ),

  make("NumberRangeStore.draw with `count` hands out a block and returns its first and last position", () =>
    Effect.gen(function* () {
      const { ranges } = yield* ports
      const tenant = F.tenantId()
      expect(yield* ranges.draw(tenant, "C", F.interval(1, 9999), 10)).toEqual({ first: 1, last: 10 })
      expect(yield* ranges.last(tenant, "C")).toEqual(Option.some(10))
      expect(yield* ranges.draw(tenant, "C", F.interval(1, 9999))).toEqual({ first: 11, last: 11 })
      expect(yield* ranges.draw(tenant, "C", F.interval(1, 9999), 1)).toEqual({ first: 12, last: 12 })
      expect(yield* ranges.draw(tenant, "C", F.interval(1, 9999), 3)).toEqual({ first: 13, last: 15 })
    })
  ),

  make("NumberRangeStore.draw returns the positions that remain when fewer than `count` remain", () =>
    Effect.gen(function* () {
      const { ranges } = yield* ports
      const tenant = F.tenantId()
      expect(yield* ranges.draw(tenant, "C", F.interval(1, 5), 3)).toEqual({ first: 1, last: 3 })
      expect(yield* ranges.draw(tenant, "C", F.interval(1, 5), 3)).toEqual({ first: 4, last: 5 })
      expect(yield* ranges.last(tenant, "C")).toEqual(Option.some(5))
    })
  ),

  make("NumberRangeStore.draw of an exhausted range fails with NumberRangeExhausted and changes nothing", () =>
    Effect.gen(function* () {
      const { ranges } = yield* ports
      const tenant = F.tenantId()
      expect(yield* ranges.draw(tenant, "C", F.interval(7, 8), 2)).toEqual({ first: 7, last: 8 })
      const error = yield* failureOf(ranges.draw(tenant, "C", F.interval(7, 8)))
      expect(error).toMatchObject({ _tag: "NumberRangeExhausted", tenant, range: "C" })
      expect(yield* ranges.last(tenant, "C")).toEqual(Option.some(8))
      const block = yield* failureOf(ranges.draw(tenant, "C", F.interval(7, 8), 5))
      expect(block).toMatchObject({ _tag: "NumberRangeExhausted", tenant, range: "C" })
      expect(yield* ranges.last(tenant, "C")).toEqual(Option.some(8))
      // Never a reused number: the interval is not started again.
      expect((yield* failureOf(ranges.draw(tenant, "C", F.interval(7, 8))))._tag).toBe("NumberRangeExhausted")
      // A range widened in the customizing continues after the last position drawn.
      expect(yield* ranges.draw(tenant, "C", F.interval(7, 20))).toEqual({ first: 9, last: 9 })
    })
  ),

  make("NumberRangeStore.draw never hands out a position twice to concurrent callers (8 × 50 draws)", () =>
    Effect.gen(function* () {
      const { ranges } = yield* ports
      const tenant = F.tenantId()
      const drawer = Effect.forEach(range(1, 50), () => Effect.map(ranges.draw(tenant, "C", F.interval(1000, 9999)), (d) => d.first))
      const drawn = (yield* Effect.all(Array(8).fill(drawer) as Array<typeof drawer>, { concurrency: "unbounded" })).flat()
      expect(drawn).toHaveLength(400)
      expect([...drawn].sort((a, b) => a - b)).toEqual(range(1000, 1399))
      expect(yield* ranges.last(tenant, "C")).toEqual(Option.some(1399))
    })
  ),

  make("NumberRangeStore.draw never hands out overlapping blocks to concurrent callers", () =>
    Effect.gen(function* () {
      const { ranges } = yield* ports
      const tenant = F.tenantId()
      const drawer = (count: number) => Effect.forEach(range(1, 10), () => ranges.draw(tenant, "C", F.interval(1, 9999), count))
      const blocks = (yield* Effect.all([1, 2, 3, 4, 5, 6].map(drawer), { concurrency: "unbounded" })).flat()
      const positions = blocks.flatMap((b) => range(b.first, b.last))
      expect(positions).toHaveLength(10 * (1 + 2 + 3 + 4 + 5 + 6))
      expect([...positions].sort((a, b) => a - b)).toEqual(range(1, 210))
    })
  ),

  make("NumberRangeStore ranges are independent per tenant and per range id", () =>
    Effect.gen(function* () {
      const { ranges } = yield* ports
      const tenant = F.tenantId()
      const other = F.tenantId()
      yield* ranges.draw(tenant, "C", F.interval(1, 9999), 5)
      expect(yield* ranges.draw(tenant, "D", F.interval(1, 9999))).toEqual({ first: 1, last: 1 })
      expect(yield* ranges.draw(other, "C", F.interval(1, 9999))).toEqual({ first: 1, last: 1 })
      // Keys a naive concatenation would confuse: tenant + "C1" and (tenant + "C") + "1".
      expect(yield* ranges.draw(tenant, "C1", F.interval(1, 9999), 3)).toEqual({ first: 1, last: 3 })
      expect(yield* ranges.draw(`${tenant}C`, "1", F.interval(1, 9999))).toEqual({ first: 1, last: 1 })
      expect(yield* ranges.last(tenant, "C")).toEqual(Option.some(5))
      expect(yield* ranges.last(other, "C")).toEqual(Option.some(1))
      expect(Option.isNone(yield* ranges.last(other, "D"))).toBe(true)
    })
  )
]
