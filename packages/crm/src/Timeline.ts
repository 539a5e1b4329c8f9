/**
 * The timeline of an account as an Effect service: its activities, the events of its service
 * tickets (status changes, first responses, assignments, priority changes, SLA breaches and
 * escalations) and its master-data change documents (core's `ChangeDocumentStore`, which shows only
 * the items of views the actor may see) merged newest first, paginated with an opaque cursor. A prospect's timeline
 * holds its activities; a customer's also those logged while it was a prospect.
 *
 * Opportunities add their recorded stage changes, wins, losses and reopenings (`OpportunityStore.accountHistory`).
 *
 * Ordering: by time descending (an activity's `at`, a ticket event's `at`, an opportunity history
 * entry's `at`, a change document's `changedAt`); at the same instant a change document first,
 * then a ticket event, then an opportunity entry, then an activity. Each page continues both streams exactly where
 * the previous page left them, so no entry is skipped; while the account changes during paging,
 * an entry may appear on two pages.
 *
 * @example
 * ```ts
 * import { Actor } from "@partnerkit/core"
 * import { Timeline } from "@partnerkit/crm"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const timeline = yield* Timeline.Timeline
 *   const actor = Actor.superUser("acme", "li.na")
 *   const first = yield* timeline.entries({ actor, account: { customerNumber: "C0001" }, limit: 20 })
 *   const next = first.nextCursor === undefined ? undefined : yield* timeline.entries({ actor, account: { customerNumber: "C0001" }, cursor: first.nextCursor })
 *   return first.items.map((e) =>
 *     e.kind === "activity" ? e.activity.subject : e.kind === "ticket" ? e.event.kind : e.kind === "opportunity" ? e.entry.change : e.document.operation
 *   )
 * })
 * ```
 * @module
 */
import { Actor, type ChangeDocument, ChangeDocumentStore, type Errors } from "@partnerkit/core"
import { Context, Effect, Layer, Option } from "effect"
import { z } from "zod"
import { AccountRef, type Activity } from "./Activity.js"
import { ActivityStore } from "./ActivityStore.js"
import type { AccountNotFound } from "./CrmErrors.js"
import * as Access from "./internal/access.js"
import { decodeCursor, encodeCursor, type Page, parse, requireActivity, type WithActor } from "./internal/service.js"
import type { HistoryEntry } from "./Opportunity.js"
import { type HistoryPosition, OpportunityStore } from "./OpportunityStore.js"
import { ReadConcurrency } from "./ReadConcurrency.js"
import type { TicketEvent } from "./Ticket.js"
import { type TicketEventPosition, TicketStore } from "./TicketStore.js"

export const TimelineInput = z
  .object({
    account: AccountRef,
    cursor: z.string().optional(),
    /** Default 20. */
    limit: z.number().int().min(1).max(200).optional()
  })
  .strict()
export type TimelineInput = z.input<typeof TimelineInput>

/** One entry of the timeline. */
export type Entry =
  | { readonly kind: "activity"; readonly at: string; readonly activity: Activity }
  | { readonly kind: "change"; readonly at: string; readonly document: ChangeDocument.ChangeDocument }
  | { readonly kind: "ticket"; readonly at: string; readonly event: TicketEvent }
  | { readonly kind: "opportunity"; readonly at: string; readonly entry: HistoryEntry }

export interface TimelineShape {
  /** One page of the account's timeline, newest first. */
  readonly entries: (
    input: TimelineInput & WithActor
  ) => Effect.Effect<Page<Entry>, Errors.NotAuthorized | Errors.ValidationFailed | Errors.StorageError | AccountNotFound>
}

/** The timeline service. */
export class Timeline extends Context.Tag("@partnerkit/crm/Timeline")<Timeline, TimelineShape>() {}

