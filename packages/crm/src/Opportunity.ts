/**
 * Opportunities: a possible sale to an account (a customer or a prospect), moving through the
 * open stages of the sales methodology (`CrmConfig.sales`) until it is won or lost with a reason.
 * It has an amount and currency, an expected close date, a probability (the stage's default
 * unless set), decision makers (contact persons with a role), competitors, an owner, and
 * optionally a territory and a sales area — the dimensions of the pipeline and the forecast.
 *
 * Every write appends a `HistoryEntry` (a snapshot of the figures, with what changed), so the
 * forecast "as it stood on" a past date is computed from the history, and the stage changes show
 * on the account's timeline.
 *
 * Amounts are in major units with at most two decimals; the pipeline never adds different
 * currencies together.
 *
 * @example
 * ```ts
 * import type { Opportunity } from "@partnerkit/crm"
 *
 * const input: Opportunity.CreateOpportunityInput = {
 *   account: { customerNumber: "C0001" },
 *   name: "Fleet telematics 2027",
 *   amount: 120_000,
 *   currency: "EUR",
 *   expectedCloseDate: "2027-03-31"
 * }
 * ```
 * @module
 */
import { z } from "zod"
import { AccountRef } from "./Activity.js"
import { Amount } from "./Lead.js"
import type { RequiredField, SalesMethodology, Stage } from "./SalesConfig.js"

const text = (max: number) => z.string().trim().min(1).max(max)
const code = (max: number) => z.string().trim().min(1).max(max)
const currency = z
  .string()
  .trim()
  .regex(/^[A-Z]{3}$/, "an ISO 4217 currency code such as EUR")
/** A calendar date, `YYYY-MM-DD`. */
export const CalendarDate = z.iso.date()
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString())

export const Status = z.enum(["open", "won", "lost"])
export type Status = z.infer<typeof Status>

export const SalesAreaKey = z.object({ salesOrganization: code(4), distributionChannel: code(2), division: code(2) }).strict()
/** A sales area (sales organisation, distribution channel, division). */
export type SalesAreaKey = z.infer<typeof SalesAreaKey>

/** The key a sales area is grouped by in the pipeline: `1000/10/00`. */
export const salesAreaKey = (area: SalesAreaKey): string => `${area.salesOrganization}/${area.distributionChannel}/${area.division}`

export const DecisionMaker = z.object({ contactId: code(10), role: code(40) }).strict()
/** A contact person of the account and their role in the decision (`economic_buyer`, `user`, `technical`, …). */
export type DecisionMaker = z.infer<typeof DecisionMaker>

export const Competitor = z.object({ name: text(80), notes: text(500).optional() }).strict()
export type Competitor = z.infer<typeof Competitor>

const Details = z.object({
  name: text(120),
  description: text(4000).optional(),
  amount: Amount.optional(),
  currency: currency.optional(),
  expectedCloseDate: CalendarDate.optional(),
  decisionMakers: z.array(DecisionMaker).max(50).optional(),
  competitors: z.array(Competitor).max(50).optional(),
  territory: code(20).optional(),
  salesArea: SalesAreaKey.optional()
})

export const Opportunity = Details.extend({
  tenant: z.string(),
  /** `O` + a sortable, unique suffix. */
  id: z.string(),
  /** The customer account (set when the prospect it was opened on is converted). */
  customerNumber: z.string().optional(),
  /** The prospect it was opened on (kept after conversion). */
  prospectId: z.string().optional(),
  /** The lead it came from. */
  leadId: z.string().optional(),
  owner: z.string(),
  stage: z.string(),
  /** Percent. */
  probability: z.number().int().min(0).max(100),
  status: Status,
  /** Why it was won or lost. */
  closeReason: z.string().optional(),
  closedAt: z.string().optional(),
  version: z.number().int().positive(),
  createdBy: z.string(),
  createdAt: z.string(),
  changedBy: z.string(),
  changedAt: z.string()
})
/** An opportunity as stored. */
export type Opportunity = z.infer<typeof Opportunity>

