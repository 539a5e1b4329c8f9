/**
 * Service tickets and SLAs as an Effect service: open a ticket on a customer account, move it
 * through the configured status flow, record the first response, assign it, change its priority
 * (the SLA due times follow); `detectBreaches` finds
 * tickets whose first-response or resolution target passed, records each breach once and escalates
 * it (an event and a follow-up task for the escalation owner); `compliance` measures the share of
 * tickets that met their targets in a period, overall, by priority and by team.
 *
 * Time comes from the Effect `Clock` (or `asOf`), never from `Date.now`: tests and batch jobs
 * provide their own. Every read sees only tickets of customers the actor may see (core's
 * authorization group AND the CRM rule); a hidden ticket is `TicketNotFound`, and hidden tickets
 * are never returned by `detectBreaches` nor counted by `compliance`.
 *
 * @example
 * ```ts
 * import { Actor } from "@partnerkit/core"
 * import { Tickets } from "@partnerkit/crm"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const tickets = yield* Tickets.Tickets
 *   const actor = Actor.superUser("acme", "service.desk")
 *   const ticket = yield* tickets.open({ actor, customerNumber: "C0001", category: "incident", priority: "P1", subject: "Line down" })
 *   yield* tickets.transition({ actor, id: ticket.id, to: "in_progress" })
 *   const { breaches } = yield* tickets.detectBreaches({ actor, asOf: "2026-03-02T18:00:00Z" })
 *   return breaches.map((b) => `${b.ticketId} ${b.target} due ${b.dueAt}, escalated to ${b.escalatedTo}`)
 * })
 * ```
 * @module
 */
import { type Actor, Customers, Errors, StoreTransaction } from "@partnerkit/core"
import { Context, Effect, Layer, Option, Schedule } from "effect"
import type { Activity } from "./Activity.js"
import { ActivityStore } from "./ActivityStore.js"
import { type AccountNotFound, TicketNotFound, TicketTransitionInvalid } from "./CrmErrors.js"
import * as Access from "./internal/access.js"
import {
  compact,
  decodeCursor,
  inputInvalid,
  newId,
  now,
  type Page,
  pageOf,
  parse,
  requireActivity,
  type WithActor
} from "./internal/service.js"
import * as Sla from "./Sla.js"
import {
  AssignInput,
  ComplianceInput,
  DetectBreachesInput,
  GetTicketInput,
  ListTicketsInput,
  OpenTicketInput,
  ReprioritizeInput,
  RespondInput,
  type TargetName,
  type Ticket,
  type TicketEvent,
  TransitionInput
} from "./Ticket.js"
import { isBreachCandidate, TicketStore } from "./TicketStore.js"

export type Common = Errors.NotAuthorized | Errors.ValidationFailed | Errors.StorageError
export type WriteError = Common | TicketNotFound | Errors.VersionConflict

/** One breach `detectBreaches` recorded. */
export interface Breach {
  readonly ticketId: string
  readonly customerNumber: string
  readonly target: TargetName
  readonly dueAt: string
  /** The escalation owner who got the task. */
  readonly escalatedTo: string
  /** The follow-up task created for them. */
  readonly activityId: string
}

export interface BreachReport {
  readonly asOf: string
  readonly breaches: ReadonlyArray<Breach>
}

/** How many tickets met, missed or have not yet reached one target. */
export interface TargetCompliance {
  /** Reached by the due time. */
  readonly met: number
  /** Reached late, or not reached and past due. */
  readonly missed: number
  /** Not reached, not yet due: not counted in `share`. */
  readonly pending: number
  /** `met / (met + missed)`; `null` when no ticket was decided yet. */
  readonly share: number | null
}

export interface Compliance {
  readonly tickets: number
  readonly firstResponse: TargetCompliance
  readonly resolution: TargetCompliance
}

export interface ComplianceReport {
  readonly from: string
  readonly to: string
  readonly asOf: string
  readonly overall: Compliance
  readonly byPriority: Readonly<Record<string, Compliance>>
  /** By the ticket's team; tickets without a team under `""`. */
  readonly byTeam: Readonly<Record<string, Compliance>>
}

