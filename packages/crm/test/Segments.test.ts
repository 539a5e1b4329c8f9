import { BehaviourConfig, Campaign, CrmConfig, type SegmentErrors, SegmentRule } from "@partnerkit/crm"
import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

const asOf = "2026-06-30T12:00:00.000Z"
const rfm = BehaviourConfig.presetRfm()

/** Facts with no descriptive fields and one value for every metric. */
const factsWith = (value: number | string | null): SegmentRule.Facts => ({ attribute: () => [], metric: () => value })

describe("Campaign: the seeded control group", () => {
  it("uses FNV-1a and mulberry32 (reference values)", () => {
    expect(Campaign.fnv1a("")).toBe(0x811c9dc5)
    expect(Campaign.fnv1a("a")).toBe(0xe40c292c)
    const random = Campaign.mulberry32(1)
    expect([random(), random(), random()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522])
  })

  it("holds out round(holdout × n) members; the same seed gives the same split whatever the input order", () => {
    const members = Array.from({ length: 101 }, (_, i) => `C${String(i).padStart(4, "0")}`)
    const control = Campaign.controlGroup(members, 0.1, "spring")
    expect(control.size).toBe(10)
    expect([...Campaign.controlGroup([...members].reverse(), 0.1, "spring")].sort()).toEqual([...control].sort())
    expect([...Campaign.controlGroup(members, 0.1, "autumn")].sort()).not.toEqual([...control].sort())
    expect(Campaign.controlGroup(members, 0, "spring").size).toBe(0)
    expect([...Campaign.controlGroup(members, 0.1, 7)].sort()).toEqual([...Campaign.controlGroup(members, 0.1, "7")].sort())
  })
})

describe("SegmentRule", () => {
  it("parse reports every problem with its path", () => {
    const result = SegmentRule.parse({
      any: [{ field: "country", op: "between", values: ["DE"] }, { all: [] }, { field: "activities", op: "gte", value: 1 }, 7]
    })
    expect(Either.isLeft(result)).toBe(true)
    const error = Either.getLeft(result)
    expect(error._tag).toBe("Some")
    const issues = (error as { value: SegmentErrors.InvalidSegmentRule }).value.issues
    expect(issues.map((i) => i.path)).toEqual(["rule.any.0.op", "rule.any.1.all", "rule.any.2.days", "rule.any.3"])
    expect(Either.isRight(SegmentRule.parse({ field: "salesArea", op: "in", values: ["1000/10/00"] }))).toBe(true)
    expect(Either.isLeft(SegmentRule.parse({ field: "salesArea", op: "in", values: ["1000-10-00"] }))).toBe(true)
    const tooMany = {
      all: Array.from({ length: 26 }, () => ({
        any: [
          { field: "country", op: "in", values: ["DE"] },
          { field: "region", op: "in", values: ["BY"] }
        ]
      }))
    }
    expect(Either.isLeft(SegmentRule.parse(tooMany))).toBe(true)
  })

  it("daysSinceLastContact compares whole days, as the 360° view counts them", () => {
    const day = 86_400_000
    const at = (daysAgo: number, plusMs = 0) => new Date(Date.parse(asOf) - daysAgo * day + plusMs).toISOString()
    const holds = (op: SegmentRule.Comparison, value: number, last: string | null) =>
      SegmentRule.evaluate(SegmentRule.plan({ field: "daysSinceLastContact", op, value }, { asOf, rfm }), factsWith(last))
    expect(holds("eq", 10, at(10))).toBe(true)
    expect(holds("eq", 10, at(11, 1))).toBe(true) // 10 days and 23:59:59.999
    expect(holds("eq", 10, at(10, 1))).toBe(false) // 9 days and 23:59:59.999
    expect(holds("gt", 10, at(11))).toBe(true)
    expect(holds("gt", 10, at(11, 1))).toBe(false)
    expect(holds("lt", 1, asOf)).toBe(true)
    expect(holds("gte", 0, null)).toBe(false)
    expect(holds("lte", 1000, null)).toBe(false)
  })

  it("a score comparison compiled to a range of its metric agrees with the score", () => {
    const scores = SegmentRule.rfmScores(rfm, asOf)
    const field = { recency: "recencyScore", frequency: "frequencyScore", monetary: "monetaryScore" } as const
    const dates = fc.integer({ min: 0, max: 2000 }).map((d) => new Date(Date.parse(asOf) - d * 86_400_000).toISOString().slice(0, 10))
    const metricValue = {
      recency: fc.option(dates, { nil: null }),
      frequency: fc.integer({ min: 0, max: 20 }),
      monetary: fc.integer({ min: 0, max: 30_000_000 })
    }
    for (const dimension of ["recency", "frequency", "monetary"] as const) {
      fc.assert(
        fc.property(
          metricValue[dimension] as fc.Arbitrary<number | string | null>,
          fc.constantFrom<SegmentRule.Comparison>("eq", "gt", "gte", "lt", "lte"),
          fc.integer({ min: 1, max: 5 }),
          (value, op, v) => {
            const score = SegmentRule.scoreOf(scores[dimension], value)
            const expected = { eq: score === v, gt: score > v, gte: score >= v, lt: score < v, lte: score <= v }[op]
            const plan = SegmentRule.plan({ field: field[dimension], op, value: v }, { asOf, rfm })
            expect(SegmentRule.evaluate(plan, factsWith(value))).toBe(expected)
          }
        )
      )
    }
  })

  it("RFM scores follow the configured breakpoints", () => {
    const scores = SegmentRule.rfmScores(rfm, asOf)
    expect(SegmentRule.scoreOf(scores.recency, "2026-05-31")).toBe(5) // 30 days
    expect(SegmentRule.scoreOf(scores.recency, "2026-05-30")).toBe(4)
    expect(SegmentRule.scoreOf(scores.recency, null)).toBe(1)
    expect([0, 1, 2, 3, 4, 7, 8].map((n) => SegmentRule.scoreOf(scores.frequency, n))).toEqual([1, 2, 3, 3, 4, 4, 5])
    expect(SegmentRule.scoreOf(scores.monetary, 99_999)).toBe(1)
    expect(SegmentRule.scoreOf(scores.monetary, 100_000)).toBe(2)
    expect(SegmentRule.scoreOf(scores.monetary, 20_000_000)).toBe(5)
  })
})

describe("CrmConfig: rfm and churnRisk", () => {
  it("has presets and rejects breakpoints that are not ascending, with the path", () => {
    const config = CrmConfig.makeOrThrow({})
    expect(config.rfm).toEqual(BehaviourConfig.presetRfm())
    expect(config.churnRisk).toEqual(BehaviourConfig.presetChurnRisk())
    expect(CrmConfig.preset().rfm).toEqual(config.rfm)
    const bad = CrmConfig.make({
      rfm: { ...BehaviourConfig.presetRfm(), recencyDays: [30, 20, 180, 365], currency: "euro" },
      churnRisk: { silence: { days: 0 }, fallingActivity: null, fallingRevenue: { days: 30, percent: 150 } }
    })
    expect(Either.isLeft(bad)).toBe(true)
    const paths = Either.isLeft(bad) ? bad.left.issues.map((i) => i.path).sort() : []
    expect(paths).toEqual(["churnRisk.fallingRevenue.percent", "churnRisk.silence.days", "rfm.currency", "rfm.recencyDays"])
  })
})
