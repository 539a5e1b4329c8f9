import * as Statement from "@effect/sql/Statement"
import { StoreTransaction } from "@partnerkit/core"
import { AccountOwnershipStore, ActivityStore, ContactPreferenceStore, type Ownership, ProspectStore } from "@partnerkit/crm"
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
const groupsOnly: Ownership.AccountVisibility = { groups: { authorizationGroups: ["G1"] }, scope: { kind: "all" } }
const base = { version: 1, createdBy: "u", createdAt: stamp, changedBy: "u", changedAt: stamp }

/** Every query the CRM ports make, with restricted visibility and every filter, as [sql, params]. */
const everyQuery = Effect.gen(function* () {
  const prospects = yield* ProspectStore
  const owners = yield* AccountOwnershipStore
  const activities = yield* ActivityStore
  const preferences = yield* ContactPreferenceStore
  const tx = yield* StoreTransaction
  const activity = {
    ...base,
    tenant: t,
    id: "A1",
    kind: "call" as const,
    subject: "s",
    customerNumber: "C1",
    owner: "li.na",
    status: "open" as const,
    at: stamp,
    dueAt: stamp
  }
  const ops = Effect.gen(function* () {
    yield* prospects.put({ ...base, tenant: t, id: "P1", name: "n", contacts: [], owner: "li.na", status: "open" }, null)
    yield* prospects.put({ ...base, tenant: t, id: "P1", name: "n", contacts: [], owner: "li.na", status: "open", version: 2 }, 1)
    yield* prospects.get(t, "P1", restricted)
    yield* prospects.list({ tenant: t, visibility: restricted, after: "P0", limit: 10 })
    yield* prospects.list({ tenant: t, visibility: restricted, owner: "li.na", status: "open", limit: 10 })
    yield* owners.put({ tenant: t, customerNumber: "C1", owner: "li.na", version: 1, changedBy: "u", changedAt: stamp }, null)
    yield* owners.get(t, "C1")
    yield* owners.list({ tenant: t, visibility: restricted, after: "C0", limit: 10 })
    yield* owners.list({ tenant: t, visibility: groupsOnly, owner: "li.na", limit: 10 })
    yield* owners.list({ tenant: t, visibility: groupsOnly, team: "NORTH", limit: 10 })
    yield* owners.list({ tenant: t, visibility: groupsOnly, territory: "HH", limit: 10 })
    yield* activities.put(activity, null)
    yield* activities.put({ ...activity, version: 2 }, 1)
    yield* activities.get(t, "A1", restricted)
    yield* activities.listByAccount({
      tenant: t,
      account: { customerNumber: "C1" },
      visibility: restricted,
      before: { at: stamp, id: "A9" },
      limit: 10
    })
    yield* activities.listByAccount({ tenant: t, account: { prospectId: "P1" }, visibility: restricted, status: "open", limit: 10 })
    yield* activities.open({ tenant: t, visibility: restricted, owner: "li.na", dueBefore: stamp, limit: 10 })
    yield* activities.open({ tenant: t, visibility: restricted, dueBefore: stamp, limit: 10 })
    yield* activities.open({ tenant: t, visibility: restricted, account: { customerNumber: "C1" }, limit: 10 })
    yield* activities.summary({ tenant: t, account: { customerNumber: "C1" }, visibility: restricted, asOf: stamp })
    yield* activities.relink(t, "P1", "C1", "u", stamp)
    yield* preferences.put({
      tenant: t,
      customerNumber: "C1",
      channel: "email",
      consent: "granted",
      since: stamp,
      changedBy: "u",
      changedAt: stamp
    })
    yield* preferences.list(t, "C1")
  })
  const queries: Array<readonly [string, ReadonlyArray<unknown>]> = []
  yield* tx.withTransaction(ops.pipe(Statement.withTransformer(recordInto(queries))))
  return queries
})

it("every query the CRM ports make uses an index led by the tenant; no table is scanned", async () => {
  const config = { filename: tempDatabase("crm-plans").filename }
  const queries = await Effect.runPromise(
    Effect.scoped(Effect.flatMap(Layer.build(SqliteCrmStore.layer(config)), (ctx) => Effect.provide(everyQuery, ctx)))
  )
  const plans = await explain(config.filename, queries)
  expect(plans.length).toBeGreaterThan(20)
  expect(tableScans(plans)).toEqual([])
  expectTenantLed(plans)
  // The follow-ups of one owner come from the follow-up index, in due order without sorting.
  const followUps = plans.find(([text]) => text.includes("a.owner = ?") && text.includes("a.due_at < ?"))
  expect(followUps?.[1].join(" | ")).toMatch(/crm_activities_follow_ups \(tenant=\? AND owner=\? AND status=\? AND due_at<\?\)/)
  expect(followUps?.[1].join(" | ")).not.toMatch(/TEMP B-TREE/)
})
