/**
 * The 360° view of a customer account in one call: the master data as the actor may see it (only
 * the views its authorization allows, through core's `Customers.display`), the ownership, the
 * contact persons with their contact preferences, the open activities, the follow-ups of the
 * account, the open opportunities with their pipeline value, the open service tickets with their
 * SLA state, the latest timeline entries and key figures (days since the last contact, activity
 * counts, the open pipeline and what was won in the calendar year of `asOf`, per currency, the
 * RFM score and the churn-risk flag of `Behaviour` with the configured breakpoints and rules).
 * Everything in it is judged by the same visibility: a hidden account is `AccountNotFound`, and no
 * figure counts anything the actor may not see.
 *
 * The open service tickets come with the state of their SLA targets (`Sla.stateOf`); the open
 * opportunities with their probability-weighted amount. The pipeline figures are one aggregate in
 * the store (`AnalyticsStore.accountSales`), not a sum over the listed opportunities, so they
 * count every open opportunity even when more are open than `openLimit` lists.
 *
 * @example
 * ```ts
 * import { Actor } from "@partnerkit/core"
 * import { Account360 } from "@partnerkit/crm"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const views = yield* Account360.Account360
 *   const view = yield* views.view({ actor: Actor.superUser("acme", "li.na"), customerNumber: "C0001" })
 *   return `${view.customer.general.name}: ${view.keyFigures.daysSinceLastContact ?? "never"} days since the last contact`
 * })
 * ```
 * @module
 */
import type { Customer, Errors } from "@partnerkit/core"
import { Context, Effect, Layer, Option } from "effect"
import { z } from "zod"
import type { Activity } from "./Activity.js"
import { ActivityStore, type ActivitySummary } from "./ActivityStore.js"
import { AnalyticsStore } from "./AnalyticsStore.js"
import * as Behaviour from "./Behaviour.js"
import type { ContactPreference } from "./ContactPreference.js"
import { ContactPreferenceStore } from "./ContactPreferenceStore.js"
import type { AccountNotFound } from "./CrmErrors.js"
import * as Access from "./internal/access.js"
import { now, parse, requireActivity, type WithActor } from "./internal/service.js"
import type { Opportunity } from "./Opportunity.js"
import { OpportunityStore } from "./OpportunityStore.js"
import type { Ownership } from "./Ownership.js"
import { ReadConcurrency } from "./ReadConcurrency.js"
import * as Sla from "./Sla.js"
import type { Ticket } from "./Ticket.js"
import { TicketStore } from "./TicketStore.js"
import * as Timeline from "./Timeline.js"

export const ViewInput = z
  .object({
    customerNumber: z.string().trim().min(1).max(16),
    /** The moment follow-ups and key figures are judged at. Default: now. */
    asOf: z.iso
      .datetime({ offset: true })
      .transform((s) => new Date(s).toISOString())
      .optional(),
    /** Timeline entries to include. Default 10. */
    timelineLimit: z.number().int().min(1).max(100).optional(),
    /** Open activities, opportunities and tickets to include (each). Default 50. */
    openLimit: z.number().int().min(1).max(500).optional()
  })
  .strict()
export type ViewInput = z.input<typeof ViewInput>

export interface KeyFigures {
  /** Whole days from the last completed call, meeting, visit or e-mail to `asOf`; `null` when there was none. */
  readonly daysSinceLastContact: number | null
  readonly lastContactAt?: string | undefined
  readonly activities: ActivitySummary
  /** The open opportunities with an amount and a currency, per currency (ascending). */
  readonly pipeline: ReadonlyArray<PipelineValue>
  /** The calendar year (UTC) of `asOf` that `wonThisYear` covers. */
  readonly year: number
  /** Won opportunities whose close date lies in `year`, per currency (ascending). */
  readonly wonThisYear: ReadonlyArray<{ readonly currency: string; readonly count: number; readonly amount: number }>
  /** The recency / frequency / monetary score at `asOf` (`CrmConfig.rfm`), as `Behaviour.behaviour` gives it. */
  readonly rfm: Behaviour.Rfm
  /** The churn-risk rules of `CrmConfig.churnRisk` that fire at `asOf` (none: not at risk). */
  readonly churnRisk: Behaviour.AccountBehaviour["churnRisk"]
}

/** The open pipeline in one currency: how many, their amount, and their amount weighted by probability. */
export interface PipelineValue {
  readonly currency: string
  readonly count: number
  readonly amount: number
  readonly weighted: number
}

/** An open opportunity and its probability-weighted amount (absent without an amount). */
export interface OpenOpportunity {
  readonly opportunity: Opportunity
  readonly weighted?: number | undefined
}

export interface View {
  readonly asOf: string
  readonly customer: Customer.CustomerRecord
  readonly ownership?: Ownership | undefined
  /** The account's own contact preferences (no contact person). */
  readonly preferences: ReadonlyArray<ContactPreference>
  readonly contacts: ReadonlyArray<{ readonly contact: Customer.ContactPerson; readonly preferences: ReadonlyArray<ContactPreference> }>
  /** Open activities by due time (without a due date last). */
  readonly openActivities: ReadonlyArray<Activity>
  /** Open activities of the account (any owner) due before `asOf` and within the follow-up window. */
  readonly followUps: {
    readonly overdue: ReadonlyArray<Activity>
    readonly dueSoon: ReadonlyArray<Activity>
    readonly dueSoonUntil: string
  }
  readonly timeline: { readonly items: ReadonlyArray<Timeline.Entry>; readonly nextCursor?: string }
  /** Tickets not resolved or closed, newest first, each with the state of its SLA targets at `asOf`. */
  readonly openTickets: ReadonlyArray<{ readonly ticket: Ticket; readonly sla: Sla.SlaState }>
  /** Open opportunities by id (creation order), at most `openLimit`. */
  readonly openOpportunities: ReadonlyArray<OpenOpportunity>
  readonly keyFigures: KeyFigures
}

