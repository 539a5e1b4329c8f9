/**
 * Activities: calls, meetings, visits, e-mails, tasks and notes on an account (a customer or a
 * prospect), optionally about one contact person. An activity has an owner, may have a due date
 * and time, and is `open`, `completed` (with an outcome) or `cancelled`. Links to leads,
 * opportunities and tickets are plain ids for now (those modules come later).
 *
 * `at` places the activity on the account's timeline: when it was completed, else when it is
 * due, else when it was created.
 *
 * @example
 * ```ts
 * import type { Activity } from "@partnerkit/crm"
 *
 * const call: Activity.CreateActivityInput = {
 *   account: { customerNumber: "C0001" },
 *   kind: "call",
 *   subject: "Follow up on the price list",
 *   dueAt: "2026-03-02T09:00:00.000Z"
 * }
 * ```
 * @module
 */
import { z } from "zod"

const text = (max: number) => z.string().trim().min(1).max(max)
const code = (max: number) => z.string().trim().min(1).max(max)
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString())

export const Kind = z.enum(["call", "meeting", "visit", "email", "task", "note"])
export type Kind = z.infer<typeof Kind>

/** The kinds that are a contact with the account (they count for "days since last contact"). */
export const contactKinds: ReadonlyArray<Kind> = ["call", "meeting", "visit", "email"]

export const Status = z.enum(["open", "completed", "cancelled"])
export type Status = z.infer<typeof Status>

export const AccountRef = z.union([z.object({ customerNumber: code(16) }).strict(), z.object({ prospectId: code(24) }).strict()])
/** An account: a customer by number, or a prospect by id. */
export type AccountRef = z.infer<typeof AccountRef>

export const Activity = z.object({
  tenant: z.string(),
  id: z.string(),
  kind: Kind,
  subject: z.string(),
  notes: z.string().optional(),
  /** The customer account; set on conversion for activities of the prospect. */
  customerNumber: z.string().optional(),
  /** The prospect the activity was logged on (kept after conversion: the prospect's history). */
  prospectId: z.string().optional(),
  /** A contact person of the account (core contact id, or the prospect's contact id). */
  contactId: z.string().optional(),
  leadId: z.string().optional(),
  opportunityId: z.string().optional(),
  ticketId: z.string().optional(),
  owner: z.string(),
  /** ISO 8601, UTC. */
  dueAt: z.string().optional(),
  status: Status,
  outcome: z.string().optional(),
  completedAt: z.string().optional(),
  /** The timeline position: `completedAt ?? dueAt ?? createdAt`. */
  at: z.string(),
  version: z.number().int().positive(),
  createdBy: z.string(),
  createdAt: z.string(),
  changedBy: z.string(),
  changedAt: z.string()
})
/** An activity as stored. */
export type Activity = z.infer<typeof Activity>

/** The timeline position of an activity. */
export const timelineAt = (a: Pick<Activity, "completedAt" | "dueAt" | "createdAt">): string => a.completedAt ?? a.dueAt ?? a.createdAt

export const CreateActivityInput = z
  .object({
    account: AccountRef,
    kind: Kind,
    subject: text(200),
    notes: text(4000).optional(),
    contactId: code(10).optional(),
    leadId: code(24).optional(),
    opportunityId: code(24).optional(),
    ticketId: code(24).optional(),
    /** Default: the actor. */
    owner: code(64).optional(),
    dueAt: instant.optional(),
    /** Default `open`, except for notes (`completed`). Log a past call with `completed`. */
    status: z.enum(["open", "completed"]).optional(),
    outcome: text(2000).optional(),
    /** For a completed activity: when it happened. Default: now. */
    completedAt: instant.optional()
  })
  .strict()
export type CreateActivityInput = z.input<typeof CreateActivityInput>

export const ChangeActivityInput = z
  .object({
    id: code(40),
    version: z.number().int().positive(),
    subject: text(200).optional(),
    /** `null` clears it. */
    notes: text(4000).nullable().optional(),
    contactId: code(10).nullable().optional(),
    owner: code(64).optional(),
    /** Reschedules an open activity; `null` clears the due date. */
    dueAt: instant.nullable().optional()
  })
  .strict()
export type ChangeActivityInput = z.input<typeof ChangeActivityInput>

export const CompleteActivityInput = z
  .object({
    id: code(40),
    /** Omit to complete whatever is current. */
    version: z.number().int().positive().optional(),
    outcome: text(2000).optional(),
    /** Default: now. */
    completedAt: instant.optional()
  })
  .strict()
export type CompleteActivityInput = z.input<typeof CompleteActivityInput>

export const CancelActivityInput = z
  .object({ id: code(40), version: z.number().int().positive().optional(), outcome: text(2000).optional() })
  .strict()
export type CancelActivityInput = z.input<typeof CancelActivityInput>

export const GetActivityInput = z.object({ id: code(40) }).strict()
export type GetActivityInput = z.input<typeof GetActivityInput>

export const ListActivitiesInput = z
  .object({
    account: AccountRef,
    status: Status.optional(),
    cursor: z.string().optional(),
    /** Default 50. */
    limit: z.number().int().min(1).max(500).optional()
  })
  .strict()
export type ListActivitiesInput = z.input<typeof ListActivitiesInput>

export const FollowUpsInput = z
  .object({
    /** The moment "overdue" and "due soon" are judged at. Default: now. */
    asOf: instant.optional(),
    /** Whose activities: a user id, or `"any"` for every owner of the accounts the actor sees. Default: the actor. */
    owner: code(64).optional(),
    /** Overrides the configured window (`CrmConfig.followUps.dueSoonHours`). */
    dueSoonHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 366)
      .optional(),
    /** At most this many activities in all (overdue first). Default 200. */
    limit: z.number().int().min(1).max(1000).optional()
  })
  .strict()
export type FollowUpsInput = z.input<typeof FollowUpsInput>

/** What `followUps` returns: open activities due before `asOf`, and those due before `dueSoonUntil`, each by due time. */
export interface FollowUps {
  readonly asOf: string
  readonly dueSoonUntil: string
  readonly overdue: ReadonlyArray<Activity>
  readonly dueSoon: ReadonlyArray<Activity>
  /** More activities were due than `limit` allowed. */
  readonly truncated: boolean
}
