/**
 * Behavioural aggregates of customer accounts as an Effect service: for one account its
 * activity, last contact, won business, RFM score and churn-risk flag at a moment (`behaviour`);
 * over every account the actor may see, the count per RFM cell (`rfmSegmentation`) and the
 * accounts flagged as churn risks with the rules that fired (`churnRisks`).
 *
 * Everything is computed by the store in its query engine (`AccountBehaviourStore`), through the
 * CRM visibility: a hidden account is `AccountNotFound` for `behaviour`, and is never listed or
 * counted elsewhere. The RFM breakpoints and the churn rules are configuration
 * (`CrmConfig.rfm`, `CrmConfig.churnRisk`; see `BehaviourConfig` for the definitions and presets).
 *
 * @example
 * ```ts
 * import { Actor } from "@partnerkit/core"
 * import { Behaviour } from "@partnerkit/crm"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const behaviour = yield* Behaviour.Behaviour
 *   const actor = Actor.superUser("acme", "li.na")
 *   const one = yield* behaviour.behaviour({ actor, customerNumber: "C0001" })
 *   const risks = yield* behaviour.churnRisks({ actor, limit: 20 })
 *   return `${one.rfm.class}; ${risks.items.length} accounts at risk`
 * })
 * ```
 * @module
 */
import type { Actor, Errors } from "@partnerkit/core"
import { Context, Effect, Layer, Option } from "effect"
import { z } from "zod"
import { AccountBehaviourStore } from "./AccountBehaviourStore.js"
import type { AccountNotFound } from "./CrmErrors.js"
import * as Access from "./internal/access.js"
import { decodeAfter, now, type Page, pageOf, parse, requireActivity, type WithActor } from "./internal/service.js"
import {
  type ChurnRule,
  churnRules,
  dateBefore,
  daysBefore,
  evaluate,
  type Facts,
  type Metric,
  type Plan,
  rfmScores,
  scoreOf
} from "./SegmentRule.js"

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString())
const days = z.number().int().min(1).max(3660)

export const BehaviourInput = z
  .object({
    customerNumber: z.string().trim().min(1).max(16),
    /** Default: now. */
    asOf: instant.optional(),
    /** The window of `activities`. Default 90 days. */
    activityDays: days.optional(),
    /** The window of `won`. Default `CrmConfig.rfm.windowDays`. */
    wonDays: days.optional()
  })
  .strict()
export type BehaviourInput = z.input<typeof BehaviourInput>

export const SegmentationInput = z.object({ asOf: instant.optional() }).strict()
export type SegmentationInput = z.input<typeof SegmentationInput>

export const ChurnRisksInput = z
  .object({
    asOf: instant.optional(),
    /** Default 50. */
    limit: z.number().int().min(1).max(1000).optional(),
    cursor: z.string().optional()
  })
  .strict()
export type ChurnRisksInput = z.input<typeof ChurnRisksInput>

/** An account's RFM scores (1–5 each) and its class, e.g. `R5F3M2`. */
export interface Rfm {
  readonly recency: number
  readonly frequency: number
  readonly monetary: number
  readonly class: string
  /** The close date of the last won opportunity at or before `asOf`. */
  readonly lastWonOn: string | null
}

export interface AccountBehaviour {
  readonly customerNumber: string
  readonly name: string
  readonly asOf: string
  /** Completed activities (any kind) in the last `days` days. */
  readonly activities: { readonly days: number; readonly count: number }
  readonly lastContactAt: string | null
  /** Whole days from the last contact to `asOf` (as the 360° view counts them); `null` when never. */
  readonly daysSinceLastContact: number | null
  /** Won opportunities closed in the last `days` days: their number (any currency) and amount in the reporting currency. */
  readonly won: { readonly days: number; readonly currency: string; readonly amount: number; readonly count: number }
  readonly rfm: Rfm
  /** The churn-risk rules that fire for the account (empty: not at risk). */
  readonly churnRisk: { readonly flagged: boolean; readonly rules: ReadonlyArray<ChurnRule> }
}

export interface RfmCell {
  readonly recency: number
  readonly frequency: number
  readonly monetary: number
  readonly count: number
}

export interface RfmSegmentation {
  readonly asOf: string
  /** Visible accounts counted. */
  readonly total: number
  /** Accounts per R/F/M cell (only cells with accounts), ordered by recency, frequency, monetary. */
  readonly cells: ReadonlyArray<RfmCell>
  /** Accounts per class `R…F…M…`. */
  readonly classes: Readonly<Record<string, number>>
  /** Accounts per score 1–5 of each dimension (index 0 = score 1). */
  readonly byScore: {
    readonly recency: ReadonlyArray<number>
    readonly frequency: ReadonlyArray<number>
    readonly monetary: ReadonlyArray<number>
  }
}