/** Where each stream stands: the last activity, ticket event, opportunity entry and change number given out, and which streams ended. */
interface Position {
  readonly activity?: { readonly at: string; readonly id: string } | undefined
  readonly documents?: number | undefined
  readonly ticket?: TicketEventPosition | undefined
  readonly opportunity?: HistoryPosition | undefined
  readonly opportunitiesDone: boolean
  readonly activitiesDone: boolean
  readonly documentsDone: boolean
  readonly ticketsDone: boolean
}

const checkPosition = (v: Record<string, unknown>): Position | undefined => {
  const a = v.a
  const activity =
    a === undefined ? undefined : Array.isArray(a) && typeof a[0] === "string" && typeof a[1] === "string" ? { at: a[0], id: a[1] } : null
  const t = v.t
  const ticket =
    t === undefined
      ? undefined
      : Array.isArray(t) && typeof t[0] === "string" && typeof t[1] === "string" && typeof t[2] === "number"
        ? { at: t[0], ticketId: t[1], seq: t[2] }
        : null
  const o = v.o
  const opportunity =
    o === undefined
      ? undefined
      : Array.isArray(o) && typeof o[0] === "string" && typeof o[1] === "string" && typeof o[2] === "number"
        ? { at: o[0], opportunityId: o[1], seq: o[2] }
        : null
  if (
    activity === null ||
    ticket === null ||
    opportunity === null ||
    (v.d !== undefined && !(typeof v.d === "number" && Number.isInteger(v.d) && v.d > 0))
  )
    return undefined
  return {
    activity,
    ticket,
    opportunity,
    opportunitiesDone: v.oe === 1,
    documents: v.d as number | undefined,
    activitiesDone: v.ae === 1,
    documentsDone: v.de === 1,
    ticketsDone: v.te === 1
  }
}

/** At the same instant: a change document first, then a ticket event, then an opportunity entry, then an activity. */
const rank: Record<Entry["kind"], number> = { change: 0, ticket: 1, opportunity: 2, activity: 3 }
const newer = (a: Entry, b: Entry) => a.at > b.at || (a.at === b.at && rank[a.kind] < rank[b.kind])

/**
 * Reads one page of the timeline of an account the caller has already resolved through
 * `Access.account` (so the 360° view does not check access twice). The four streams are read
 * concurrently: on PostgreSQL each is a round trip of its own.
 *
 * @internal
 */
