/**
 * Service tickets: a customer's request or incident with a category, a priority and a status of
 * the configured flow (`CrmConfig.service`), linked to the customer account, optionally to one of
 * its contact persons and to a piece of equipment (a free id, optionally with its end user — another
 * customer, as partner determination's "end user" function). A ticket has an owner and a team, an
 * SLA profile chosen at opening, the due times of its first-response and resolution targets, and a
 * history of events: every status change, the first response, assignments, priority changes,
 * breaches and escalations.
 *
 * SLA bookkeeping on the record: `pausedMs` is the business time the clock stood still (waiting for
 * the customer when the profile pauses, resolved, closed); `pausedSince` is set while it stands
 * still. The due times are `opening + target + pausedMs` in business time; a target's due time is
 * fixed once the target is reached — except that a change of priority recomputes it from the new
 * priority's target (with the business time the clock had stood still when it was reached).
 *
 * @example
 * ```ts
 * import type { Ticket } from "@partnerkit/crm"
 *
 * const input: Ticket.OpenTicketInput = {
 *   customerNumber: "C0001",
 *   contactId: "0001",
 *   equipment: { id: "BUS-4711", endUser: "C0002" },
 *   category: "incident",
 *   priority: "P2",
 *   subject: "Air conditioning fails on line 12",
 *   team: "FIELD"
 * }
 * ```
 * @module
 */
import { z } from "zod"
import { StatusKind } from "./ServiceConfig.js"

const text = (max: number) => z.string().trim().min(1).max(max)
const code = (max: number) => z.string().trim().min(1).max(max)
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString())

export const Equipment = z
  .object({
    /** The equipment's id in the host application (a serial or vehicle number). */
    id: code(40),
    /** The customer number of the equipment's end user, when it is not the ticket's customer. */
    endUser: code(16).optional()
  })
  .strict()
export type Equipment = z.infer<typeof Equipment>

/** The two SLA targets of a ticket. */
export const TargetName = z.enum(["firstResponse", "resolution"])
export type TargetName = z.infer<typeof TargetName>

export const Ticket = z.object({
  tenant: z.string(),
  id: z.string(),
  customerNumber: z.string(),
  contactId: z.string().optional(),
  equipment: Equipment.optional(),
  subject: z.string(),
  description: z.string().optional(),
  category: z.string(),
  priority: z.string(),
  status: z.string(),
  /** The kind of `status` (denormalised: stores filter open tickets by it). */
  statusKind: StatusKind,
  owner: z.string().optional(),
  team: z.string().optional(),
  slaProfile: z.string(),
  openedAt: z.string(),
  firstResponseAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  closedAt: z.string().optional(),
  firstResponseDueAt: z.string(),
  resolutionDueAt: z.string(),
  /** Business milliseconds the SLA clock stood still so far. */
  pausedMs: z.number().int().min(0),
  /** Set while the clock stands still: since when. */
  pausedSince: z.string().optional(),
  /** The due time of the first-response target, recorded when `detectBreaches` found it passed. */
  firstResponseBreachedAt: z.string().optional(),
  /** The due time of the resolution target, recorded when `detectBreaches` found it passed. */
  resolutionBreachedAt: z.string().optional(),
  /** How many events the ticket has; the next event's `seq` is one more. */
  eventCount: z.number().int().min(0),
  version: z.number().int().positive(),
  createdBy: z.string(),
  createdAt: z.string(),
  changedBy: z.string(),
  changedAt: z.string()
})
/** A ticket as stored. */
export type Ticket = z.infer<typeof Ticket>

export const EventKind = z.enum(["opened", "status", "firstResponse", "assigned", "priority", "breach", "escalation"])
export type EventKind = z.infer<typeof EventKind>

