/**
 * Who is calling. Every operation carries an actor: the user, the tenant, the authorization
 * groups whose data the user may see, the company codes and sales organisations the user may
 * maintain, and the activities the user may perform (SAP: authorization objects F_KNA1_BED and
 * V_KNA1_BRG for authorization groups, F_KNA1_BUK for company codes, V_KNA1_VKO for sales
 * organisations, and the activity field ACTVT they all carry).
 *
 * `"*"` grants everything of its kind. A view without an authorization group is visible to every
 * actor of the tenant.
 *
 * @example
 * ```ts
 * import { Actor } from "@partnerkit/core"
 *
 * const assistant = Actor.make({
 *   userId: "li.na",
 *   tenant: "acme",
 *   authorizationGroups: ["F011"],
 *   companyCodes: ["F011"],
 *   salesOrganizations: ["F011"],
 *   activities: ["create", "change", "display"]
 * })
 * const admin = Actor.superUser("acme", "admin")
 * ```
 * @module
 */
import { z } from "zod"

export const Activity = z.enum(["create", "change", "display", "block", "delete"])
/** What an actor may do: create, change, display, block / unblock, set / clear deletion flags. */
export type Activity = z.infer<typeof Activity>

const grant = z.union([z.literal("*"), z.array(z.string().min(1))])

export const ActorSchema = z
  .object({
    userId: z.string().min(1),
    tenant: z.string().min(1),
    authorizationGroups: grant,
    companyCodes: grant,
    salesOrganizations: grant,
    activities: z.union([z.literal("*"), z.array(Activity)])
  })
  .strict()

/** The caller of an operation. */
export type Actor = z.infer<typeof ActorSchema>

/** Validates and returns an actor (throws a `ZodError` on a malformed one). */
export const make = (input: Actor): Actor => ActorSchema.parse(input)

/** An actor with every authorization in `tenant`: for migrations, scripts and tests. */
export const superUser = (tenant: string, userId = "system"): Actor => ({
  userId,
  tenant,
  authorizationGroups: "*",
  companyCodes: "*",
  salesOrganizations: "*",
  activities: "*"
})

/**
 * What a store may return to an actor: views whose authorization group is empty or in
 * `authorizationGroups` (`"all"` for no restriction). Stores apply it inside the query.
 */
export interface Visibility {
  readonly authorizationGroups: "all" | ReadonlyArray<string>
}

/** The visibility of an actor. */
export const visibility = (actor: Actor): Visibility => ({
  authorizationGroups: actor.authorizationGroups === "*" ? "all" : actor.authorizationGroups
})

/** No restriction: for the service's own reads (version checks, uniqueness), never returned to a caller. */
export const unrestricted: Visibility = { authorizationGroups: "all" }

/** May `visibility` see a view with `group`? */
export const canSeeGroup = (v: Visibility, group: string | null | undefined): boolean =>
  group === undefined || group === null || v.authorizationGroups === "all" || v.authorizationGroups.includes(group)

const has = (granted: "*" | ReadonlyArray<string>, value: string) => granted === "*" || granted.includes(value)

export const mayPerform = (actor: Actor, activity: Activity): boolean => has(actor.activities, activity)
export const mayMaintainCompanyCode = (actor: Actor, companyCode: string): boolean => has(actor.companyCodes, companyCode)
export const mayMaintainSalesOrganization = (actor: Actor, salesOrganization: string): boolean =>
  has(actor.salesOrganizations, salesOrganization)
export const mayUseGroup = (actor: Actor, group: string): boolean => has(actor.authorizationGroups, group)