/** What a history entry records. */
export const Change = z.enum(["created", "stage", "won", "lost", "reopened", "updated"])
export type Change = z.infer<typeof Change>

/** One write of an opportunity: what changed, and the figures after it. */
export interface HistoryEntry {
  readonly tenant: string
  readonly opportunityId: string
  /** The opportunity's version after the write: 1, 2, … */
  readonly seq: number
  readonly at: string
  readonly by: string
  readonly change: Change
  /** For a stage change: the stage before. */
  readonly fromStage?: string | undefined
  readonly stage: string
  readonly status: Status
  readonly probability: number
  readonly amount?: number | undefined
  readonly currency?: string | undefined
  readonly expectedCloseDate?: string | undefined
  readonly owner: string
  readonly territory?: string | undefined
  readonly salesArea?: SalesAreaKey | undefined
  readonly customerNumber?: string | undefined
  readonly prospectId?: string | undefined
  readonly closeReason?: string | undefined
}

/** The history entry of writing `next` (whose previous state is `before`, absent on create). */
export const historyEntry = (next: Opportunity, before: Opportunity | undefined): HistoryEntry => {
  const change: Change =
    before === undefined
      ? "created"
      : next.status !== before.status
        ? next.status === "open"
          ? "reopened"
          : next.status
        : next.stage !== before.stage
          ? "stage"
          : "updated"
  const entry: HistoryEntry = {
    tenant: next.tenant,
    opportunityId: next.id,
    seq: next.version,
    at: next.changedAt,
    by: next.changedBy,
    change,
    fromStage: change === "stage" ? before?.stage : undefined,
    stage: next.stage,
    status: next.status,
    probability: next.probability,
    amount: next.amount,
    currency: next.currency,
    expectedCloseDate: next.expectedCloseDate,
    owner: next.owner,
    territory: next.territory,
    salesArea: next.salesArea,
    customerNumber: next.customerNumber,
    prospectId: next.prospectId,
    closeReason: next.closeReason
  }
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as unknown as HistoryEntry
}

/** The fields `stage` requires that `opportunity` lacks. */
export const missingFor = (stage: Stage, opportunity: z.infer<typeof Details>): Array<RequiredField> =>
  stage.requires.filter((field) => {
    switch (field) {
      case "amount":
        return opportunity.amount === undefined || opportunity.currency === undefined
      case "expectedCloseDate":
        return opportunity.expectedCloseDate === undefined
      case "decisionMakers":
        return (opportunity.decisionMakers ?? []).length === 0
      case "competitors":
        return (opportunity.competitors ?? []).length === 0
      case "salesArea":
        return opportunity.salesArea === undefined
      case "description":
        return opportunity.description === undefined
    }
  })

/** The stage of the methodology with this id. */
export const stageOf = (methodology: SalesMethodology, id: string): Stage | undefined => methodology.stages.find((s) => s.id === id)

export const CreateOpportunityInput = Details.extend({
  account: AccountRef,
  /** Default: the first stage of the methodology. */
  stage: code(20).optional(),
  /** Default: the stage's probability. */
  probability: z.number().int().min(0).max(100).optional(),
  /** Default: the actor. */
  owner: code(64).optional(),
  leadId: code(40).optional()
}).strict()
export type CreateOpportunityInput = z.input<typeof CreateOpportunityInput>

export const ChangeOpportunityInput = z
  .object({
    id: code(40),
    version: z.number().int().positive(),
    /** Fields to set; `null` clears an optional one. */
    name: text(120).optional(),
    description: text(4000).nullable().optional(),
    amount: Amount.nullable().optional(),
    currency: currency.nullable().optional(),
    expectedCloseDate: CalendarDate.nullable().optional(),
    decisionMakers: z.array(DecisionMaker).max(50).optional(),
    competitors: z.array(Competitor).max(50).optional(),
    owner: code(64).optional(),
    territory: code(20).nullable().optional(),
    salesArea: SalesAreaKey.nullable().optional(),
    probability: z.number().int().min(0).max(100).optional()
  })
  .strict()
