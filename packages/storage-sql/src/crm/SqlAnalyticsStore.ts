/**
 * The `AnalyticsStore` port of `@partnerkit/crm` on an `@effect/sql` `SqlClient`: each analytic
 * is one `GROUP BY` statement, and only its aggregates reach JavaScript. `SqlCrmStore.make` adds
 * it to the CRM ports.
 *
 * Visibility is part of each query, as for the pipeline (`AccountAccess.aggregateVisible`):
 * under an assigned scope the engine reads only the rows of the customers in scope (and of
 * visible prospects). Every query reads a covering index: the pipeline by stage
 * `crm_opportunities_pipeline` (tenant, status, close date, every figure); the funnel and the
 * sales cycle `crm_opportunities_by_close` with one probe per opportunity into
 * `crm_opportunity_history_stages`; the activity statistics `crm_activities_by_time` (all three
 * migration 8); the 360° figures `crm_opportunities_pipeline_by_customer`.
 *
 * @internal
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type { Activity, AnalyticsStoreShape, Opportunity } from "@partnerkit/crm"
import { Effect } from "effect"
import type { Dialect } from "../Dialect.js"
import { storageError } from "../internal/Errors.js"
import * as Reads from "../internal/Reads.js"
import { all } from "../internal/Statements.js"
import * as AccountAccess from "./internal/AccountAccess.js"

type Row = Record<string, unknown>

const n = (value: unknown) => Number(value ?? 0)

export const make = (
  dialect: Dialect,
  sql: SqlClient.SqlClient,
  reader: SqlClient.SqlClient,
  reads: Reads.Reads = Reads.make(undefined)
): AnalyticsStoreShape => {
  const select = Reads.query(reads, reader)
  const access = AccountAccess.make(sql)
  const { col, aggregateVisible, customerRestriction } = access
  const postgres = dialect.name === "postgres"
  /** Whole days from the UTC date of the creation (`c.created`) to the close date, never negative. */
  const cycleDays = postgres
    ? "GREATEST(0, CAST(c.close_date AS date) - CAST(substr(c.created, 1, 10) AS date))"
    : "max(0, CAST(julianday(c.close_date) - julianday(substr(c.created, 1, 10)) AS INTEGER))"

  const statuses = (values: ReadonlyArray<string>) => sql`o2.status IN ${sql.in([...values])}`

  return {
    stagePipeline: (query) => {
      const priced = "o2.amount_cents IS NOT NULL AND o2.currency IS NOT NULL"
      return select<Row>`SELECT o2.stage AS stage, ${col(`CASE WHEN ${priced} THEN o2.currency END`)} AS currency, COUNT(*) AS n,
          SUM(${col(`CASE WHEN ${priced} THEN o2.amount_cents ELSE 0 END`)}) AS amount,
          SUM(${col(`CASE WHEN ${priced} THEN o2.amount_cents * o2.probability ELSE 0 END`)}) AS weighted
        FROM crm_opportunities o2 WHERE ${all(sql, [
          sql`o2.tenant = ${query.tenant}`,
          sql`o2.status = 'open'`,
          query.closeFrom === undefined ? undefined : sql`o2.close_date >= ${query.closeFrom}`,
          query.closeTo === undefined ? undefined : sql`o2.close_date <= ${query.closeTo}`,
          query.owner === undefined ? undefined : sql`o2.owner = ${query.owner}`,
          query.territory === undefined ? undefined : sql`o2.territory = ${query.territory}`,
          query.salesArea === undefined ? undefined : sql`o2.sales_area = ${query.salesArea}`,
          aggregateVisible(query.tenant, query.visibility, "o2")
        ])}
        GROUP BY o2.stage, ${col(`CASE WHEN ${priced} THEN o2.currency END`)}`.pipe(
        Effect.map((rows) =>
          rows.map((r) => ({
            stage: String(r.stage),
            currency: r.currency === null || r.currency === undefined ? null : String(r.currency),
            count: n(r.n),
            amountCents: n(r.amount),
            weightedCentPercents: n(r.weighted)
          }))
        ),
        storageError("AnalyticsStore.stagePipeline")
      )
    },
    funnel: (query) => {
      const positions = sql.join(" ", false)(query.stages.map((stage, i) => sql`WHEN ${stage} THEN ${sql.literal(String(i))}`))
      // `|| ''` keeps SQLite from walking the owner index for the grouping's order instead of
      // reading the period from the pipeline index.
      const owner = query.byOwner ? sql`o2.owner || ''` : sql`''`
      // The history is probed per opportunity (a correlated subquery on its primary key), so the
      // engine is driven from the opportunities of the period, never from the tenant's history.
      return select<Row>`SELECT f.owner AS owner, f.status AS status, f.furthest AS furthest, COUNT(*) AS n FROM (
          SELECT ${owner} AS owner, o2.status AS status,
            COALESCE((SELECT MAX(CASE h.stage ${positions} ELSE -1 END) FROM crm_opportunity_history h
              WHERE h.tenant = o2.tenant AND h.opportunity_id = o2.id AND h.seq > 0), -1) AS furthest
          FROM crm_opportunities o2
          WHERE ${all(sql, [
            sql`o2.tenant = ${query.tenant}`,
            sql`o2.status IN ('open', 'won', 'lost')`,
            sql`o2.close_date >= ${query.closeFrom}`,
            sql`o2.close_date <= ${query.closeTo}`,
            query.owner === undefined ? undefined : sql`o2.owner = ${query.owner}`,
            aggregateVisible(query.tenant, query.visibility, "o2")
          ])}
        ) f GROUP BY f.owner, f.status, f.furthest`.pipe(
        Effect.map((rows) =>
          rows.map((r) => ({
            owner: String(r.owner ?? ""),
            status: String(r.status) as Opportunity.Status,
            furthest: n(r.furthest),
            count: n(r.n)
          }))
        ),
        storageError("AnalyticsStore.funnel")
      )
    },
    salesCycles: (query) =>
      // The creation time is the earliest history entry's, probed per opportunity (a correlated
      // subquery over its history key, answered from the covering stages index).
      select<Row>`SELECT d.days AS days, COUNT(*) AS n FROM (
          SELECT ${col(cycleDays)} AS days FROM (
            SELECT o2.close_date AS close_date,
              (SELECT MIN(h.at) FROM crm_opportunity_history h WHERE h.tenant = o2.tenant AND h.opportunity_id = o2.id AND h.seq > 0) AS created
            FROM crm_opportunities o2
            WHERE ${all(sql, [
              sql`o2.tenant = ${query.tenant}`,
              sql`o2.status = 'won'`,
              sql`o2.close_date >= ${query.closeFrom}`,
              sql`o2.close_date <= ${query.closeTo}`,
              query.owner === undefined ? undefined : sql`o2.owner = ${query.owner}`,
              aggregateVisible(query.tenant, query.visibility, "o2")
            ])}
          ) c WHERE c.created IS NOT NULL
        ) d GROUP BY d.days`.pipe(
        Effect.map((rows) => rows.map((r) => ({ days: n(r.days), count: n(r.n) }))),
        storageError("AnalyticsStore.salesCycles")
      ),
    activityStats: (query) =>
      // `|| ''` keeps SQLite from walking the follow-ups index (tenant, owner, …) for the grouping's
      // order — a lookup of every activity of the tenant — instead of the period's range of the time index.
      select<Row>`SELECT a.owner || '' AS owner, a.kind AS kind, a.status AS status, COUNT(*) AS n,
          SUM(CASE WHEN a.status = 'open' AND a.due_at < ${query.asOf} THEN 1 ELSE 0 END) AS overdue
        FROM crm_activities a WHERE ${all(sql, [
          sql`a.tenant = ${query.tenant}`,
          sql`a.at >= ${query.from}`,
          sql`a.at < ${query.to}`,
          query.owner === undefined ? undefined : sql`a.owner = ${query.owner}`,
          aggregateVisible(query.tenant, query.visibility, "a")
        ])}
        GROUP BY a.owner || '', a.kind, a.status`.pipe(
        Effect.map((rows) =>
          rows.map((r) => ({
            owner: String(r.owner),
            // Unknown values (written by a later version) are dropped by the service.
            kind: String(r.kind) as Activity.Kind,
            status: String(r.status) as Activity.Status,
            count: n(r.n),
            overdue: n(r.overdue)
          }))
        ),
        storageError("AnalyticsStore.activityStats")
      ),
    accountSales: (query) =>
      select<Row>`SELECT o2.status AS status, o2.currency AS currency, COUNT(*) AS n, SUM(o2.amount_cents) AS amount,
          SUM(o2.amount_cents * o2.probability) AS weighted
        FROM crm_opportunities o2 WHERE ${all(sql, [
          sql`o2.tenant = ${query.tenant}`,
          sql`o2.customer_number = ${query.customerNumber}`,
          statuses(["open", "won"]),
          sql`(o2.status = 'open' OR (o2.close_date >= ${query.wonFrom} AND o2.close_date <= ${query.wonTo}))`,
          sql`o2.amount_cents IS NOT NULL`,
          sql`o2.currency IS NOT NULL`,
          // The customer is given: its visibility alone (no prospect branch, so the by-customer index covers the query).
          customerRestriction(query.visibility, "o2")
        ])}
        GROUP BY o2.status, o2.currency`.pipe(
        Effect.map((rows) =>
          rows.map((r) => ({
            status: r.status === "won" ? ("won" as const) : ("open" as const),
            currency: String(r.currency),
            count: n(r.n),
            amountCents: n(r.amount),
            weightedCentPercents: n(r.weighted)
          }))
        ),
        storageError("AnalyticsStore.accountSales")
      )
  }
}
