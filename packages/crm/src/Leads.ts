/**
 * Leads as an Effect service: capture (scored and assigned by the configured rules), changes,
 * the checked status flow, activities logged on a lead (which count for its score), the
 * duplicate check against existing accounts and contacts, and the conversion into an account +
 * contact + opportunity in one transaction.
 *
 * - **Scoring** (`CrmConfig.leads.scoring`) runs on every write; the lead keeps the score and its
 *   parts (`scoreDetail`).
 * - **Assignment** (`CrmConfig.leads.assignment`): unless an owner is given, the first matching
 *   rule assigns the lead to its owner, or to the next member of its team in turn. The turn is
 *   drawn from the store in the lead's transaction, so concurrent leads never get the same turn
 *   and a lead that fails to be written gives its turn back.
 * - **Status**: new → working → qualified / disqualified (with a configured reason), see
 *   `Lead.transitions`; any other step fails with `StatusTransitionNotAllowed`.
 * - **Duplicates**: core's duplicate check (`DuplicateCheck.check`: scored, explained candidates
 *   from the match index) on the lead's company and address, keeping only customers the CRM rule
 *   lets the actor see; and, from the store's indexes, the customers, contact persons and open
 *   prospects the actor may see whose name or e-mail equals the lead's (trimmed, ASCII case
 *   folded) — core's check knows no contact persons or prospects.
 * - **Conversion** of a qualified lead, in one transaction: a new customer through core's
 *   `Customers.create` (account group, validation, number range, change document) with the
 *   lead's person as contact person and the lead's owner / team / territory as ownership — or a
 *   prospect, or an existing customer (the person added as a contact person unless `contactId`
 *   names one); then an opportunity (unless `opportunity: false`); the lead marked `converted`
 *   with links to all three, and its activities linked to the account. Any failure writes nothing.
 *
 * Activities: `create` to capture and convert, `change` for the other writes, `display` for reads.
 *
 * @example
 * ```ts
 * import { Actor } from "@partnerkit/core"
 * import { Leads } from "@partnerkit/crm"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const leads = yield* Leads.Leads
 *   const actor = Actor.superUser("acme", "li.na")
 *   const lead = yield* leads.create({
 *     actor,
 *     lead: { company: "Nordlicht Logistik GmbH", lastName: "Berg", email: "anna.berg@nordlicht.example", country: "DE", source: "web" }
 *   })
 *   const qualified = yield* leads.changeStatus({ actor, id: lead.id, version: lead.version, status: "qualified" })
 *   const { customerNumber, opportunity } = yield* leads.convert({
 *     actor,
 *     id: qualified.id,
 *     into: { kind: "customer", accountGroup: "0001", general: { street: "Kai 3", postalCode: "20457", city: "Hamburg" } }
 *   })
 *   return [customerNumber, opportunity?.id]
 * })
 * ```
 * @module
 */
import { Customer, Customers, Customizing, DuplicateCheck, Errors, Messages, StoreTransaction } from "@partnerkit/core"
import { Context, Effect, Layer, Option } from "effect"
import { z } from "zod"
import { AccountOwnershipStore } from "./AccountOwnershipStore.js"
import { type Activity, timelineAt } from "./Activity.js"
import { ActivityStore } from "./ActivityStore.js"
import type { AccountNotFound } from "./CrmErrors.js"
import * as Access from "./internal/access.js"
import {
  compact,
  decodeAfter,
  inputInvalid,
  newId,
  now,
  type Page,
  pageOf,
  parse,
  requireActivity,
  requireGroup,
  type WithActor
} from "./internal/service.js"
import {
  Amount,
  assignmentOf,
  ChangeLeadInput,
  ChangeLeadStatusInput,
  CreateLeadInput,
  DuplicatesInput,
  GetLeadInput,
  type Lead,
  type LeadData,
  ListLeadsInput,
  LogLeadActivityInput,
  matchKey,
  scoreOf,
  transitions
} from "./Lead.js"
import { type DuplicateCandidate, LeadStore } from "./LeadStore.js"
import { Opportunities } from "./Opportunities.js"
import { CalendarDate, type Opportunity } from "./Opportunity.js"
import { inScope, type Ownership } from "./Ownership.js"
import type { Prospect } from "./Prospect.js"
import { ProspectStore } from "./ProspectStore.js"
import { LeadNotFound, type OpportunityClosed, type StageRequirementsMissing, StatusTransitionNotAllowed } from "./SalesErrors.js"

