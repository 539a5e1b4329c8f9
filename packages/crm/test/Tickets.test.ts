import { Actor, Customers, Errors, Presets } from "@partnerkit/core"
import { Crm, CrmConfig, CrmErrors, createCrm, ServiceConfig, Sla, Tickets } from "@partnerkit/crm"
import { MemoryCrmStore } from "@partnerkit/storage-memory"
import { Clock, Effect, Either } from "effect"
import { describe, expect, it } from "vitest"

const tenant = "acme"
const admin = Actor.superUser(tenant, "admin")
const hour = 3_600_000
const address = { street: "Kai 3", postalCode: "20457", city: "Hamburg", country: "DE" }

/** A clock the test sets by hand. */
const manualClock = (startIso: string) => {
  let now = Date.parse(startIso)
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => now,
    currentTimeMillis: Effect.sync(() => now),
    unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    sleep: () => Effect.void
  }
  const set = (iso: string) =>
    Effect.sync(() => {
      now = Date.parse(iso)
    })
  return { clock, set }
}

const config: CrmConfig.CrmConfigInput = {
  visibility: { rule: "all" },
  teams: { FIELD: { members: ["eva"] }, DESK: { members: ["bo"] } }
}

/** Runs `program` on a fresh memory store with the clock at `startIso` (Monday 2 March 2026, 09:00 Berlin by default). */
const run = <A, E>(
  program: (time: ReturnType<typeof manualClock>) => Effect.Effect<A, E, Crm.Services>,
  startIso = "2026-03-02T08:00:00Z"
) => {
  const time = manualClock(startIso)
  return Effect.runPromise(
    program(time).pipe(
      Effect.withClock(time.clock),
      Effect.provide(Crm.layer({ customizing: Presets.standard(tenant), storage: MemoryCrmStore.layer(), config }))
    )
  )
}

const customerWithContact = Effect.gen(function* () {
  const customers = yield* Customers.Customers
  const { customer } = yield* customers.create({
    actor: admin,
    accountGroup: "0004",
    general: { name: "Verkehrsbetriebe Nord", ...address },
    contacts: [{ lastName: "Dahl" }]
  })
  return customer
})

const failure = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.either(effect), (e) => (Either.isLeft(e) ? e.left : expect.unreachable(`succeeded: ${JSON.stringify(e.right)}`)))

