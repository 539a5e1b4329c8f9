/**
 * CRM analytics as an Effect service: the figures a sales or service manager charts. Every
 * result is plain data (numbers, strings, arrays and records; amounts in major units, per
 * currency — different currencies are never added together), and every figure is aggregated
 * inside the store (`AnalyticsStore`, `OpportunityStore.pipeline`), through the CRM visibility:
 * nothing of an account the actor may not see is ever counted.
 *
 * - `pipelineByStage`: the open pipeline by stage of the sales methodology (in its order) and
 *   currency — count, amount, probability-weighted amount — filtered by owner, territory, sales
 *   area and expected close window.
 * - `funnel`: for the opportunities closing in a period (expected close date; for a closed one
 *   its close date), how many reached each stage (the furthest stage its history recorded; a won
 *   opportunity has passed every stage unless `CrmConfig.analytics.funnel` says otherwise), the conversion from each stage to the next (the last
 *   one to won), and the win rate `won / (won + lost)`; optionally per owner.
 * - `salesCycle`: for the opportunities won in a period, the days from creation to the close
 *   date: average, median, shortest, longest.
 * - `forecastVsActual`: per month, quarter or year, the forecast for that period as it stood at
 *   its start, or `CrmConfig.analytics.forecast.snapshotDaysBefore` days earlier (rebuilt from the opportunity history: won so far plus the weighted open pipeline
 *   expected to close in it) against what was actually won in it.
 * - `activityStats`: per owner, the activities of a period by kind and status, completed and
 *   overdue.
 * - `slaCompliance`: the SLA compliance of the tickets opened in a period (`Tickets.compliance`).
 *
 * Activity: `display`.
 *
 * @example
 * ```ts
 * import { Actor } from "@partnerkit/core"
 * import { Analytics } from "@partnerkit/crm"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const analytics = yield* Analytics.Analytics
 *   const actor = Actor.superUser("acme", "sales.manager")
 *   const pipeline = yield* analytics.pipelineByStage({ actor, closeFrom: "2027-01-01", closeTo: "2027-12-31" })
 *   const funnel = yield* analytics.funnel({ actor, from: "2027-01-01", to: "2027-03-31", byOwner: true })
 *   return { stages: pipeline.stages.map((s) => [s.name, s.count]), winRate: funnel.overall.winRate }
 * })
 * ```
 * @module
 */
import type { Errors } from "@partnerkit/core"
import { Context, Effect, Layer } from "effect"
import { z } from "zod"
import { Status as ActivityStatus, Kind } from "./Activity.js"
import { AnalyticsStore } from "./AnalyticsStore.js"
import * as Access from "./internal/access.js"
import { inputInvalid, now, parse, requireActivity, type WithActor } from "./internal/service.js"
import { CalendarDate, Period, SalesAreaKey, salesAreaKey } from "./Opportunity.js"
import { OpportunityStore } from "./OpportunityStore.js"
import type { ComplianceInput } from "./Ticket.js"
import { type ComplianceReport, Tickets } from "./Tickets.js"

const code = (max: number) => z.string().trim().min(1).max(max)
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString())
const isInstant = (value: unknown) => z.iso.datetime({ offset: true }).safeParse(value).success

/** `from` is not after `to` (checked only when both are valid dates: an invalid one has its own issue). */
const ordered = <T extends { readonly from?: string | undefined; readonly to?: string | undefined }>(i: T) =>
  i.from === undefined ||
  i.to === undefined ||
  !CalendarDate.safeParse(i.from).success ||
  !CalendarDate.safeParse(i.to).success ||
  i.from <= i.to

export const PipelineByStageInput = z
  .object({
    owner: code(64).optional(),
    /** A territory of `CrmConfig.territories`. */
    territory: code(20).optional(),
    salesArea: SalesAreaKey.optional(),
    /** Only opportunities expected to close on or after this date… */
    closeFrom: CalendarDate.optional(),
    /** …and on or before this one. */
    closeTo: CalendarDate.optional()
  })
  .strict()
  .refine((i) => ordered({ from: i.closeFrom, to: i.closeTo }), { message: "`closeFrom` must not be after `closeTo`", path: ["closeTo"] })
