/**
 * The `AccountBehaviourStore` and `SegmentStore` ports of `@partnerkit/crm` on an `@effect/sql`
 * `SqlClient` (tables of migration 9, `crm_segments`). `SqlCrmStore.make` adds them to the CRM
 * ports.
 *
 * A `SegmentRule.Plan` is compiled into one `WHERE` clause over `customers c`, every value a
 * bound parameter: descriptive fields are the customer's columns (customer group and sales area
 * an `EXISTS` over the visible sales-area views), each behavioural metric a correlated scalar
 * subquery over one account's range of `crm_activities_behaviour` or
 * `crm_opportunities_pipeline_by_customer`. Visibility is part of the same statement (the
 * customer's general authorization group, the ownership row in the CRM scope); pages are keyset
 * pages on the customer number. The RFM grid (a distribution over won business only) aggregates
 * the tenant's won opportunities once per account and joins that to the visible customers; any
 * other distribution computes each account's figures once in a subquery the engines do not
 * flatten (it carries a `LIMIT`), then groups by their scores.
 *
 * @internal
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import {
  type AccountBehaviourStoreShape,
  Activity,
  type Campaign,
  type ContactPreference,
  type DistributionQuery,
  type Ownership,
  type Segment,
  type SegmentRule,
  type SegmentStoreShape
} from "@partnerkit/crm"
import { Effect, Option } from "effect"
import type { Dialect } from "../Dialect.js"
import { storageError } from "../internal/Errors.js"
import * as Reads from "../internal/Reads.js"
import { all, insertRows } from "../internal/Statements.js"
import type * as Transaction from "../internal/Transaction.js"
import { visibleGroup } from "../internal/Visibility.js"
import { salesExpressions } from "../migrations/crm_sales.js"
import * as AccountAccess from "./internal/AccountAccess.js"

type Row = Record<string, unknown>

const comparison: Record<SegmentRule.Comparison, string> = { eq: "=", gt: ">", gte: ">=", lt: "<", lte: "<=" }
const columnOf = { country: "c.country", region: "c.region", industry: "c.industry", accountGroup: "c.account_group" } as const
/** Larger than any tenant: keeps the engines from flattening the subquery it closes. */
const noLimit = 1_000_000_000_000

const wonKinds = new Set<SegmentRule.Metric["kind"]>(["wonCount", "wonCents", "lastWon"])

const numeric = (kind: SegmentRule.Metric["kind"]) => kind === "activities" || kind === "wonCount" || kind === "wonCents"