export const TicketEvent = z.object({
  tenant: z.string(),
  ticketId: z.string(),
  /** 1, 2, 3, … per ticket. */
  seq: z.number().int().positive(),
  /** The ticket's customer (the account whose timeline shows the event). */
  customerNumber: z.string(),
  kind: EventKind,
  at: z.string(),
  by: z.string(),
  /** Status events: the status before (absent on opening) and after. */
  fromStatus: z.string().optional(),
  toStatus: z.string().optional(),
  /** Priority events: the priority before and after. */
  fromPriority: z.string().optional(),
  toPriority: z.string().optional(),
  /** Breach and escalation events: which target, and its due time. */
  target: TargetName.optional(),
  dueAt: z.string().optional(),
  /** Assignment and escalation events: the owner and team given the ticket or the task. */
  owner: z.string().optional(),
  team: z.string().optional(),
  /** Escalation events: the follow-up task created for the escalation owner. */
  activityId: z.string().optional(),
  /** Status and first-response events: the note given; priority events: the reason given. */
  note: z.string().optional()
})
/** One entry of a ticket's history. */
export type TicketEvent = z.infer<typeof TicketEvent>

export const OpenTicketInput = z
  .object({
    customerNumber: code(16),
    /** A contact person of the customer. */
    contactId: code(10).optional(),
    equipment: Equipment.optional(),
    /** A category of `CrmConfig.service.categories`. */
    category: code(40),
    /** A priority of `CrmConfig.service.priorities`. */
    priority: code(40),
    subject: text(200),
    description: text(8000).optional(),
    owner: code(64).optional(),
    team: code(20).optional(),
    /** Overrides the profile of the category (or the default profile). */
    slaProfile: code(40).optional()
  })
  .strict()
export type OpenTicketInput = z.input<typeof OpenTicketInput>

export const TransitionInput = z
  .object({
    id: code(40),
    /** Omit to move whatever is current. */
    version: z.number().int().positive().optional(),
    /** The status to move to; it must be allowed from the current one (`CrmConfig.service.transitions`). */
    to: code(40),
    note: text(2000).optional()
  })
  .strict()
export type TransitionInput = z.input<typeof TransitionInput>

export const RespondInput = z
  .object({ id: code(40), version: z.number().int().positive().optional(), note: text(2000).optional() })
  .strict()
export type RespondInput = z.input<typeof RespondInput>

export const AssignInput = z
  .object({
    id: code(40),
    version: z.number().int().positive().optional(),
    /** `null` clears it. */
    owner: code(64).nullable().optional(),
    team: code(20).nullable().optional()
  })
  .strict()
export type AssignInput = z.input<typeof AssignInput>

export const ReprioritizeInput = z
  .object({
    id: code(40),
    /** Omit to change whatever is current. */
    version: z.number().int().positive().optional(),
    /** A priority of `CrmConfig.service.priorities`. */
    priority: code(40),
    /** Why; recorded as the `note` of the `priority` event. */
    reason: text(2000).optional()
  })
  .strict()
export type ReprioritizeInput = z.input<typeof ReprioritizeInput>

export const GetTicketInput = z.object({ id: code(40) }).strict()
export type GetTicketInput = z.input<typeof GetTicketInput>

export const ListTicketsInput = z
  .object({
    customerNumber: code(16),
    /** Only tickets not resolved or closed. */
    openOnly: z.boolean().optional(),
    cursor: z.string().optional(),
    /** Default 50. */
    limit: z.number().int().min(1).max(500).optional()
  })
  .strict()
export type ListTicketsInput = z.input<typeof ListTicketsInput>

export const DetectBreachesInput = z
  .object({
    /** The moment targets are judged at. Default: the Effect `Clock`. */
    asOf: instant.optional()
  })
  .strict()
export type DetectBreachesInput = z.input<typeof DetectBreachesInput>

export const ComplianceInput = z
  .object({
    /** Tickets opened at or after this instant… */
    from: instant,
    /** …and before this one. */
    to: instant,
    /** The moment open targets are judged at. Default: the Effect `Clock`. */
    asOf: instant.optional()
  })
  .strict()
  .refine((i) => i.from < i.to, { message: "`from` must be before `to`", path: ["to"] })
export type ComplianceInput = z.input<typeof ComplianceInput>