export interface Account360Shape {
  readonly view: (
    input: ViewInput & WithActor
  ) => Effect.Effect<View, Errors.NotAuthorized | Errors.ValidationFailed | Errors.StorageError | AccountNotFound>
}

/** The 360° view service. */
export class Account360 extends Context.Tag("@partnerkit/crm/Account360")<Account360, Account360Shape>() {}

const day = 86_400_000

export const make = Effect.gen(function* () {
  const access = yield* Access.make
  const activities = yield* ActivityStore
  const preferences = yield* ContactPreferenceStore
  // The timeline's reader, not its service: the account is resolved once, here.
  const readTimeline = yield* Timeline.reader
  const readBehaviour = yield* Behaviour.reader
  const tickets = yield* TicketStore
  const opportunities = yield* OpportunityStore
  const analytics = yield* AnalyticsStore
  const concurrency = yield* ReadConcurrency
  const { tenant, config } = access

  const view: Account360Shape["view"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ViewInput, input)
      yield* requireActivity(tenant, actor, "display")
      const resolved = yield* access.customerAccount(actor, data.customerNumber)
      const { customer, ownership } = resolved
      const asOf = data.asOf ?? (yield* now)
      const dueSoonUntil = new Date(new Date(asOf).getTime() + config.followUps.dueSoonHours * 3_600_000).toISOString()
      const visibility = access.visibility(actor)
      const account = { customerNumber: customer.number }
      const year = Number(asOf.slice(0, 4))
      const limit = data.openLimit ?? 50
      // Independent reads, as many at once as the store benefits from (`ReadConcurrency`): on
      // PostgreSQL each is a round trip of its own; on SQLite they run one after another anyway.
      const [prefs, open, summary, entries, openTickets, openOpportunities, sales, behaviour] = yield* Effect.all(
        [
          preferences.list(tenant, customer.number),
          activities.open({ tenant, visibility, account, limit }),
          activities.summary({ tenant, account, visibility, asOf }),
          readTimeline(actor, account, resolved, { limit: data.timelineLimit ?? 10 }),
          tickets.listByAccount({ tenant, customerNumber: customer.number, visibility, openOnly: true, limit }),
          opportunities.list({ tenant, visibility, account, status: "open", limit }),
          analytics.accountSales({ tenant, visibility, customerNumber: customer.number, wonFrom: `${year}-01-01`, wonTo: `${year}-12-31` }),
          readBehaviour(actor, { customerNumber: customer.number, asOf })
        ],
        { concurrency }
      )
      const due = open.filter((a) => a.dueAt !== undefined && a.dueAt < dueSoonUntil)
      const byCurrency = (a: { readonly currency: string }, b: { readonly currency: string }) =>
        a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0
      const last = summary.lastContactAt
      return {
        asOf,
        customer,
        ownership: Option.getOrUndefined(ownership),
        preferences: prefs.filter((p) => p.contactId === undefined),
        contacts: customer.contacts.map((contact) => ({ contact, preferences: prefs.filter((p) => p.contactId === contact.id) })),
        openActivities: open,
        followUps: { overdue: due.filter((a) => a.dueAt! < asOf), dueSoon: due.filter((a) => a.dueAt! >= asOf), dueSoonUntil },
        timeline: entries,
        openTickets: openTickets.map((ticket) => ({ ticket, sla: Sla.stateOf(config.service, ticket, asOf) })),
        openOpportunities: openOpportunities.map(
          (opportunity): OpenOpportunity =>
            opportunity.amount === undefined
              ? { opportunity }
              : { opportunity, weighted: Math.round((Math.round(opportunity.amount * 100) * opportunity.probability) / 100) / 100 }
        ),
        keyFigures: {
          daysSinceLastContact:
            last === undefined ? null : Math.max(0, Math.floor((new Date(asOf).getTime() - new Date(last).getTime()) / day)),
          lastContactAt: last,
          activities: summary,
          pipeline: sales
            .filter((b) => b.status === "open")
            .map((b) => ({
              currency: b.currency,
              count: b.count,
              amount: b.amountCents / 100,
              weighted: Math.round(b.weightedCentPercents / 100) / 100
            }))
            .sort(byCurrency),
          year,
          wonThisYear: sales
            .filter((b) => b.status === "won")
            .map((b) => ({ currency: b.currency, count: b.count, amount: b.amountCents / 100 }))
            .sort(byCurrency),
          rfm: behaviour.rfm,
          churnRisk: behaviour.churnRisk
        }
      }
    })

  return Account360.of({ view })
})

/** The service, from the timeline service and a CRM store's ports. */
export const layer: Layer.Layer<Account360, never, Effect.Effect.Context<typeof make>> = Layer.effect(Account360, make)