export const reader = Effect.gen(function* () {
  const access = yield* Access.make
  const changeDocuments = yield* ChangeDocumentStore
  const store = yield* ActivityStore
  const tickets = yield* TicketStore
  const opportunities = yield* OpportunityStore
  const concurrency = yield* ReadConcurrency
  const { tenant } = access

  return (
    actor: Actor.Actor,
    ref: AccountRef,
    account: Access.Account,
    data: { readonly limit?: number | undefined; readonly cursor?: string | undefined }
  ): Effect.Effect<Page<Entry>, Errors.ValidationFailed | Errors.NotAuthorized | Errors.StorageError> =>
    Effect.gen(function* () {
      const limit = data.limit ?? 20
      const position = Option.getOrElse(
        yield* decodeCursor(data.cursor, checkPosition),
        (): Position => ({
          activitiesDone: false,
          opportunitiesDone: false,
          documentsDone: account.kind === "prospect",
          ticketsDone: account.kind === "prospect"
        })
      )
      const visibility = access.visibility(actor)
      const number = account.kind === "customer" ? account.customer.number : undefined
      const nothing = Effect.succeed([] as ReadonlyArray<never>)
      const { activities, documents, ticketEvents, opportunityEntries } = yield* Effect.all(
        {
          activities: position.activitiesDone
            ? nothing
            : store.listByAccount({ tenant, account: ref, visibility, before: position.activity, limit: limit + 1 }),
          // The account was resolved through core's display for this actor, so its change documents
          // are read from the port directly; the port filters their items by the views the actor may see.
          documents:
            position.documentsDone || number === undefined
              ? Effect.succeed([] as ReadonlyArray<ChangeDocument.ChangeDocument>)
              : changeDocuments.list({
                  tenant,
                  customerNumber: number,
                  visibility: Actor.visibility(actor),
                  before: position.documents,
                  limit: limit + 1
                }),
          ticketEvents:
            position.ticketsDone || number === undefined
              ? nothing
              : tickets.eventsByAccount({ tenant, customerNumber: number, visibility, before: position.ticket, limit: limit + 1 }),
          opportunityEntries: position.opportunitiesDone
            ? nothing
            : opportunities.accountHistory({ tenant, account: ref, visibility, before: position.opportunity, limit: limit + 1 })
        },
        { concurrency }
      )
      // Merge the newest-first streams.
      const items: Array<Entry> = []
      let ai = 0
      let di = 0
      let ti = 0
      let oi = 0
      while (items.length < limit) {
        const a = activities[ai]
        const d = documents[di]
        const t = ticketEvents[ti]
        const o = opportunityEntries[oi]
        const candidates: Array<Entry> = []
        if (d !== undefined) candidates.push({ kind: "change", at: d.changedAt, document: d })
        if (t !== undefined) candidates.push({ kind: "ticket", at: t.at, event: t })
        if (o !== undefined) candidates.push({ kind: "opportunity", at: o.at, entry: o })
        if (a !== undefined) candidates.push({ kind: "activity", at: a.at, activity: a })
        const next = candidates.reduce<Entry | undefined>((best, e) => (best === undefined || newer(e, best) ? e : best), undefined)
        if (next === undefined) break
        items.push(next)
        if (next.kind === "change") di++
        else if (next.kind === "ticket") ti++
        else if (next.kind === "opportunity") oi++
        else ai++
      }

      const activitiesDone = position.activitiesDone || activities.length === ai
      const documentsDone = position.documentsDone || documents.length === di
      const ticketsDone = position.ticketsDone || ticketEvents.length === ti
      const opportunitiesDone = position.opportunitiesDone || opportunityEntries.length === oi
      if (activitiesDone && documentsDone && ticketsDone && opportunitiesDone) return { items }
      const documentsCursor = di === 0 ? position.documents : documents[di - 1]?.changeNumber
      const lastActivity = ai === 0 ? position.activity : activities[ai - 1]
      const lastTicketEvent = ti === 0 ? position.ticket : ticketEvents[ti - 1]
      const next: Record<string, unknown> = {}
      if (lastActivity !== undefined) next.a = [lastActivity.at, lastActivity.id]
      if (lastTicketEvent !== undefined) next.t = [lastTicketEvent.at, lastTicketEvent.ticketId, lastTicketEvent.seq]
      if (ticketsDone) next.te = 1
      const lastOpportunityEntry = oi === 0 ? position.opportunity : opportunityEntries[oi - 1]
      if (lastOpportunityEntry !== undefined) {
        next.o = [lastOpportunityEntry.at, lastOpportunityEntry.opportunityId, lastOpportunityEntry.seq]
      }
      if (opportunitiesDone) next.oe = 1
      if (documentsCursor !== undefined) next.d = documentsCursor
      if (activitiesDone) next.ae = 1
      if (documentsDone) next.de = 1
      return { items, nextCursor: encodeCursor(next) }
    })
})

export const make = Effect.gen(function* () {
  const access = yield* Access.make
  const read = yield* reader
  const { tenant } = access

  const entries: TimelineShape["entries"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(TimelineInput, input)
      yield* requireActivity(tenant, actor, "display")
      const account = yield* access.account(actor, data.account)
      return yield* read(actor, data.account, account, data)
    })

  return Timeline.of({ entries })
})

/** The service, from the customizing, the CRM configuration, core's `Customers` and a CRM store's ports. */
export const layer: Layer.Layer<Timeline, never, Effect.Effect.Context<typeof make>> = Layer.effect(Timeline, make)
