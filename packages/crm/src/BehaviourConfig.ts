/**
 * The behavioural part of the CRM configuration (`CrmConfig.rfm` and `CrmConfig.churnRisk`), as
 * data: how an account's recency / frequency / monetary (RFM) score is cut into 1–5, and which
 * rules flag an account as a churn risk. `presetRfm()` and `presetChurnRisk()` are complete
 * starting points (used by `CrmConfig.preset`).
 *
 * **RFM** (every figure judged at an `asOf` moment, over won opportunities of the account):
 * - *recency*: whole days since the account's last won opportunity (its close date, which
 *   closing an opportunity sets to the day it was won). Score 5 when at most `recencyDays[0]`,
 *   4 when at most `recencyDays[1]`, 3 / 2 likewise, else (older, or never won) 1;
 * - *frequency*: won opportunities closed in the last `windowDays` days (any currency). Score 5
 *   when at least `frequency[3]`, 4 when at least `frequency[2]`, …, 2 when at least
 *   `frequency[0]`, else 1;
 * - *monetary*: the won amount of those opportunities in the reporting `currency` (won amounts in
 *   other currencies are not converted and do not count). Score 5 when at least `monetary[3]`,
 *   …, 2 when at least `monetary[0]`, else 1.
 *
 * **Churn risk** — each rule can be switched off with `null`:
 * - `silence`: the last contact (a completed call, meeting, visit or e-mail) is more than
 *   `days` days before `asOf` (an account never contacted is not flagged: there is no
 *   relationship to lose yet);
 * - `fallingActivity`: completed activities in the last `days` days are fewer than
 *   `percent`% of those in the `days` days before, and there were at least `minPrevious` then;
 * - `fallingRevenue`: the won amount (reporting currency) of the last `days` days is less than
 *   `percent`% of the `days` days before, which must be more than zero.
 *
 * @example
 * ```ts
 * import { BehaviourConfig, CrmConfig } from "@partnerkit/crm"
 *
 * const config = CrmConfig.makeOrThrow({
 *   ...CrmConfig.preset("team"),
 *   rfm: { ...BehaviourConfig.presetRfm(), currency: "CHF", monetary: [500, 5_000, 20_000, 80_000] },
 *   churnRisk: { ...BehaviourConfig.presetChurnRisk(), fallingRevenue: null }
 * })
 * ```
 * @module
 */
import { z } from "zod"

const currency = z
  .string()
  .trim()
  .regex(/^[A-Z]{3}$/, "an ISO 4217 currency code such as EUR")
const days = z.number().int().min(1).max(3660)

/** Four breakpoints in strictly ascending order. */
const ascending = (item: z.ZodNumber) =>
  z
    .tuple([item, item, item, item])
    .refine((v) => v.every((x, i) => i === 0 || v[i - 1]! < x), { message: "the four breakpoints must be strictly ascending" })

export const RfmConfig = z
  .object({
    /** The reporting currency: monetary figures and won amounts count opportunities in it only. */
    currency,
    /** The window frequency and monetary are counted over, in days before `asOf`. */
    windowDays: days,
    /** Days since the last won deal for scores 5, 4, 3, 2 (at most). */
    recencyDays: ascending(z.number().int().min(0).max(36600)),
    /** Won deals in the window for scores 2, 3, 4, 5 (at least). */
    frequency: ascending(z.number().int().min(1).max(1_000_000)),
    /** Won amount (major units, reporting currency) in the window for scores 2, 3, 4, 5 (at least). */
    monetary: ascending(z.number().min(0.01).max(1e13))
  })
  .strict()
export type RfmConfig = z.infer<typeof RfmConfig>

const percent = z.number().int().min(1).max(100)

export const ChurnRiskConfig = z
  .object({
    silence: z.object({ days }).strict().nullable(),
    fallingActivity: z
      .object({ days, percent, minPrevious: z.number().int().min(1).max(1_000_000) })
      .strict()
      .nullable(),
    fallingRevenue: z.object({ days, percent }).strict().nullable()
  })
  .strict()
export type ChurnRiskConfig = z.infer<typeof ChurnRiskConfig>

/**
 * EUR; a 365-day window; recency 30 / 90 / 180 / 365 days; frequency 1 / 2 / 4 / 8 deals;
 * monetary 1,000 / 10,000 / 50,000 / 200,000.
 */
export const presetRfm = (): RfmConfig => ({
  currency: "EUR",
  windowDays: 365,
  recencyDays: [30, 90, 180, 365],
  frequency: [1, 2, 4, 8],
  monetary: [1_000, 10_000, 50_000, 200_000]
})

/**
 * Silence over 90 days; activity in the last 90 days under 50% of the 90 days before (with at
 * least 3 then); won amount in the last 365 days under 50% of the 365 days before.
 */
export const presetChurnRisk = (): ChurnRiskConfig => ({
  silence: { days: 90 },
  fallingActivity: { days: 90, percent: 50, minPrevious: 3 },
  fallingRevenue: { days: 365, percent: 50 }
})
