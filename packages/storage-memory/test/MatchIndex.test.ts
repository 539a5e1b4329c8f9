import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as MatchIndex from "../src/MatchIndex.js"

const options = (limit = 100, maxKeyFrequency = 1_000_000) => ({ limit, maxKeyFrequency })

describe("MatchIndex (pure)", () => {
  it("ranks by shared keys, then by number", () => {
    let index = MatchIndex.empty
    index = MatchIndex.put(index, "t", "C3", ["a", "b"])
    index = MatchIndex.put(index, "t", "C1", ["a"])
    index = MatchIndex.put(index, "t", "C2", ["a", "b", "c"])
    expect(MatchIndex.candidates(index, "t", ["a", "b", "c", "a"], options())).toEqual([
      { number: "C2", sharedKeys: 3 },
      { number: "C3", sharedKeys: 2 },
      { number: "C1", sharedKeys: 1 }
    ])
    expect(MatchIndex.candidates(index, "t", ["a", "b"], options(2))).toEqual([
      { number: "C2", sharedKeys: 2 },
      { number: "C3", sharedKeys: 2 }
    ])
    expect(MatchIndex.candidates(index, "t", ["z"], options())).toEqual([])
  })

  it("put replaces a customer's keys; remove and an empty put drop them", () => {
    let index = MatchIndex.put(MatchIndex.empty, "t", "C1", ["a", "b"])
    index = MatchIndex.put(index, "t", "C1", ["c"])
    expect(MatchIndex.candidates(index, "t", ["a", "b"], options())).toEqual([])
    expect(MatchIndex.candidates(index, "t", ["c"], options())).toEqual([{ number: "C1", sharedKeys: 1 }])
    expect(MatchIndex.candidates(MatchIndex.remove(index, "t", "C1"), "t", ["c"], options())).toEqual([])
    expect(MatchIndex.candidates(MatchIndex.put(index, "t", "C1", []), "t", ["c"], options())).toEqual([])
    expect(MatchIndex.remove(index, "t", "C9")).toBe(index)
  })

  it("skips keys carried by more customers than the cap", () => {
    let index = MatchIndex.empty
    for (let i = 0; i < 10; i++) index = MatchIndex.put(index, "t", `C${i}`, ["common", ...(i === 3 ? ["rare"] : [])])
    expect(MatchIndex.candidates(index, "t", ["common", "rare"], options(100, 9))).toEqual([{ number: "C3", sharedKeys: 1 }])
    expect(MatchIndex.candidates(index, "t", ["common", "rare"], options(100, 10))[0]).toEqual({ number: "C3", sharedKeys: 2 })
  })

  it("leaves out excluded customers and other tenants", () => {
    let index = MatchIndex.put(MatchIndex.empty, "t", "C1", ["a"])
    index = MatchIndex.put(index, "u", "C2", ["a"])
    expect(MatchIndex.candidates(index, "t", ["a"], options())).toEqual([{ number: "C1", sharedKeys: 1 }])
    expect(MatchIndex.candidates(index, "t", ["a"], { ...options(), exclude: ["C1"] })).toEqual([])
    expect(MatchIndex.candidates(index, "v", ["a"], options())).toEqual([])
  })

  it("never changes an index value it was given (snapshots stay valid)", () => {
    let index = MatchIndex.empty
    for (let i = 0; i < 300; i++) index = MatchIndex.put(index, "t", `C${i % 50}`, [`k${i % 7}`, "all"])
    const snapshot = index
    const before = MatchIndex.candidates(snapshot, "t", ["k1", "all"], options(1000))
    let next = snapshot
    for (let i = 0; i < 300; i++) next = MatchIndex.put(next, "t", `C${i % 60}`, [`k${i % 5}`])
    next = MatchIndex.putMany(next, "t", [
      { number: "C1", keys: [] },
      { number: "C2", keys: ["k1"] }
    ])
    expect(MatchIndex.candidates(snapshot, "t", ["k1", "all"], options(1000))).toEqual(before)
    expect(MatchIndex.candidates(next, "t", ["all"], options(1000))).toEqual([])
  })

  it("agrees with a naive model over any sequence of writes (segments, merges and dead entries included)", () => {
    const number = fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `C${String(i).padStart(2, "0")}`))
    const keys = fc.uniqueArray(fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h"), { maxLength: 5 })
    const op = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant("put" as const), number, keys }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), number }) },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant("putMany" as const), entries: fc.array(fc.record({ number, keys }), { maxLength: 60 }) })
      }
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), keys, fc.integer({ min: 1, max: 50 }), (ops, query, cap) => {
        let index = MatchIndex.empty
        const model = new Map<string, ReadonlySet<string>>()
        for (const o of ops) {
          if (o.kind === "put") {
            index = MatchIndex.put(index, "t", o.number, o.keys)
            if (o.keys.length === 0) model.delete(o.number)
            else model.set(o.number, new Set(o.keys))
          } else if (o.kind === "remove") {
            index = MatchIndex.remove(index, "t", o.number)
            model.delete(o.number)
          } else {
            index = MatchIndex.putMany(index, "t", o.entries)
            for (const e of o.entries) {
              if (e.keys.length === 0) model.delete(e.number)
              else model.set(e.number, new Set(e.keys))
            }
          }
        }
        const counts = new Map<string, number>()
        for (const key of new Set(query)) {
          for (const [n, ks] of model) if (ks.has(key)) counts.set(n, (counts.get(n) ?? 0) + 1)
        }
        const expected = [...counts]
          .map(([n, sharedKeys]) => ({ number: n, sharedKeys }))
          .sort((x, y) => y.sharedKeys - x.sharedKeys || (x.number < y.number ? -1 : 1))
        // Without a cap: exactly the model.
        expect(MatchIndex.candidates(index, "t", query, options(1000))).toEqual(expected)
        // With a cap: a key may be skipped early, never late, so every result is in the model with no more shared keys.
        const capped = MatchIndex.candidates(index, "t", query, options(1000, cap))
        for (const c of capped) expect(c.sharedKeys).toBeLessThanOrEqual(counts.get(c.number) ?? 0)
        const liveFrequency = (key: string) => [...model.values()].filter((ks) => ks.has(key)).length
        const overCap = new Set(query.filter((k) => liveFrequency(k) > cap))
        for (const c of capped) {
          const usable = [...new Set(query)].filter((k) => !overCap.has(k) && model.get(c.number)?.has(k))
          expect(c.sharedKeys).toBeLessThanOrEqual(usable.length)
        }
      }),
      { numRuns: 150 }
    )
  })
})
