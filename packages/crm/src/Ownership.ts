/**
 * Who owns an account, and what an actor may see of the CRM. Every customer account can have one
 * ownership: an owner (a user id), optionally a team and a territory. The company's CRM rule
 * (`CrmConfig`: own accounts, the team's, the territory's, or all) turns an actor into an
 * `AccountScope`; stores apply it, together with core's authorization-group `Visibility`, inside
 * their queries as an `AccountVisibility`.
 *
 * @example
 * ```ts
 * import { Ownership } from "@partnerkit/crm"
 *
 * const scope: Ownership.AccountScope = { kind: "assigned", owner: "li.na", teams: ["NORTH"], territories: [] }
 * const sees = Ownership.inScope(scope, { owner: "bo", team: "NORTH" }) // true: Li Na's team owns it
 * ```
 * @module
 */
import type { Actor } from "@partnerkit/core"
import { z } from "zod"

const code = (max: number) => z.string().trim().min(1).max(max)

/** The owner, team and territory of an account (fields shared by prospects and customer accounts). */
export const Assignment = z
  .object({
    /** The user id of the account owner. */
    owner: code(64),
    /** A team id of `CrmConfig.teams`. */
    team: code(20).optional(),
    /** A territory id of `CrmConfig.territories`. */
    territory: code(20).optional()
  })
  .strict()
export type Assignment = z.infer<typeof Assignment>

export const Ownership = Assignment.extend({
  tenant: z.string(),
  /** The customer the ownership belongs to. */
  customerNumber: z.string(),
  /** Incremented by every write. */
  version: z.number().int().positive(),
  changedBy: z.string(),
  changedAt: z.string()
})
/** The ownership of one customer account. */
export type Ownership = z.infer<typeof Ownership>

/**
 * Which accounts the CRM rule lets an actor see: all of them, or those assigned to the actor as
 * owner, to one of `teams`, or to one of `territories`. An account without an ownership is in
 * the `"all"` scope only.
 */
export type AccountScope =
  | { readonly kind: "all" }
  | {
      readonly kind: "assigned"
      readonly owner: string
      readonly teams: ReadonlyArray<string>
      readonly territories: ReadonlyArray<string>
    }

/** No CRM restriction (for the services' own reads, and for users the configuration exempts). */
export const allAccounts: AccountScope = { kind: "all" }

/**
 * What a CRM store may return: records of accounts whose authorization group `groups` allows
 * (core's rule: the customer's general view; a prospect's own group) AND whose ownership is in
 * `scope`.
 */
export interface AccountVisibility {
  readonly groups: Actor.Visibility
  readonly scope: AccountScope
}

/** No restriction at all: for the services' own reads, never returned to a caller. */
export const unrestricted: AccountVisibility = { groups: { authorizationGroups: "all" }, scope: allAccounts }

/** Is an account with this assignment (or none: `undefined`) in `scope`? */
export const inScope = (scope: AccountScope, assignment: Partial<Assignment> | undefined): boolean => {
  if (scope.kind === "all") return true
  if (assignment === undefined) return false
  return (
    assignment.owner === scope.owner ||
    (assignment.team !== undefined && scope.teams.includes(assignment.team)) ||
    (assignment.territory !== undefined && scope.territories.includes(assignment.territory))
  )
}

/** Is `visibility` no restriction at all? */
export const isUnrestricted = (visibility: AccountVisibility): boolean =>
  visibility.scope.kind === "all" && visibility.groups.authorizationGroups === "all"
