import * as Statement from "@effect/sql/Statement"
import { StoreTransaction } from "@partnerkit/core"
import { type Ownership, type Ticket, TicketStore } from "@partnerkit/crm"
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
const ticket: Ticket.Ticket = {
  tenant: t,
  id: "T1",
  customerNumber: "C1",
  subject: "s",
  category: "incident",
  priority: "P1",
  status: "new",
  statusKind: "open",
  slaProfile: "STANDARD",
  openedAt: stamp,
  firstResponseDueAt: stamp,
  resolutionDueAt: stamp,
  pausedMs: 0,
  eventCount: 1,
  version: 1,
  createdBy: "u",
  createdAt: stamp,
  changedBy: "u",
  changedAt: stamp
}
const event: Ticket.TicketEvent = { tenant: t, ticketId: "T1", seq: 1, customerNumber: "C1", kind: "opened", at: stamp, by: "u" }

/** Every query the ticket port makes, with restricted visibility and every filter, as [sql, params]. */
const everyQuery = Effect.gen(function* () {
  const tickets = yield* TicketStore
  const tx = yield* StoreTransaction
  const ops = Effect.gen(function* () {
    yield* tickets.put(ticket, null, [event])
    yield* tickets.put({ ...ticket, version: 2, eventCount: 2 }, 1, [{ ...event, seq: 2 }])
    yield* tickets.get(t, "T1", restricted)
    yield* tickets.listByAccount({ tenant: t, customerNumber: "C1", visibility: restricted, openOnly: true, limit: 10 })
    yield* tickets.listByAccount({
      tenant: t,
      customerNumber: "C1",
      visibility: restricted,
      before: { openedAt: stamp, id: "T9" },
      limit: 10
    })
    yield* tickets.events(t, "T1", restricted)
    yield* tickets.eventsByAccount({ tenant: t, customerNumber: "C1", visibility: restricted, limit: 10 })
    yield* tickets.eventsByAccount({
      tenant: t,
      customerNumber: "C1",
      visibility: restricted,
      before: { at: stamp, ticketId: "T1", seq: 2 },
      limit: 10
    })
    yield* tickets.breachCandidates({ tenant: t, visibility: restricted, asOf: stamp, limit: 10 })
    yield* tickets.breachCandidates({ tenant: t, visibility: restricted, asOf: stamp, after: "T0", limit: 10 })
    yield* tickets.openedBetween({ tenant: t, visibility: restricted, from: stamp, to: stamp, limit: 10 })
    yield* tickets.openedBetween({
      tenant: t,
      visibility: restricted,
      from: stamp,
      to: stamp,
      after: { openedAt: stamp, id: "T0" },
      limit: 10
    })
  })
  const queries: Array<readonly [string, ReadonlyArray<unknown>]> = []
  yield* tx.withTransaction(ops.pipe(Statement.withTransformer(recordInto(queries))))
  return queries
})

it("every query of the ticket port uses an index led by the tenant; breach candidates come from the due-time indexes", async () => {
  const config = { filename: tempDatabase("ticket-plans").filename }
  const queries = await Effect.runPromise(
    Effect.scoped(Effect.flatMap(Layer.build(SqliteCrmStore.layer(config)), (ctx) => Effect.provide(everyQuery, ctx)))
  )
  const plans = await explain(config.filename, queries)
  expect(plans.length).toBeGreaterThan(10)
  expect(tableScans(plans)).toEqual([])
  expectTenantLed(plans)
  const breach = plans.find(([text]) => text.includes("response_due_at <"))
  const breachPlan = breach?.[1].join(" | ") ?? ""
  expect(breachPlan).toMatch(/crm_tickets_response_due \(tenant=\? AND response_due_at<\?\)/)
  expect(breachPlan).toMatch(/crm_tickets_resolution_due \(tenant=\? AND resolution_due_at<\?\)/)
  const timeline = plans.find(([text]) => text.includes("FROM crm_ticket_events e") && text.includes("e.customer_number = ?"))
  expect(timeline?.[1].join(" | ")).toMatch(/crm_ticket_events_by_customer \(tenant=\? AND customer_number=\?/)
  expect(timeline?.[1].join(" | ")).not.toMatch(/TEMP B-TREE/)
})
