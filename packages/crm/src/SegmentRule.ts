/**
 * Segment rules: conditions over an account's descriptive data (country, region, industry,
 * account group from core's general data; customer group and sales area from its sales-area
 * views) and its behavioural aggregates (completed activities in the last N days, days since the
 * last contact, won amount and won count in a window, the recency / frequency / monetary
 * scores), combined with `all` / `any` groups, nested up to 5 levels, at most 50 conditions.
 *
 * `parse` validates a rule and reports every problem with its path (`InvalidSegmentRule`).
 * `plan` turns a rule, a moment `asOf` and the configuration into a `Plan`: the same rule with
 * every window and threshold resolved to instants, dates and cents, which the stores evaluate in
 * their query engine (SQL with bound parameters; plain JavaScript in memory, with `evaluate`).
 *
 * Semantics a company relies on:
 * - `in` holds when the account has one of the values (for customer group and sales area: in
 *   one of its sales-area views the actor may see); `notIn` when it has none of them (an
 *   account without the field is `notIn` every list).
 * - `activities` counts completed activities of any kind whose completion lies in the last
 *   `days` days up to `asOf` (`asOf − days` excluded, `asOf` included).
 * - `daysSinceLastContact` is whole days from the last completed call, meeting, visit or e-mail
 *   up to `asOf` (as in the 360° view); an account never contacted has no value and matches no
 *   comparison.
 * - `wonAmount` (major units, `CrmConfig.rfm.currency` only) and `wonCount` (any currency) count
 *   won opportunities whose close date lies in the last `days` calendar days up to the day of
 *   `asOf` (default `CrmConfig.rfm.windowDays`).
 * - `recencyScore`, `frequencyScore`, `monetaryScore` are 1–5 by `CrmConfig.rfm` (see
 *   `BehaviourConfig`).
 *
 * @example
 * ```ts
 * import type { SegmentRule } from "@partnerkit/crm"
 *
 * // German or Austrian manufacturers that were not contacted for 60 days but bought this year.
 * const rule: SegmentRule.Rule = {
 *   all: [
 *     { field: "country", op: "in", values: ["DE", "AT"] },
 *     { field: "industry", op: "in", values: ["MANU"] },
 *     { field: "daysSinceLastContact", op: "gt", value: 60 },
 *     { any: [{ field: "wonCount", days: 365, op: "gte", value: 1 }, { field: "monetaryScore", op: "gte", value: 4 }] }
 *   ]
 * }
 * ```
 * @module
 */
import { Either } from "effect"
import { z } from "zod"
import type { Activity } from "./Activity.js"
import { contactKinds } from "./Activity.js"
import type { ChurnRiskConfig, RfmConfig } from "./BehaviourConfig.js"
import type { Opportunity } from "./Opportunity.js"
import { InvalidSegmentRule, type RuleIssue } from "./SegmentErrors.js"

/** The descriptive fields a rule can test. */
export const Attribute = z.enum(["country", "region", "industry", "accountGroup", "customerGroup", "salesArea"])
export type Attribute = z.infer<typeof Attribute>

export const Comparison = z.enum(["eq", "gt", "gte", "lt", "lte"])
export type Comparison = z.infer<typeof Comparison>

const windowDays = z.number().int().min(1).max(3660)
const count = z.number().int().min(0).max(1_000_000_000)
const score = z.number().int().min(1).max(5)
const attributeValue = z.string().trim().min(1).max(20)
const salesAreaValue = z.string().regex(/^[^/\s]{1,4}\/[^/\s]{1,2}\/[^/\s]{1,2}$/, "a sales area key such as 1000/10/00")

const attributeCondition = (field: Attribute) =>
  z
    .object({
      field: z.literal(field),
      op: z.enum(["in", "notIn"]),
      values: z
        .array(field === "salesArea" ? salesAreaValue : attributeValue)
        .min(1)
        .max(200)
    })
    .strict()

const Money = z
  .number()
  .min(0)
  .max(1e13)
  .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, { message: "at most two decimals" })

