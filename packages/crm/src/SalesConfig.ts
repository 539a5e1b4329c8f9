/**
 * The sales part of the CRM configuration (`CrmConfig.leads` and `CrmConfig.sales`), as data:
 *
 * - **lead scoring**: points per attribute of a lead (its source, country, region, industry,
 *   product interest, campaign, whether it has an e-mail or phone) and per behaviour (each
 *   activity logged on it, by kind, up to a cap);
 * - **lead assignment**: rules tried in order (by country, region, product interest, source); the
 *   first that matches names an owner, or a team whose members take turns (round-robin, with the
 *   turn counter kept in the store), and optionally a territory;
 * - **disqualification reasons** a lead may be disqualified with;
 * - **the sales methodology**: the open stages of an opportunity in order, each with its default
 *   probability and the fields an opportunity must have to enter it, and the reasons an
 *   opportunity may be won or lost with.
 *
 * `preset()` is a complete starting point (used by `CrmConfig.preset`).
 *
 * @example
 * ```ts
 * import { CrmConfig, SalesConfig } from "@partnerkit/crm"
 *
 * const config = CrmConfig.makeOrThrow({
 *   ...CrmConfig.preset("team"),
 *   teams: { INSIDE: { members: ["ana", "bo"] } },
 *   leads: {
 *     ...SalesConfig.preset().leads,
 *     assignment: { rules: [{ name: "DACH inbound", countries: ["DE", "AT", "CH"], team: "INSIDE" }] }
 *   }
 * })
 * ```
 * @module
 */
import { z } from "zod"
import { Kind } from "./Activity.js"

const id = z.string().trim().min(1).max(20)
const user = z.string().trim().min(1).max(64)
const reason = z.string().trim().min(1).max(40)
const points = z.number().int().min(-1000).max(1000)

/** The lead attributes a scoring rule can test. */
export const ScoredAttribute = z.enum(["source", "country", "region", "industry", "productInterest", "campaign", "email", "phone"])
export type ScoredAttribute = z.infer<typeof ScoredAttribute>

export const AttributeRule = z
  .object({
    attribute: ScoredAttribute,
    /**
     * The value the attribute must have (for `productInterest`: one of the lead's interests).
     * Absent: the attribute only has to be present.
     */
    equals: z.string().trim().min(1).max(40).optional(),
    points
  })
  .strict()
/** Points a lead earns for one attribute value. */
export type AttributeRule = z.infer<typeof AttributeRule>

export const LeadScoring = z
  .object({
    attributes: z.array(AttributeRule).max(200).default([]),
    /** Points per activity of this kind logged on the lead. */
    activities: z.partialRecord(Kind, points).default({}),
    /** At most this many points from activities in all. Default 50. */
    maxActivityPoints: z.number().int().min(0).max(100_000).default(50)
  })
  .strict()
export type LeadScoring = z.infer<typeof LeadScoring>

export const AssignmentRule = z
  .object({
    /** Shown on the lead as the reason of its assignment. */
    name: z.string().trim().min(1).max(60),
    /** The rule matches only leads in one of these countries (ISO 3166 alpha-2), when given. */
    countries: z.array(z.string().trim().length(2)).optional(),
    regions: z.array(z.string().trim().min(1).max(10)).optional(),
    /** The rule matches a lead interested in any of these products. */
    productInterests: z.array(z.string().trim().min(1).max(40)).optional(),
    sources: z.array(id).optional(),
    /** Assign to this user… */
    owner: user.optional(),
    /** …or to the members of this team (of `CrmConfig.teams`) in turn. */
    team: id.optional(),
    /** The territory (of `CrmConfig.territories`) the lead is put in. */
    territory: id.optional()
  })
  .strict()
  .refine((r) => (r.owner === undefined) !== (r.team === undefined), { message: "a rule names exactly one of owner and team" })
/** When a lead matches every criterion given, it goes to `owner` or in turn to a member of `team`. */
export type AssignmentRule = z.infer<typeof AssignmentRule>

export const LeadsConfig = z
  .object({
    scoring: LeadScoring.default({ attributes: [], activities: {}, maxActivityPoints: 50 }),
    assignment: z
      .object({
        /** Tried in order; the first match assigns. No match: the lead stays with whoever creates it (or the owner given). */
        rules: z.array(AssignmentRule).max(200).default([])
      })
      .strict()
      .default({ rules: [] }),
    /** The reasons a lead can be disqualified with. */
    disqualificationReasons: z.array(reason).min(1).default(["no_budget", "no_need", "no_authority", "unreachable", "duplicate", "other"])
  })
  .strict()
