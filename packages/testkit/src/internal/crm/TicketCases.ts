/**
 * One case per sentence of the `TicketStore` doc comment, and the tickets service on the store
 * under test: breach detection and escalation (idempotent, also when runs race), changes of
 * priority (due times, events, breaches after them), the ticket events
 * on the timeline and in the 360° view, and the authorization test over every ticket read path.
 *
 * @internal
 */
import { Actor, CustomerStore, Errors, StoreTransaction } from "@partnerkit/core"
import { Account360, ActivityStore, CrmErrors, ServiceConfig, Sla, type Ticket, TicketStore, Tickets, Timeline } from "@partnerkit/crm"
import { Clock, Effect, Option } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, concurrently, failureOf, make, partition } from "../Case.js"
import { all, assigned, crmPorts, ownership, type StorePorts, user, visibility, withServices } from "./Support.js"

const at = (iso: string) => new Date(iso).toISOString()

export const ticket = (tenant: string, id: string, overrides: Partial<Ticket.Ticket> = {}): Ticket.Ticket => ({
  tenant,
  id,
  customerNumber: "C0001",
  subject: `Ticket ${id}`,
  category: "incident",
  priority: "P2",
  status: "new",
  statusKind: "open",
  slaProfile: "STANDARD",
  openedAt: F.timestamp,
  firstResponseDueAt: "2024-01-15T09:30:00.000Z",
  resolutionDueAt: "2024-01-16T08:30:00.000Z",
  pausedMs: 0,
  eventCount: 1,
  version: 1,
  createdBy: "tester",
  createdAt: F.timestamp,
  changedBy: "tester",
  changedAt: F.timestamp,
  ...overrides
})

export const ticketEvent = (t: Ticket.Ticket, seq: number, overrides: Partial<Ticket.TicketEvent> = {}): Ticket.TicketEvent => ({
  tenant: t.tenant,
  ticketId: t.id,
  seq,
  customerNumber: t.customerNumber,
  kind: "status",
  at: t.changedAt,
  by: "tester",
  ...overrides
})

/** A clock the case sets by hand, so SLA times are exact on every store. */
export const manualClock = (startIso: string) => {
  let now = Date.parse(startIso)
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => now,
    currentTimeMillis: Effect.sync(() => now),
    unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    sleep: () => Effect.void
  }
  return {
    clock,
    set: (iso: string) =>
      Effect.sync(() => {
        now = Date.parse(iso)
      })
  }
}

/** Customers C0001 (no group, owned by li.na), C0002 (group G2, owned by bo) in `tenant`. */
const twoCustomers = (tenant: string) =>
  Effect.gen(function* () {
    const customers = yield* CustomerStore
    const { owners } = yield* crmPorts
    yield* customers.insert(F.customer(tenant, "C0001"))
    yield* customers.insert(F.customer(tenant, "C0002", { general: F.general({ authorizationGroup: "G2" }) }))
    yield* owners.put(ownership(tenant, "C0001", { owner: "li.na" }), null)
    yield* owners.put(ownership(tenant, "C0002", { owner: "bo" }), null)
  })

const hiddenViews: ReadonlyArray<readonly [string, ReturnType<typeof visibility>]> = [
  ["by group", visibility(["G1"])],
  ["by scope", visibility("all", assigned("li.na"))]
]

