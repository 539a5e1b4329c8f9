import { BusinessHours, CrmConfig, type ServiceConfig, Sla, type Ticket } from "@partnerkit/crm"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

const service = CrmConfig.preset().service
const calendar = service.calendars.OFFICE!
const minute = 60_000

const opened = (openedAt: string, priority = "P2"): Ticket.Ticket => {
  const draft = { slaProfile: "STANDARD", priority, openedAt }
  return {
    tenant: "acme",
    id: "T1",
    customerNumber: "C0001",
    subject: "s",
    category: "incident",
    priority,
    status: "new",
    statusKind: "open",
    slaProfile: "STANDARD",
    openedAt,
    firstResponseDueAt: Sla.dueAt(service, draft, "firstResponse", 0),
    resolutionDueAt: Sla.dueAt(service, draft, "resolution", 0),
    pausedMs: 0,
    eventCount: 1,
    version: 1,
    createdBy: "u",
    createdAt: openedAt,
    changedBy: "u",
    changedAt: openedAt
  }
}

describe("Sla", () => {
  it("judges each target: running, paused, breached, met and missed", () => {
    const ticket = opened("2026-03-02T08:00:00.000Z") // Monday 09:00 Berlin; P2: respond by 10:00, resolve by Tuesday 09:00
    expect(Sla.stateOf(service, ticket, "2026-03-02T08:30:00.000Z").firstResponse).toEqual({
      state: "running",
      dueAt: "2026-03-02T09:00:00.000Z",
      remainingMs: 30 * minute
    })
    expect(Sla.stateOf(service, ticket, "2026-03-02T09:00:01.000Z").firstResponse.state).toBe("breached")
    expect(
      Sla.stateOf(service, { ...ticket, firstResponseAt: "2026-03-02T09:00:00.000Z" }, "2026-03-09T00:00:00Z").firstResponse
    ).toMatchObject({
      state: "met"
    })
    expect(
      Sla.stateOf(service, { ...ticket, firstResponseAt: "2026-03-02T09:00:01.000Z" }, "2026-03-09T00:00:00Z").firstResponse
    ).toMatchObject({
      state: "missed"
    })
    const waiting = Sla.moveClock(
      service,
      { ...ticket, firstResponseAt: "2026-03-02T08:10:00.000Z" },
      "waiting",
      "2026-03-02T08:30:00.000Z"
    )
    // Paused: a week later the resolution is not breached, with the 7.5 business hours it had left.
    expect(Sla.stateOf(service, waiting, "2026-03-09T08:00:00Z").resolution).toEqual({
      state: "paused",
      dueAt: "2026-03-03T08:00:00.000Z",
      remainingMs: 7.5 * 60 * minute
    })
    // A breach recorded by detectBreaches stays a breach.
    expect(Sla.stateOf(service, { ...ticket, resolutionBreachedAt: ticket.resolutionDueAt }, "2026-03-02T08:00:00Z").resolution.state).toBe(
      "breached"
    )
  })

  it("property: however the status moves, an unreached target is due exactly its target plus the paused business time after opening", () => {
    const kinds = fc.constantFrom<ServiceConfig.StatusKind>("open", "waiting", "resolved", "closed")
    const step = fc.record({ kind: kinds, after: fc.integer({ min: 0, max: 4 * 24 * 60 * minute }) })
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.array(step, { maxLength: 8 }),
        fc.constantFrom("P1", "P2", "P3", "P4"),
        (start, steps, priority) => {
          let ticket = opened(new Date(start).toISOString(), priority)
          let now = start
          let pausedSince: number | undefined
          let expectedPaused = 0
          for (const s of [...steps, { kind: "open" as const, after: 60 * minute }]) {
            now += s.after
            const at = new Date(now).toISOString()
            ticket = Sla.moveClock(service, ticket, s.kind, at)
            const runs = s.kind === "open" // the preset profile pauses while waiting
            if (!runs && pausedSince === undefined) pausedSince = now
            if (runs && pausedSince !== undefined) {
              expectedPaused += BusinessHours.betweenMillis(calendar, pausedSince, now)
              pausedSince = undefined
            }
          }
          const target = service.slaProfiles.STANDARD!.targets[priority]!
          expect(ticket.pausedSince).toBeUndefined()
          expect(ticket.resolvedAt).toBeUndefined()
          expect(ticket.pausedMs).toBe(expectedPaused)
          expect(BusinessHours.between(calendar, ticket.openedAt, ticket.resolutionDueAt)).toBe(
            target.resolutionMinutes * minute + expectedPaused
          )
          expect(BusinessHours.between(calendar, ticket.openedAt, ticket.firstResponseDueAt)).toBe(
            target.firstResponseMinutes * minute + expectedPaused
          )
        }
      ),
      { numRuns: 150 }
    )
  })

  it("property: a ticket reprioritized at any point has the due times of one opened with the new priority and the same history", () => {
    const kinds = fc.constantFrom<ServiceConfig.StatusKind>("open", "waiting", "resolved", "closed")
    const step = fc.record({ kind: kinds, after: fc.integer({ min: 0, max: 4 * 24 * 60 * minute }), respond: fc.boolean() })
    const priority = fc.constantFrom("P1", "P2", "P3", "P4")
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.array(step, { maxLength: 8 }),
        priority,
        priority,
        fc.nat(8),
        (start, steps, from, to, switchAt) => {
          const openedAt = new Date(start).toISOString()
          let changed = opened(openedAt, from)
          let reference = opened(openedAt, to)
          let now = start
          steps.forEach((s, i) => {
            if (i === switchAt) changed = Sla.withPriority(service, changed, to)
            now += s.after
            const at = new Date(now).toISOString()
            if (s.respond && changed.firstResponseAt === undefined) {
              changed = { ...changed, firstResponseAt: at }
              reference = { ...reference, firstResponseAt: at }
            }
            changed = Sla.moveClock(service, changed, s.kind, at)
            reference = Sla.moveClock(service, reference, s.kind, at)
          })
          if (switchAt >= steps.length) changed = Sla.withPriority(service, changed, to)
          expect(changed).toEqual(reference)
        }
      ),
      { numRuns: 200 }
    )
  })

  it("withPriority: a reached target whose old priority is no longer configured counts all the paused time", () => {
    const ticket = {
      ...opened("2026-03-02T08:00:00.000Z"),
      priority: "P9",
      firstResponseAt: "2026-03-02T08:10:00.000Z",
      pausedMs: 60 * minute
    }
    const moved = Sla.withPriority(service, ticket, "P1")
    // 30 business minutes plus the paused hour after Monday 09:00 Berlin; the resolution, unreached, the same way.
    expect(moved).toMatchObject({
      priority: "P1",
      firstResponseDueAt: "2026-03-02T09:30:00.000Z",
      resolutionDueAt: "2026-03-02T14:00:00.000Z"
    })
    expect(() => Sla.withPriority(service, ticket, "P9")).toThrow(/no target for priority P9/)
  })
})