/** One schema per `field`. */
const conditions = {
  country: attributeCondition("country"),
  region: attributeCondition("region"),
  industry: attributeCondition("industry"),
  accountGroup: attributeCondition("accountGroup"),
  customerGroup: attributeCondition("customerGroup"),
  salesArea: attributeCondition("salesArea"),
  activities: z.object({ field: z.literal("activities"), days: windowDays, op: Comparison, value: count }).strict(),
  daysSinceLastContact: z
    .object({ field: z.literal("daysSinceLastContact"), op: Comparison, value: z.number().int().min(0).max(36600) })
    .strict(),
  wonAmount: z.object({ field: z.literal("wonAmount"), days: windowDays.optional(), op: Comparison, value: Money }).strict(),
  wonCount: z.object({ field: z.literal("wonCount"), days: windowDays.optional(), op: Comparison, value: count }).strict(),
  recencyScore: z.object({ field: z.literal("recencyScore"), op: Comparison, value: score }).strict(),
  frequencyScore: z.object({ field: z.literal("frequencyScore"), op: Comparison, value: score }).strict(),
  monetaryScore: z.object({ field: z.literal("monetaryScore"), op: Comparison, value: score }).strict()
} as const

/** The fields a condition can test. */
export type Field = keyof typeof conditions
export const fields: ReadonlyArray<Field> = Object.keys(conditions) as Array<Field>

/** One test of one field. */
export type Condition = { [F in Field]: z.infer<(typeof conditions)[F]> }[Field]

/** A condition, or a group whose members must all (`all`) or at least one (`any`) hold. */
export type Rule = Condition | { readonly all: ReadonlyArray<Rule> } | { readonly any: ReadonlyArray<Rule> }

/** Deepest nesting of groups. */
export const maxDepth = 5
/** Most conditions in one rule. */
export const maxConditions = 50

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/**
 * Validates a rule. Every problem is reported with its path below `prefix` (e.g.
 * `rule.all.1.value`), as `InvalidSegmentRule`.
 */
export const parse = (input: unknown, prefix = "rule"): Either.Either<Rule, InvalidSegmentRule> => {
  const issues: Array<RuleIssue> = []
  let conditionCount = 0
  const at = (path: ReadonlyArray<string | number>) => [prefix, ...path].join(".")
  const walk = (value: unknown, path: Array<string | number>, depth: number): Rule | undefined => {
    if (!isObject(value)) {
      issues.push({ path: at(path), message: "a rule is a condition ({ field, … }) or a group ({ all: […] } or { any: […] })" })
      return undefined
    }
    const group = "all" in value ? "all" : "any" in value ? "any" : undefined
    if (group !== undefined) {
      const extra = Object.keys(value).filter((k) => k !== group)
      if (extra.length > 0) issues.push({ path: at([...path, extra[0]!]), message: `a group has only "${group}"` })
      if (depth >= maxDepth) {
        issues.push({ path: at(path), message: `groups nest at most ${maxDepth} levels deep` })
        return undefined
      }
      const members = value[group]
      if (!Array.isArray(members) || members.length === 0 || members.length > maxConditions) {
        issues.push({ path: at([...path, group]), message: `a list of 1 to ${maxConditions} rules` })
        return undefined
      }
      const parsed = members.map((m, i) => walk(m, [...path, group, i], depth + 1))
      return parsed.every((p) => p !== undefined) ? ({ [group]: parsed } as unknown as Rule) : undefined
    }
    const field = value.field
    if (typeof field !== "string" || !(field in conditions)) {
      issues.push({ path: at([...path, "field"]), message: `one of ${fields.join(", ")}` })
      return undefined
    }
    conditionCount++
    const result = conditions[field as Field].safeParse(value)
    if (!result.success) {
      for (const i of result.error.issues) issues.push({ path: at([...path, ...i.path.map(String)]), message: i.message })
      return undefined
    }
    return result.data as Condition
  }
  const rule = walk(input, [], 0)
  if (conditionCount > maxConditions) issues.push({ path: prefix, message: `at most ${maxConditions} conditions` })
  return rule === undefined || issues.length > 0 ? Either.left(new InvalidSegmentRule({ issues })) : Either.right(rule)
}

// ---------------------------------------------------------------------------------------------
// Plans: what the stores evaluate
// ---------------------------------------------------------------------------------------------