export type { Page, WithActor } from "./internal/service.js"

const code = (max: number) => z.string().trim().min(1).max(max)

export const ConvertLeadInput = z
  .object({
    id: code(40),
    /** The version you read; omit to convert whatever is current. */
    version: z.number().int().positive().optional(),
    into: z.discriminatedUnion("kind", [
      z
        .object({
          /** A new customer of `accountGroup`, created through `Customers.create`. */
          kind: z.literal("customer"),
          accountGroup: code(4),
          number: code(16).optional(),
          /** Values that replace or add to the general data taken from the lead. */
          general: Customer.GeneralData.partial().strict().optional(),
          companyCodes: z.array(Customer.CompanyCodeViewInput).optional(),
          salesAreas: z.array(Customer.SalesAreaViewInput).optional(),
          acknowledge: z.array(Messages.MessageId).optional()
        })
        .strict(),
      /** A new prospect. */
      z.object({ kind: z.literal("prospect") }).strict(),
      z
        .object({
          /** A customer that exists (e.g. found by `duplicates`). */
          kind: z.literal("existing"),
          customerNumber: code(16),
          /** One of its contact persons; absent: the lead's person is added as a new one. */
          contactId: code(10).optional()
        })
        .strict()
    ]),
    /** The opportunity to open (defaults from the lead), or `false` for none. */
    opportunity: z
      .union([
        z.literal(false),
        z
          .object({
            name: z.string().trim().min(1).max(120).optional(),
            amount: Amount.optional(),
            currency: z.string().trim().length(3).optional(),
            expectedCloseDate: CalendarDate.optional(),
            stage: code(20).optional()
          })
          .strict()
      ])
      .optional()
  })
  .strict()
export type ConvertLeadInput = z.input<typeof ConvertLeadInput>

export const AssignLeadInput = z
  .object({
    id: code(40),
    version: z.number().int().positive(),
    owner: code(64),
    team: code(20).nullable().optional(),
    territory: code(20).nullable().optional()
  })
  .strict()
export type AssignLeadInput = z.input<typeof AssignLeadInput>

/** What `duplicates` returns. */
export interface LeadDuplicates {
  /**
   * Core's scored candidates (best first) among customers the actor may see by authorization group
   * and by the CRM rule. Hidden ones are neither listed nor counted.
   */
  readonly scored: ReadonlyArray<DuplicateCheck.Candidate>
  /** Customers, contact persons and open prospects whose name or e-mail equals the lead's. */
  readonly exact: ReadonlyArray<DuplicateCandidate>
}

/** What a conversion returns. */
export interface LeadConversion {
  /** The lead, now `converted`, with links. */
  readonly lead: Lead
  readonly customerNumber?: string | undefined
  readonly prospectId?: string | undefined
  readonly contactId?: string | undefined
  readonly opportunity?: Opportunity | undefined
  /** Messages of `Customers.create` / `change` that did not block. */
  readonly messages: ReadonlyArray<Messages.Message>
  /** How many of the lead's activities now belong to the account. */
  readonly activitiesLinked: number
}

export type Common = Errors.NotAuthorized | Errors.ValidationFailed | Errors.StorageError
export type ReadError = Common | LeadNotFound
export type WriteError = ReadError | Errors.VersionConflict | StatusTransitionNotAllowed
export type ConvertError =
  | WriteError
  | AccountNotFound
  | StageRequirementsMissing
  | OpportunityClosed
  | Customers.CreateError
  | Customers.UpdateError

