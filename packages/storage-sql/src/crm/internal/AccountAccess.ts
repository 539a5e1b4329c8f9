/**
 * What the SQL CRM stores share: the CRM visibility of an account as SQL predicates (a customer
 * is visible when it exists, its general authorization group is allowed and its ownership row is
 * in the CRM scope; a prospect when its own group and assignment are), and the optimistic write
 * of a versioned record. One definition, so that every CRM read path judges visibility alike.
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import { Errors } from "@partnerkit/core"
import type { Ownership } from "@partnerkit/crm"
import { Effect } from "effect"
import type { Row } from "../../internal/Rows.js"
import { all } from "../../internal/Statements.js"
import { visibleGroup } from "../../internal/Visibility.js"

export const make = (sql: SqlClient.SqlClient) => {
  const col = (name: string) => sql.literal(name)

  /** `owner = … OR team IN … OR territory IN …` over the given columns; `undefined` for the `all` scope. */
  const inScope = (scope: Ownership.AccountScope, owner: string, team: string, territory: string): Fragment | undefined => {
    if (scope.kind === "all") return undefined
    const parts: Array<Fragment> = [sql`${col(owner)} = ${scope.owner}`]
    if (scope.teams.length > 0) parts.push(sql`${col(team)} IN ${sql.in([...scope.teams])}`)
    if (scope.territories.length > 0) parts.push(sql`${col(territory)} IN ${sql.in([...scope.territories])}`)
    return sql`(${sql.or(parts)})`
  }

  const unrestricted = (v: Ownership.AccountVisibility) => v.scope.kind === "all" && v.groups.authorizationGroups === "all"

  /** The customer in `alias.tenant` / `alias.customer_number` is visible. */
  const customerVisible = (v: Ownership.AccountVisibility, alias: string): Fragment => {
    const tenant = col(`${alias}.tenant`)
    const number = col(`${alias}.customer_number`)
    const exists = sql`EXISTS (SELECT 1 FROM customers c WHERE ${all(sql, [
      sql`c.tenant = ${tenant}`,
      sql`c.number = ${number}`,
      visibleGroup(sql, "c.authorization_group", v.groups)
    ])})`
    const scope = inScope(v.scope, "o.owner", "o.team", "o.territory")
    if (scope === undefined) return exists
    return sql`${exists} AND EXISTS (SELECT 1 FROM crm_account_owners o WHERE o.tenant = ${tenant} AND o.customer_number = ${number} AND ${scope})`
  }

  /** `customerVisible`, or `undefined` when nothing is restricted (the predicate would always hold for existing customers). */
  const customerRestriction = (v: Ownership.AccountVisibility, alias: string): Fragment | undefined =>
    unrestricted(v) ? undefined : customerVisible(v, alias)

  /** The prospect in `alias.tenant` / `alias.prospect_id` is visible. */
  const prospectVisible = (v: Ownership.AccountVisibility, alias: string): Fragment =>
    sql`EXISTS (SELECT 1 FROM crm_prospects p WHERE ${all(sql, [
      sql`p.tenant = ${col(`${alias}.tenant`)}`,
      sql`p.id = ${col(`${alias}.prospect_id`)}`,
      visibleGroup(sql, "p.authorization_group", v.groups),
      inScope(v.scope, "p.owner", "p.team", "p.territory")
    ])})`

  /** A row `alias` with `customer_number` / `prospect_id` belongs to a visible account; `undefined` when nothing is restricted. */
  const accountVisible = (v: Ownership.AccountVisibility, alias: string): Fragment | undefined => {
    if (unrestricted(v)) return undefined
    const customer = col(`${alias}.customer_number`)
    return sql`((${customer} IS NOT NULL AND ${customerVisible(v, alias)})
      OR (${customer} IS NULL AND ${prospectVisible(v, alias)}))`
  }

  /**
   * `accountVisible` for aggregates. Under an assigned scope the customers in scope are few: the
   * predicate is driven from the ownership indexes (`customer_number IN (owned and visible
   * customers)`), so the engine reads only their rows instead of probing every row of the
   * tenant. Otherwise it is `accountVisible`.
   */
  const aggregateVisible = (tenant: string, v: Ownership.AccountVisibility, alias: string): Fragment | undefined => {
    if (v.scope.kind === "all") return accountVisible(v, alias)
    const owned = sql`SELECT o.customer_number FROM crm_account_owners o JOIN customers c ON c.tenant = o.tenant AND c.number = o.customer_number
      WHERE ${all(sql, [
        // The tenant as a value, not the outer row's: an uncorrelated subquery is evaluated once.
        sql`o.tenant = ${tenant}`,
        inScope(v.scope, "o.owner", "o.team", "o.territory"),
        visibleGroup(sql, "c.authorization_group", v.groups)
      ])}`
    return sql`(${col(`${alias}.customer_number`)} IN (${owned})
      OR (${col(`${alias}.customer_number`)} IS NULL AND ${prospectVisible(v, alias)}))`
  }

  /** Insert when `expected` is null, else update from that version; `VersionConflict` otherwise (nothing written). */
  const versionedWrite = (table: string, keyColumns: ReadonlyArray<string>, id: string, row: Row, expected: number | null) =>
    Effect.gen(function* () {
      const key = all(
        sql,
        keyColumns.map((k) => sql`${col(k)} = ${row[k] as string}`)
      )
      const written =
        expected === null
          ? yield* sql`INSERT INTO ${sql(table)} ${sql.insert(row)} ON CONFLICT (${sql.literal(keyColumns.join(", "))}) DO NOTHING RETURNING version`
          : yield* sql`UPDATE ${sql(table)} SET ${sql.update(row, [...keyColumns])} WHERE ${key} AND version = ${expected} RETURNING version`
      if (written.length > 0) return
      const stored = yield* sql<{ readonly version: unknown }>`SELECT version FROM ${sql(table)} WHERE ${key}`
      return yield* Effect.fail(
        new Errors.VersionConflict({ number: id, expected: expected ?? 0, actual: Number(stored[0]?.version ?? 0) })
      )
    })

  return {
    col,
    inScope,
    unrestricted,
    customerVisible,
    customerRestriction,
    prospectVisible,
    accountVisible,
    aggregateVisible,
    versionedWrite
  }
}
