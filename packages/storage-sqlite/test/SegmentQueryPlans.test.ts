import * as Statement from "@effect/sql/Statement"
import { StoreTransaction } from "@partnerkit/core"
import { AccountBehaviourStore, BehaviourConfig, type Ownership, SegmentRule, SegmentStore } from "@partnerkit/crm"
import { SqliteCrmStore } from "@partnerkit/storage-sqlite"
import { Effect, Layer } from "effect"
import { afterAll, expect, it } from "vitest"
import { expectTenantLed, explain, type Plan, recordInto, tableScans } from "./support/QueryPlans.js"
import { removeAll, tempDatabase } from "./support/TempDatabase.js"

afterAll(removeAll)

const t = "plans"
const asOf = "2026-06-30T12:00:00.000Z"
const stamp = "2024-01-15T08:30:00.000Z"
const restricted: Ownership.AccountVisibility = {
  groups: { authorizationGroups: ["G1"] },
  scope: { kind: "assigned", owner: "li.na", teams: ["NORTH"], territories: ["HH"] }
}
const everyone: Ownership.AccountVisibility = { groups: { authorizationGroups: "all" }, scope: { kind: "all" } }

/** A rule with every field, resolved. */
const rule: SegmentRule.Rule = {
  all: [
    { field: "country", op: "in", values: ["DE", "AT"] },
    { field: "region", op: "notIn", values: ["HH"] },
    { field: "industry", op: "in", values: ["MANU"] },
    { field: "accountGroup", op: "in", values: ["0001"] },
    { field: "customerGroup", op: "in", values: ["01"] },
    { field: "salesArea", op: "notIn", values: ["1000/10/00"] },
    {
      any: [
        { field: "activities", days: 30, op: "gte", value: 2 },
        { field: "daysSinceLastContact", op: "eq", value: 10 },
        { field: "wonAmount", op: "gte", value: 1_000 },
        { field: "wonCount", days: 90, op: "gt", value: 1 },
        { field: "recencyScore", op: "lte", value: 2 },
        { field: "frequencyScore", op: "gte", value: 3 },
        { field: "monetaryScore", op: "eq", value: 4 }
      ]
    }
  ]
}

/** Every query the behaviour and segment ports make, with restricted and unrestricted visibility, as [sql, params]. */
const everyQuery = Effect.gen(function* () {
  const behaviour = yield* AccountBehaviourStore
  const segments = yield* SegmentStore
  const tx = yield* StoreTransaction
  const rfm = BehaviourConfig.presetRfm()
  const where = SegmentRule.plan(rule, { asOf, rfm })
  const scores = SegmentRule.rfmScores(rfm, asOf)
  const churn = SegmentRule.churnRules(BehaviourConfig.presetChurnRisk(), rfm, asOf)
  const metrics = SegmentRule.rfmScores(rfm, asOf)
  const ops = Effect.gen(function* () {
    for (const visibility of [restricted, everyone]) {
      yield* behaviour.accounts({ tenant: t, visibility, where, after: "C0", limit: 100, values: [] })
      yield* behaviour.count({ tenant: t, visibility, where })
      yield* behaviour.accounts({
        tenant: t,
        visibility,
        where: { any: churn.map((r) => r.plan) },
        limit: 51,
        values: [{ metric: { kind: "lastContact", to: asOf } }, { metric: metrics.monetary.metric }]
      })
      yield* behaviour.accounts({ tenant: t, visibility, customerNumber: "C1", limit: 1, values: [{ metric: scores.recency.metric }] })
      yield* behaviour.distribution({
        tenant: t,
        visibility,
        by: [{ score: scores.recency }, { score: scores.frequency }, { score: scores.monetary }]
      })
      yield* segments.snapshotMembers({ tenant: t, snapshotId: "F1", visibility, after: "C0", limit: 100 })
      yield* segments.campaignMembers({ tenant: t, campaignId: "K1", visibility, group: "control", limit: 100 })
      yield* segments.campaignFigures({ tenant: t, campaignId: "K1", visibility })
      yield* segments.campaignReturn({ tenant: t, campaignId: "K1", visibility })
    }
    yield* segments.getSegment(t, "S1")
    yield* segments.listSegments({ tenant: t, after: "S0", limit: 10 })
    yield* segments.putSnapshot(
      { tenant: t, id: "F1", segmentId: "S1", name: "n", rule, asOf, memberCount: 1, takenBy: "u", takenAt: stamp },
      ["C1"]
    )
    yield* segments.listSnapshots({ tenant: t, segmentId: "S1", limit: 10 })
    yield* segments.accountConsents(t, ["C1", "C2"])
    yield* segments.campaignMember(t, "K1", "C1")
    yield* segments.listCampaigns({ tenant: t, limit: 10 })
  })
  const queries: Array<readonly [string, ReadonlyArray<unknown>]> = []
  yield* tx.withTransaction(ops.pipe(Statement.withTransformer(recordInto(queries))))
  return queries
})

const explained = (async () => {
  const config = { filename: tempDatabase("segment-plans").filename }
  const queries = await Effect.runPromise(
    Effect.scoped(Effect.flatMap(Layer.build(SqliteCrmStore.layer(config)), (ctx) => Effect.provide(everyQuery, ctx)))
  )
  return explain(config.filename, queries)
})()

const detailOf = (plans: ReadonlyArray<Plan>, pick: (text: string) => boolean) =>
  plans
    .filter(([text]) => pick(text))
    .map(([, details]) => details.join(" | "))
    .join("\n")

it("every query of the behaviour and segment ports uses an index led by the tenant; no table is scanned", async () => {
  const plans = await explained
  expect(plans.length).toBeGreaterThan(20)
  // `x` is a distribution's subquery of per-account figures (its rows, not a table).
  expect(tableScans(plans, /^SCAN x$/)).toEqual([])
  // `w` (the RFM grid's won business per account, aggregated once) is joined by an index SQLite
  // builds on the subquery's rows; every search of a table is led by the tenant.
  expectTenantLed(plans.map(([text, details]): Plan => [text, details.filter((d) => !/^SEARCH w USING AUTOMATIC COVERING INDEX/.test(d))]))
  const grid = detailOf(plans, (text) => text.includes(") w ON w.cn = c.number"))
  expect(grid).toMatch(/SEARCH o USING COVERING INDEX crm_opportunities_pipeline(_by_customer)? \(tenant=\?/)
})

it("a segment reads each account's activities and won opportunities from one range of an index, and customers by key", async () => {
  const plans = await explained
  const segment = detailOf(plans, (text) => text.startsWith("SELECT c.number AS number") && text.includes("sales_area_views"))
  expect(segment).toMatch(
    /SEARCH a USING (COVERING )?INDEX crm_activities_behaviour \(tenant=\? AND customer_number=\? AND status=\? AND at>\? AND at<\?\)/
  )
  expect(segment).toMatch(
    /SEARCH o USING COVERING INDEX crm_opportunities_pipeline_by_customer \(tenant=\? AND customer_number=\? AND status=\? AND close_date>\? AND close_date<\?\)/
  )
  expect(segment).toMatch(/SEARCH s USING INDEX (sqlite_autoindex_sales_area_views_1|crm_sales_area_views_by_customer_group)/)
  expect(segment).toMatch(/SEARCH c USING INDEX (sqlite_autoindex_customers_1|crm_customers_by_(country|industry)) \(tenant=\?/)
  const returns = detailOf(plans, (text) => text.includes("FROM crm_opportunities w"))
  expect(returns).toMatch(/crm_opportunities_by_lead|crm_leads_by_campaign/)
})
