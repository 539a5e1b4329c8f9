/**
 * Leads: interest captured from a channel (web form, event, referral, campaign response…) that
 * is not an account yet. A lead carries who is interested (company and person), where it came
 * from (`source`, `campaignId`), what it is interested in, its owner / team / territory, a score,
 * and a status that moves through a checked flow:
 *
 * ```text
 * new → working → qualified → (convert) converted
 *   ↘      ↘  ↕        ↙
 *     disqualified (with a reason) → working
 * ```
 *
 * The score is `scoreOf(config, lead)`: the points of every attribute rule the lead matches
 * plus the points of its logged activities by kind (capped), with each contribution listed in
 * `scoreDetail`. `assignmentOf` picks the first matching assignment rule.
 *
 * @example
 * ```ts
 * import { CrmConfig, Lead } from "@partnerkit/crm"
 *
 * const input: Lead.LeadData = { company: "Nordlicht Logistik GmbH", lastName: "Berg", email: "anna.berg@nordlicht.example", country: "DE", source: "web" }
 * const config = CrmConfig.preset()
 * const rule = Lead.assignmentOf(config.leads, input) // undefined: the preset has no assignment rules
 * ```
 * @module
 */
import { z } from "zod"
import type { Kind } from "./Activity.js"
import { Assignment } from "./Ownership.js"
import type { AssignmentRule, LeadsConfig, ScoredAttribute } from "./SalesConfig.js"

const text = (max: number) => z.string().trim().min(1).max(max)
const code = (max: number) => z.string().trim().min(1).max(max)
const currency = z
  .string()
  .trim()
  .regex(/^[A-Z]{3}$/, "an ISO 4217 currency code such as EUR")
/** A non-negative amount in major units with at most two decimals, below 10^12. */
export const Amount = z
  .number()
  .min(0)
  .max(999_999_999_999.99)
  .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, { message: "at most two decimals" })

export const Status = z.enum(["new", "working", "qualified", "disqualified", "converted"])
export type Status = z.infer<typeof Status>

/** The status steps `changeStatus` allows (conversion, to `converted`, is `Leads.convert`). */
export const transitions: Readonly<Record<Status, ReadonlyArray<Status>>> = {
  new: ["working", "qualified", "disqualified"],
  working: ["qualified", "disqualified"],
  qualified: ["working", "disqualified"],
  disqualified: ["working"],
  converted: []
}

export const LeadData = z
  .object({
    /** The company the person is with. */
    company: text(80),
    firstName: text(40).optional(),
    lastName: text(40).optional(),
    jobTitle: text(40).optional(),
    email: text(120).optional(),
    phone: text(40).optional(),
    street: text(80).optional(),
    postalCode: text(20).optional(),
    city: text(60).optional(),
    region: code(10).optional(),
    country: z.string().trim().length(2).optional(),
    language: z.string().trim().length(2).optional(),
    industry: code(10).optional(),
    /** Product or product-group codes the lead asked about. */
    productInterests: z.array(code(40)).max(50).optional(),
    /** The channel it came from: `web`, `event`, `referral`, `campaign`, `partner`, … */
    source: code(20),
    campaignId: code(24).optional(),
    estimatedAmount: Amount.optional(),
    currency: currency.optional(),
    notes: text(2000).optional(),
    /** Who may see the lead (core's rule: empty means everyone of the tenant); the actor must have it. */
    authorizationGroup: code(4).optional()
  })
  .strict()
/** What a lead holds when it is captured. */
export type LeadData = z.infer<typeof LeadData>

/** One contribution to a lead's score. */
export const ScoreItem = z.object({ rule: z.string(), points: z.number().int() })
export type ScoreItem = z.infer<typeof ScoreItem>

export const Lead = LeadData.extend({
  tenant: z.string(),
  /** `L` + a sortable, unique suffix. */
  id: z.string(),
  ...Assignment.shape,
  /** The assignment rule that chose the owner (absent when none matched or the owner was given). */
  assignedBy: z.string().optional(),
  status: Status,
  disqualificationReason: z.string().optional(),
  score: z.number().int(),
  scoreDetail: z.array(ScoreItem),
  /** Activities logged on the lead, by kind (the behaviour the score counts). */
  activityCounts: z.partialRecord(z.enum(["call", "meeting", "visit", "email", "task", "note"]), z.number().int().min(0)),
  /** Set on conversion: what the lead became. */
  conversion: z
    .object({
      customerNumber: z.string().optional(),
      prospectId: z.string().optional(),
      contactId: z.string().optional(),
      opportunityId: z.string().optional(),
      at: z.string(),
      by: z.string()
    })
    .optional(),
  version: z.number().int().positive(),
  createdBy: z.string(),
  createdAt: z.string(),
  changedBy: z.string(),
  changedAt: z.string()
})
/** A lead as stored. */
export type Lead = z.infer<typeof Lead>

export const CreateLeadInput = z
  .object({
    lead: LeadData,
    /** Skip the assignment rules and give the lead to this user. Default: the rules, else the actor. */
    owner: code(64).optional(),
    team: code(20).optional(),
    territory: code(20).optional()
  })
  .strict()
export type CreateLeadInput = z.input<typeof CreateLeadInput>

export const ChangeLeadInput = z
  .object({
    id: code(40),
    /** The version you read; a stale one fails with `VersionConflict`. */
    version: z.number().int().positive(),
    /** Fields to set (the score is computed again). */
    lead: LeadData.partial().strict()
  })
  .strict()