export type PipelineByStageInput = z.input<typeof PipelineByStageInput>

/** A period of calendar dates, both inclusive. */
const DatePeriod = z
  .object({
    /** The first day (inclusive). */
    from: CalendarDate,
    /** The last day (inclusive). */
    to: CalendarDate
  })
  .strict()

export const FunnelInput = DatePeriod.extend({
  owner: code(64).optional(),
  /** Also one funnel per owner. Default `false`. */
  byOwner: z.boolean().optional()
})
  .strict()
  .refine(ordered, { message: "`from` must not be after `to`", path: ["to"] })
export type FunnelInput = z.input<typeof FunnelInput>

export const SalesCycleInput = DatePeriod.extend({ owner: code(64).optional() })
  .strict()
  .refine(ordered, { message: "`from` must not be after `to`", path: ["to"] })
export type SalesCycleInput = z.input<typeof SalesCycleInput>

/** At most this many periods in one `forecastVsActual`. */
export const maxPeriods = 120

export const ForecastVsActualInput = DatePeriod.extend({
  /** Default `month`. */
  period: Period.optional(),
  owner: code(64).optional(),
  territory: code(20).optional()
})
  .strict()
  .refine(ordered, { message: "`from` must not be after `to`", path: ["to"] })
export type ForecastVsActualInput = z.input<typeof ForecastVsActualInput>

export const ActivityStatsInput = z
  .object({
    /** Activities whose timeline position (`at`) is at or after this instant… */
    from: instant,
    /** …and before this one. */
    to: instant,
    /** Open activities due before this instant are overdue. Default: now. */
    asOf: instant.optional(),
    owner: code(64).optional()
  })
  .strict()
  .refine((i) => !isInstant(i.from) || !isInstant(i.to) || i.from < i.to, { message: "`from` must be before `to`", path: ["to"] })
export type ActivityStatsInput = z.input<typeof ActivityStatsInput>

/** Amount figures in one currency. */
export interface CurrencyFigures {
  readonly currency: string
  readonly count: number
  readonly amount: number
  /** The amount weighted by each opportunity's probability. */
  readonly weighted: number
}

export interface StageFigures {
  readonly stage: string
  /** The stage's name in the methodology (its id when the methodology no longer has it). */
  readonly name: string
  /** Open opportunities in the stage, priced or not. */
  readonly count: number
  /** Those without an amount or currency. */
  readonly unpriced: number
  /** Per currency, ascending. */
  readonly values: ReadonlyArray<CurrencyFigures>
}

export interface PipelineByStage {
  /** Every stage of the methodology in its order (stages no longer in it after them, by id). */
  readonly stages: ReadonlyArray<StageFigures>
  /** Over every stage, per currency. */
  readonly totals: ReadonlyArray<CurrencyFigures>
  readonly count: number
  readonly unpriced: number
}

export interface FunnelStep {
  readonly stage: string
  readonly name: string
  /** Opportunities that were in this stage or a later one at some time (or were won, with `wonReachesEveryStage`). */
  readonly reached: number
  /** `reached` of the next stage (for the last one: won) divided by this `reached`; `null` when none reached it. */
  readonly conversion: number | null
}

export interface Funnel {
  /** Opportunities closing in the period, any status. */
  readonly opportunities: number
  readonly open: number
  readonly won: number
  readonly lost: number
  /** `won / (won + lost)`; `null` when none was closed. */
  readonly winRate: number | null
  readonly steps: ReadonlyArray<FunnelStep>
}

export interface FunnelReport {
  readonly from: string
  readonly to: string
  readonly overall: Funnel
  /** With `byOwner`: one funnel per owner, by owner id. */
  readonly byOwner?: Readonly<Record<string, Funnel>> | undefined
}