export interface ChurnRisk {
  readonly customerNumber: string
  readonly name: string
  readonly rules: ReadonlyArray<ChurnRule>
  readonly lastContactAt: string | null
}

export type Common = Errors.NotAuthorized | Errors.ValidationFailed | Errors.StorageError

export interface BehaviourShape {
  readonly behaviour: (input: BehaviourInput & WithActor) => Effect.Effect<AccountBehaviour, Common | AccountNotFound>
  readonly rfmSegmentation: (input: SegmentationInput & WithActor) => Effect.Effect<RfmSegmentation, Common>
  /** Flagged accounts ascending by customer number, paged. */
  readonly churnRisks: (input: ChurnRisksInput & WithActor) => Effect.Effect<Page<ChurnRisk> & { readonly asOf: string }, Common>
}

/** The behaviour service. */
export class Behaviour extends Context.Tag("@partnerkit/crm/Behaviour")<Behaviour, BehaviourShape>() {}

const day = 86_400_000

/** `Facts` over the metric values a store returned (no descriptive fields: the plans here read none). */
export const factsOf = (metrics: ReadonlyArray<Metric>, values: ReadonlyArray<number | string | null>): Facts => {
  const byKey = new Map(metrics.map((m, i) => [JSON.stringify(m), values[i] ?? null] as const))
  return {
    attribute: () => [],
    metric: (m) => {
      const key = JSON.stringify(m)
      if (!byKey.has(key)) throw new Error(`metric ${key} was not computed`)
      return byKey.get(key) ?? null
    }
  }
}

/** Every metric a plan reads. */
export const metricsOf = (plan: Plan, into: Array<Metric> = []): Array<Metric> => {
  // Each metric serialised once (this runs on every 360° view), not once per comparison.
  const seen = new Set(into.map((m) => JSON.stringify(m)))
  const add = (m: Metric) => {
    const key = JSON.stringify(m)
    if (seen.has(key)) return
    seen.add(key)
    into.push(m)
  }
  const walk = (p: Plan): void => {
    if ("all" in p) for (const q of p.all) walk(q)
    else if ("any" in p) for (const q of p.any) walk(q)
    else if ("compare" in p) add("metric" in p.compare ? p.compare.metric : p.compare.score.metric)
    else if ("missing" in p) add(p.missing)
    else if ("ratioBelow" in p) {
      add(p.ratioBelow.metric)
      add(p.ratioBelow.baseline)
    }
  }
  walk(plan)
  return into
}

/**
 * The behaviour of a customer account the caller has already resolved for `actor` through
 * `Access.customerAccount` (the 360° view uses it without a second check): one statement.
 *
 * @internal
 */
export const reader = Effect.gen(function* () {
  const access = yield* Access.make
  const store = yield* AccountBehaviourStore
  const { tenant, config } = access

  return (
    actor: Actor.Actor,
    data: {
      readonly customerNumber: string
      readonly asOf: string
      readonly activityDays?: number | undefined
      readonly wonDays?: number | undefined
    }
  ): Effect.Effect<AccountBehaviour, Errors.StorageError> =>
    Effect.gen(function* () {
      const asOf = data.asOf
      const activityDays = data.activityDays ?? 90
      const wonDays = data.wonDays ?? config.rfm.windowDays
      const scores = rfmScores(config.rfm, asOf)
      const churn = churnRules(config.churnRisk, config.rfm, asOf)
      const toDate = asOf.slice(0, 10)
      const own: Array<Metric> = [
        { kind: "activities", from: daysBefore(asOf, activityDays), to: asOf },
        { kind: "lastContact", to: asOf },
        { kind: "wonCents", fromDate: dateBefore(asOf, wonDays), toDate, currency: config.rfm.currency },
        { kind: "wonCount", fromDate: dateBefore(asOf, wonDays), toDate },
        scores.recency.metric,
        scores.frequency.metric,
        scores.monetary.metric
      ]
      const metrics = churn.reduce((acc, r) => metricsOf(r.plan, acc), [...own])
      const rows = yield* store.accounts({
        tenant,
        visibility: access.visibility(actor),
        customerNumber: data.customerNumber,
        limit: 1,
        values: metrics.map((metric) => ({ metric }))
      })
      const row = rows[0]
      const values = row?.values ?? metrics.map(() => null)
      const facts = factsOf(metrics, values)
      const last = facts.metric(own[1]!) as string | null
      const rfm = {
        recency: scoreOf(scores.recency, facts.metric(scores.recency.metric)),
        frequency: scoreOf(scores.frequency, facts.metric(scores.frequency.metric)),
        monetary: scoreOf(scores.monetary, facts.metric(scores.monetary.metric))
      }
      const fired = churn.filter((r) => evaluate(r.plan, facts)).map((r) => r.rule)
      return {
        customerNumber: data.customerNumber,
        name: row?.name ?? "",
        asOf,
        activities: { days: activityDays, count: Number(facts.metric(own[0]!) ?? 0) },
        lastContactAt: last,
        daysSinceLastContact: last === null ? null : Math.max(0, Math.floor((Date.parse(asOf) - Date.parse(last)) / day)),
        won: {
          days: wonDays,
          currency: config.rfm.currency,
          amount: Number(facts.metric(own[2]!) ?? 0) / 100,
          count: Number(facts.metric(own[3]!) ?? 0)
        },
        rfm: {
          ...rfm,
          class: `R${rfm.recency}F${rfm.frequency}M${rfm.monetary}`,
          lastWonOn: facts.metric(scores.recency.metric) as string | null
        },
        churnRisk: { flagged: fired.length > 0, rules: fired }
      }
    })
})