/** The behaviour and segment ports over `sql` (writes, in `tx`) and `reader` (reads outside a transaction). */
export const make = (
  dialect: Dialect,
  sql: SqlClient.SqlClient,
  reader: SqlClient.SqlClient,
  tx: Transaction.Transactions,
  reads: Reads.Reads = Reads.make(undefined)
): { readonly behaviour: AccountBehaviourStoreShape; readonly segments: SegmentStoreShape } => {
  const select = Reads.query(reads, reader)
  const access = AccountAccess.make(sql)
  const { inScope, customerRestriction, accountVisible, versionedWrite } = access
  const { field } = salesExpressions(dialect)
  const decode = <A>(row: Row): A => dialect.decodeJson(row.record) as A
  const decodeAll = <A>(rows: ReadonlyArray<Row>): Array<A> => rows.map((r) => decode<A>(r))
  const contactKinds = [...Activity.contactKinds]

  // -------------------------------------------------------------------------------------------
  // Behaviour: plans compiled to SQL
  // -------------------------------------------------------------------------------------------

  /** A metric of the customer `c`, as a correlated scalar subquery. */
  const metricSql = (tenant: string, m: SegmentRule.Metric): Fragment => {
    const activity = sql`a.tenant = ${tenant} AND a.customer_number = c.number AND a.status = 'completed'`
    const won = sql`o.tenant = ${tenant} AND o.customer_number = c.number AND o.status = 'won'`
    switch (m.kind) {
      case "activities":
        return sql`(SELECT COUNT(*) FROM crm_activities a WHERE ${activity} AND a.at > ${m.from} AND a.at <= ${m.to})`
      case "lastContact":
        return sql`(SELECT MAX(a.at) FROM crm_activities a WHERE ${activity} AND a.at <= ${m.to} AND a.kind IN ${sql.in(contactKinds)})`
      case "wonCount":
        return sql`(SELECT COUNT(*) FROM crm_opportunities o WHERE ${won} AND o.close_date > ${m.fromDate} AND o.close_date <= ${m.toDate})`
      case "wonCents":
        return sql`(SELECT COALESCE(SUM(o.amount_cents), 0) FROM crm_opportunities o WHERE ${won}
          AND o.close_date > ${m.fromDate} AND o.close_date <= ${m.toDate} AND o.currency = ${m.currency})`
      case "lastWon":
        return sql`(SELECT MAX(o.close_date) FROM crm_opportunities o WHERE ${won} AND o.close_date <= ${m.toDate})`
    }
  }

  /** `CASE` over an expression of the metric: the score of the first step reached, else 1. */
  const scoreSql = (expression: Fragment, score: SegmentRule.Score): Fragment => {
    const steps = score.steps.map(([threshold, points]) => sql`WHEN ${expression} >= ${threshold} THEN ${sql.literal(String(points))}`)
    return sql`(CASE ${sql.join(" ", false)(steps)} ELSE 1 END)`
  }

  const valueSql = (tenant: string, v: SegmentRule.Value): Fragment =>
    "metric" in v ? metricSql(tenant, v.metric) : scoreSql(metricSql(tenant, v.score.metric), v.score)

  const salesAreaExists = (tenant: string, v: Ownership.AccountVisibility, condition: Fragment) =>
    sql`EXISTS (SELECT 1 FROM sales_area_views s WHERE ${all(sql, [
      sql`s.tenant = ${tenant}`,
      sql`s.customer_number = c.number`,
      condition,
      visibleGroup(sql, "s.authorization_group", v.groups)
    ])})`

  const compile = (tenant: string, v: Ownership.AccountVisibility, p: SegmentRule.Plan): Fragment => {
    if ("all" in p) return p.all.length === 0 ? sql`1 = 1` : sql`(${sql.and(p.all.map((q) => compile(tenant, v, q)))})`
    if ("any" in p) return p.any.length === 0 ? sql`1 = 0` : sql`(${sql.or(p.any.map((q) => compile(tenant, v, q)))})`
    if ("attribute" in p) {
      const values = [...p.values]
      if (p.attribute === "customerGroup" || p.attribute === "salesArea") {
        const condition =
          p.attribute === "customerGroup"
            ? sql`s.customer_group IN ${sql.in(values)}`
            : sql`(${sql.or(
                values.map((key) => {
                  const [org, channel, division] = key.split("/")
                  return sql`(s.sales_organization = ${org ?? ""} AND s.distribution_channel = ${channel ?? ""} AND s.division = ${division ?? ""})`
                })
              )})`
        const exists = salesAreaExists(tenant, v, condition)
        return p.negate ? sql`NOT ${exists}` : exists
      }
      const column = sql.literal(columnOf[p.attribute])
      return p.negate ? sql`(${column} IS NULL OR ${column} NOT IN ${sql.in(values)})` : sql`${column} IN ${sql.in(values)}`
    }
    if ("compare" in p) return sql`${valueSql(tenant, p.compare)} ${sql.literal(comparison[p.op])} ${p.to}`
    if ("missing" in p) return sql`${metricSql(tenant, p.missing)} IS NULL`
    const { metric, baseline, percent, minBaseline } = p.ratioBelow
    const b = metricSql(tenant, baseline)
    return sql`(${metricSql(tenant, metric)} * 100 < ${percent} * ${b} AND ${b} >= ${minBaseline})`
  }

  /** The customers `c` of the tenant visible to `v` (and matching `where`). */
  const accountFilter = (
    tenant: string,
    v: Ownership.AccountVisibility,
    where: SegmentRule.Plan | undefined,
    extra: ReadonlyArray<Fragment | undefined> = [],
    single = false
  ) => {
    const scope = inScope(v.scope, "o.owner", "o.team", "o.territory")
    return all(sql, [
      sql`c.tenant = ${tenant}`,
      ...extra,
      visibleGroup(sql, "c.authorization_group", v.groups),
      // Under an assigned scope the accounts come from the ownership indexes (by owner, team,
      // territory): a salesperson's segment reads their accounts, not every customer of the tenant.
      // For one account (`single`) its ownership row is checked by key instead: the IN list would
      // be built whole first (a team's thousands of accounts) to test one number.
      scope === undefined
        ? undefined
        : single
          ? sql`EXISTS (SELECT 1 FROM crm_account_owners o WHERE o.tenant = ${tenant} AND o.customer_number = c.number AND ${scope})`
          : sql`c.number IN (SELECT o.customer_number FROM crm_account_owners o WHERE o.tenant = ${tenant} AND ${scope})`,
      where === undefined ? undefined : compile(tenant, v, where)
    ])
  }

  const valueOfRow = (v: SegmentRule.Value, raw: unknown): number | string | null => {
    if (raw === null || raw === undefined) return "score" in v ? 1 : numeric(v.metric.kind) ? 0 : null
    if ("score" in v || numeric(v.metric.kind)) return Number(raw)
    return String(raw)
  }

  /** A won-business metric as an aggregate over the account's won opportunities `o`. */
  const wonAggregate = (m: SegmentRule.Metric): Fragment => {
    switch (m.kind) {
      case "wonCount":
        return sql`COUNT(CASE WHEN o.close_date > ${m.fromDate} AND o.close_date <= ${m.toDate} THEN 1 END)`
      case "wonCents":
        return sql`SUM(CASE WHEN o.close_date > ${m.fromDate} AND o.close_date <= ${m.toDate} AND o.currency = ${m.currency} THEN o.amount_cents ELSE 0 END)`
      case "lastWon":
        return sql`MAX(CASE WHEN o.close_date <= ${m.toDate} THEN o.close_date END)`
      default:
        throw new Error(`not a won-business metric: ${m.kind}`)
    }
  }

  /**
   * The distribution over won-business figures only (the RFM grid) for every visible account: one
   * aggregate of the tenant's won opportunities per account, joined to the customers, instead of
   * a correlated subquery per account and figure (on PostgreSQL several times faster at 100,000
   * accounts).
   */
  const wonDistribution = (query: DistributionQuery, metrics: ReadonlyArray<SegmentRule.Metric>) => {
    const aggregates = sql.join(", ", false)(metrics.map((m, i) => sql`${wonAggregate(m)} AS ${sql.literal(`m${i}`)}`))
    const keys = query.by.map((v, i) => {
      const m = metrics[i]!
      const column = sql.literal(m.kind === "lastWon" ? `w.m${i}` : `COALESCE(w.m${i}, 0)`)
      return sql`${"score" in v ? scoreSql(column, v.score) : column} AS ${sql.literal(`k${i}`)}`
    })
    const ordinals = sql.literal(query.by.map((_, i) => String(i + 1)).join(", "))
    return select<Row>`SELECT ${sql.join(", ", false)(keys)}, COUNT(*) AS n FROM customers c
      LEFT JOIN (SELECT o.customer_number AS cn, ${aggregates} FROM crm_opportunities o
        WHERE o.tenant = ${query.tenant} AND o.status = 'won' AND o.customer_number IS NOT NULL GROUP BY o.customer_number) w
      ON w.cn = c.number
      WHERE ${accountFilter(query.tenant, query.visibility, undefined)} GROUP BY ${ordinals} ORDER BY ${ordinals}`.pipe(
      Effect.map((rows) =>
        rows.map((r) => ({ key: query.by.map((v, i) => valueOfRow(v, r[`k${i}`])), count: Number(r.n ?? 0) })).filter((r) => r.count > 0)
      ),
      storageError("AccountBehaviourStore.distribution")
    )
  }

  const behaviour: AccountBehaviourStoreShape = {
    accounts: (query) =>
      (query.limit <= 0
        ? Effect.succeed([] as ReadonlyArray<Row>)
        : select<Row>`SELECT c.number AS number, c.name AS name${sql.literal(query.values.length === 0 ? "" : ", ")}${sql.join(
            ", ",
            false
          )(query.values.map((v, i) => sql`${valueSql(query.tenant, v)} AS ${sql.literal(`v${i}`)}`))}
          FROM customers c WHERE ${accountFilter(
            query.tenant,
            query.visibility,
            query.where,
            [
              query.after === undefined ? undefined : sql`c.number > ${query.after}`,
              query.customerNumber === undefined ? undefined : sql`c.number = ${query.customerNumber}`
            ],
            query.customerNumber !== undefined
          )} ORDER BY c.number LIMIT ${query.limit}`
      ).pipe(
        Effect.map((rows) =>
          rows.map((r) => ({
            customerNumber: String(r.number),
            name: String(r.name),
            values: query.values.map((v, i) => valueOfRow(v, r[`v${i}`]))
          }))
        ),
        storageError("AccountBehaviourStore.accounts")
      ),
    count: (query) =>
      select<Row>`SELECT COUNT(*) AS n FROM customers c WHERE ${accountFilter(query.tenant, query.visibility, query.where)}`.pipe(
        Effect.map((rows) => Number(rows[0]?.n ?? 0)),
        storageError("AccountBehaviourStore.count")
      ),
    distribution: (query) => {
      const metrics = query.by.map((v) => ("metric" in v ? v.metric : v.score.metric))
      if (query.where === undefined && query.by.length > 0 && metrics.every((m) => wonKinds.has(m.kind)))
        return wonDistribution(query, metrics)
      const inner = sql`SELECT ${sql.join(
        ", ",
        false
      )(metrics.map((m, i) => sql`${metricSql(query.tenant, m)} AS ${sql.literal(`m${i}`)}`))}
        FROM customers c WHERE ${accountFilter(query.tenant, query.visibility, query.where)} LIMIT ${sql.literal(String(noLimit))}`
      const keys = query.by.map((v, i) => {
        const column = sql.literal(`x.m${i}`)
        return sql`${"score" in v ? scoreSql(column, v.score) : column} AS ${sql.literal(`k${i}`)}`
      })
      const ordinals = sql.literal(query.by.map((_, i) => String(i + 1)).join(", "))
      return (
        query.by.length === 0
          ? select<Row>`SELECT COUNT(*) AS n FROM customers c WHERE ${accountFilter(query.tenant, query.visibility, query.where)}`
          : select<Row>`SELECT ${sql.join(", ", false)(keys)}, COUNT(*) AS n FROM (${inner}) x GROUP BY ${ordinals} ORDER BY ${ordinals}`
      ).pipe(
        Effect.map((rows) =>
          rows.map((r) => ({ key: query.by.map((v, i) => valueOfRow(v, r[`k${i}`])), count: Number(r.n ?? 0) })).filter((r) => r.count > 0)
        ),
        storageError("AccountBehaviourStore.distribution")
      )
    }
  }

  // -------------------------------------------------------------------------------------------
  // Segments, snapshots, campaigns
  // -------------------------------------------------------------------------------------------

  const byId = <A>(table: string, tenant: string, id: string, operation: string) =>
    select<Row>`SELECT record FROM ${sql(table)} WHERE tenant = ${tenant} AND id = ${id}`.pipe(
      Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (r) => decode<A>(r))),
      storageError(operation)
    )

  const pageOfIds = <A>(table: string, tenant: string, after: string | undefined, limit: number, operation: string, extra?: Fragment) =>
    (limit <= 0
      ? Effect.succeed([] as ReadonlyArray<Row>)
      : select<Row>`SELECT record FROM ${sql(table)} WHERE ${all(sql, [
          sql`tenant = ${tenant}`,
          extra,
          after === undefined ? undefined : sql`id > ${after}`
        ])} ORDER BY id LIMIT ${limit}`
    ).pipe(
      Effect.map((rows) => decodeAll<A>(rows)),
      storageError(operation)
    )

  const segments: SegmentStoreShape = {
    putSegment: (segment, expected) =>
      tx
        .write(
          versionedWrite(
            "crm_segments",
            ["tenant", "id"],
            segment.id,
            { tenant: segment.tenant, id: segment.id, version: segment.version, record: dialect.encodeJson(segment) },
            expected
          )
        )
        .pipe(storageError("SegmentStore.putSegment")),
    getSegment: (tenant, id) => byId<Segment.Segment>("crm_segments", tenant, id, "SegmentStore.getSegment"),
    listSegments: (query) =>
      pageOfIds<Segment.Segment>("crm_segments", query.tenant, query.after, query.limit, "SegmentStore.listSegments"),
    putSnapshot: (snapshot, members) =>
      tx
        .write(
          Effect.gen(function* () {
            yield* sql`INSERT INTO crm_segment_snapshots ${sql.insert({
              tenant: snapshot.tenant,
              id: snapshot.id,
              segment_id: snapshot.segmentId ?? null,
              record: dialect.encodeJson(snapshot)
            })}`
            yield* insertRows(
              sql,
              "crm_segment_members",
              [...new Set(members)].map((customerNumber) => ({
                tenant: snapshot.tenant,
                snapshot_id: snapshot.id,
                customer_number: customerNumber
              }))
            )
          })
        )
        .pipe(storageError("SegmentStore.putSnapshot")),
    getSnapshot: (tenant, id) => byId<Segment.Snapshot>("crm_segment_snapshots", tenant, id, "SegmentStore.getSnapshot"),
    listSnapshots: (query) =>
      pageOfIds<Segment.Snapshot>(
        "crm_segment_snapshots",
        query.tenant,
        query.after,
        query.limit,
        "SegmentStore.listSnapshots",
        query.segmentId === undefined ? undefined : sql`segment_id = ${query.segmentId}`
      ),
    snapshotMembers: (query) =>
      (query.limit <= 0
        ? Effect.succeed([] as ReadonlyArray<Row>)
        : select<Row>`SELECT m.customer_number FROM crm_segment_members m WHERE ${all(sql, [
            sql`m.tenant = ${query.tenant}`,
            sql`m.snapshot_id = ${query.snapshotId}`,
            query.after === undefined ? undefined : sql`m.customer_number > ${query.after}`,
            customerRestriction(query.visibility, "m")
          ])} ORDER BY m.customer_number LIMIT ${query.limit}`
      ).pipe(
        Effect.map((rows) => rows.map((r) => String(r.customer_number))),
        storageError("SegmentStore.snapshotMembers")
      ),
    accountConsents: (tenant, numbers) =>
      (numbers.length === 0
        ? Effect.succeed([] as ReadonlyArray<Row>)
        : select<Row>`SELECT record FROM crm_contact_preferences
            WHERE tenant = ${tenant} AND contact_id = '' AND customer_number IN ${sql.in([...numbers])}`
      ).pipe(
        Effect.map((rows) => decodeAll<ContactPreference.ContactPreference>(rows)),
        storageError("SegmentStore.accountConsents")
      ),
    putCampaign: (campaign, members) =>
      tx
        .write(
          Effect.gen(function* () {
            yield* sql`INSERT INTO crm_campaigns ${sql.insert({ tenant: campaign.tenant, id: campaign.id, record: dialect.encodeJson(campaign) })}`
            yield* insertRows(
              sql,
              "crm_campaign_members",
              members.map((m) => ({
                tenant: m.tenant,
                campaign_id: m.campaignId,
                customer_number: m.customerNumber,
                member_group: m.group,
                record: dialect.encodeJson(m)
              }))
            )
          })
        )
        .pipe(storageError("SegmentStore.putCampaign")),
    getCampaign: (tenant, id) => byId<Campaign.Campaign>("crm_campaigns", tenant, id, "SegmentStore.getCampaign"),
    listCampaigns: (query) =>
      pageOfIds<Campaign.Campaign>("crm_campaigns", query.tenant, query.after, query.limit, "SegmentStore.listCampaigns"),
    campaignMembers: (query) =>
      (query.limit <= 0
        ? Effect.succeed([] as ReadonlyArray<Row>)
        : select<Row>`SELECT m.record FROM crm_campaign_members m WHERE ${all(sql, [
            sql`m.tenant = ${query.tenant}`,
            sql`m.campaign_id = ${query.campaignId}`,
            query.group === undefined ? undefined : sql`m.member_group = ${query.group}`,
            query.after === undefined ? undefined : sql`m.customer_number > ${query.after}`,
            customerRestriction(query.visibility, "m")
          ])} ORDER BY m.customer_number LIMIT ${query.limit}`
      ).pipe(
        Effect.map((rows) => decodeAll<Campaign.CampaignMember>(rows)),
        storageError("SegmentStore.campaignMembers")
      ),
    campaignMember: (tenant, campaignId, customerNumber) =>
      select<Row>`SELECT record FROM crm_campaign_members
        WHERE tenant = ${tenant} AND campaign_id = ${campaignId} AND customer_number = ${customerNumber}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (r) => decode<Campaign.CampaignMember>(r))),
        storageError("SegmentStore.campaignMember")
      ),
    putResponse: (response) =>
      tx
        .write(
          sql`INSERT INTO crm_campaign_responses ${sql.insert({
            tenant: response.tenant,
            campaign_id: response.campaignId,
            id: response.id,
            customer_number: response.customerNumber,
            record: dialect.encodeJson(response)
          })}`
        )
        .pipe(Effect.asVoid, storageError("SegmentStore.putResponse")),
    campaignFigures: (query) =>
      select<Row>`SELECT m.member_group AS grp, COUNT(*) AS n,
          SUM(CASE WHEN EXISTS (SELECT 1 FROM crm_campaign_responses r
            WHERE r.tenant = m.tenant AND r.campaign_id = m.campaign_id AND r.customer_number = m.customer_number) THEN 1 ELSE 0 END) AS responders
        FROM crm_campaign_members m WHERE ${all(sql, [
          sql`m.tenant = ${query.tenant}`,
          sql`m.campaign_id = ${query.campaignId}`,
          customerRestriction(query.visibility, "m")
        ])} GROUP BY m.member_group`.pipe(
        Effect.map((rows) => {
          const members = { contacted: 0, control: 0, excluded: 0 }
          const responders = { contacted: 0, control: 0, excluded: 0 }
          for (const r of rows) {
            const group = String(r.grp) as Campaign.Group
            members[group] = Number(r.n ?? 0)
            responders[group] = Number(r.responders ?? 0)
          }
          return { members, responders }
        }),
        storageError("SegmentStore.campaignFigures")
      ),
    // Alias `w`: the visibility predicates use `c`, `o` and `p` inside.
    campaignReturn: (query) =>
      select<Row>`SELECT w.currency AS currency, SUM(w.amount_cents) AS amount, COUNT(*) AS n FROM crm_opportunities w WHERE ${all(sql, [
        sql`w.tenant = ${query.tenant}`,
        sql`${sql.literal(field("w.", "leadId"))} IN (SELECT l.id FROM crm_leads l WHERE l.tenant = ${query.tenant} AND l.campaign_id = ${query.campaignId})`,
        sql`w.status = 'won'`,
        sql`w.amount_cents IS NOT NULL`,
        sql`w.currency IS NOT NULL`,
        accountVisible(query.visibility, "w")
      ])} GROUP BY w.currency ORDER BY w.currency`.pipe(
        Effect.map((rows) =>
          rows.map((r) => ({ currency: String(r.currency), amountCents: Number(r.amount ?? 0), count: Number(r.n ?? 0) }))
        ),
        storageError("SegmentStore.campaignReturn")
      )
  }

  return { behaviour, segments }
}
