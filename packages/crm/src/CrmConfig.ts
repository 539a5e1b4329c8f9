/**
 * The CRM configuration of one tenant, as data validated once at start: the visibility rule the
 * company chooses (own accounts, the team's, the territory's, or all), who is exempt from it, the
 * teams and territories with their members, and the follow-up window. Start from `preset` and
 * adjust it.
 *
 * The rule narrows what core's authorization already allows: an actor sees an account only when
 * core lets it see the customer (its authorization group) AND the rule lets it see the account.
 * - `own`: accounts the actor owns;
 * - `team`: accounts the actor owns or whose team has the actor as a member;
 * - `territory`: accounts the actor owns or whose territory has the actor as a member;
 * - `all`: every account core lets the actor see.
 * Users in `unrestrictedUsers` (sales managers, service desks) see every account core lets them
 * see. An account without an ownership is visible under `all` (and to unrestricted users) only.
 *
 * @example
 * ```ts
 * import { CrmConfig } from "@partnerkit/crm"
 *
 * const config = CrmConfig.makeOrThrow({
 *   ...CrmConfig.preset("team"),
 *   teams: { NORTH: { name: "Sales North", members: ["li.na", "bo"] } },
 *   visibility: { rule: "team", unrestrictedUsers: ["sales.manager"] }
 * })
 * ```
 * @module
 */
import { Actor } from "@partnerkit/core"
import { Context, Effect, Either, Layer } from "effect"
import { z } from "zod"
import * as AnalyticsConfig from "./AnalyticsConfig.js"
import * as BehaviourConfig from "./BehaviourConfig.js"
import { InvalidCrmConfig } from "./CrmErrors.js"
import type { AccountScope, AccountVisibility } from "./Ownership.js"
import { allAccounts } from "./Ownership.js"
import * as SalesConfig from "./SalesConfig.js"
import * as ServiceConfig from "./ServiceConfig.js"

const id = z.string().trim().min(1).max(20)
const user = z.string().trim().min(1).max(64)

export const VisibilityRule = z.enum(["own", "team", "territory", "all"])
/** Which accounts a user sees (within what core's authorization allows). */
export type VisibilityRule = z.infer<typeof VisibilityRule>

export const Group = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    /** User ids. */
    members: z.array(user)
  })
  .strict()
/** A team or a territory: a name and its members. */
export type Group = z.infer<typeof Group>

export const CrmConfigSchema = z
  .object({
    /** Default: the `team` rule, nobody exempt. */
    visibility: z
      .object({
        rule: VisibilityRule,
        /** Users who see every account core lets them see, whatever the rule. */
        unrestrictedUsers: z.array(user).default([])
      })
      .strict()
      .default({ rule: "team", unrestrictedUsers: [] }),
    teams: z.record(id, Group).default({}),
    territories: z.record(id, Group).default({}),
    followUps: z
      .object({
        /** An open activity due within this many hours after `asOf` is "due soon". Default 48. */
        dueSoonHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 366)
          .default(48)
      })
      .strict()
      .default({ dueSoonHours: 48 }),
    /** Lead scoring, assignment rules and disqualification reasons (see `SalesConfig`). Default: `SalesConfig.presetLeads()`. */
    leads: SalesConfig.LeadsConfig.default(SalesConfig.presetLeads),
    /** The sales methodology: opportunity stages and close reasons (see `SalesConfig`). Default: `SalesConfig.presetMethodology()`. */
    sales: SalesConfig.SalesMethodology.default(SalesConfig.presetMethodology),
    /** Tickets and SLAs: statuses, priorities, categories, calendars, SLA profiles, escalation (see `ServiceConfig`). Default: `ServiceConfig.preset`. */
    service: ServiceConfig.ServiceConfigSchema.default(() => structuredClone(ServiceConfig.preset)),
    /** RFM breakpoints and the reporting currency (see `BehaviourConfig`). Default: `BehaviourConfig.presetRfm()`. */
    rfm: BehaviourConfig.RfmConfig.default(BehaviourConfig.presetRfm),
    /** The churn-risk rules (see `BehaviourConfig`). Default: `BehaviourConfig.presetChurnRisk()`. */
    churnRisk: BehaviourConfig.ChurnRiskConfig.default(BehaviourConfig.presetChurnRisk),
    /** The rules of the analytics: funnel and forecast snapshot (see `AnalyticsConfig`). Default: `AnalyticsConfig.preset()`. */
    analytics: AnalyticsConfig.AnalyticsConfig.default(AnalyticsConfig.preset)
  })
  .strict()

/** What `make` accepts (defaults filled in). */
export type CrmConfigInput = z.input<typeof CrmConfigSchema>
/** A validated CRM configuration. */
export type CrmConfig = z.infer<typeof CrmConfigSchema>

/**
 * A starting point: the given rule (default `team`), no teams or territories yet, follow-ups due
 * within 48 hours, `SalesConfig.preset()` for leads and the sales methodology, and
 * `ServiceConfig.preset` for tickets and SLAs.
 */
export const preset = (rule: VisibilityRule = "team"): CrmConfig => ({
  visibility: { rule, unrestrictedUsers: [] },
  teams: {},
  territories: {},
  followUps: { dueSoonHours: 48 },
  ...SalesConfig.preset(),
  service: structuredClone(ServiceConfig.preset),
  rfm: BehaviourConfig.presetRfm(),
  churnRisk: BehaviourConfig.presetChurnRisk(),
  analytics: AnalyticsConfig.preset()
})

/** Validates a configuration, reporting every problem with its path. */
export const make = (input: CrmConfigInput): Either.Either<CrmConfig, InvalidCrmConfig> => {
  const result = CrmConfigSchema.safeParse(input)
  if (!result.success) {
    return Either.left(
      new InvalidCrmConfig({
        issues: result.error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(config)", message: i.message }))
      })
    )
  }
  const references = SalesConfig.crossCheck(result.data)
  if (references.length > 0) return Either.left(new InvalidCrmConfig({ issues: references }))
  return Either.right(result.data)
}

/** `make`, throwing `InvalidCrmConfig`. */
export const makeOrThrow = (input: CrmConfigInput): CrmConfig => Either.getOrThrowWith(make(input), (e) => e)

/** The configuration the CRM services run with. */
export class Current extends Context.Tag("@partnerkit/crm/CrmConfig")<Current, CrmConfig>() {}

/** Validates `input` (failing the layer with `InvalidCrmConfig`) and provides it as `Current`. */
export const layer = (input: CrmConfigInput | CrmConfig): Layer.Layer<Current, InvalidCrmConfig> =>
  Layer.effect(
    Current,
    Effect.suspend(() => make(input))
  )

const membership = (groups: Readonly<Record<string, Group>>, userId: string) =>
  Object.entries(groups)
    .filter(([, g]) => g.members.includes(userId))
    .map(([k]) => k)
    .sort()

/** The accounts `actor` may see by the CRM rule. */
export const scopeOf = (config: CrmConfig, actor: Actor.Actor): AccountScope => {
  const rule = config.visibility.rule
  if (rule === "all" || config.visibility.unrestrictedUsers.includes(actor.userId)) return allAccounts
  return {
    kind: "assigned",
    owner: actor.userId,
    teams: rule === "team" ? membership(config.teams, actor.userId) : [],
    territories: rule === "territory" ? membership(config.territories, actor.userId) : []
  }
}

/** Core's visibility of `actor` and its CRM scope, as the stores take it. */
export const visibilityOf = (config: CrmConfig, actor: Actor.Actor): AccountVisibility => ({
  groups: Actor.visibility(actor),
  scope: scopeOf(config, actor)
})