export const make = Effect.gen(function* () {
  const access = yield* Access.make
  const store = yield* AccountBehaviourStore
  const read = yield* reader
  const { tenant, config } = access

  const behaviour: BehaviourShape["behaviour"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(BehaviourInput, input)
      yield* requireActivity(tenant, actor, "display")
      yield* access.customerAccount(actor, data.customerNumber)
      const asOf = data.asOf ?? (yield* now)
      return yield* read(actor, { ...data, asOf })
    })

  const rfmSegmentation: BehaviourShape["rfmSegmentation"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(SegmentationInput, input)
      yield* requireActivity(tenant, actor, "display")
      const asOf = data.asOf ?? (yield* now)
      const scores = rfmScores(config.rfm, asOf)
      const rows = yield* store.distribution({
        tenant,
        visibility: access.visibility(actor),
        by: [{ score: scores.recency }, { score: scores.frequency }, { score: scores.monetary }]
      })
      const cells = rows.map((r) => ({
        recency: Number(r.key[0]),
        frequency: Number(r.key[1]),
        monetary: Number(r.key[2]),
        count: r.count
      }))
      const classes: Record<string, number> = {}
      const byScore = { recency: [0, 0, 0, 0, 0], frequency: [0, 0, 0, 0, 0], monetary: [0, 0, 0, 0, 0] }
      for (const c of cells) {
        classes[`R${c.recency}F${c.frequency}M${c.monetary}`] = c.count
        byScore.recency[c.recency - 1]! += c.count
        byScore.frequency[c.frequency - 1]! += c.count
        byScore.monetary[c.monetary - 1]! += c.count
      }
      return { asOf, total: cells.reduce((n, c) => n + c.count, 0), cells, classes, byScore }
    })

  const churnRisks: BehaviourShape["churnRisks"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ChurnRisksInput, input)
      yield* requireActivity(tenant, actor, "display")
      const after = yield* decodeAfter(data.cursor)
      const asOf = data.asOf ?? (yield* now)
      const limit = data.limit ?? 50
      const rules = churnRules(config.churnRisk, config.rfm, asOf)
      const lastContact: Metric = { kind: "lastContact", to: asOf }
      const metrics = rules.reduce<Array<Metric>>((acc, r) => metricsOf(r.plan, acc), [lastContact])
      const rows =
        rules.length === 0
          ? []
          : yield* store.accounts({
              tenant,
              visibility: access.visibility(actor),
              where: { any: rules.map((r) => r.plan) },
              after: Option.getOrUndefined(after),
              limit: limit + 1,
              values: metrics.map((metric) => ({ metric }))
            })
      const items = rows.map((row) => {
        const facts = factsOf(metrics, row.values)
        return {
          customerNumber: row.customerNumber,
          name: row.name,
          rules: rules.filter((r) => evaluate(r.plan, facts)).map((r) => r.rule),
          lastContactAt: facts.metric(lastContact) as string | null
        }
      })
      return { asOf, ...pageOf(items, limit, (last) => ({ after: last.customerNumber })) }
    })

  return Behaviour.of({ behaviour, rfmSegmentation, churnRisks })
})

/** The service, from the CRM configuration, core's `Customers` and a CRM store's ports. */
export const layer: Layer.Layer<Behaviour, never, Effect.Effect.Context<typeof make>> = Layer.effect(Behaviour, make)