export interface TicketsShape {
  /**
   * Opens a ticket on a customer the actor may see, in the initial status, with the SLA profile of
   * its category (or `slaProfile`) and the due times of both targets; records the `opened` event.
   * Unknown category, priority, profile, team, contact person or end user: `ValidationFailed`
   * naming the field, nothing written.
   */
  readonly open: (input: OpenTicketInput & WithActor) => Effect.Effect<Ticket, Common | AccountNotFound>
  /**
   * Moves a ticket to another status the flow allows from its current one (else
   * `TicketTransitionInvalid`), recording a `status` event — and a `firstResponse` event when the
   * new status records it and there was none; stops or resumes the SLA clock. A ticket whose SLA
   * profile (or its calendar, or the target for its priority) was removed from the configuration
   * cannot move: `ValidationFailed` at `slaProfile`.
   */
  readonly transition: (input: TransitionInput & WithActor) => Effect.Effect<Ticket, WriteError | TicketTransitionInvalid>
  /** Records the first response (a `firstResponse` event); a ticket that had one is returned unchanged. */
  readonly respond: (input: RespondInput & WithActor) => Effect.Effect<Ticket, WriteError>
  /** Sets or clears owner and team, recording an `assigned` event. */
  readonly assign: (input: AssignInput & WithActor) => Effect.Effect<Ticket, WriteError>
  /**
   * Changes the priority of a ticket (in any status), recording a `priority` event with
   * `fromPriority`, `toPriority` and the `reason` as its `note`. The due times of both targets are
   * recomputed from the opening time with the new priority's targets of the ticket's SLA profile
   * and the business time the clock stood still (`Sla.withPriority`): a reached target keeps its
   * reached time and is judged met or missed against its new due time. A breach already recorded
   * stays recorded (and is not recorded again); an unreached target whose new due time has passed
   * is recorded by the next `detectBreaches` while the clock runs.
   *
   * The same priority returns the ticket unchanged (no event, no new version). A priority not in
   * `CrmConfig.service.priorities`, or one the ticket's profile has no target for:
   * `ValidationFailed` at `priority`; a ticket whose SLA profile (or its calendar) was removed from
   * the configuration: `ValidationFailed` at `slaProfile`. Nothing is written on any failure.
   *
   * @example
   * ```ts
   * import { Actor } from "@partnerkit/core"
   * import { Tickets } from "@partnerkit/crm"
   * import { Effect } from "effect"
   *
   * const escalate = (id: string) =>
   *   Effect.gen(function* () {
   *     const tickets = yield* Tickets.Tickets
   *     const actor = Actor.superUser("acme", "service.desk")
   *     const ticket = yield* tickets.reprioritize({ actor, id, priority: "P1", reason: "Line 12 is down completely" })
   *     return ticket.resolutionDueAt
   *   })
   * ```
   */
  readonly reprioritize: (input: ReprioritizeInput & WithActor) => Effect.Effect<Ticket, WriteError>
  readonly get: (input: GetTicketInput & WithActor) => Effect.Effect<Ticket, Common | TicketNotFound>
  /** The ticket's events in order. */
  readonly history: (input: GetTicketInput & WithActor) => Effect.Effect<ReadonlyArray<TicketEvent>, Common | TicketNotFound>
  /** A customer's tickets, newest first. */
  readonly listForAccount: (input: ListTicketsInput & WithActor) => Effect.Effect<Page<Ticket>, Common | AccountNotFound>
  /**
   * Finds the visible tickets whose first-response or resolution target passed before `asOf` with
   * the clock running, and for each such target records a `breach` event, an `escalation` event and
   * an open follow-up task for the escalation owner (`CrmConfig.service.escalation`: the team's, else
   * the default owner). Idempotent: a breach is recorded once, however often or concurrently it runs.
   */
  readonly detectBreaches: (input: DetectBreachesInput & WithActor) => Effect.Effect<BreachReport, Common>
  /** The share of visible tickets opened in `[from, to)` that met each target, judged at `asOf`. */
  readonly compliance: (input: ComplianceInput & WithActor) => Effect.Effect<ComplianceReport, Common>
}