export type LeadsConfig = z.infer<typeof LeadsConfig>

/** Opportunity fields a stage can require. */
export const RequiredField = z.enum(["amount", "expectedCloseDate", "decisionMakers", "competitors", "salesArea", "description"])
export type RequiredField = z.infer<typeof RequiredField>

export const Stage = z
  .object({
    id,
    name: z.string().trim().min(1).max(60),
    /** Percent, the probability an opportunity gets when it enters the stage (it may be overridden). */
    probability: z.number().int().min(0).max(100),
    /** The fields an opportunity must have to enter (or be created in) this stage. */
    requires: z.array(RequiredField).default([])
  })
  .strict()
/** An open stage of the sales methodology. */
export type Stage = z.infer<typeof Stage>

export const SalesMethodology = z
  .object({
    /** The open stages, in order; a new opportunity starts in the first unless told otherwise. */
    stages: z
      .array(Stage)
      .min(1)
      .max(30)
      .refine((stages) => new Set(stages.map((s) => s.id)).size === stages.length, { message: "stage ids must be unique" }),
    /** The reasons an opportunity can be won with (empty: any text). */
    wonReasons: z.array(reason).default([]),
    /** The reasons an opportunity can be lost with. */
    lostReasons: z.array(reason).min(1).default(["price", "competitor", "no_decision", "timing", "product_fit", "other"])
  })
  .strict()
export type SalesMethodology = z.infer<typeof SalesMethodology>

/** The methodology of `preset()`: five stages from 10 % to 90 %, each requiring what its step needs. */
export const presetMethodology = (): SalesMethodology => ({
  stages: [
    { id: "prospecting", name: "Prospecting", probability: 10, requires: [] },
    { id: "qualification", name: "Qualification", probability: 20, requires: ["amount", "expectedCloseDate"] },
    { id: "proposal", name: "Proposal", probability: 50, requires: ["amount", "expectedCloseDate", "decisionMakers"] },
    { id: "negotiation", name: "Negotiation", probability: 75, requires: ["amount", "expectedCloseDate", "decisionMakers", "competitors"] },
    { id: "commit", name: "Commit", probability: 90, requires: ["amount", "expectedCloseDate", "decisionMakers", "competitors"] }
  ],
  wonReasons: [],
  lostReasons: ["price", "competitor", "no_decision", "timing", "product_fit", "other"]
})

/** Lead scoring of `preset()`: referrals and events score, a phone and an e-mail score, meetings and visits score most. */
export const presetLeads = (): LeadsConfig => ({
  scoring: {
    attributes: [
      { attribute: "source", equals: "referral", points: 20 },
      { attribute: "source", equals: "event", points: 10 },
      { attribute: "source", equals: "web", points: 5 },
      { attribute: "email", points: 5 },
      { attribute: "phone", points: 5 },
      { attribute: "campaign", points: 5 }
    ],
    activities: { call: 5, email: 2, meeting: 15, visit: 20 },
    maxActivityPoints: 50
  },
  assignment: { rules: [] },
  disqualificationReasons: ["no_budget", "no_need", "no_authority", "unreachable", "duplicate", "other"]
})

/** A complete starting point for `CrmConfig.leads` and `CrmConfig.sales`. */
export const preset = (): { readonly leads: LeadsConfig; readonly sales: SalesMethodology } => ({
  leads: presetLeads(),
  sales: presetMethodology()
})

/**
 * Checks the references of the sales configuration against the rest of the CRM configuration:
 * every team and territory an assignment rule names exists, and a team it names has members.
 */
export const crossCheck = (config: {
  readonly leads: LeadsConfig
  readonly teams: Readonly<Record<string, { readonly members: ReadonlyArray<string> }>>
  readonly territories: Readonly<Record<string, unknown>>
}): Array<{ path: string; message: string }> => {
  const issues: Array<{ path: string; message: string }> = []
  config.leads.assignment.rules.forEach((rule, i) => {
    const path = `leads.assignment.rules.${i}`
    if (rule.team !== undefined) {
      const team = config.teams[rule.team]
      if (team === undefined) issues.push({ path: `${path}.team`, message: `unknown team "${rule.team}" (not in teams)` })
      else if (team.members.length === 0) issues.push({ path: `${path}.team`, message: `team "${rule.team}" has no members to assign to` })
    }
    if (rule.territory !== undefined && !Object.hasOwn(config.territories, rule.territory)) {
      issues.push({ path: `${path}.territory`, message: `unknown territory "${rule.territory}" (not in territories)` })
    }
  })
  return issues
}