export interface LeadsShape {
  /** Captures a lead: scored, and assigned by the rules unless `owner` is given. */
  readonly create: (input: CreateLeadInput & WithActor) => Effect.Effect<Lead, Common>
  /** Changes a lead's data (not a converted one) and scores it again. */
  readonly change: (input: ChangeLeadInput & WithActor) => Effect.Effect<Lead, WriteError>
  /** Moves the lead along the status flow. */
  readonly changeStatus: (input: ChangeLeadStatusInput & WithActor) => Effect.Effect<Lead, WriteError>
  /** Gives the lead to another owner (and team / territory). */
  readonly assign: (input: AssignLeadInput & WithActor) => Effect.Effect<Lead, WriteError>
  readonly get: (input: GetLeadInput & WithActor) => Effect.Effect<Lead, ReadError>
  /** Visible leads, ascending by id. */
  readonly list: (input: ListLeadsInput & WithActor) => Effect.Effect<Page<Lead>, Common>
  /** Logs an activity on the lead; it counts for the score. */
  readonly logActivity: (
    input: LogLeadActivityInput & WithActor
  ) => Effect.Effect<{ readonly lead: Lead; readonly activity: Activity }, ReadError | Errors.VersionConflict>
  /** The activities logged on the lead, newest first. */
  readonly activities: (input: GetLeadInput & WithActor) => Effect.Effect<ReadonlyArray<Activity>, ReadError>
  /** Accounts and contacts the actor may see that may be the lead's. */
  readonly duplicates: (input: DuplicatesInput & WithActor) => Effect.Effect<LeadDuplicates, ReadError>
  /** Converts a qualified lead into account + contact + opportunity, in one transaction. */
  readonly convert: (input: ConvertLeadInput & WithActor) => Effect.Effect<LeadConversion, ConvertError>
}

/** The leads service. */
export class Leads extends Context.Tag("@partnerkit/crm/Leads")<Leads, LeadsShape>() {}

const requireKnown = (kind: "team" | "territory", value: string | null | undefined, known: Readonly<Record<string, unknown>>) =>
  value === undefined || value === null || Object.hasOwn(known, value)
    ? Effect.void
    : Effect.fail(inputInvalid([{ path: kind, detail: `unknown ${kind} "${value}" (not in the CRM configuration)` }]))

