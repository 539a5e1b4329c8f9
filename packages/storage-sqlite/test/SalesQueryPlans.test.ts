import * as Statement from "@effect/sql/Statement"
import { StoreTransaction } from "@partnerkit/core"
import { LeadStore, Opportunity, OpportunityStore, type Ownership } from "@partnerkit/crm"
import { SqliteCrmStore } from "@partnerkit/storage-sqlite"
import { Effect, Layer } from "effect"
import { afterAll, expect, it } from "vitest"
import { expectTenantLed, explain, recordInto, tableScans } from "./support/QueryPlans.js"
import { removeAll, tempDatabase } from "./support/TempDatabase.js"

afterAll(removeAll)

const t = "plans"
const stamp = "2024-01-15T08:30:00.000Z"
const restricted: Ownership.AccountVisibility = {
  groups: { authorizationGroups: ["G1"] },
  scope: { kind: "assigned", owner: "li.na", teams: ["NORTH"], territories: ["HH"] }
}
const base = { version: 1, createdBy: "u", createdAt: stamp, changedBy: "u", changedAt: stamp }

/** Every query the sales ports make, with restricted visibility and every filter, as [sql, params]. */
const everyQuery = Effect.gen(function* () {
  const leads = yield* LeadStore
  const opportunities = yield* OpportunityStore
  const tx = yield* StoreTransaction
  const lead = {
    ...base,
    tenant: t,
    id: "L1",
    company: "n",
    source: "web",
    owner: "li.na",
    status: "new" as const,
    score: 0,
    scoreDetail: [],
    activityCounts: {}
  }
  const opportunity: Opportunity.Opportunity = {
    ...base,
    tenant: t,
    id: "O1",
    name: "n",
    customerNumber: "C1",
    owner: "li.na",
    stage: "qualification",
    probability: 20,
    amount: 10,
    currency: "EUR",
    expectedCloseDate: "2027-01-01",
    status: "open"
  }
  const ops = Effect.gen(function* () {
    yield* leads.put(lead, null)
    yield* leads.put({ ...lead, version: 2 }, 1)
    yield* leads.get(t, "L1", restricted)
    yield* leads.list({ tenant: t, visibility: restricted, after: "L0", limit: 10 })
    yield* leads.list({ tenant: t, visibility: restricted, owner: "li.na", limit: 10 })
    yield* leads.list({ tenant: t, visibility: restricted, status: "new", limit: 10 })
    yield* leads.list({ tenant: t, visibility: restricted, source: "web", limit: 10 })
    yield* leads.list({ tenant: t, visibility: restricted, campaignId: "CMP", limit: 10 })
    yield* leads.nextTurn(t, "team:NORTH")
    yield* leads.duplicates({ tenant: t, visibility: restricted, names: ["n"], emails: ["a@b.example"], limit: 10 })
    yield* leads.activities(t, "L1")
    yield* leads.linkActivities(t, "L1", { customerNumber: "C1" }, "u", stamp)
    yield* opportunities.put(opportunity, null, Opportunity.historyEntry(opportunity, undefined))
    const next = { ...opportunity, stage: "proposal", version: 2 }
    yield* opportunities.put(next, 1, Opportunity.historyEntry(next, opportunity))
    yield* opportunities.get(t, "O1", restricted)
    yield* opportunities.list({ tenant: t, visibility: restricted, after: "O0", limit: 10 })
    yield* opportunities.list({ tenant: t, visibility: restricted, account: { customerNumber: "C1" }, limit: 10 })
    yield* opportunities.list({ tenant: t, visibility: restricted, account: { prospectId: "P1" }, limit: 10 })
    yield* opportunities.list({ tenant: t, visibility: restricted, owner: "li.na", limit: 10 })
    yield* opportunities.history(t, "O1")
    yield* opportunities.accountHistory({ tenant: t, account: { customerNumber: "C1" }, visibility: restricted, limit: 10 })
    yield* opportunities.accountHistory({
      tenant: t,
      account: { prospectId: "P1" },
      visibility: restricted,
      before: { at: stamp, opportunityId: "O9", seq: 1 },
      limit: 10
    })
    yield* opportunities.pipeline({ tenant: t, visibility: restricted, by: "owner", closeFrom: "2027-01-01", closeTo: "2027-12-31" })
    yield* opportunities.pipeline({ tenant: t, visibility: restricted, by: "none", asOf: stamp })
    yield* opportunities.linkProspect(t, "P1", "C1", "u", stamp)
  })
  const queries: Array<readonly [string, ReadonlyArray<unknown>]> = []
  yield* tx.withTransaction(ops.pipe(Statement.withTransformer(recordInto(queries))))
  return queries
})

it("every query the sales ports make uses an index led by the tenant; no table is scanned", async () => {
  const config = { filename: tempDatabase("sales-plans").filename }
  const queries = await Effect.runPromise(
    Effect.scoped(Effect.flatMap(Layer.build(SqliteCrmStore.layer(config)), (ctx) => Effect.provide(everyQuery, ctx)))
  )
  const plans = await explain(config.filename, queries)
  expect(plans.length).toBeGreaterThan(20)
  expect(tableScans(plans)).toEqual([])
  expectTenantLed(plans)
  // The pipeline is one aggregate over the pipeline index; the duplicate check reads the folded-key indexes.
  const pipeline = plans.find(([text]) => text.includes("GROUP BY") && text.includes("crm_opportunities o2"))
  expect(pipeline?.[1].join(" | ")).toMatch(/crm_opportunities_pipeline \(tenant=\? AND status=\? AND close_date>\? AND close_date<\?\)/)
  const duplicates = plans.filter(([text]) => text.includes("lower("))
  expect(duplicates.map(([, d]) => d.join(" | ")).join("\n")).toMatch(/crm_customers_by_name_key/)
  expect(duplicates.map(([, d]) => d.join(" | ")).join("\n")).toMatch(/crm_contact_persons_by_email_key/)
})