export const cases: ReadonlyArray<Case<StorePorts>> = [
  make("TicketStore.get: none for an unknown id, another tenant's ticket, or a hidden customer", () =>
    Effect.gen(function* () {
      const tickets = yield* TicketStore
      const tenant = F.tenantId()
      yield* twoCustomers(tenant)
      yield* tickets.put(ticket(`${tenant}x`, "T1"), null, [])
      yield* tickets.put(ticket(tenant, "T2", { customerNumber: "C0002" }), null, [])
      yield* tickets.put(ticket(tenant, "T3", { customerNumber: "C9999" }), null, [])
      expect(Option.isNone(yield* tickets.get(tenant, "T1", all))).toBe(true)
      expect(Option.isSome(yield* tickets.get(`${tenant}x`, "T1", all))).toBe(true)
      expect(Option.isSome(yield* tickets.get(tenant, "T2", all))).toBe(true)
      for (const [, v] of hiddenViews) expect(Option.isNone(yield* tickets.get(tenant, "T2", v))).toBe(true)
      expect(Option.isSome(yield* tickets.get(tenant, "T2", visibility(["G2"], assigned("bo"))))).toBe(true)
      // A ticket of a customer that does not exist is visible only without any restriction.
      expect(Option.isSome(yield* tickets.get(tenant, "T3", all))).toBe(true)
      expect(Option.isNone(yield* tickets.get(tenant, "T3", visibility(["G1"])))).toBe(true)
    })
  ),

  make("TicketStore.put: writes ticket and events only from the stored version; otherwise VersionConflict, neither written", () =>
    Effect.gen(function* () {
      const tickets = yield* TicketStore
      const tenant = F.tenantId()
      const first = ticket(tenant, "T1")
      yield* tickets.put(first, null, [ticketEvent(first, 1, { kind: "opened", toStatus: "new" })])
      expect(yield* failureOf(tickets.put({ ...first, subject: "Twice" }, null, [ticketEvent(first, 2)]))).toMatchObject({
        _tag: "VersionConflict",
        expected: 0,
        actual: 1
      })
      const second = { ...first, status: "in_progress", version: 2, eventCount: 2 }
      yield* tickets.put(second, 1, [ticketEvent(second, 2, { fromStatus: "new", toStatus: "in_progress" })])
      expect(yield* failureOf(tickets.put({ ...second, version: 3, subject: "Stale" }, 1, [ticketEvent(second, 3)]))).toMatchObject({
        _tag: "VersionConflict",
        expected: 1,
        actual: 2
      })
      expect(yield* failureOf(tickets.put(ticket(tenant, "T9", { version: 2 }), 1, []))).toMatchObject({
        _tag: "VersionConflict",
        actual: 0
      })
      expect(Option.getOrUndefined(yield* tickets.get(tenant, "T1", all))).toEqual(second)
      expect((yield* tickets.events(tenant, "T1", all)).map((e) => e.seq)).toEqual([1, 2])
      expect(Option.isNone(yield* tickets.get(tenant, "T9", all))).toBe(true)
    })
  ),

  make("TicketStore.put: of two concurrent puts from the same version exactly one succeeds, with its events", () =>
    Effect.gen(function* () {
      const tickets = yield* TicketStore
      const tenant = F.tenantId()
      const first = ticket(tenant, "T1")
      yield* tickets.put(first, null, [ticketEvent(first, 1)])
      const outcomes = yield* concurrently(
        [1, 2, 3, 4].map((i) =>
          tickets.put({ ...first, subject: `Writer ${i}`, version: 2, eventCount: 2 }, 1, [ticketEvent(first, 2, { note: `Writer ${i}` })])
        )
      )
      const { successes, failures } = partition(outcomes)
      expect(successes.length).toBe(1)
      expect(failures.every((f) => f instanceof Errors.VersionConflict)).toBe(true)
      const stored = Option.getOrThrow(yield* tickets.get(tenant, "T1", all))
      const events = yield* tickets.events(tenant, "T1", all)
      expect(events.map((e) => e.seq)).toEqual([1, 2])
      expect(events[1]?.note).toBe(stored.subject)
    })
  ),

  make("TicketStore.listByAccount: newest first, openOnly, before the position, at most limit, visibility inside the query", () =>
    Effect.gen(function* () {
      const tickets = yield* TicketStore
      const tenant = F.tenantId()
      yield* twoCustomers(tenant)
      const rows = [
        ticket(tenant, "T1", { openedAt: at("2024-01-10T08:00:00Z") }),
        ticket(tenant, "T2", { openedAt: at("2024-01-12T08:00:00Z"), status: "resolved", statusKind: "resolved" }),
        ticket(tenant, "T3", { openedAt: at("2024-01-12T08:00:00Z"), status: "waiting_for_customer", statusKind: "waiting" }),
        ticket(tenant, "T4", { openedAt: at("2024-01-14T08:00:00Z"), status: "closed", statusKind: "closed" }),
        ticket(tenant, "T5", { openedAt: at("2024-01-11T08:00:00Z"), customerNumber: "C0002" })
      ]
      for (const t of rows) yield* tickets.put(t, null, [])
      const ids = (ts: ReadonlyArray<Ticket.Ticket>) => ts.map((t) => t.id)
      const q = { tenant, customerNumber: "C0001", visibility: all }
      expect(ids(yield* tickets.listByAccount({ ...q, limit: 10 }))).toEqual(["T4", "T3", "T2", "T1"])
      expect(ids(yield* tickets.listByAccount({ ...q, openOnly: true, limit: 10 }))).toEqual(["T3", "T1"])
      expect(ids(yield* tickets.listByAccount({ ...q, before: { openedAt: at("2024-01-12T08:00:00Z"), id: "T3" }, limit: 10 }))).toEqual([
        "T2",
        "T1"
      ])
      expect(ids(yield* tickets.listByAccount({ ...q, limit: 2 }))).toEqual(["T4", "T3"])
      expect(yield* tickets.listByAccount({ ...q, limit: 0 })).toEqual([])
      for (const [, v] of hiddenViews) {
        expect(yield* tickets.listByAccount({ tenant, customerNumber: "C0002", visibility: v, limit: 10 })).toEqual([])
      }
      expect(
        ids(yield* tickets.listByAccount({ tenant, customerNumber: "C0001", visibility: visibility(["G1"], assigned("li.na")), limit: 10 }))
      ).toEqual(["T4", "T3", "T2", "T1"])
    })
  ),

  make("TicketStore.events: in seq order; none for a hidden or unknown ticket", () =>
    Effect.gen(function* () {
      const tickets = yield* TicketStore
      const tenant = F.tenantId()
      yield* twoCustomers(tenant)
      const t = ticket(tenant, "T1", { customerNumber: "C0002", eventCount: 3 })
      yield* tickets.put(t, null, [ticketEvent(t, 1, { kind: "opened" }), ticketEvent(t, 2), ticketEvent(t, 3, { kind: "firstResponse" })])
      expect((yield* tickets.events(tenant, "T1", all)).map((e) => [e.seq, e.kind])).toEqual([
        [1, "opened"],
        [2, "status"],
        [3, "firstResponse"]
      ])
      for (const [, v] of hiddenViews) expect(yield* tickets.events(tenant, "T1", v)).toEqual([])
      expect(yield* tickets.events(tenant, "T9", all)).toEqual([])
    })
  ),

  make(
    "TicketStore.eventsByAccount: the customer's events newest first (at, ticket id, seq), before the position, at most limit, visible only",
    () =>
      Effect.gen(function* () {
        const tickets = yield* TicketStore
        const tenant = F.tenantId()
        yield* twoCustomers(tenant)
        const a = ticket(tenant, "TA")
        const b = ticket(tenant, "TB")
        const hidden = ticket(tenant, "TC", { customerNumber: "C0002" })
        const t1 = at("2024-01-15T09:00:00Z")
        const t2 = at("2024-01-15T10:00:00Z")
        yield* tickets.put(a, null, [ticketEvent(a, 1, { at: t1 }), ticketEvent(a, 2, { at: t2 }), ticketEvent(a, 3, { at: t2 })])
        yield* tickets.put(b, null, [ticketEvent(b, 1, { at: t2 })])
        yield* tickets.put(hidden, null, [ticketEvent(hidden, 1, { at: t2 })])
        const keys = (es: ReadonlyArray<Ticket.TicketEvent>) => es.map((e) => `${e.ticketId}/${e.seq}`)
        const q = { tenant, customerNumber: "C0001", visibility: all }
        expect(keys(yield* tickets.eventsByAccount({ ...q, limit: 10 }))).toEqual(["TB/1", "TA/3", "TA/2", "TA/1"])
        expect(keys(yield* tickets.eventsByAccount({ ...q, before: { at: t2, ticketId: "TA", seq: 3 }, limit: 10 }))).toEqual([
          "TA/2",
          "TA/1"
        ])
        expect(keys(yield* tickets.eventsByAccount({ ...q, limit: 2 }))).toEqual(["TB/1", "TA/3"])
        for (const [, v] of hiddenViews) {
          expect(yield* tickets.eventsByAccount({ tenant, customerNumber: "C0002", visibility: v, limit: 10 })).toEqual([])
        }
        expect(keys(yield* tickets.eventsByAccount({ tenant, customerNumber: "C0002", visibility: all, limit: 10 }))).toEqual(["TC/1"])
      })
  ),

  make(
    "TicketStore.breachCandidates: running, unreached, unrecorded targets due strictly before asOf; by id after `after`; visible only",
    () =>
      Effect.gen(function* () {
        const tickets = yield* TicketStore
        const tenant = F.tenantId()
        yield* twoCustomers(tenant)
        const asOf = at("2024-01-15T12:00:00Z")
        const early = at("2024-01-15T10:00:00Z")
        const late = at("2024-01-16T10:00:00Z")
        const rows = [
          ticket(tenant, "T1", { firstResponseDueAt: early, resolutionDueAt: late }),
          ticket(tenant, "T2", { firstResponseDueAt: early, resolutionDueAt: late, firstResponseAt: early }),
          ticket(tenant, "T3", { firstResponseDueAt: early, resolutionDueAt: early, firstResponseAt: early }),
          ticket(tenant, "T4", { firstResponseDueAt: early, resolutionDueAt: late, firstResponseBreachedAt: early }),
          ticket(tenant, "T5", { firstResponseDueAt: early, resolutionDueAt: early, pausedSince: early }),
          ticket(tenant, "T6", { firstResponseDueAt: asOf, resolutionDueAt: late }),
          ticket(tenant, "T7", { firstResponseDueAt: early, resolutionDueAt: early, firstResponseAt: early, resolvedAt: early }),
          ticket(tenant, "T8", { firstResponseDueAt: early, resolutionDueAt: late, customerNumber: "C0002" })
        ]
        for (const t of rows) yield* tickets.put(t, null, [])
        const ids = (ts: ReadonlyArray<Ticket.Ticket>) => ts.map((t) => t.id)
        expect(ids(yield* tickets.breachCandidates({ tenant, visibility: all, asOf, limit: 10 }))).toEqual(["T1", "T3", "T8"])
        expect(ids(yield* tickets.breachCandidates({ tenant, visibility: all, asOf, after: "T1", limit: 1 }))).toEqual(["T3"])
        expect(ids(yield* tickets.breachCandidates({ tenant, visibility: visibility(["G1"]), asOf, limit: 10 }))).toEqual(["T1", "T3"])
        expect(ids(yield* tickets.breachCandidates({ tenant, visibility: all, asOf: early, limit: 10 }))).toEqual([])
        // A write that reaches the target takes the ticket out.
        yield* tickets.put({ ...rows[0]!, firstResponseAt: early, version: 2 }, 1, [])
        expect(ids(yield* tickets.breachCandidates({ tenant, visibility: all, asOf, limit: 10 }))).toEqual(["T3", "T8"])
      })
  ),

  make("TicketStore.openedBetween: opened in [from, to), by openedAt then id, after the position, visible only", () =>
    Effect.gen(function* () {
      const tickets = yield* TicketStore
      const tenant = F.tenantId()
      yield* twoCustomers(tenant)
      const rows = [
        ticket(tenant, "T1", { openedAt: at("2024-01-01T00:00:00Z") }),
        ticket(tenant, "T2", { openedAt: at("2024-01-05T00:00:00Z") }),
        ticket(tenant, "T0", { openedAt: at("2024-01-05T00:00:00Z") }),
        ticket(tenant, "T3", { openedAt: at("2024-01-31T23:59:59Z"), customerNumber: "C0002" }),
        ticket(tenant, "T4", { openedAt: at("2024-02-01T00:00:00Z") }),
        ticket(`${tenant}x`, "T5", { openedAt: at("2024-01-05T00:00:00Z") })
      ]
      for (const t of rows) yield* tickets.put(t, null, [])
      const ids = (ts: ReadonlyArray<Ticket.Ticket>) => ts.map((t) => t.id)
      const q = { tenant, from: at("2024-01-01T00:00:00Z"), to: at("2024-02-01T00:00:00Z"), visibility: all }
      expect(ids(yield* tickets.openedBetween({ ...q, limit: 10 }))).toEqual(["T1", "T0", "T2", "T3"])
      expect(ids(yield* tickets.openedBetween({ ...q, after: { openedAt: at("2024-01-05T00:00:00Z"), id: "T0" }, limit: 10 }))).toEqual([
        "T2",
        "T3"
      ])
      expect(ids(yield* tickets.openedBetween({ ...q, limit: 2 }))).toEqual(["T1", "T0"])
      for (const [, v] of hiddenViews) expect(ids(yield* tickets.openedBetween({ ...q, visibility: v, limit: 10 }))).not.toContain("T3")
    })
  ),

  make("TicketStore: tickets and events come back as written (equipment, absent fields absent)", () =>
    Effect.gen(function* () {
      const tickets = yield* TicketStore
      const tenant = F.tenantId()
      const full = ticket(tenant, "T1", {
        contactId: "0001",
        equipment: { id: "BUS-4711", endUser: "C0002" },
        description: "Klimaanlage fällt aus — Linie 12 「バス」",
        owner: "li.na",
        team: "FIELD",
        pausedMs: 3_600_000,
        pausedSince: at("2024-01-15T10:00:00Z"),
        eventCount: 1
      })
      const event = ticketEvent(full, 1, {
        kind: "escalation",
        target: "resolution",
        dueAt: full.resolutionDueAt,
        owner: "lead",
        activityId: "A1"
      })
      yield* tickets.put(full, null, [event])
      expect(Option.getOrUndefined(yield* tickets.get(tenant, "T1", all))).toEqual(full)
      expect(yield* tickets.events(tenant, "T1", all)).toEqual([event])
      const bare = ticket(tenant, "T2")
      yield* tickets.put(bare, null, [])
      const stored = Option.getOrThrow(yield* tickets.get(tenant, "T2", all))
      expect(stored).toEqual(bare)
      expect(Object.keys(stored)).not.toContain("equipment")
    })
  ),

  make("TicketStore: inside a transaction, a failure rolls back the ticket and its events", () =>
    Effect.gen(function* () {
      const tickets = yield* TicketStore
      const tx = yield* StoreTransaction
      const tenant = F.tenantId()
      const t = ticket(tenant, "T1")
      const failed = yield* Effect.either(
        tx.withTransaction(Effect.zipRight(tickets.put(t, null, [ticketEvent(t, 1)]), Effect.fail("abort" as const)))
      )
      expect(failed._tag).toBe("Left")
      expect(Option.isNone(yield* tickets.get(tenant, "T1", all))).toBe(true)
      expect(yield* tickets.events(tenant, "T1", all)).toEqual([])
    })
  ),

  make("Tickets.detectBreaches: each breach recorded once, escalated with an event and a task; racing runs record it once", () => {
    const tenant = F.tenantId()
    const time = manualClock("2026-03-02T08:00:00Z") // Monday 09:00 in Berlin
    return withServices(
      tenant,
      {
        visibility: { rule: "all" },
        teams: { FIELD: { members: ["li.na"] } },
        service: {
          ...ServiceConfig.preset,
          escalation: { owner: "service.lead", teamOwners: { FIELD: "field.lead" }, taskDueMinutes: 15 }
        }
      },
      Effect.gen(function* () {
        const services = yield* Effect.all({ tickets: Tickets.Tickets, activities: ActivityStore })
        const customers = yield* CustomerStore
        yield* customers.insert(F.customer(tenant, "C0001"))
        const desk = user(tenant, "desk")
        const urgent = yield* services.tickets.open({
          actor: desk,
          customerNumber: "C0001",
          category: "incident",
          priority: "P1",
          subject: "Line down",
          team: "FIELD"
        })
        // P1: first response within 30 business minutes, resolution within 4 business hours (09:00–12:00, 13:00–14:00).
        expect(urgent.firstResponseDueAt).toBe("2026-03-02T08:30:00.000Z")
        expect(urgent.resolutionDueAt).toBe("2026-03-02T13:00:00.000Z")
        expect((yield* services.tickets.detectBreaches({ actor: desk, asOf: "2026-03-02T08:30:00Z" })).breaches).toEqual([])

        const runs = yield* Effect.all(
          [1, 2, 3].map(() => services.tickets.detectBreaches({ actor: desk, asOf: "2026-03-02T08:31:00Z" })),
          { concurrency: "unbounded" }
        )
        const breaches = runs.flatMap((r) => r.breaches)
        expect(breaches.map((b) => [b.ticketId, b.target, b.dueAt, b.escalatedTo])).toEqual([
          [urgent.id, "firstResponse", "2026-03-02T08:30:00.000Z", "field.lead"]
        ])
        const task = Option.getOrThrow(yield* services.activities.get(tenant, breaches[0]!.activityId, all))
        expect(task).toMatchObject({
          kind: "task",
          status: "open",
          owner: "field.lead",
          ticketId: urgent.id,
          customerNumber: "C0001",
          dueAt: "2026-03-02T08:46:00.000Z"
        })
        const events = yield* services.tickets.history({ actor: desk, id: urgent.id })
        expect(events.map((e) => [e.seq, e.kind, e.target])).toEqual([
          [1, "opened", undefined],
          [2, "breach", "firstResponse"],
          [3, "escalation", "firstResponse"]
        ])
        expect(events[2]).toMatchObject({ owner: "field.lead", activityId: task.id, dueAt: "2026-03-02T08:30:00.000Z" })
        // Run again: nothing new.
        expect((yield* services.tickets.detectBreaches({ actor: desk, asOf: "2026-03-02T09:00:00Z" })).breaches).toEqual([])

        // Responding late does not undo the breach; the resolution target breaches later.
        yield* time.set("2026-03-02T09:00:00Z")
        const responded = yield* services.tickets.transition({ actor: desk, id: urgent.id, to: "in_progress" })
        expect(responded).toMatchObject({
          firstResponseAt: "2026-03-02T09:00:00.000Z",
          firstResponseBreachedAt: "2026-03-02T08:30:00.000Z"
        })
        const later = yield* services.tickets.detectBreaches({ actor: desk, asOf: "2026-03-02T13:00:01Z" })
        expect(later.breaches.map((b) => [b.target, b.dueAt])).toEqual([["resolution", "2026-03-02T13:00:00.000Z"]])
        expect((yield* services.tickets.get({ actor: desk, id: urgent.id })).resolutionBreachedAt).toBe("2026-03-02T13:00:00.000Z")
      }).pipe(Effect.withClock(time.clock))
    )
  }),

  make("Tickets: status flow and first response, the clock paused while waiting; the timeline and the 360° view show the ticket", () => {
    const tenant = F.tenantId()
    const time = manualClock("2026-03-02T08:00:00Z") // Monday 09:00 in Berlin
    return withServices(
      tenant,
      { visibility: { rule: "all" } },
      Effect.gen(function* () {
        const { tickets, timeline, views } = yield* Effect.all({
          tickets: Tickets.Tickets,
          timeline: Timeline.Timeline,
          views: Account360.Account360
        })
        const customers = yield* CustomerStore
        yield* customers.insert(F.customer(tenant, "C0001"))
        const desk = user(tenant, "desk")
        const opened = yield* tickets.open({
          actor: desk,
          customerNumber: "C0001",
          category: "question",
          priority: "P2",
          subject: "Invoice copy"
        })
        // P2: 1 business hour to respond, 8 to resolve: Monday 09:00 + 8 h = Tuesday 09:00 (lunch 12–13).
        expect(opened).toMatchObject({
          status: "new",
          statusKind: "open",
          slaProfile: "STANDARD",
          firstResponseDueAt: "2026-03-02T09:00:00.000Z"
        })
        expect(opened.resolutionDueAt).toBe("2026-03-03T08:00:00.000Z")
        const closedAtOnce = yield* failureOf(tickets.transition({ actor: desk, id: opened.id, to: "nowhere" }))
        expect(closedAtOnce).toBeInstanceOf(Errors.ValidationFailed)

        yield* time.set("2026-03-02T09:00:00Z") // 10:00 Berlin
        const waiting = yield* tickets.transition({ actor: desk, id: opened.id, to: "waiting_for_customer", version: 1 })
        expect(waiting).toMatchObject({ firstResponseAt: "2026-03-02T09:00:00.000Z", pausedSince: "2026-03-02T09:00:00.000Z", version: 2 })
        yield* time.set("2026-03-03T09:00:00Z") // Tuesday 10:00: the clock stood still for 8 business hours
        const resumed = yield* tickets.transition({ actor: desk, id: opened.id, to: "in_progress" })
        expect(resumed.pausedMs).toBe(8 * 3_600_000)
        expect(resumed.pausedSince).toBeUndefined()
        expect(resumed.firstResponseDueAt).toBe("2026-03-02T09:00:00.000Z")
        expect(resumed.resolutionDueAt).toBe("2026-03-04T08:00:00.000Z") // Wednesday 09:00
        const invalid = yield* failureOf(tickets.transition({ actor: desk, id: opened.id, to: "closed" }))
        expect(invalid).toBeInstanceOf(CrmErrors.TicketTransitionInvalid)
        expect(invalid).toMatchObject({ from: "in_progress", to: "closed", allowed: ["waiting_for_customer", "resolved"] })
        expect(yield* failureOf(tickets.transition({ actor: desk, id: opened.id, to: "resolved", version: 2 }))).toBeInstanceOf(
          Errors.VersionConflict
        )

        const view = yield* views.view({ actor: desk, customerNumber: "C0001", asOf: "2026-03-03T10:00:00Z" })
        expect(view.openTickets.map((o) => [o.ticket.id, o.sla.firstResponse.state, o.sla.resolution.state])).toEqual([
          [opened.id, "met", "running"]
        ])
        expect(view.openTickets[0]?.sla.resolution.remainingMs).toBe(6 * 3_600_000)

        yield* time.set("2026-03-03T10:00:00Z")
        const resolved = yield* tickets.transition({ actor: desk, id: opened.id, to: "resolved", note: "Sent the copy" })
        expect(resolved).toMatchObject({ statusKind: "resolved", resolvedAt: "2026-03-03T10:00:00.000Z" })
        expect((yield* views.view({ actor: desk, customerNumber: "C0001" })).openTickets).toEqual([])
        const page = yield* timeline.entries({ actor: desk, account: { customerNumber: "C0001" }, limit: 50 })
        const ticketEntries = page.items.flatMap((e) => (e.kind === "ticket" ? [`${e.event.kind}:${e.event.toStatus ?? ""}`] : []))
        // Newest first; the first response (seq 3) was recorded with the move to waiting (seq 2), at the same instant.
        expect(ticketEntries).toEqual([
          "status:resolved",
          "status:in_progress",
          "firstResponse:",
          "status:waiting_for_customer",
          "opened:new"
        ])
        // Paging through the timeline two at a time yields the same entries.
        const paged: Array<string> = []
        let cursor: string | undefined
        do {
          const next = yield* timeline.entries({ actor: desk, account: { customerNumber: "C0001" }, limit: 2, cursor })
          for (const e of next.items) if (e.kind === "ticket") paged.push(`${e.event.kind}:${e.event.toStatus ?? ""}`)
          cursor = next.nextCursor
        } while (cursor !== undefined)
        expect(paged).toEqual(ticketEntries)
      }).pipe(Effect.withClock(time.clock))
    )
  }),

  make(
    "Tickets.reprioritize: due times recomputed from the opening with the new targets and the paused time; a `priority` event in the history and on the timeline; the same priority changes nothing",
    () => {
      const tenant = F.tenantId()
      const time = manualClock("2026-03-02T08:00:00Z") // Monday 09:00 in Berlin
      return withServices(
        tenant,
        { visibility: { rule: "all" } },
        Effect.gen(function* () {
          const { tickets, timeline } = yield* Effect.all({ tickets: Tickets.Tickets, timeline: Timeline.Timeline })
          const customers = yield* CustomerStore
          yield* customers.insert(F.customer(tenant, "C0001"))
          const desk = user(tenant, "desk")
          const opened = yield* tickets.open({
            actor: desk,
            customerNumber: "C0001",
            category: "incident",
            priority: "P3",
            subject: "Door"
          })
          // P3: 4 business hours to respond (Monday 14:00 Berlin), 24 to resolve (Thursday 09:00 Berlin).
          expect([opened.firstResponseDueAt, opened.resolutionDueAt]).toEqual(["2026-03-02T13:00:00.000Z", "2026-03-05T08:00:00.000Z"])
          yield* time.set("2026-03-02T09:00:00Z") // Monday 10:00: responded, waiting for the customer
          yield* tickets.transition({ actor: desk, id: opened.id, to: "waiting_for_customer" })
          yield* time.set("2026-03-03T09:00:00Z") // Tuesday 10:00: 8 business hours paused
          const resumed = yield* tickets.transition({ actor: desk, id: opened.id, to: "in_progress" })
          expect(resumed).toMatchObject({ pausedMs: 8 * 3_600_000, version: 3, resolutionDueAt: "2026-03-06T08:00:00.000Z" })
          expect(Sla.stateOf(ServiceConfig.preset, resumed, "2026-03-03T09:00:00Z").firstResponse.state).toBe("met")

          yield* time.set("2026-03-03T10:00:00Z")
          const urgent = yield* tickets.reprioritize({
            actor: desk,
            id: opened.id,
            priority: "P1",
            reason: "Customer escalated",
            version: 3
          })
          expect(urgent).toMatchObject({
            priority: "P1",
            version: 4,
            eventCount: 5,
            changedBy: "desk",
            changedAt: "2026-03-03T10:00:00.000Z",
            firstResponseAt: "2026-03-02T09:00:00.000Z",
            pausedMs: 8 * 3_600_000
          })
          // The first response was reached before the pause: due 30 business minutes after opening, so missed now.
          expect(urgent.firstResponseDueAt).toBe("2026-03-02T08:30:00.000Z")
          // Unreached: 4 business hours plus the 8 paused ones after opening — Tuesday 14:00 Berlin.
          expect(urgent.resolutionDueAt).toBe("2026-03-03T13:00:00.000Z")
          const state = Sla.stateOf(ServiceConfig.preset, urgent, "2026-03-03T10:00:00Z")
          expect([state.firstResponse.state, state.resolution.state]).toEqual(["missed", "running"])
          expect(yield* tickets.get({ actor: desk, id: opened.id })).toEqual(urgent)

          const history = yield* tickets.history({ actor: desk, id: opened.id })
          expect(history.map((e) => e.kind)).toEqual(["opened", "status", "firstResponse", "status", "priority"])
          expect(history[4]).toEqual({
            tenant,
            ticketId: opened.id,
            seq: 5,
            customerNumber: "C0001",
            kind: "priority",
            at: "2026-03-03T10:00:00.000Z",
            by: "desk",
            fromPriority: "P3",
            toPriority: "P1",
            note: "Customer escalated"
          })
          const page = yield* timeline.entries({ actor: desk, account: { customerNumber: "C0001" }, limit: 50 })
          expect(page.items[0]).toMatchObject({ kind: "ticket", at: "2026-03-03T10:00:00.000Z", event: history[4] })

          // The same priority: returned unchanged, no event, no new version.
          yield* time.set("2026-03-03T11:00:00Z")
          expect(yield* tickets.reprioritize({ actor: desk, id: opened.id, priority: "P1" })).toEqual(urgent)
          expect((yield* tickets.history({ actor: desk, id: opened.id })).length).toBe(5)
          // Back to P3: the due times it had before, and no reason recorded when none is given.
          const back = yield* tickets.reprioritize({ actor: desk, id: opened.id, priority: "P3" })
          expect([back.firstResponseDueAt, back.resolutionDueAt]).toEqual([resumed.firstResponseDueAt, resumed.resolutionDueAt])
          const last = (yield* tickets.history({ actor: desk, id: opened.id })).at(-1)
          expect(last).toMatchObject({ seq: 6, kind: "priority", fromPriority: "P1", toPriority: "P3" })
          expect(Object.keys(last ?? {})).not.toContain("note")
        }).pipe(Effect.withClock(time.clock))
      )
    }
  ),

  make(
    "Tickets.reprioritize: an unknown priority, a stale version or a missing activity writes nothing; a hidden ticket is TicketNotFound",
    () => {
      const tenant = F.tenantId()
      const time = manualClock("2026-03-02T08:00:00Z")
      return withServices(
        tenant,
        { visibility: { rule: "own", unrestrictedUsers: ["admin"] } },
        Effect.gen(function* () {
          const tickets = yield* Tickets.Tickets
          yield* twoCustomers(tenant)
          const admin = Actor.superUser(tenant, "admin")
          const lina = user(tenant, "li.na", ["G1"])
          const mine = yield* tickets.open({ actor: admin, customerNumber: "C0001", category: "incident", priority: "P2", subject: "Mine" })
          const hidden = yield* tickets.open({
            actor: admin,
            customerNumber: "C0002",
            category: "incident",
            priority: "P2",
            subject: "Hidden"
          })
          yield* time.set("2026-03-02T09:00:00Z")

          const unknown = yield* failureOf(tickets.reprioritize({ actor: lina, id: mine.id, priority: "P9" }))
          expect(unknown).toBeInstanceOf(Errors.ValidationFailed)
          expect((unknown as Errors.ValidationFailed).messages.map((m) => m.path)).toEqual(["priority"])
          const blank = yield* failureOf(tickets.reprioritize({ actor: lina, id: mine.id, priority: " " }))
          expect(blank).toBeInstanceOf(Errors.ValidationFailed)
          expect(yield* failureOf(tickets.reprioritize({ actor: lina, id: mine.id, priority: "P1", version: 7 }))).toMatchObject({
            _tag: "VersionConflict",
            expected: 7,
            actual: 1
          })
          const viewer = Actor.make({
            userId: "li.na",
            tenant,
            authorizationGroups: "*",
            companyCodes: "*",
            salesOrganizations: "*",
            activities: ["display"]
          })
          expect(yield* failureOf(tickets.reprioritize({ actor: viewer, id: mine.id, priority: "P1" }))).toBeInstanceOf(
            Errors.NotAuthorized
          )
          expect(yield* failureOf(tickets.reprioritize({ actor: lina, id: hidden.id, priority: "P1" }))).toBeInstanceOf(
            CrmErrors.TicketNotFound
          )
          expect(yield* failureOf(tickets.reprioritize({ actor: lina, id: "T-none", priority: "P1" }))).toBeInstanceOf(
            CrmErrors.TicketNotFound
          )
          // Nothing was written by any of them.
          expect(yield* tickets.get({ actor: admin, id: mine.id })).toEqual(mine)
          expect(yield* tickets.get({ actor: admin, id: hidden.id })).toEqual(hidden)
          expect((yield* tickets.history({ actor: admin, id: mine.id })).map((e) => e.kind)).toEqual(["opened"])
          expect((yield* tickets.history({ actor: admin, id: hidden.id })).map((e) => e.kind)).toEqual(["opened"])
          // The one who may see it may change it.
          expect((yield* tickets.reprioritize({ actor: admin, id: hidden.id, priority: "P1", version: 1 })).version).toBe(2)
        }).pipe(Effect.withClock(time.clock))
      )
    }
  ),

  make(
    "Tickets.reprioritize: a target the tighter priority puts in the past is a breach for the next detectBreaches; a recorded breach is not recorded twice",
    () => {
      const tenant = F.tenantId()
      const time = manualClock("2026-03-02T08:00:00Z") // Monday 09:00 in Berlin
      return withServices(
        tenant,
        { visibility: { rule: "all" } },
        Effect.gen(function* () {
          const tickets = yield* Tickets.Tickets
          const customers = yield* CustomerStore
          yield* customers.insert(F.customer(tenant, "C0001"))
          const desk = user(tenant, "desk")
          const low = yield* tickets.open({ actor: desk, customerNumber: "C0001", category: "question", priority: "P4", subject: "Slow" })
          yield* time.set("2026-03-02T10:00:00Z") // Monday 11:00: P4 is due to respond at 17:00
          expect((yield* tickets.detectBreaches({ actor: desk })).breaches).toEqual([])

          const urgent = yield* tickets.reprioritize({ actor: desk, id: low.id, priority: "P1" })
          expect([urgent.firstResponseDueAt, urgent.resolutionDueAt]).toEqual(["2026-03-02T08:30:00.000Z", "2026-03-02T13:00:00.000Z"])
          const first = yield* tickets.detectBreaches({ actor: desk })
          expect(first.breaches.map((b) => [b.ticketId, b.target, b.dueAt])).toEqual([
            [low.id, "firstResponse", "2026-03-02T08:30:00.000Z"]
          ])
          expect((yield* tickets.detectBreaches({ actor: desk })).breaches).toEqual([])

          // Still late under P2 (due 10:00 Berlin): the breach stays recorded, with the due time it was found at.
          const high = yield* tickets.reprioritize({ actor: desk, id: low.id, priority: "P2" })
          expect(high).toMatchObject({
            firstResponseDueAt: "2026-03-02T09:00:00.000Z",
            firstResponseBreachedAt: "2026-03-02T08:30:00.000Z",
            resolutionDueAt: "2026-03-03T08:00:00.000Z"
          })
          expect((yield* tickets.detectBreaches({ actor: desk })).breaches).toEqual([])
          expect((yield* tickets.detectBreaches({ actor: desk, asOf: "2026-03-02T13:00:01Z" })).breaches).toEqual([])

          // Back to P1: the resolution is due at 14:00 Berlin and breaches after it — once.
          yield* tickets.reprioritize({ actor: desk, id: low.id, priority: "P1" })
          const later = yield* tickets.detectBreaches({ actor: desk, asOf: "2026-03-02T13:00:01Z" })
          expect(later.breaches.map((b) => [b.target, b.dueAt])).toEqual([["resolution", "2026-03-02T13:00:00.000Z"]])
          expect((yield* tickets.detectBreaches({ actor: desk, asOf: "2026-03-02T15:00:00Z" })).breaches).toEqual([])
          const history = yield* tickets.history({ actor: desk, id: low.id })
          expect(history.map((e) => `${e.kind}:${e.toPriority ?? e.target ?? ""}`)).toEqual([
            "opened:",
            "priority:P1",
            "breach:firstResponse",
            "escalation:firstResponse",
            "priority:P2",
            "priority:P1",
            "breach:resolution",
            "escalation:resolution"
          ])
        }).pipe(Effect.withClock(time.clock))
      )
    }
  ),

  make(
    "Tickets: an actor never sees nor counts a ticket of a hidden account (get, history, list, timeline, 360°, breaches, compliance)",
    () => {
      const tenant = F.tenantId()
      const time = manualClock("2026-03-02T08:00:00Z")
      return withServices(
        tenant,
        { visibility: { rule: "own", unrestrictedUsers: ["admin"] } },
        Effect.gen(function* () {
          const { tickets, timeline, views } = yield* Effect.all({
            tickets: Tickets.Tickets,
            timeline: Timeline.Timeline,
            views: Account360.Account360
          })
          yield* twoCustomers(tenant)
          const admin = Actor.superUser(tenant, "admin")
          const lina = user(tenant, "li.na", ["G1"])
          const mine = yield* tickets.open({ actor: admin, customerNumber: "C0001", category: "incident", priority: "P1", subject: "Mine" })
          const hidden = yield* tickets.open({
            actor: admin,
            customerNumber: "C0002",
            category: "incident",
            priority: "P1",
            subject: "Hidden"
          })
          expect(yield* failureOf(tickets.get({ actor: lina, id: hidden.id }))).toBeInstanceOf(CrmErrors.TicketNotFound)
          expect(yield* failureOf(tickets.history({ actor: lina, id: hidden.id }))).toBeInstanceOf(CrmErrors.TicketNotFound)
          expect(yield* failureOf(tickets.transition({ actor: lina, id: hidden.id, to: "in_progress" }))).toBeInstanceOf(
            CrmErrors.TicketNotFound
          )
          expect(yield* failureOf(tickets.listForAccount({ actor: lina, customerNumber: "C0002" }))).toBeInstanceOf(
            CrmErrors.AccountNotFound
          )
          expect(
            yield* failureOf(tickets.open({ actor: lina, customerNumber: "C0002", category: "incident", priority: "P1", subject: "x" }))
          ).toBeInstanceOf(CrmErrors.AccountNotFound)
          expect(yield* failureOf(timeline.entries({ actor: lina, account: { customerNumber: "C0002" } }))).toBeInstanceOf(
            CrmErrors.AccountNotFound
          )
          expect(yield* failureOf(views.view({ actor: lina, customerNumber: "C0002" }))).toBeInstanceOf(CrmErrors.AccountNotFound)
          expect((yield* tickets.listForAccount({ actor: lina, customerNumber: "C0001" })).items.map((t) => t.id)).toEqual([mine.id])

          const asOf = "2026-03-02T12:00:00Z"
          const report = yield* tickets.compliance({ actor: lina, from: "2026-03-01T00:00:00Z", to: "2026-03-03T00:00:00Z", asOf })
          expect(report.overall.tickets).toBe(1)
          expect(report.overall.firstResponse).toEqual({ met: 0, missed: 1, pending: 0, share: 0 })
          expect(
            (yield* tickets.compliance({ actor: admin, from: "2026-03-01T00:00:00Z", to: "2026-03-03T00:00:00Z", asOf })).overall.tickets
          ).toBe(2)
          const linasRun = yield* tickets.detectBreaches({ actor: lina, asOf })
          expect(linasRun.breaches.map((b) => b.ticketId)).toEqual([mine.id])
          // The hidden ticket is still a candidate for someone who may see it.
          const adminsRun = yield* tickets.detectBreaches({ actor: admin, asOf })
          expect(adminsRun.breaches.map((b) => b.ticketId)).toEqual([hidden.id])
        }).pipe(Effect.withClock(time.clock))
      )
    }
  )
]