/**
 * A behavioural aggregate of one customer account, with its window resolved. Instants are ISO
 * 8601 UTC text, dates `YYYY-MM-DD`; both compare as text.
 * - `activities`: completed activities (any kind) with `at` (their completion) in `(from, to]`;
 * - `lastContact`: the latest `at` of a completed call, meeting, visit or e-mail at or before
 *   `to`, or `null`;
 * - `wonCount`: won opportunities with close date in `(fromDate, toDate]`;
 * - `wonCents`: the sum of their amounts in hundredths, in `currency` only (0 when none);
 * - `lastWon`: the latest close date of a won opportunity at or before `toDate`, or `null`.
 */
export type Metric =
  | { readonly kind: "activities"; readonly from: string; readonly to: string }
  | { readonly kind: "lastContact"; readonly to: string }
  | { readonly kind: "wonCount"; readonly fromDate: string; readonly toDate: string }
  | { readonly kind: "wonCents"; readonly fromDate: string; readonly toDate: string; readonly currency: string }
  | { readonly kind: "lastWon"; readonly toDate: string }

/**
 * A 1–5 score of a metric: the score of the first step whose threshold the metric reaches
 * (`>=`), else 1 (also when the metric is `null`).
 */
export interface Score {
  readonly metric: Metric
  readonly steps: ReadonlyArray<readonly [threshold: number | string, score: number]>
}

/** A value the stores compute per account. */
export type Value = { readonly metric: Metric } | { readonly score: Score }

/**
 * A resolved rule. `compare` with a `null` value never holds; `missing` holds when the metric
 * is `null`. `ratioBelow` holds when
 * `metric × 100 < percent × baseline` and `baseline >= minBaseline`. An empty `all` holds, an
 * empty `any` does not.
 */
export type Plan =
  | { readonly all: ReadonlyArray<Plan> }
  | { readonly any: ReadonlyArray<Plan> }
  | { readonly attribute: Attribute; readonly values: ReadonlyArray<string>; readonly negate: boolean }
  | { readonly compare: Value; readonly op: Comparison; readonly to: number | string }
  | { readonly missing: Metric }
  | {
      readonly ratioBelow: {
        readonly metric: Metric
        readonly baseline: Metric
        readonly percent: number
        readonly minBaseline: number
      }
    }

const day = 86_400_000

/** `asOf` minus `days` days, as an ISO instant. */
export const daysBefore = (asOf: string, days: number): string => new Date(new Date(asOf).getTime() - days * day).toISOString()
/** The calendar day (UTC) `days` days before `asOf`. */
export const dateBefore = (asOf: string, days: number): string => daysBefore(asOf, days).slice(0, 10)

/** The three RFM scores at `asOf` under `rfm`. */
export const rfmScores = (
  rfm: RfmConfig,
  asOf: string
): { readonly recency: Score; readonly frequency: Score; readonly monetary: Score } => {
  const toDate = asOf.slice(0, 10)
  const fromDate = dateBefore(asOf, rfm.windowDays)
  const [r0, r1, r2, r3] = rfm.recencyDays
  const [f0, f1, f2, f3] = rfm.frequency
  const [m0, m1, m2, m3] = rfm.monetary
  const cents = (n: number) => Math.round(n * 100)
  return {
    recency: {
      metric: { kind: "lastWon", toDate },
      steps: [
        [dateBefore(asOf, r0), 5],
        [dateBefore(asOf, r1), 4],
        [dateBefore(asOf, r2), 3],
        [dateBefore(asOf, r3), 2]
      ]
    },
    frequency: {
      metric: { kind: "wonCount", fromDate, toDate },
      steps: [
        [f3, 5],
        [f2, 4],
        [f1, 3],
        [f0, 2]
      ]
    },
    monetary: {
      metric: { kind: "wonCents", fromDate, toDate, currency: rfm.currency },
      steps: [
        [cents(m3), 5],
        [cents(m2), 4],
        [cents(m1), 3],
        [cents(m0), 2]
      ]
    }
  }
}

/** What `plan` needs besides the rule. */
export interface PlanContext {
  readonly asOf: string
  readonly rfm: RfmConfig
}

const lastContactDays = (asOf: string, op: Comparison, v: number): Plan => {
  const metric: Value = { metric: { kind: "lastContact", to: asOf } }
  // days >= v  ⇔  last <= asOf − v days (days are whole days, rounded down).
  const atLeast = (n: number): Plan => ({ compare: metric, op: "lte", to: daysBefore(asOf, n) })
  const below = (n: number): Plan => ({ compare: metric, op: "gt", to: daysBefore(asOf, n) })
  switch (op) {
    case "gte":
      return atLeast(v)
    case "gt":
      return atLeast(v + 1)
    case "lte":
      return below(v + 1)
    case "lt":
      return below(v)
    case "eq":
      return { all: [atLeast(v), below(v + 1)] }
  }
}