export interface SalesCycle {
  readonly from: string
  readonly to: string
  /** Opportunities won in the period. */
  readonly won: number
  /** Days from creation to the close date, averaged (two decimals); `null` when none was won. */
  readonly averageDays: number | null
  readonly medianDays: number | null
  readonly shortestDays: number | null
  readonly longestDays: number | null
}

export interface PeriodFigures {
  readonly currency: string
  /** The forecast for the period as it stood at its start. */
  readonly forecast: {
    readonly open: { readonly count: number; readonly amount: number; readonly weighted: number }
    /** Already won by then. */
    readonly won: number
    /** `won + open.weighted`. */
    readonly value: number
  }
  /** What was won with a close date in the period. */
  readonly actual: { readonly count: number; readonly amount: number }
  /** `actual.amount - forecast.value`. */
  readonly difference: number
  /** `actual.amount / forecast.value`; `null` when nothing was forecast. */
  readonly attainment: number | null
}

export interface ForecastPeriod {
  /** `2027-03`, `2027-Q1` or `2027`. */
  readonly period: string
  readonly start: string
  readonly end: string
  /** The instant the forecast was read as of: the period's start, 00:00 UTC (less the configured snapshot days). */
  readonly asOf: string
  /** Per currency, ascending; empty when nothing was forecast or won. */
  readonly currencies: ReadonlyArray<PeriodFigures>
}

export interface ForecastVsActual {
  readonly period: Period
  readonly periods: ReadonlyArray<ForecastPeriod>
}

export interface ActivityCounts {
  readonly total: number
  readonly open: number
  readonly completed: number
  readonly cancelled: number
  /** Open and due before `asOf`. */
  readonly overdue: number
}

export interface OwnerActivityStats extends ActivityCounts {
  readonly owner: string
  /** Every kind, zero when none. */
  readonly byKind: Readonly<Record<Kind, ActivityCounts>>
}

export interface ActivityStats {
  readonly from: string
  readonly to: string
  readonly asOf: string
  /** By owner id. */
  readonly owners: ReadonlyArray<OwnerActivityStats>
  readonly totals: Omit<OwnerActivityStats, "owner">
}

type Common = Errors.NotAuthorized | Errors.ValidationFailed | Errors.StorageError

export interface AnalyticsShape {
  readonly pipelineByStage: (input: PipelineByStageInput & WithActor) => Effect.Effect<PipelineByStage, Common>
  readonly funnel: (input: FunnelInput & WithActor) => Effect.Effect<FunnelReport, Common>
  readonly salesCycle: (input: SalesCycleInput & WithActor) => Effect.Effect<SalesCycle, Common>
  readonly forecastVsActual: (input: ForecastVsActualInput & WithActor) => Effect.Effect<ForecastVsActual, Common>
  readonly activityStats: (input: ActivityStatsInput & WithActor) => Effect.Effect<ActivityStats, Common>
  /** The SLA compliance of the visible tickets opened in `[from, to)`, judged at `asOf` (`Tickets.compliance`). */
  readonly slaCompliance: (input: ComplianceInput & WithActor) => Effect.Effect<ComplianceReport, Common>
}

/** The analytics service. */
export class Analytics extends Context.Tag("@partnerkit/crm/Analytics")<Analytics, AnalyticsShape>() {}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Hundredths to major units; hundredths × percent to major units, rounded to the cent. */
const major = (cents: number) => Math.round(cents) / 100
const weightedMajor = (centPercents: number) => Math.round(centPercents / 100) / 100

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole)

/** The first day of `date`'s period and the last. */
const periodBounds = (date: string, period: Period): { readonly key: string; readonly start: string; readonly end: string } => {
  const year = Number(date.slice(0, 4))
  const month = Number(date.slice(5, 7))
  const firstMonth = period === "month" ? month : period === "quarter" ? Math.floor((month - 1) / 3) * 3 + 1 : 1
  const months = period === "month" ? 1 : period === "quarter" ? 3 : 12
  const start = new Date(Date.UTC(year, firstMonth - 1, 1))
  const end = new Date(Date.UTC(year, firstMonth - 1 + months, 0))
  const key = period === "month" ? date.slice(0, 7) : period === "quarter" ? `${year}-Q${Math.ceil(firstMonth / 3)}` : `${year}`
  return { key, start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) }
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10)