export type ChangeOpportunityInput = z.input<typeof ChangeOpportunityInput>

export const MoveStageInput = z
  .object({
    id: code(40),
    version: z.number().int().positive(),
    stage: code(20),
    /** Default: the new stage's probability. */
    probability: z.number().int().min(0).max(100).optional()
  })
  .strict()
export type MoveStageInput = z.input<typeof MoveStageInput>

export const CloseOpportunityInput = z
  .object({
    id: code(40),
    version: z.number().int().positive(),
    outcome: z.enum(["won", "lost"]),
    /** `lost`: one of `CrmConfig.sales.lostReasons`; `won`: one of `wonReasons` when that list is not empty. */
    reason: code(40).optional(),
    /** The close date; default today (UTC). It becomes the expected close date. */
    closedOn: CalendarDate.optional(),
    /** The final amount (won). */
    amount: Amount.optional()
  })
  .strict()
export type CloseOpportunityInput = z.input<typeof CloseOpportunityInput>

export const ReopenOpportunityInput = z.object({ id: code(40), version: z.number().int().positive(), stage: code(20).optional() }).strict()
export type ReopenOpportunityInput = z.input<typeof ReopenOpportunityInput>

export const GetOpportunityInput = z.object({ id: code(40) }).strict()
export type GetOpportunityInput = z.input<typeof GetOpportunityInput>

export const ListOpportunitiesInput = z
  .object({
    account: AccountRef.optional(),
    owner: code(64).optional(),
    status: Status.optional(),
    stage: code(20).optional(),
    cursor: z.string().optional(),
    /** Default 50. */
    limit: z.number().int().min(1).max(500).optional()
  })
  .strict()
export type ListOpportunitiesInput = z.input<typeof ListOpportunitiesInput>

export const Dimension = z.enum(["none", "stage", "owner", "territory", "salesArea"])
/** What the pipeline is broken down by, besides the period and the currency. */
export type Dimension = z.infer<typeof Dimension>

export const Period = z.enum(["month", "quarter", "year"])
export type Period = z.infer<typeof Period>

export const ForecastInput = z
  .object({
    /** Default `month`. */
    period: Period.optional(),
    /** Default `none`. */
    by: Dimension.optional(),
    /** Only opportunities expected to close on or after this date. */
    closeFrom: CalendarDate.optional(),
    /** Only those expected to close on or before this date. */
    closeTo: CalendarDate.optional(),
    owner: code(64).optional(),
    territory: code(20).optional(),
    /** The forecast as it stood at this instant, from the recorded history. Default: now. */
    asOf: instant.optional()
  })
  .strict()
export type ForecastInput = z.input<typeof ForecastInput>

/** Figures of one cell of the forecast. */
export interface ForecastRow {
  /** `2027-03`, `2027-Q1` or `2027`, by the expected close date. */
  readonly period: string
  /** The value of the dimension (`""` for `none`, or when the opportunity has none). */
  readonly key: string
  readonly currency: string
  /** Open opportunities: how many, their amount, and their amount weighted by probability. */
  readonly open: { readonly count: number; readonly amount: number; readonly weighted: number }
  /** Won opportunities closing in the period. */
  readonly won: { readonly count: number; readonly amount: number }
  /** `won.amount + open.weighted`. */
  readonly forecast: number
}

export interface Forecast {
  /** Absent for the current state. */
  readonly asOf?: string | undefined
  readonly period: Period
  readonly by: Dimension
  /** By period, key and currency. */
  readonly rows: ReadonlyArray<ForecastRow>
  /** Per currency over every row. */
  readonly totals: ReadonlyArray<Omit<ForecastRow, "period" | "key">>
}

/** The period a `YYYY-MM` month falls in. */
export const periodOfMonth = (month: string, period: Period): string => {
  if (period === "month") return month
  const year = month.slice(0, 4)
  if (period === "year") return year
  return `${year}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`
}