const always: Plan = { all: [] }
const never: Plan = { any: [] }

/**
 * A comparison of a score as a range of its metric (scores grow with the metric): no score
 * expression for the stores to evaluate, and each metric computed once per comparison.
 */
const scoreRange = (score: Score, op: Comparison, v: number): Plan => {
  const threshold = (s: number) => score.steps.find(([, points]) => points === s)?.[0]
  const atLeast = (s: number): Plan => {
    if (s <= 1) return always
    const t = threshold(s)
    return t === undefined ? never : { compare: { metric: score.metric }, op: "gte", to: t }
  }
  const atMost = (s: number): Plan => {
    if (s >= 5) return always
    const t = threshold(s + 1)
    return t === undefined ? never : { any: [{ compare: { metric: score.metric }, op: "lt", to: t }, { missing: score.metric }] }
  }
  switch (op) {
    case "gte":
      return atLeast(v)
    case "gt":
      return atLeast(v + 1)
    case "lte":
      return atMost(v)
    case "lt":
      return atMost(v - 1)
    case "eq":
      return { all: [atLeast(v), atMost(v)] }
  }
}

/** Resolves `rule` at `context.asOf`. */
export const plan = (rule: Rule, context: PlanContext): Plan => {
  const { asOf, rfm } = context
  if ("all" in rule) return { all: rule.all.map((r) => plan(r, context)) }
  if ("any" in rule) return { any: rule.any.map((r) => plan(r, context)) }
  const toDate = asOf.slice(0, 10)
  switch (rule.field) {
    case "country":
    case "region":
    case "industry":
    case "accountGroup":
    case "customerGroup":
    case "salesArea":
      return { attribute: rule.field, values: [...new Set(rule.values)].sort(), negate: rule.op === "notIn" }
    case "activities":
      return { compare: { metric: { kind: "activities", from: daysBefore(asOf, rule.days), to: asOf } }, op: rule.op, to: rule.value }
    case "daysSinceLastContact":
      return lastContactDays(asOf, rule.op, rule.value)
    case "wonAmount":
      return {
        compare: { metric: { kind: "wonCents", fromDate: dateBefore(asOf, rule.days ?? rfm.windowDays), toDate, currency: rfm.currency } },
        op: rule.op,
        to: Math.round(rule.value * 100)
      }
    case "wonCount":
      return {
        compare: { metric: { kind: "wonCount", fromDate: dateBefore(asOf, rule.days ?? rfm.windowDays), toDate } },
        op: rule.op,
        to: rule.value
      }
    case "recencyScore":
      return scoreRange(rfmScores(rfm, asOf).recency, rule.op, rule.value)
    case "frequencyScore":
      return scoreRange(rfmScores(rfm, asOf).frequency, rule.op, rule.value)
    case "monetaryScore":
      return scoreRange(rfmScores(rfm, asOf).monetary, rule.op, rule.value)
  }
}

/** The churn rules that can fire. */
export type ChurnRule = "silence" | "fallingActivity" | "fallingRevenue"

/** The churn-risk rules of `config` at `asOf`, each as a plan, and the figures they read. */
export const churnPlans = (config: ChurnRiskConfig, asOf: string) => {
  const rules: Array<{ readonly rule: ChurnRule; readonly plan: Plan }> = []
  if (config.silence !== null) {
    rules.push({ rule: "silence", plan: lastContactDays(asOf, "gt", config.silence.days) })
  }
  if (config.fallingActivity !== null) {
    const d = config.fallingActivity.days
    rules.push({
      rule: "fallingActivity",
      plan: {
        ratioBelow: {
          metric: { kind: "activities", from: daysBefore(asOf, d), to: asOf },
          baseline: { kind: "activities", from: daysBefore(asOf, 2 * d), to: daysBefore(asOf, d) },
          percent: config.fallingActivity.percent,
          minBaseline: config.fallingActivity.minPrevious
        }
      }
    })
  }
  return rules
}