const zeroCounts = (): { -readonly [K in keyof ActivityCounts]: number } => ({ total: 0, open: 0, completed: 0, cancelled: 0, overdue: 0 })

/** Builds the service from the CRM configuration, core's `Customers`, the tickets service and the store's ports. */
export const make = Effect.gen(function* () {
  const access = yield* Access.make
  const store = yield* AnalyticsStore
  const opportunities = yield* OpportunityStore
  const tickets = yield* Tickets
  const { tenant, config } = access
  const methodology = config.sales

  const requireTerritory = (territory: string | undefined) =>
    territory === undefined || Object.hasOwn(config.territories, territory)
      ? Effect.void
      : Effect.fail(inputInvalid([{ path: "territory", detail: `unknown territory "${territory}" (not in the CRM configuration)` }]))

  /** The instant a period's forecast is read as of: its start, less `CrmConfig.analytics.forecast.snapshotDaysBefore`. */
  const snapshotOf = (start: string) =>
    new Date(Date.parse(`${start}T00:00:00.000Z`) - config.analytics.forecast.snapshotDaysBefore * 86_400_000).toISOString()

  const stageName = (id: string) => methodology.stages.find((s) => s.id === id)?.name ?? id

  const pipelineByStage: AnalyticsShape["pipelineByStage"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(PipelineByStageInput, input)
      yield* requireActivity(tenant, actor, "display")
      yield* requireTerritory(data.territory)
      const buckets = yield* store.stagePipeline({
        tenant,
        visibility: access.visibility(actor),
        owner: data.owner,
        territory: data.territory,
        salesArea: data.salesArea === undefined ? undefined : salesAreaKey(data.salesArea),
        closeFrom: data.closeFrom,
        closeTo: data.closeTo
      })
      type Sum = { count: number; cents: number; centPercents: number }
      const stages = new Map<string, { count: number; unpriced: number; values: Map<string, Sum> }>()
      for (const s of methodology.stages) stages.set(s.id, { count: 0, unpriced: 0, values: new Map() })
      const totals = new Map<string, Sum>()
      const add = (map: Map<string, Sum>, currency: string, b: (typeof buckets)[number]) => {
        const sum = map.get(currency) ?? { count: 0, cents: 0, centPercents: 0 }
        sum.count += b.count
        sum.cents += b.amountCents
        sum.centPercents += b.weightedCentPercents
        map.set(currency, sum)
      }
      for (const b of buckets) {
        let stage = stages.get(b.stage)
        if (stage === undefined) {
          stage = { count: 0, unpriced: 0, values: new Map() }
          stages.set(b.stage, stage)
        }
        stage.count += b.count
        if (b.currency === null) stage.unpriced += b.count
        else {
          add(stage.values, b.currency, b)
          add(totals, b.currency, b)
        }
      }
      const figures = (map: Map<string, Sum>): Array<CurrencyFigures> =>
        [...map]
          .sort(([a], [b]) => compare(a, b))
          .map(([currency, s]) => ({ currency, count: s.count, amount: major(s.cents), weighted: weightedMajor(s.centPercents) }))
      const known = methodology.stages.map((s) => s.id)
      const order = [...known, ...[...stages.keys()].filter((id) => !known.includes(id)).sort(compare)]
      const rows = order.map((id): StageFigures => {
        const s = stages.get(id)!
        return { stage: id, name: stageName(id), count: s.count, unpriced: s.unpriced, values: figures(s.values) }
      })
      return {
        stages: rows,
        totals: figures(totals),
        count: rows.reduce((n, s) => n + s.count, 0),
        unpriced: rows.reduce((n, s) => n + s.unpriced, 0)
      }
    })

  const funnel: AnalyticsShape["funnel"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(FunnelInput, input)
      yield* requireActivity(tenant, actor, "display")
      const stageIds = methodology.stages.map((s) => s.id)
      const buckets = yield* store.funnel({
        tenant,
        visibility: access.visibility(actor),
        stages: stageIds,
        closeFrom: data.from,
        closeTo: data.to,
        owner: data.owner,
        byOwner: data.byOwner ?? false
      })
      const build = (rows: ReadonlyArray<(typeof buckets)[number]>): Funnel => {
        const count = (p: (b: (typeof buckets)[number]) => boolean) => rows.reduce((n, b) => (p(b) ? n + b.count : n), 0)
        const won = count((b) => b.status === "won")
        const lost = count((b) => b.status === "lost")
        const wonPasses = config.analytics.funnel.wonReachesEveryStage
        const reached = stageIds.map((_, i) => count((b) => (wonPasses && b.status === "won") || b.furthest >= i))
        return {
          opportunities: count(() => true),
          open: count((b) => b.status === "open"),
          won,
          lost,
          winRate: ratio(won, won + lost),
          steps: stageIds.map((id, i) => ({
            stage: id,
            name: stageName(id),
            reached: reached[i]!,
            conversion: ratio(i + 1 < reached.length ? reached[i + 1]! : won, reached[i]!)
          }))
        }
      }
      const overall = build(buckets)
      if (!(data.byOwner ?? false)) return { from: data.from, to: data.to, overall }
      const owners = [...new Set(buckets.map((b) => b.owner))].sort(compare)
      return {
        from: data.from,
        to: data.to,
        overall,
        byOwner: Object.fromEntries(owners.map((o) => [o, build(buckets.filter((b) => b.owner === o))]))
      }
    })

  const salesCycle: AnalyticsShape["salesCycle"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(SalesCycleInput, input)
      yield* requireActivity(tenant, actor, "display")
      const buckets = yield* store.salesCycles({
        tenant,
        visibility: access.visibility(actor),
        closeFrom: data.from,
        closeTo: data.to,
        owner: data.owner
      })
      const sorted = [...buckets].filter((b) => b.count > 0).sort((a, b) => a.days - b.days)
      const won = sorted.reduce((n, b) => n + b.count, 0)
      if (won === 0)
        return { from: data.from, to: data.to, won, averageDays: null, medianDays: null, shortestDays: null, longestDays: null }
      /** The `k`-th smallest (0-based) of the histogram. */
      const nth = (k: number) => {
        let seen = 0
        for (const b of sorted) {
          seen += b.count
          if (k < seen) return b.days
        }
        return sorted.at(-1)!.days
      }
      const median = won % 2 === 1 ? nth((won - 1) / 2) : (nth(won / 2 - 1) + nth(won / 2)) / 2
      const total = sorted.reduce((n, b) => n + b.days * b.count, 0)
      return {
        from: data.from,
        to: data.to,
        won,
        averageDays: Math.round((total / won) * 100) / 100,
        medianDays: median,
        shortestDays: sorted[0]!.days,
        longestDays: sorted.at(-1)!.days
      }
    })

  const forecastVsActual: AnalyticsShape["forecastVsActual"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ForecastVsActualInput, input)
      yield* requireActivity(tenant, actor, "display")
      yield* requireTerritory(data.territory)
      const period = data.period ?? "month"
      const periods: Array<ReturnType<typeof periodBounds>> = []
      for (let date = data.from; date <= data.to; ) {
        const bounds = periodBounds(date, period)
        periods.push(bounds)
        if (periods.length > maxPeriods) {
          return yield* Effect.fail(
            inputInvalid([{ path: "to", detail: `at most ${maxPeriods} periods (${period}) from \`from\` to \`to\`` }])
          )
        }
        date = nextDay(bounds.end)
      }
      const visibility = access.visibility(actor)
      const filters = { tenant, visibility, by: "none" as const, owner: data.owner, territory: data.territory }
      const first = periods[0]!
      const last = periods.at(-1)!
      // What was won: one aggregate over every period, by month. The forecasts: one per period, as of its snapshot.
      const [current, forecasts] = yield* Effect.all([
        opportunities.pipeline({ ...filters, closeFrom: first.start, closeTo: last.end }),
        Effect.forEach(periods, (p) =>
          opportunities.pipeline({ ...filters, closeFrom: p.start, closeTo: p.end, asOf: snapshotOf(p.start) })
        )
      ])
      const rows = periods.map((p, i): ForecastPeriod => {
        const asOf = snapshotOf(p.start)
        type Cell = { openCount: number; openCents: number; centPercents: number; wonThenCents: number; wonCount: number; wonCents: number }
        const cells = new Map<string, Cell>()
        const cell = (currency: string) => {
          const c = cells.get(currency) ?? { openCount: 0, openCents: 0, centPercents: 0, wonThenCents: 0, wonCount: 0, wonCents: 0 }
          cells.set(currency, c)
          return c
        }
        for (const b of forecasts[i]!) {
          const c = cell(b.currency)
          if (b.status === "open") {
            c.openCount += b.count
            c.openCents += b.amountCents
            c.centPercents += b.weightedCentPercents
          } else c.wonThenCents += b.amountCents
        }
        for (const b of current) {
          if (b.status !== "won" || b.month < p.start.slice(0, 7) || b.month > p.end.slice(0, 7)) continue
          const c = cell(b.currency)
          c.wonCount += b.count
          c.wonCents += b.amountCents
        }
        const currencies = [...cells]
          .sort(([a], [b]) => compare(a, b))
          .map(([currency, c]): PeriodFigures => {
            const forecastCents = Math.round(c.wonThenCents + c.centPercents / 100)
            return {
              currency,
              forecast: {
                open: { count: c.openCount, amount: major(c.openCents), weighted: weightedMajor(c.centPercents) },
                won: major(c.wonThenCents),
                value: major(forecastCents)
              },
              actual: { count: c.wonCount, amount: major(c.wonCents) },
              difference: major(c.wonCents - forecastCents),
              attainment: ratio(c.wonCents, forecastCents)
            }
          })
        return { period: p.key, start: p.start, end: p.end, asOf, currencies }
      })
      return { period, periods: rows }
    })

  const activityStats: AnalyticsShape["activityStats"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ActivityStatsInput, input)
      yield* requireActivity(tenant, actor, "display")
      const asOf = data.asOf ?? (yield* now)
      const buckets = yield* store.activityStats({
        tenant,
        visibility: access.visibility(actor),
        from: data.from,
        to: data.to,
        asOf,
        owner: data.owner
      })
      type Mutable = ReturnType<typeof zeroCounts>
      const emptyStats = () => ({
        ...zeroCounts(),
        byKind: Object.fromEntries(Kind.options.map((k) => [k, zeroCounts()])) as Record<Kind, Mutable>
      })
      const tally = (c: Mutable, b: (typeof buckets)[number]) => {
        c.total += b.count
        c[b.status] += b.count
        c.overdue += b.overdue
      }
      const owners = new Map<string, ReturnType<typeof emptyStats>>()
      const totals = emptyStats()
      for (const b of buckets) {
        if (!ActivityStatus.options.includes(b.status) || !Kind.options.includes(b.kind)) continue
        const stats = owners.get(b.owner) ?? emptyStats()
        owners.set(b.owner, stats)
        for (const target of [stats, stats.byKind[b.kind], totals, totals.byKind[b.kind]]) tally(target, b)
      }
      return {
        from: data.from,
        to: data.to,
        asOf,
        owners: [...owners].sort(([a], [b]) => compare(a, b)).map(([owner, stats]) => ({ owner, ...stats })),
        totals
      }
    })

  const slaCompliance: AnalyticsShape["slaCompliance"] = (input) => tickets.compliance(input)

  return Analytics.of({ pipelineByStage, funnel, salesCycle, forecastVsActual, activityStats, slaCompliance })
})

/** The service, from the CRM configuration, core's `Customers`, the tickets service and a CRM store's ports. */
export const layer: Layer.Layer<Analytics, never, Effect.Effect.Context<typeof make>> = Layer.effect(Analytics, make)