/** Builds the service from the customizing, the CRM configuration, core's `Customers`, `Opportunities` and the store's ports. */
export const make = Effect.gen(function* () {
  const access = yield* Access.make
  const customers = yield* Customers.Customers
  const opportunities = yield* Opportunities
  const store = yield* LeadStore
  const activityStore = yield* ActivityStore
  const prospects = yield* ProspectStore
  const owners = yield* AccountOwnershipStore
  const tx = yield* StoreTransaction
  // Core's duplicate check, built as `Customers` builds it: on the same customizing and store ports.
  const duplicateCheck = yield* DuplicateCheck.makeWith(DuplicateCheck.configOf(yield* Customizing.Current))
  const { tenant, config } = access

  const scored = (lead: Omit<Lead, "score" | "scoreDetail">): Lead => {
    const { score, detail } = scoreOf(config.leads, lead)
    return { ...lead, score, scoreDetail: detail }
  }

  const requireCurrency = (data: Partial<LeadData>) =>
    data.estimatedAmount !== undefined && data.currency === undefined
      ? Effect.fail(inputInvalid([{ path: "lead.currency", detail: "an estimated amount needs a currency" }]))
      : Effect.void

  const readLead = (actor: WithActor["actor"], id: string) =>
    Effect.flatMap(store.get(tenant, id, access.visibility(actor)), (found) =>
      Option.match(found, { onNone: () => Effect.fail(new LeadNotFound({ tenant, id })), onSome: Effect.succeed })
    )

  const readForUpdate = (actor: WithActor["actor"], id: string, version: number | undefined) =>
    Effect.gen(function* () {
      const lead = yield* readLead(actor, id)
      if (version !== undefined && lead.version !== version) {
        return yield* Effect.fail(new Errors.VersionConflict({ number: id, expected: version, actual: lead.version }))
      }
      return lead
    })

  const write = (actor: WithActor["actor"], before: Lead, patch: Partial<Lead>) =>
    Effect.gen(function* () {
      const next = scored({
        ...(compact({ ...before, ...patch }) as Lead),
        version: before.version + 1,
        changedBy: actor.userId,
        changedAt: yield* now
      })
      yield* store.put(next, before.version)
      return next
    })

  const create: LeadsShape["create"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(CreateLeadInput, input)
      yield* requireActivity(tenant, actor, "create")
      yield* requireGroup(actor, data.lead.authorizationGroup)
      yield* requireKnown("team", data.team, config.teams)
      yield* requireKnown("territory", data.territory, config.territories)
      yield* requireCurrency(data.lead)
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const rule = data.owner === undefined ? assignmentOf(config.leads, data.lead) : undefined
          let owner = data.owner ?? actor.userId
          let team = data.team
          if (rule?.owner !== undefined) owner = rule.owner
          if (rule?.team !== undefined) {
            // `CrmConfig.make` checked that the team exists and has members.
            const members = config.teams[rule.team]?.members ?? []
            const turn = yield* store.nextTurn(tenant, `team:${rule.team}`)
            owner = members[turn % members.length] ?? owner
            team = rule.team
          }
          const at = yield* now
          const lead = scored(
            compact({
              ...compact(data.lead),
              tenant,
              id: yield* newId("L"),
              owner,
              team,
              territory: rule?.territory ?? data.territory,
              assignedBy: rule?.name,
              status: "new" as const,
              activityCounts: {},
              version: 1,
              createdBy: actor.userId,
              createdAt: at,
              changedBy: actor.userId,
              changedAt: at
            })
          )
          yield* store.put(lead, null).pipe(Effect.catchTag("VersionConflict", (e) => Effect.die(e)))
          return lead
        })
      )
    })

  const notConverted = (lead: Lead, to: string) =>
    lead.status === "converted"
      ? Effect.fail(new StatusTransitionNotAllowed({ entity: "lead", id: lead.id, from: "converted", to }))
      : Effect.void

  const change: LeadsShape["change"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ChangeLeadInput, input)
      yield* requireActivity(tenant, actor, "change")
      yield* requireGroup(actor, data.lead.authorizationGroup)
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.id, data.version)
          yield* notConverted(before, "changed")
          const merged = { ...before, ...compact(data.lead) }
          yield* requireCurrency(merged)
          return yield* write(actor, before, merged)
        })
      )
    })

  const changeStatus: LeadsShape["changeStatus"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ChangeLeadStatusInput, input)
      yield* requireActivity(tenant, actor, "change")
      const reasons = config.leads.disqualificationReasons
      if (data.status === "disqualified" && (data.reason === undefined || !reasons.includes(data.reason))) {
        return yield* Effect.fail(
          inputInvalid([{ path: "reason", detail: `disqualifying needs one of the reasons ${reasons.join(", ")}` }])
        )
      }
      if (data.status !== "disqualified" && data.reason !== undefined) {
        return yield* Effect.fail(inputInvalid([{ path: "reason", detail: "a reason is given only when disqualifying" }]))
      }
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.id, data.version)
          if (!transitions[before.status].includes(data.status)) {
            return yield* Effect.fail(
              new StatusTransitionNotAllowed({ entity: "lead", id: before.id, from: before.status, to: data.status })
            )
          }
          return yield* write(actor, before, { status: data.status, disqualificationReason: data.reason })
        })
      )
    })

  const assign: LeadsShape["assign"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(AssignLeadInput, input)
      yield* requireActivity(tenant, actor, "change")
      yield* requireKnown("team", data.team, config.teams)
      yield* requireKnown("territory", data.territory, config.territories)
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.id, data.version)
          yield* notConverted(before, "assigned")
          return yield* write(actor, before, {
            owner: data.owner,
            team: data.team === null ? undefined : (data.team ?? before.team),
            territory: data.territory === null ? undefined : (data.territory ?? before.territory),
            assignedBy: undefined
          })
        })
      )
    })

  const get: LeadsShape["get"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(GetLeadInput, input)
      yield* requireActivity(tenant, actor, "display")
      return yield* readLead(actor, data.id)
    })

  const list: LeadsShape["list"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ListLeadsInput, input)
      yield* requireActivity(tenant, actor, "display")
      const after = yield* decodeAfter(data.cursor)
      const limit = data.limit ?? 50
      const rows = yield* store.list({
        tenant,
        visibility: access.visibility(actor),
        status: data.status,
        owner: data.owner,
        source: data.source,
        campaignId: data.campaignId,
        after: Option.getOrUndefined(after),
        limit: limit + 1
      })
      return pageOf(rows, limit, (l) => ({ after: l.id }))
    })

  const logActivity: LeadsShape["logActivity"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(LogLeadActivityInput, input)
      yield* requireActivity(tenant, actor, "create")
      return yield* tx
        .withTransaction(
          Effect.gen(function* () {
            const before = yield* readLead(actor, data.id)
            const at = yield* now
            const status = data.status ?? (data.kind === "note" ? "completed" : "open")
            const base = compact({
              tenant,
              id: yield* newId("A"),
              kind: data.kind,
              subject: data.subject,
              notes: data.notes,
              // A converted lead's activities go to what it became.
              customerNumber: before.conversion?.customerNumber,
              prospectId: before.conversion?.prospectId,
              leadId: before.id,
              opportunityId: before.conversion?.opportunityId,
              owner: data.owner ?? before.owner,
              dueAt: data.dueAt,
              status,
              outcome: data.outcome,
              completedAt: status === "completed" ? (data.completedAt ?? at) : undefined,
              version: 1,
              createdBy: actor.userId,
              createdAt: at,
              changedBy: actor.userId,
              changedAt: at
            })
            const activity: Activity = { ...base, at: timelineAt(base) }
            yield* activityStore.put(activity, null).pipe(Effect.catchTag("VersionConflict", (e) => Effect.die(e)))
            const counts = { ...before.activityCounts, [data.kind]: (before.activityCounts[data.kind] ?? 0) + 1 }
            const lead = yield* write(actor, before, { activityCounts: counts })
            return { lead, activity }
          })
          // The lead's version guards its counters: of two concurrent logs one conflicts, and is
          // run again on the lead as the other left it (nothing of the failed attempt was kept).
        )
        .pipe(Effect.retry({ while: (e) => e._tag === "VersionConflict", times: 10 }))
    })

  const activities: LeadsShape["activities"] = (input) =>
    Effect.gen(function* () {
      const lead = yield* get(input)
      return yield* store.activities(tenant, lead.id)
    })

  const duplicates: LeadsShape["duplicates"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(DuplicatesInput, input)
      yield* requireActivity(tenant, actor, "display")
      const lead: Partial<LeadData> = data.id !== undefined ? yield* readLead(actor, data.id) : (data.lead ?? {})
      const limit = data.limit ?? 10
      const visibility = access.visibility(actor)
      const names = lead.company === undefined ? [] : [matchKey(lead.company)]
      const emails = lead.email === undefined ? [] : [matchKey(lead.email)]
      const exact = names.length === 0 && emails.length === 0 ? [] : yield* store.duplicates({ tenant, visibility, names, emails, limit })
      if (lead.company === undefined) return { scored: [], exact }
      const general: Customer.GeneralData = compact({
        name: lead.company,
        street: lead.street,
        postalCode: lead.postalCode,
        city: lead.city,
        region: lead.region,
        country: lead.country,
        phone: lead.phone,
        email: lead.email
      })
      // Core counts the candidates the actor may not see by group; the CRM rule hides more. Ask for
      // more than the page so that the page is rarely short after the CRM rule.
      const checked = yield* duplicateCheck.check({ actor, input: { general }, limit: Math.min(limit * 3, 100) })
      const scored: Array<DuplicateCheck.Candidate> = []
      for (const candidate of checked.candidates) {
        if (scored.length >= limit) break
        const ownership = yield* owners.get(tenant, candidate.number)
        if (inScope(visibility.scope, Option.getOrUndefined(ownership))) scored.push(candidate)
      }
      return { scored, exact }
    })

  const convert: LeadsShape["convert"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ConvertLeadInput, input)
      yield* requireActivity(tenant, actor, "create")
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const lead = yield* readForUpdate(actor, data.id, data.version)
          if (lead.status !== "qualified") {
            return yield* Effect.fail(new StatusTransitionNotAllowed({ entity: "lead", id: lead.id, from: lead.status, to: "converted" }))
          }
          const at = yield* now
          const person: Customer.ContactData | undefined =
            lead.lastName === undefined
              ? undefined
              : compact({
                  firstName: lead.firstName,
                  lastName: lead.lastName,
                  function: lead.jobTitle,
                  phone: lead.phone,
                  email: lead.email
                })
          let customerNumber: string | undefined
          let prospectId: string | undefined
          let contactId: string | undefined
          let messages: ReadonlyArray<Messages.Message> = []
          const into = data.into
          if (into.kind === "customer") {
            const general: Customer.GeneralData = compact({
              name: lead.company,
              street: lead.street,
              postalCode: lead.postalCode,
              city: lead.city,
              region: lead.region,
              country: lead.country,
              language: lead.language,
              phone: lead.phone,
              email: lead.email,
              industry: lead.industry,
              authorizationGroup: lead.authorizationGroup,
              ...compact(into.general ?? {})
            })
            const created = yield* customers.create({
              actor,
              accountGroup: into.accountGroup,
              number: into.number,
              general,
              companyCodes: into.companyCodes,
              salesAreas: into.salesAreas,
              contacts: person === undefined ? [] : [person],
              acknowledge: into.acknowledge
            })
            customerNumber = created.customer.number
            contactId = created.customer.contacts[0]?.id
            messages = created.messages
            const ownership: Ownership = compact({
              tenant,
              customerNumber,
              owner: lead.owner,
              team: lead.team,
              territory: lead.territory,
              version: 1,
              changedBy: actor.userId,
              changedAt: at
            })
            yield* owners.put(ownership, null)
          } else if (into.kind === "prospect") {
            const prospect: Prospect = compact({
              tenant,
              id: yield* newId("P"),
              name: lead.company,
              street: lead.street,
              postalCode: lead.postalCode,
              city: lead.city,
              region: lead.region,
              country: lead.country,
              language: lead.language,
              phone: lead.phone,
              email: lead.email,
              industry: lead.industry,
              authorizationGroup: lead.authorizationGroup,
              contacts: person === undefined ? [] : [{ ...compact({ ...person }), id: "0001" }],
              owner: lead.owner,
              team: lead.team,
              territory: lead.territory,
              status: "open" as const,
              version: 1,
              createdBy: actor.userId,
              createdAt: at,
              changedBy: actor.userId,
              changedAt: at
            })
            yield* prospects.put(prospect, null).pipe(Effect.catchTag("VersionConflict", (e) => Effect.die(e)))
            prospectId = prospect.id
            contactId = person === undefined ? undefined : "0001"
          } else {
            const { customer } = yield* access.customerAccount(actor, into.customerNumber)
            customerNumber = customer.number
            if (into.contactId !== undefined) {
              if (!customer.contacts.some((c) => c.id === into.contactId)) {
                return yield* Effect.fail(
                  inputInvalid([{ path: "into.contactId", detail: `customer ${customer.number} has no contact person ${into.contactId}` }])
                )
              }
              contactId = into.contactId
            } else if (person !== undefined) {
              const changed = yield* customers.change({
                actor,
                number: customer.number,
                version: customer.version,
                contacts: { add: [person] }
              })
              const known = new Set(customer.contacts.map((c) => c.id))
              contactId = changed.customer.contacts.find((c) => !known.has(c.id))?.id
              messages = changed.messages
            }
          }
          const account = customerNumber !== undefined ? { customerNumber } : { prospectId: prospectId ?? "" }
          const wanted = data.opportunity === false ? undefined : (data.opportunity ?? {})
          const opportunity =
            wanted === undefined
              ? undefined
              : yield* opportunities.create({
                  actor,
                  account,
                  name: wanted.name ?? lead.company,
                  amount: wanted.amount ?? lead.estimatedAmount,
                  currency: wanted.currency ?? lead.currency,
                  expectedCloseDate: wanted.expectedCloseDate,
                  stage: wanted.stage,
                  owner: lead.owner,
                  territory: lead.territory,
                  leadId: lead.id
                })
          const converted = yield* write(actor, lead, {
            status: "converted",
            conversion: compact({ customerNumber, prospectId, contactId, opportunityId: opportunity?.id, at, by: actor.userId })
          })
          const activitiesLinked = yield* store.linkActivities(tenant, lead.id, compact({ customerNumber, prospectId }), actor.userId, at)
          return compact({ lead: converted, customerNumber, prospectId, contactId, opportunity, messages, activitiesLinked })
        })
      )
    })

  return Leads.of({ create, change, changeStatus, assign, get, list, logActivity, activities, duplicates, convert })
})

/** The service, from the customizing, the CRM configuration, core's `Customers`, `Opportunities` and a CRM store's ports. */
export const layer: Layer.Layer<Leads, never, Effect.Effect.Context<typeof make>> = Layer.effect(Leads, make)