/** `churnPlans` with the revenue rule, which needs the reporting currency. */
export const churnRules = (config: ChurnRiskConfig, rfm: RfmConfig, asOf: string) => {
  const rules = churnPlans(config, asOf)
  if (config.fallingRevenue !== null) {
    const d = config.fallingRevenue.days
    const toDate = asOf.slice(0, 10)
    rules.push({
      rule: "fallingRevenue",
      plan: {
        ratioBelow: {
          metric: { kind: "wonCents", fromDate: dateBefore(asOf, d), toDate, currency: rfm.currency },
          baseline: { kind: "wonCents", fromDate: dateBefore(asOf, 2 * d), toDate: dateBefore(asOf, d), currency: rfm.currency },
          percent: config.fallingRevenue.percent,
          minBaseline: 1
        }
      }
    })
  }
  return rules
}

// ---------------------------------------------------------------------------------------------
// Evaluation in JavaScript (the memory store; the SQL stores compile the same plans)
// ---------------------------------------------------------------------------------------------

/** What an account offers a JavaScript evaluation. */
export interface Facts {
  /** The account's values of a descriptive field (several for customer group and sales area). */
  readonly attribute: (name: Attribute) => ReadonlyArray<string>
  readonly metric: (metric: Metric) => number | string | null
}

/** The score of a metric value. */
export const scoreOf = (score: Score, value: number | string | null): number => {
  if (value === null) return 1
  for (const [threshold, points] of score.steps) if (value >= threshold) return points
  return 1
}

/** The value of `value` for an account. */
export const valueFor = (value: Value, facts: Facts): number | string | null =>
  "metric" in value ? facts.metric(value.metric) : scoreOf(value.score, facts.metric(value.score.metric))

const compare = (a: number | string, op: Comparison, b: number | string): boolean => {
  switch (op) {
    case "eq":
      return a === b
    case "gt":
      return a > b
    case "gte":
      return a >= b
    case "lt":
      return a < b
    case "lte":
      return a <= b
  }
}

/** Does the plan hold for the account? */
export const evaluate = (p: Plan, facts: Facts): boolean => {
  if ("all" in p) return p.all.every((q) => evaluate(q, facts))
  if ("any" in p) return p.any.some((q) => evaluate(q, facts))
  if ("attribute" in p) {
    const has = facts.attribute(p.attribute).some((v) => p.values.includes(v))
    return p.negate ? !has : has
  }
  if ("compare" in p) {
    const v = valueFor(p.compare, facts)
    return v !== null && compare(v, p.op, p.to)
  }
  if ("missing" in p) return facts.metric(p.missing) === null
  const metric = Number(facts.metric(p.ratioBelow.metric) ?? 0)
  const baseline = Number(facts.metric(p.ratioBelow.baseline) ?? 0)
  return baseline >= p.ratioBelow.minBaseline && metric * 100 < p.ratioBelow.percent * baseline
}

/**
 * A metric of one account from its activities and opportunities (every one of the account,
 * visible to the reader): the definition the SQL stores implement.
 */
export const metricOf = (
  metric: Metric,
  activities: ReadonlyArray<Activity>,
  opportunities: ReadonlyArray<Opportunity>
): number | string | null => {
  const won = (fromDate: string | undefined, toDate: string) =>
    opportunities.filter(
      (o) =>
        o.status === "won" &&
        o.expectedCloseDate !== undefined &&
        o.expectedCloseDate <= toDate &&
        (fromDate === undefined || o.expectedCloseDate > fromDate)
    )
  switch (metric.kind) {
    case "activities":
      return activities.filter((a) => a.status === "completed" && a.at > metric.from && a.at <= metric.to).length
    case "lastContact": {
      let last: string | null = null
      for (const a of activities) {
        if (a.status === "completed" && contactKinds.includes(a.kind) && a.at <= metric.to && (last === null || a.at > last)) last = a.at
      }
      return last
    }
    case "wonCount":
      return won(metric.fromDate, metric.toDate).length
    case "wonCents":
      return won(metric.fromDate, metric.toDate)
        .filter((o) => o.currency === metric.currency && o.amount !== undefined)
        .reduce((sum, o) => sum + Math.round((o.amount ?? 0) * 100), 0)
    case "lastWon": {
      let last: string | null = null
      for (const o of won(undefined, metric.toDate)) if (last === null || o.expectedCloseDate! > last) last = o.expectedCloseDate!
      return last
    }
  }
}