export type ChangeLeadInput = z.input<typeof ChangeLeadInput>

export const ChangeLeadStatusInput = z
  .object({
    id: code(40),
    version: z.number().int().positive(),
    status: z.enum(["new", "working", "qualified", "disqualified"]),
    /** Required for `disqualified`: one of `CrmConfig.leads.disqualificationReasons`. */
    reason: code(40).optional()
  })
  .strict()
export type ChangeLeadStatusInput = z.input<typeof ChangeLeadStatusInput>

export const GetLeadInput = z.object({ id: code(40) }).strict()
export type GetLeadInput = z.input<typeof GetLeadInput>

export const ListLeadsInput = z
  .object({
    status: Status.optional(),
    owner: code(64).optional(),
    source: code(20).optional(),
    campaignId: code(24).optional(),
    cursor: z.string().optional(),
    /** Default 50. */
    limit: z.number().int().min(1).max(500).optional()
  })
  .strict()
export type ListLeadsInput = z.input<typeof ListLeadsInput>

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString())

export const LogLeadActivityInput = z
  .object({
    id: code(40),
    kind: z.enum(["call", "meeting", "visit", "email", "task", "note"]),
    subject: text(200),
    notes: text(4000).optional(),
    /** Default: the lead's owner. */
    owner: code(64).optional(),
    dueAt: instant.optional(),
    /** Default `open`, except for notes (`completed`). */
    status: z.enum(["open", "completed"]).optional(),
    outcome: text(2000).optional(),
    completedAt: instant.optional()
  })
  .strict()
export type LogLeadActivityInput = z.input<typeof LogLeadActivityInput>

export const DuplicatesInput = z
  .object({
    /** Check a stored lead… */
    id: code(40).optional(),
    /** …or data not stored yet. */
    lead: LeadData.partial().optional(),
    /** Default 10. */
    limit: z.number().int().min(1).max(100).optional()
  })
  .strict()
  .refine((v) => (v.id === undefined) !== (v.lead === undefined), { message: "give exactly one of id and lead" })
export type DuplicatesInput = z.input<typeof DuplicatesInput>

// -------------------------------------------------------------------------------------------
// Scoring and assignment (pure)
// -------------------------------------------------------------------------------------------

type Scored = Pick<LeadData, "source" | "country" | "region" | "industry" | "productInterests" | "campaignId" | "email" | "phone">

const attributeValues = (lead: Scored, attribute: ScoredAttribute): ReadonlyArray<string> => {
  switch (attribute) {
    case "source":
      return [lead.source]
    case "country":
      return lead.country === undefined ? [] : [lead.country]
    case "region":
      return lead.region === undefined ? [] : [lead.region]
    case "industry":
      return lead.industry === undefined ? [] : [lead.industry]
    case "productInterest":
      return lead.productInterests ?? []
    case "campaign":
      return lead.campaignId === undefined ? [] : [lead.campaignId]
    case "email":
      return lead.email === undefined ? [] : [lead.email]
    case "phone":
      return lead.phone === undefined ? [] : [lead.phone]
  }
}

/**
 * The score of a lead and its parts: every attribute rule it matches, then the activities logged
 * on it by kind, their total capped at `maxActivityPoints`.
 */
export const scoreOf = (
  config: LeadsConfig,
  lead: Scored & { readonly activityCounts?: Partial<Record<Kind, number>> | undefined }
): { readonly score: number; readonly detail: Array<ScoreItem> } => {
  const detail: Array<ScoreItem> = []
  for (const rule of config.scoring.attributes) {
    const values = attributeValues(lead, rule.attribute)
    const matches = rule.equals === undefined ? values.length > 0 : values.includes(rule.equals)
    if (matches) detail.push({ rule: rule.equals === undefined ? rule.attribute : `${rule.attribute}=${rule.equals}`, points: rule.points })
  }
  let behaviour = 0
  for (const [kind, count] of Object.entries(lead.activityCounts ?? {}) as Array<[Kind, number]>) {
    const each = config.scoring.activities[kind]
    if (each !== undefined && count > 0) behaviour += each * count
  }
  const capped = Math.min(behaviour, config.scoring.maxActivityPoints)
  if (capped !== 0) detail.push({ rule: "activities", points: capped })
  return { score: detail.reduce((sum, item) => sum + item.points, 0), detail }
}

/** The first assignment rule whose every given criterion the lead meets, or `undefined`. */
export const assignmentOf = (
  config: LeadsConfig,
  lead: Pick<LeadData, "country" | "region" | "productInterests" | "source">
): AssignmentRule | undefined =>
  config.assignment.rules.find(
    (rule) =>
      (rule.countries === undefined || (lead.country !== undefined && rule.countries.includes(lead.country))) &&
      (rule.regions === undefined || (lead.region !== undefined && rule.regions.includes(lead.region))) &&
      (rule.productInterests === undefined || (lead.productInterests ?? []).some((p) => rule.productInterests?.includes(p))) &&
      (rule.sources === undefined || rule.sources.includes(lead.source))
  )

/**
 * Trimmed, with ASCII letters lower-cased (other letters as they are): the form in which the
 * duplicate check compares names and e-mail addresses. Stores fold the same way, from an index.
 */
export const matchKey = (value: string): string => value.trim().replace(/[A-Z]/g, (c) => c.toLowerCase())