describe("Tickets", () => {
  it("opens a ticket with the category's profile, links contact and equipment, and refuses unknown references naming each field", () =>
    run(() =>
      Effect.gen(function* () {
        const tickets = yield* Tickets.Tickets
        const customer = yield* customerWithContact
        const ticket = yield* tickets.open({
          actor: admin,
          customerNumber: customer.number,
          contactId: "0001",
          equipment: { id: "BUS-4711", endUser: customer.number },
          category: "complaint",
          priority: "P3",
          subject: "Air conditioning fails",
          team: "FIELD",
          owner: "eva"
        })
        expect(ticket).toMatchObject({
          status: "new",
          statusKind: "open",
          slaProfile: "STANDARD",
          contactId: "0001",
          equipment: { id: "BUS-4711", endUser: customer.number },
          // P3: 4 business hours to respond (09:00–12:00, 13:00–14:00), 24 to resolve (three 8-hour days).
          firstResponseDueAt: "2026-03-02T13:00:00.000Z",
          resolutionDueAt: "2026-03-05T08:00:00.000Z",
          eventCount: 1,
          version: 1
        })
        const refused = yield* failure(
          tickets.open({
            actor: admin,
            customerNumber: customer.number,
            contactId: "0009",
            equipment: { id: "BUS-1", endUser: "X9999" },
            category: "praise",
            priority: "P0",
            slaProfile: "GOLD",
            team: "MOON",
            subject: "Nothing of this exists"
          })
        )
        expect(refused).toBeInstanceOf(Errors.ValidationFailed)
        expect((refused as Errors.ValidationFailed).messages.map((m) => m.path).sort()).toEqual([
          "category",
          "contactId",
          "equipment.endUser",
          "priority",
          "slaProfile",
          "team"
        ])
        const empty = yield* failure(
          tickets.open({ actor: admin, customerNumber: customer.number, category: "", priority: "P1", subject: " " })
        )
        expect((empty as Errors.ValidationFailed).messages.map((m) => m.path).sort()).toEqual(["category", "subject"])
        expect(
          yield* failure(tickets.open({ actor: admin, customerNumber: "X9999", category: "incident", priority: "P1", subject: "x" }))
        ).toBeInstanceOf(CrmErrors.AccountNotFound)
        // Nothing of the refused ones was written.
        expect((yield* tickets.listForAccount({ actor: admin, customerNumber: customer.number })).items.map((t) => t.id)).toEqual([
          ticket.id
        ])
      })
    ))

  it("responds, assigns, resolves, reopens (the resolved time does not count) and closes for good", () =>
    run((time) =>
      Effect.gen(function* () {
        const tickets = yield* Tickets.Tickets
        const customer = yield* customerWithContact
        const opened = yield* tickets.open({
          actor: admin,
          customerNumber: customer.number,
          category: "incident",
          priority: "P2",
          subject: "Door"
        })
        yield* time.set("2026-03-02T08:20:00Z")
        const responded = yield* tickets.respond({ actor: admin, id: opened.id, note: "Looking into it" })
        expect(responded).toMatchObject({ firstResponseAt: "2026-03-02T08:20:00.000Z", version: 2, eventCount: 2 })
        // A second response changes nothing.
        expect(yield* tickets.respond({ actor: admin, id: opened.id })).toEqual(responded)
        const assigned = yield* tickets.assign({ actor: admin, id: opened.id, owner: "eva", team: "FIELD", version: 2 })
        expect(assigned).toMatchObject({ owner: "eva", team: "FIELD", version: 3 })
        expect(yield* failure(tickets.assign({ actor: admin, id: opened.id, team: "MOON" }))).toBeInstanceOf(Errors.ValidationFailed)
        const unassigned = yield* tickets.assign({ actor: admin, id: opened.id, owner: null })
        expect(unassigned.owner).toBeUndefined()
        expect(unassigned.team).toBe("FIELD")

        yield* time.set("2026-03-02T09:00:00Z") // 10:00 Berlin: resolved after 1 business hour
        const resolved = yield* tickets.transition({ actor: admin, id: opened.id, to: "resolved" })
        expect(resolved).toMatchObject({
          statusKind: "resolved",
          resolvedAt: "2026-03-02T09:00:00.000Z",
          pausedSince: "2026-03-02T09:00:00.000Z"
        })
        yield* time.set("2026-03-02T13:00:00Z") // 14:00 Berlin: the customer says it is not fixed
        const reopened = yield* tickets.transition({ actor: admin, id: opened.id, to: "in_progress" })
        expect(reopened.resolvedAt).toBeUndefined()
        expect(reopened.pausedMs).toBe(3 * hour) // 10:00–12:00 and 13:00–14:00
        // 8 business hours from Monday 09:00 plus the 3 resolved ones: Tuesday 12:00 Berlin.
        expect(reopened.resolutionDueAt).toBe("2026-03-03T11:00:00.000Z")
        expect(reopened.firstResponseDueAt).toBe(opened.firstResponseDueAt)
        yield* tickets.transition({ actor: admin, id: opened.id, to: "resolved" })
        const closed = yield* tickets.transition({ actor: admin, id: opened.id, to: "closed" })
        expect(closed).toMatchObject({ statusKind: "closed", resolvedAt: "2026-03-02T13:00:00.000Z", closedAt: "2026-03-02T13:00:00.000Z" })
        const final = yield* failure(tickets.transition({ actor: admin, id: opened.id, to: "in_progress" }))
        expect(final).toMatchObject({ _tag: "TicketTransitionInvalid", from: "closed", allowed: [] })
        expect((final as CrmErrors.TicketTransitionInvalid).message).toContain("none (final status)")
        const history = yield* tickets.history({ actor: admin, id: opened.id })
        expect(history.map((e) => e.kind)).toEqual([
          "opened",
          "firstResponse",
          "assigned",
          "assigned",
          "status",
          "status",
          "status",
          "status"
        ])
        expect(history.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
        expect(Sla.stateOf(CrmConfig.preset().service, closed, "2026-03-09T00:00:00Z")).toMatchObject({
          firstResponse: { state: "met" },
          resolution: { state: "met", reachedAt: "2026-03-02T13:00:00.000Z" }
        })
      })
    ))

  it("waiting does not stop the clock under a profile that says so", () =>
    run((time) =>
      Effect.gen(function* () {
        const tickets = yield* Tickets.Tickets
        const customer = yield* customerWithContact
        const current = yield* CrmConfig.Current
        const profile = { ...current.service.slaProfiles.STANDARD!, pauseWhileWaiting: false }
        const service = { ...current.service, slaProfiles: { ...current.service.slaProfiles, STRICT: profile } }
        // The default service does not know the profile.
        const unknown = yield* failure(
          tickets.open({
            actor: admin,
            customerNumber: customer.number,
            category: "incident",
            priority: "P2",
            subject: "x",
            slaProfile: "STRICT"
          })
        )
        expect(unknown).toBeInstanceOf(Errors.ValidationFailed)
        yield* Effect.provideService(
          Effect.gen(function* () {
            const strict = yield* Tickets.make
            const ticket = yield* strict.open({
              actor: admin,
              customerNumber: customer.number,
              category: "incident",
              priority: "P2",
              subject: "x",
              slaProfile: "STRICT"
            })
            expect(ticket.slaProfile).toBe("STRICT")
            yield* time.set("2026-03-02T09:00:00Z")
            const waiting = yield* strict.transition({ actor: admin, id: ticket.id, to: "waiting_for_customer" })
            expect(waiting.pausedSince).toBeUndefined()
            expect(Sla.stateOf(service, waiting, "2026-03-03T09:00:00Z").resolution.state).toBe("breached")
            return waiting
          }),
          CrmConfig.Current,
          { ...current, service }
        ).pipe(
          Effect.tap((waiting) =>
            Effect.gen(function* () {
              // Under the configuration without STRICT: its state is still known, the clock cannot move.
              const state = Sla.stateOf(current.service, waiting, "2026-03-02T09:30:00Z")
              expect(state.resolution).toEqual({ state: "running", dueAt: waiting.resolutionDueAt, remainingMs: undefined })
              const refused = yield* failure(tickets.transition({ actor: admin, id: waiting.id, to: "in_progress" }))
              expect((refused as Errors.ValidationFailed).messages.map((m) => m.path)).toEqual(["slaProfile"])
            })
          )
        )
      })
    ))

  it("reprioritize refuses a profile that is gone or has no target for the priority, writing nothing", () =>
    run((time) =>
      Effect.gen(function* () {
        const tickets = yield* Tickets.Tickets
        const customer = yield* customerWithContact
        const current = yield* CrmConfig.Current
        const standard = current.service.slaProfiles.STANDARD!
        const withGold = { ...current.service, slaProfiles: { ...current.service.slaProfiles, GOLD: standard } }
        const gold = yield* Effect.provideService(
          Effect.flatMap(Tickets.make, (t) =>
            t.open({
              actor: admin,
              customerNumber: customer.number,
              category: "incident",
              priority: "P2",
              subject: "x",
              slaProfile: "GOLD"
            })
          ),
          CrmConfig.Current,
          { ...current, service: withGold }
        )
        yield* time.set("2026-03-02T09:00:00Z")
        // Under the configuration without GOLD the clock cannot be computed.
        const gone = yield* failure(tickets.reprioritize({ actor: admin, id: gold.id, priority: "P1" }))
        expect((gone as Errors.ValidationFailed).messages.map((m) => m.path)).toEqual(["slaProfile"])
        // A configuration (not validated) whose profile lacks the P1 target.
        const { P1: _dropped, ...withoutP1 } = standard.targets
        const lacking = { ...current.service, slaProfiles: { STANDARD: { ...standard, targets: withoutP1 } } }
        const plain = yield* tickets.open({
          actor: admin,
          customerNumber: customer.number,
          category: "incident",
          priority: "P2",
          subject: "y"
        })
        const noTarget = yield* Effect.provideService(
          Effect.flatMap(Tickets.make, (t) => failure(t.reprioritize({ actor: admin, id: plain.id, priority: "P1" }))),
          CrmConfig.Current,
          { ...current, service: lacking }
        )
        expect(noTarget).toBeInstanceOf(Errors.ValidationFailed)
        expect((noTarget as Errors.ValidationFailed).messages.map((m) => [m.path, m.text])).toEqual([
          ["priority", "the ticket's SLA profile STANDARD has no target for priority P1"]
        ])
        expect(yield* tickets.get({ actor: admin, id: gold.id })).toEqual(gold)
        expect(yield* tickets.get({ actor: admin, id: plain.id })).toEqual(plain)
        expect((yield* tickets.history({ actor: admin, id: plain.id })).length).toBe(1)
      })
    ))

  it("measures compliance by priority and team: met, missed and pending, with the share of the decided ones", () =>
    run((time) =>
      Effect.gen(function* () {
        const tickets = yield* Tickets.Tickets
        const customer = yield* customerWithContact
        const open = (priority: string, team: string | undefined) =>
          tickets.open({ actor: admin, customerNumber: customer.number, category: "incident", priority, subject: priority, team })
        const a = yield* open("P1", "FIELD") // respond due 09:30 Berlin
        const b = yield* open("P1", "DESK")
        const c = yield* open("P3", "FIELD") // respond due 13:00 Berlin
        yield* open("P4", undefined)
        yield* time.set("2026-03-02T08:10:00Z")
        yield* tickets.respond({ actor: admin, id: a.id }) // met
        yield* time.set("2026-03-02T09:00:00Z")
        yield* tickets.respond({ actor: admin, id: b.id }) // missed: due 08:30Z
        yield* tickets.transition({ actor: admin, id: c.id, to: "resolved" }) // responded and resolved in time
        // Opened outside the period: not counted.
        yield* time.set("2026-03-03T08:00:00Z")
        yield* open("P1", "FIELD")

        const report = yield* tickets.compliance({
          actor: admin,
          from: "2026-03-02T00:00:00Z",
          to: "2026-03-03T00:00:00Z",
          asOf: "2026-03-02T10:00:00Z"
        })
        expect(report.overall).toEqual({
          tickets: 4,
          firstResponse: { met: 2, missed: 1, pending: 1, share: 2 / 3 },
          // P1 resolution due 13:00Z: pending for a and b; c resolved in time; the P4 pending.
          resolution: { met: 1, missed: 0, pending: 3, share: 1 }
        })
        expect(Object.keys(report.byPriority)).toEqual(["P1", "P3", "P4"])
        expect(report.byPriority.P1?.firstResponse).toEqual({ met: 1, missed: 1, pending: 0, share: 0.5 })
        expect(report.byTeam).toMatchObject({
          "": { tickets: 1, firstResponse: { pending: 1, share: null } },
          DESK: { tickets: 1, firstResponse: { met: 0, missed: 1, share: 0 } },
          FIELD: { tickets: 2, firstResponse: { met: 2, missed: 0, share: 1 } }
        })
        expect(
          yield* failure(tickets.compliance({ actor: admin, from: "2026-03-03T00:00:00Z", to: "2026-03-02T00:00:00Z" }))
        ).toBeInstanceOf(Errors.ValidationFailed)
      })
    ))
})

describe("ServiceConfig", () => {
  it("the preset validates, and CrmConfig fills it in by default", () => {
    expect(CrmConfig.makeOrThrow({}).service).toEqual(ServiceConfig.preset)
    expect(ServiceConfig.ServiceConfigSchema.parse(ServiceConfig.preset)).toEqual(ServiceConfig.preset)
  })

  it("reports every broken reference with its path", () => {
    const preset = ServiceConfig.preset
    const { P4: _dropped, ...withoutP4 } = preset.slaProfiles.STANDARD!.targets
    const result = CrmConfig.make({
      service: {
        ...preset,
        initialStatus: "resolved",
        transitions: { ...preset.transitions, new: ["in_progress", "limbo"], ghost: [] },
        categories: { incident: { slaProfile: "GOLD" } },
        slaProfiles: {
          STANDARD: {
            ...preset.slaProfiles.STANDARD!,
            calendar: "NIGHT",
            targets: {
              ...withoutP4,
              P5: { firstResponseMinutes: 1, resolutionMinutes: 2 }
            }
          }
        },
        defaultSlaProfile: "SILVER"
      }
    })
    const paths = (r: typeof result) => (Either.isLeft(r) ? r.left.issues.map((i) => i.path).sort() : [])
    expect(paths(result)).toEqual([
      "service.categories.incident.slaProfile",
      "service.defaultSlaProfile",
      "service.initialStatus",
      "service.slaProfiles.STANDARD.calendar",
      "service.slaProfiles.STANDARD.targets.P4",
      "service.slaProfiles.STANDARD.targets.P5",
      "service.transitions.ghost",
      "service.transitions.new.1"
    ])
    const shortResolution = CrmConfig.make({
      service: {
        ...preset,
        slaProfiles: {
          STANDARD: {
            ...preset.slaProfiles.STANDARD!,
            targets: { ...preset.slaProfiles.STANDARD!.targets, P1: { firstResponseMinutes: 60, resolutionMinutes: 30 } }
          }
        }
      }
    })
    expect(paths(shortResolution)).toEqual(["service.slaProfiles.STANDARD.targets.P1.resolutionMinutes"])
  })
})

describe("createCrm: tickets through the Promise door", () => {
  it("opens, lists and detects breaches, rejecting with the typed errors", async () => {
    const crm = await createCrm({ customizing: Presets.standard(tenant), storage: MemoryCrmStore.layer(), config })
    try {
      const { customer } = await crm.customers.create({ actor: admin, accountGroup: "0004", general: { name: "Fjord AS", ...address } })
      const ticket = await crm.tickets.open({
        actor: admin,
        customerNumber: customer.number,
        category: "incident",
        priority: "P1",
        subject: "Down"
      })
      const far = new Date(Date.parse(ticket.resolutionDueAt) + hour).toISOString()
      const report = await crm.tickets.detectBreaches({ actor: admin, asOf: far })
      expect(report.breaches.map((b) => b.target)).toEqual(["firstResponse", "resolution"])
      expect((await crm.tickets.detectBreaches({ actor: admin, asOf: far })).breaches).toEqual([])
      await expect(crm.tickets.get({ actor: admin, id: "T-none" })).rejects.toBeInstanceOf(CrmErrors.TicketNotFound)
      const lowered = await crm.tickets.reprioritize({ actor: admin, id: ticket.id, priority: "P4", reason: "Workaround in place" })
      expect(lowered).toMatchObject({ priority: "P4", firstResponseBreachedAt: ticket.firstResponseDueAt })
      await expect(crm.tickets.reprioritize({ actor: admin, id: ticket.id, priority: "P0" })).rejects.toBeInstanceOf(
        Errors.ValidationFailed
      )
      const view = await crm.account360.view({ actor: admin, customerNumber: customer.number, asOf: far })
      expect(view.openTickets.map((o) => o.sla.resolution.state)).toEqual(["breached"])
      expect(view.openActivities.map((a) => a.owner)).toEqual(["service.lead", "service.lead"])
    } finally {
      await crm.close()
    }
  })
})
