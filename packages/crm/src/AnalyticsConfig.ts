/**
 * The analytics part of the CRM configuration (`CrmConfig.analytics`): the rules of the figures
 * that companies count differently.
 *
 * - `funnel.wonReachesEveryStage`: whether a won opportunity counts as having reached every stage
 *   of the methodology (a stage-reached funnel: `true`, the preset), or only the stages its
 *   history recorded (`false`: a deal won straight from the proposal does not count for
 *   negotiation and commit).
 * - `forecast.snapshotDaysBefore`: the forecast of a period is read as it stood this many days
 *   before the period starts (`0`, the preset: at its start, 00:00 UTC) — for companies that
 *   freeze their forecast a week or a month ahead.
 *
 * @example
 * ```ts
 * import { AnalyticsConfig, CrmConfig } from "@partnerkit/crm"
 *
 * const config = CrmConfig.makeOrThrow({
 *   ...CrmConfig.preset("team"),
 *   analytics: { ...AnalyticsConfig.preset(), forecast: { snapshotDaysBefore: 7 } }
 * })
 * ```
 * @module
 */
import { z } from "zod"

export const AnalyticsConfig = z
  .object({
    funnel: z
      .object({
        /** A won opportunity has reached every stage. Default `true`. */
        wonReachesEveryStage: z.boolean().default(true)
      })
      .strict()
      .default({ wonReachesEveryStage: true }),
    forecast: z
      .object({
        /** Read each period's forecast as it stood this many days before the period starts. Default 0. */
        snapshotDaysBefore: z.number().int().min(0).max(366).default(0)
      })
      .strict()
      .default({ snapshotDaysBefore: 0 })
  })
  .strict()
export type AnalyticsConfig = z.infer<typeof AnalyticsConfig>

/** Won opportunities pass every stage; forecasts as of each period's start. */
export const preset = (): AnalyticsConfig => ({ funnel: { wonReachesEveryStage: true }, forecast: { snapshotDaysBefore: 0 } })