/** The tickets service. */
export class Tickets extends Context.Tag("@partnerkit/crm/Tickets")<Tickets, TicketsShape>() {}

const minutesLater = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString()

const emptyTarget = (): { met: number; missed: number; pending: number } => ({ met: 0, missed: 0, pending: 0 })

/** Builds the service from the customizing, the CRM configuration, core's `Customers` and the store's ports. */
export const make = Effect.gen(function* () {
  const access = yield* Access.make
  const customers = yield* Customers.Customers
  const store = yield* TicketStore
  const activities = yield* ActivityStore
  const tx = yield* StoreTransaction
  const { tenant, config } = access
  const service = config.service

  const event = (
    ticket: Ticket,
    offset: number,
    fields: Omit<TicketEvent, "tenant" | "ticketId" | "seq" | "customerNumber">
  ): TicketEvent =>
    compact({ tenant, ticketId: ticket.id, seq: ticket.eventCount + offset, customerNumber: ticket.customerNumber, ...fields })

  const open: TicketsShape["open"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(OpenTicketInput, input)
      yield* requireActivity(tenant, actor, "create")
      const { customer } = yield* access.customerAccount(actor, data.customerNumber)
      const issues: Array<{ path: string; detail: string }> = []
      if (service.categories[data.category] === undefined)
        issues.push({ path: "category", detail: `no category ${data.category} is configured` })
      if (service.priorities[data.priority] === undefined)
        issues.push({ path: "priority", detail: `no priority ${data.priority} is configured` })
      if (data.slaProfile !== undefined && service.slaProfiles[data.slaProfile] === undefined) {
        issues.push({ path: "slaProfile", detail: `no SLA profile ${data.slaProfile} is configured` })
      }
      if (data.team !== undefined && config.teams[data.team] === undefined)
        issues.push({ path: "team", detail: `no team ${data.team} is configured` })
      if (data.contactId !== undefined && !customer.contacts.some((c) => c.id === data.contactId)) {
        issues.push({ path: "contactId", detail: `customer ${customer.number} has no contact person ${data.contactId}` })
      }
      const endUser = data.equipment?.endUser
      if (endUser !== undefined) {
        const found = yield* customers.display({ actor, number: endUser }).pipe(
          Effect.as(true),
          Effect.catchTag("CustomerNotFound", () => Effect.succeed(false))
        )
        if (!found) issues.push({ path: "equipment.endUser", detail: `no customer ${endUser} (or it is hidden from you)` })
      }
      if (issues.length > 0) return yield* Effect.fail(inputInvalid(issues))

      const at = yield* now
      const initial = service.statuses[service.initialStatus]!
      const draft = {
        slaProfile: Sla.profileIdFor(service, data.category, data.slaProfile),
        priority: data.priority,
        openedAt: at
      }
      const ticket: Ticket = compact({
        tenant,
        id: yield* newId("T"),
        customerNumber: customer.number,
        contactId: data.contactId,
        equipment: data.equipment === undefined ? undefined : compact(data.equipment),
        subject: data.subject,
        description: data.description,
        category: data.category,
        status: service.initialStatus,
        statusKind: initial.kind,
        owner: data.owner,
        team: data.team,
        ...draft,
        firstResponseDueAt: Sla.dueAt(service, draft, "firstResponse", 0),
        resolutionDueAt: Sla.dueAt(service, draft, "resolution", 0),
        pausedMs: 0,
        eventCount: 1,
        version: 1,
        createdBy: actor.userId,
        createdAt: at,
        changedBy: actor.userId,
        changedAt: at
      })
      const opened = event({ ...ticket, eventCount: 0 }, 1, { kind: "opened", at, by: actor.userId, toStatus: ticket.status })
      yield* store.put(ticket, null, [opened]).pipe(Effect.catchTag("VersionConflict", (e) => Effect.die(e)))
      return ticket
    })

  const readForUpdate = (actor: Actor.Actor, id: string, version: number | undefined) =>
    Effect.gen(function* () {
      const found = yield* store.get(tenant, id, access.visibility(actor))
      if (Option.isNone(found)) return yield* Effect.fail(new TicketNotFound({ tenant, id }))
      if (version !== undefined && found.value.version !== version) {
        return yield* Effect.fail(new Errors.VersionConflict({ number: id, expected: version, actual: found.value.version }))
      }
      return found.value
    })

  /** Writes `next` (from `before`) with `events`, as `actor` at `at`. */
  const write = (actor: Actor.Actor, before: Ticket, next: Ticket, events: ReadonlyArray<TicketEvent>, at: string) =>
    Effect.gen(function* () {
      const written: Ticket = compact({
        ...next,
        eventCount: before.eventCount + events.length,
        version: before.version + 1,
        changedBy: actor.userId,
        changedAt: at
      })
      yield* store.put(written, before.version, events)
      return written
    })

  const transition: TicketsShape["transition"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(TransitionInput, input)
      yield* requireActivity(tenant, actor, "change")
      const target = service.statuses[data.to]
      if (target === undefined) return yield* Effect.fail(inputInvalid([{ path: "to", detail: `no status ${data.to} is configured` }]))
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.id, data.version)
          if (!Sla.isConfigured(service, before)) {
            const detail = `the ticket's SLA profile ${before.slaProfile} (with a calendar and a target for priority ${before.priority}) is no longer configured`
            return yield* Effect.fail(inputInvalid([{ path: "slaProfile", detail }]))
          }
          const allowed = service.transitions[before.status] ?? []
          if (!allowed.includes(data.to)) {
            return yield* Effect.fail(new TicketTransitionInvalid({ id: before.id, from: before.status, to: data.to, allowed }))
          }
          const at = yield* now
          const events: Array<TicketEvent> = [
            event(before, 1, { kind: "status", at, by: actor.userId, fromStatus: before.status, toStatus: data.to, note: data.note })
          ]
          let next: Ticket = { ...before, status: data.to }
          if (target.recordsFirstResponse && before.firstResponseAt === undefined) {
            next = { ...next, firstResponseAt: at }
            events.push(event(before, 2, { kind: "firstResponse", at, by: actor.userId }))
          }
          next = Sla.moveClock(service, next, target.kind, at)
          return yield* write(actor, before, next, events, at)
        })
      )
    })

  const respond: TicketsShape["respond"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(RespondInput, input)
      yield* requireActivity(tenant, actor, "change")
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.id, data.version)
          if (before.firstResponseAt !== undefined) return before
          const at = yield* now
          const events = [event(before, 1, { kind: "firstResponse", at, by: actor.userId, note: data.note })]
          return yield* write(actor, before, { ...before, firstResponseAt: at }, events, at)
        })
      )
    })

  const assign: TicketsShape["assign"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(AssignInput, input)
      yield* requireActivity(tenant, actor, "change")
      if (typeof data.team === "string" && config.teams[data.team] === undefined) {
        return yield* Effect.fail(inputInvalid([{ path: "team", detail: `no team ${data.team} is configured` }]))
      }
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.id, data.version)
          const owner = data.owner === null ? undefined : (data.owner ?? before.owner)
          const team = data.team === null ? undefined : (data.team ?? before.team)
          const at = yield* now
          const events = [event(before, 1, { kind: "assigned", at, by: actor.userId, owner, team })]
          return yield* write(actor, before, { ...before, owner, team }, events, at)
        })
      )
    })

  const reprioritize: TicketsShape["reprioritize"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ReprioritizeInput, input)
      yield* requireActivity(tenant, actor, "change")
      if (service.priorities[data.priority] === undefined) {
        return yield* Effect.fail(inputInvalid([{ path: "priority", detail: `no priority ${data.priority} is configured` }]))
      }
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.id, data.version)
          if (before.priority === data.priority) return before
          const profile = service.slaProfiles[before.slaProfile]
          if (profile === undefined || service.calendars[profile.calendar] === undefined) {
            const detail = `the ticket's SLA profile ${before.slaProfile} (with a calendar) is no longer configured`
            return yield* Effect.fail(inputInvalid([{ path: "slaProfile", detail }]))
          }
          if (profile.targets[data.priority] === undefined) {
            const detail = `the ticket's SLA profile ${before.slaProfile} has no target for priority ${data.priority}`
            return yield* Effect.fail(inputInvalid([{ path: "priority", detail }]))
          }
          const at = yield* now
          const events = [
            event(before, 1, {
              kind: "priority",
              at,
              by: actor.userId,
              fromPriority: before.priority,
              toPriority: data.priority,
              note: data.reason
            })
          ]
          return yield* write(actor, before, Sla.withPriority(service, before, data.priority), events, at)
        })
      )
    })

  const get: TicketsShape["get"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(GetTicketInput, input)
      yield* requireActivity(tenant, actor, "display")
      const found = yield* store.get(tenant, data.id, access.visibility(actor))
      return yield* Option.match(found, { onNone: () => Effect.fail(new TicketNotFound({ tenant, id: data.id })), onSome: Effect.succeed })
    })

  const history: TicketsShape["history"] = (input) =>
    Effect.gen(function* () {
      const ticket = yield* get(input)
      return yield* store.events(tenant, ticket.id, access.visibility(input.actor))
    })

  const listForAccount: TicketsShape["listForAccount"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ListTicketsInput, input)
      yield* requireActivity(tenant, actor, "display")
      yield* access.customerAccount(actor, data.customerNumber)
      const before = yield* decodeCursor(data.cursor, (v) =>
        typeof v.o === "string" && typeof v.i === "string" ? { openedAt: v.o, id: v.i } : undefined
      )
      const limit = data.limit ?? 50
      const rows = yield* store.listByAccount({
        tenant,
        customerNumber: data.customerNumber,
        visibility: access.visibility(actor),
        openOnly: data.openOnly,
        before: Option.getOrUndefined(before),
        limit: limit + 1
      })
      return pageOf(rows, limit, (l) => ({ o: l.openedAt, i: l.id }))
    })

  /** Records the breaches of one ticket at `asOf` (none when another run recorded them first). */
  const recordBreaches = (actor: Actor.Actor, id: string, asOf: string) =>
    tx
      .withTransaction(
        Effect.gen(function* () {
          const found = yield* store.get(tenant, id, access.visibility(actor))
          if (Option.isNone(found) || !isBreachCandidate(found.value, asOf)) return [] as Array<Breach>
          const before = found.value
          const at = yield* now
          const escalatedTo =
            (before.team === undefined ? undefined : service.escalation.teamOwners[before.team]) ?? service.escalation.owner
          const events: Array<TicketEvent> = []
          const breaches: Array<Breach> = []
          let next = before
          const targets: ReadonlyArray<readonly [TargetName, string, boolean]> = [
            [
              "firstResponse",
              before.firstResponseDueAt,
              before.firstResponseAt === undefined && before.firstResponseBreachedAt === undefined
            ],
            ["resolution", before.resolutionDueAt, before.resolvedAt === undefined && before.resolutionBreachedAt === undefined]
          ]
          for (const [target, due, watched] of targets) {
            if (!watched || !(due < asOf)) continue
            const activityId = yield* newId("A")
            const task: Activity = {
              tenant,
              id: activityId,
              kind: "task",
              subject: `Escalation: ticket ${before.id} missed its ${target === "firstResponse" ? "first-response" : "resolution"} target`,
              notes: `${before.subject} (priority ${before.priority}, due ${due})`,
              customerNumber: before.customerNumber,
              ...(before.contactId === undefined ? {} : { contactId: before.contactId }),
              ticketId: before.id,
              owner: escalatedTo,
              dueAt: minutesLater(asOf, service.escalation.taskDueMinutes),
              status: "open",
              at: minutesLater(asOf, service.escalation.taskDueMinutes),
              version: 1,
              createdBy: actor.userId,
              createdAt: at,
              changedBy: actor.userId,
              changedAt: at
            }
            yield* activities.put(task, null).pipe(Effect.catchTag("VersionConflict", (e) => Effect.die(e)))
            events.push(event(before, events.length + 1, { kind: "breach", at: asOf, by: actor.userId, target, dueAt: due }))
            events.push(
              event(before, events.length + 1, {
                kind: "escalation",
                at: asOf,
                by: actor.userId,
                target,
                dueAt: due,
                owner: escalatedTo,
                team: before.team,
                activityId
              })
            )
            next = target === "firstResponse" ? { ...next, firstResponseBreachedAt: due } : { ...next, resolutionBreachedAt: due }
            breaches.push({ ticketId: before.id, customerNumber: before.customerNumber, target, dueAt: due, escalatedTo, activityId })
          }
          yield* write(actor, before, next, events, at)
          return breaches
        })
      )
      .pipe(
        // A concurrent run (or any writer) changed the ticket: read it again and judge anew.
        Effect.retry({ while: (e) => e._tag === "VersionConflict", schedule: Schedule.recurs(5) }),
        Effect.catchTag("VersionConflict", (e) => Effect.fail(new Errors.StorageError({ operation: "Tickets.detectBreaches", cause: e })))
      )

  const detectBreaches: TicketsShape["detectBreaches"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(DetectBreachesInput, input)
      yield* requireActivity(tenant, actor, "change")
      const asOf = data.asOf ?? (yield* now)
      const breaches: Array<Breach> = []
      let after: string | undefined
      for (;;) {
        const page = yield* store.breachCandidates({ tenant, visibility: access.visibility(actor), asOf, after, limit: 100 })
        for (const candidate of page) breaches.push(...(yield* recordBreaches(actor, candidate.id, asOf)))
        if (page.length < 100) break
        after = page.at(-1)!.id
      }
      return { asOf, breaches }
    })

  const compliance: TicketsShape["compliance"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ComplianceInput, input)
      yield* requireActivity(tenant, actor, "display")
      const asOf = data.asOf ?? (yield* now)
      type Counts = { tickets: number; firstResponse: ReturnType<typeof emptyTarget>; resolution: ReturnType<typeof emptyTarget> }
      const counts = (): Counts => ({ tickets: 0, firstResponse: emptyTarget(), resolution: emptyTarget() })
      const overall = counts()
      const byPriority = new Map<string, Counts>()
      const byTeam = new Map<string, Counts>()
      const bucket = (map: Map<string, Counts>, key: string) => {
        let c = map.get(key)
        if (c === undefined) {
          c = counts()
          map.set(key, c)
        }
        return c
      }
      const tally = (c: Counts, state: Sla.SlaState) => {
        c.tickets++
        for (const target of ["firstResponse", "resolution"] as const) {
          const s = state[target].state
          if (s === "met") c[target].met++
          else if (s === "missed" || s === "breached") c[target].missed++
          else c[target].pending++
        }
      }
      let after: { openedAt: string; id: string } | undefined
      for (;;) {
        const page = yield* store.openedBetween({
          tenant,
          visibility: access.visibility(actor),
          from: data.from,
          to: data.to,
          after,
          limit: 500
        })
        for (const ticket of page) {
          const state = Sla.stateOf(service, ticket, asOf)
          tally(overall, state)
          tally(bucket(byPriority, ticket.priority), state)
          tally(bucket(byTeam, ticket.team ?? ""), state)
        }
        if (page.length < 500) break
        const last = page.at(-1)!
        after = { openedAt: last.openedAt, id: last.id }
      }
      const finish = (c: Counts): Compliance => {
        const share = (t: { met: number; missed: number }) => (t.met + t.missed === 0 ? null : t.met / (t.met + t.missed))
        return {
          tickets: c.tickets,
          firstResponse: { ...c.firstResponse, share: share(c.firstResponse) },
          resolution: { ...c.resolution, share: share(c.resolution) }
        }
      }
      const record = (map: Map<string, Counts>) =>
        Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, c]) => [k, finish(c)]))
      return { from: data.from, to: data.to, asOf, overall: finish(overall), byPriority: record(byPriority), byTeam: record(byTeam) }
    })

  return Tickets.of({ open, transition, respond, assign, reprioritize, get, history, listForAccount, detectBreaches, compliance })
})

/** The service, from the customizing, the CRM configuration, core's `Customers` and a CRM store's ports. */
export const layer: Layer.Layer<Tickets, never, Effect.Effect.Context<typeof make>> = Layer.effect(Tickets, make)
