/**
 * `Visibility` as a SQL predicate: a view is visible when its authorization group is empty or one
 * the actor may see.
 */
import type { SqlClient } from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import type { Actor } from "@partnerkit/core"

/** Is `visibility` a restriction at all? */
export const restricted = (visibility: Actor.Visibility): visibility is { readonly authorizationGroups: ReadonlyArray<string> } =>
  visibility.authorizationGroups !== "all"

/**
 * The predicate "`expression` (an authorization group) is visible", or `undefined` when
 * `visibility` hides nothing. `expression` is trusted SQL (a column or a `CASE`), never input.
 */
export const visibleGroup = (sql: SqlClient, expression: string, visibility: Actor.Visibility): Fragment | undefined => {
  if (!restricted(visibility)) return undefined
  const groups = [...new Set(visibility.authorizationGroups)]
  const e = sql.literal(expression)
  return groups.length === 0 ? sql`${e} IS NULL` : sql`(${e} IS NULL OR ${e} IN ${sql.in(groups)})`
}
