/**
 * Campaigns: a campaign targets a segment (a saved segment, frozen at launch, or a snapshot)
 * over channels (e-mail, phone, visit, mail). At launch every member is placed in one group:
 * - `excluded`: no channel of the campaign has the account's consent (`granted` in its
 *   account-level contact preference for that channel; none recorded is no consent);
 * - `control`: held out — a seeded random sample of the eligible members, `round(holdout × eligible)`
 *   of them, drawn by a Fisher–Yates shuffle of the eligible members (ascending by customer
 *   number) with the **mulberry32** PRNG seeded by the 32-bit FNV-1a hash of the seed: the same
 *   members and the same seed always give the same split;
 * - `contacted`: the others, each with the channels it consented to.
 *
 * Responses are recorded per member (contacted or control) with channel and time; a response
 * can create a lead (source `campaign`, the campaign's id). The report compares the response rate
 * of the contacted group with the control group's and weighs the campaign's cost against its
 * return: the won amount of opportunities attributed to it — those converted from (opened with)
 * a lead whose `campaignId` is the campaign's.
 *
 * @example
 * ```ts
 * import type { Campaign } from "@partnerkit/crm"
 *
 * const input: Campaign.LaunchCampaignInput = {
 *   name: "Spring service check",
 *   segment: { segmentId: "S0000000001a2b3c4d" },
 *   channels: ["email", "phone"],
 *   holdout: 0.1,
 *   seed: "spring-2027",
 *   cost: { amount: 5_000, currency: "EUR" }
 * }
 * ```
 * @module
 */
import { z } from "zod"
import { Channel } from "./ContactPreference.js"
import { Amount, LeadData } from "./Lead.js"

const text = (max: number) => z.string().trim().min(1).max(max)
const code = (max: number) => z.string().trim().min(1).max(max)
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString())
const currency = z
  .string()
  .trim()
  .regex(/^[A-Z]{3}$/, "an ISO 4217 currency code such as EUR")

export const Group = z.enum(["contacted", "control", "excluded"])
export type Group = z.infer<typeof Group>

export const Money = z.object({ amount: Amount, currency }).strict()
export type Money = z.infer<typeof Money>

/** A launched campaign. */
export interface Campaign {
  readonly tenant: string
  /** `K` + a sortable, unique suffix. */
  readonly id: string
  readonly name: string
  readonly segmentId?: string | undefined
  /** The frozen member list it was launched on. */
  readonly snapshotId: string
  readonly channels: ReadonlyArray<Channel>
  /** The fraction of eligible members held out. */
  readonly holdout: number
  readonly seed: string
  readonly cost?: Money | undefined
  /** Group sizes at launch. */
  readonly counts: { readonly targeted: number; readonly excluded: number; readonly control: number; readonly contacted: number }
  readonly launchedBy: string
  readonly launchedAt: string
}

export interface CampaignMember {
  readonly tenant: string
  readonly campaignId: string
  readonly customerNumber: string
  readonly group: Group
  /** The campaign's channels the account consented to (empty when excluded). */
  readonly channels: ReadonlyArray<Channel>
}

export interface CampaignResponse {
  readonly tenant: string
  readonly campaignId: string
  /** `R` + a sortable, unique suffix. */
  readonly id: string
  readonly customerNumber: string
  readonly channel: Channel
  /** When the member responded. */
  readonly at: string
  readonly notes?: string | undefined
  /** The lead the response created. */
  readonly leadId?: string | undefined
  readonly recordedBy: string
  readonly recordedAt: string
}

export const LaunchCampaignInput = z
  .object({
    name: text(80),
    /** A saved segment (frozen now) or a snapshot. */
    segment: z.union([z.object({ segmentId: code(40) }).strict(), z.object({ snapshotId: code(40) }).strict()]),
    channels: z.array(Channel).min(1).max(4),
    /** The fraction of eligible members held out as the control group, 0 to 0.9. */
    holdout: z.number().min(0).max(0.9),
    /** The control group's seed: the same seed gives the same split. */
    seed: z.union([z.string().trim().min(1).max(80), z.number().int()]),
    cost: Money.optional(),
    /** When a saved segment is frozen: the moment it is evaluated at. Default: now. */
    asOf: instant.optional()
  })
  .strict()
export type LaunchCampaignInput = z.input<typeof LaunchCampaignInput>

export const GetCampaignInput = z.object({ id: code(40) }).strict()
export type GetCampaignInput = z.input<typeof GetCampaignInput>

export const CampaignMembersInput = z
  .object({
    id: code(40),
    group: Group.optional(),
    cursor: z.string().optional(),
    /** Default 100. */
    limit: z.number().int().min(1).max(1000).optional()
  })
  .strict()
export type CampaignMembersInput = z.input<typeof CampaignMembersInput>

export const RecordResponseInput = z
  .object({
    id: code(40),
    customerNumber: code(16),
    channel: Channel,
    /** Default: now. */
    at: instant.optional(),
    notes: text(2000).optional(),
    /** Creates a lead through `Leads.create` (source `campaign`, this campaign's id). */
    lead: LeadData.omit({ source: true, campaignId: true }).optional()
  })
  .strict()
export type RecordResponseInput = z.input<typeof RecordResponseInput>

/** What `report` returns. Rates are fractions (0–1); `null` when the group is empty. */
export interface Report {
  readonly campaignId: string
  /** Members of the frozen segment (visible to the actor). */
  readonly targeted: number
  readonly excluded: number
  readonly contacted: number
  readonly control: number
  /** Members with at least one response. */
  readonly responders: { readonly contacted: number; readonly control: number }
  readonly responseRate: { readonly contacted: number | null; readonly control: number | null }
  /** Contacted rate minus control rate (absolute, as a fraction); `null` when either is. */
  readonly uplift: number | null
  readonly cost?: Money | undefined
  /** Won amounts of attributed opportunities, per currency. */
  readonly returns: ReadonlyArray<{ readonly currency: string; readonly amount: number; readonly opportunities: number }>
  /** (return in the cost's currency − cost) / cost; `null` without a cost (or a zero cost). */
  readonly roi: number | null
}

/** The 32-bit FNV-1a hash of `text`. */
export const fnv1a = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** The mulberry32 PRNG: a function returning floats in [0, 1). */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * The control group: `round(holdout × eligible.length)` of `eligible`, drawn by a Fisher–Yates
 * shuffle of `eligible` sorted ascending with `mulberry32(fnv1a(String(seed)))`.
 */
export const controlGroup = (eligible: ReadonlyArray<string>, holdout: number, seed: string | number): Set<string> => {
  const items = [...eligible].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const random = mulberry32(fnv1a(String(seed)))
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = items[i]!
    items[i] = items[j]!
    items[j] = t
  }
  return new Set(items.slice(0, Math.round(holdout * items.length)))
}
