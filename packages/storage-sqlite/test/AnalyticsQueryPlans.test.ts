import * as Statement from "@effect/sql/Statement"
import { AnalyticsStore, Ownership } from "@partnerkit/crm"
import { SqliteCrmStore } from "@partnerkit/storage-sqlite"
import { Effect, Layer } from "effect"
import { afterAll, expect, it } from "vitest"
import { expectTenantLed, explain, recordInto, tableScans } from "./support/QueryPlans.js"
import { removeAll, tempDatabase } from "./support/TempDatabase.js"

afterAll(removeAll)

const t = "plans"
const restricted: Ownership.AccountVisibility = {
  groups: { authorizationGroups: ["G1"] },
  scope: { kind: "assigned", owner: "li.na", teams: ["NORTH"], territories: ["HH"] }
}
const groupsOnly: Ownership.AccountVisibility = { groups: { authorizationGroups: ["G1"] }, scope: { kind: "all" } }
const visibilities = [restricted, groupsOnly, Ownership.unrestricted]

/** Every query the analytics port makes, under each visibility and with every filter, as [sql, params]. */
const everyQuery = Effect.gen(function* () {
  const store = yield* AnalyticsStore
  const queries: Array<readonly [string, ReadonlyArray<unknown>]> = []
  const ops = Effect.forEach(visibilities, (visibility) =>
    Effect.all([
      store.stagePipeline({ tenant: t, visibility }),
      store.stagePipeline({
        tenant: t,
        visibility,
        owner: "li.na",
        territory: "HH",
        salesArea: "1000/10/00",
        closeFrom: "2027-01-01",
        closeTo: "2027-12-31"
      }),
      store.funnel({
        tenant: t,
        visibility,
        stages: ["a", "b", "c"],
        closeFrom: "2027-01-01",
        closeTo: "2027-03-31",
        byOwner: true
      }),
      store.funnel({ tenant: t, visibility, stages: ["a"], closeFrom: "2027-01-01", closeTo: "2027-03-31", owner: "bo", byOwner: false }),
      store.salesCycles({ tenant: t, visibility, closeFrom: "2027-01-01", closeTo: "2027-12-31" }),
      store.salesCycles({ tenant: t, visibility, closeFrom: "2027-01-01", closeTo: "2027-12-31", owner: "bo" }),
      store.activityStats({
        tenant: t,
        visibility,
        from: "2027-01-01T00:00:00.000Z",
        to: "2027-02-01T00:00:00.000Z",
        asOf: "2027-01-15T00:00:00.000Z"
      }),
      store.activityStats({
        tenant: t,
        visibility,
        from: "2027-01-01T00:00:00.000Z",
        to: "2027-02-01T00:00:00.000Z",
        asOf: "2027-01-15T00:00:00.000Z",
        owner: "bo"
      }),
      store.accountSales({ tenant: t, visibility, customerNumber: "C1", wonFrom: "2027-01-01", wonTo: "2027-12-31" })
    ])
  )
  yield* ops.pipe(Statement.withTransformer(recordInto(queries)))
  return queries
})

it("every query the analytics port makes uses an index led by the tenant; no table is scanned", async () => {
  const config = { filename: tempDatabase("analytics-plans").filename }
  const queries = await Effect.runPromise(
    Effect.scoped(Effect.flatMap(Layer.build(SqliteCrmStore.layer(config)), (ctx) => Effect.provide(everyQuery, ctx)))
  )
  expect(queries).toHaveLength(27)
  const plans = await explain(config.filename, queries)
  // The funnel and the sales cycle aggregate their own subquery's rows (`SCAN f`, `SCAN d`): not a table.
  expect(tableScans(plans, /^SCAN (f|d)\b/)).toEqual([])
  expectTenantLed(plans)
  /** The plan of each query whose text includes `marker` (at least one). */
  const plansOf = (marker: string) => {
    const found = plans.filter(([text]) => text.includes(marker)).map(([, d]) => d.join(" | "))
    expect(found.length, marker).toBeGreaterThan(0)
    return found
  }
  const everyPlan = (marker: string, pattern: RegExp) => {
    for (const plan of plansOf(marker)) expect(plan, marker).toMatch(pattern)
  }
  // The pipeline by stage, the funnel and the cycle read the pipeline index by status and close
  // date, probing the history by its primary key.
  everyPlan(
    "AS weighted FROM crm_opportunities o2 WHERE (o2.tenant = ? AND o2.status = 'open'",
    /crm_opportunities_pipeline \(tenant=\? AND status=\?/
  )
  const period = /SEARCH o2 USING COVERING INDEX crm_opportunities_by_close \(tenant=\? AND status=\? AND close_date>\? AND close_date<\?\)/
  const historyKey = /SEARCH h USING COVERING INDEX crm_opportunity_history_stages \(tenant=\? AND opportunity_id=\? AND seq[>=]\?\)/
  everyPlan("MAX(CASE h.stage", period)
  everyPlan("MAX(CASE h.stage", historyKey)
  everyPlan("MIN(h.at)", period)
  everyPlan("MIN(h.at)", historyKey)
  // The activity statistics read the time index (migration 8).
  everyPlan("FROM crm_activities a", /SEARCH a USING COVERING INDEX crm_activities_by_time \(tenant=\? AND at>\? AND at<\?\)/)
  // The 360° figures: one customer's opportunities from the by-customer pipeline index.
  everyPlan("o2.customer_number = ?", /crm_opportunities_pipeline_by_customer \(tenant=\? AND customer_number=\?/)
})
