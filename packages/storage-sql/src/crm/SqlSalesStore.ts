/**
 * The `LeadStore` and `OpportunityStore` ports of `@partnerkit/crm` on an `@effect/sql`
 * `SqlClient` (tables of migration 6, `crm_sales`). `SqlCrmStore.make` adds them to the CRM ports.
 *
 * Visibility is part of each query, as for activities: an opportunity (or history row) is
 * returned or counted only when its customer exists, the customer's general authorization group
 * is allowed and its ownership row is in the CRM scope — or, without a customer, when its
 * prospect's own group and assignment are. A lead is visible by its own group and assignment.
 *
 * The pipeline is one `GROUP BY` over the `(tenant, status, close_date)` index (the forecast as
 * of a date, one over the history, picking each opportunity's latest row at that time with a
 * primary-key probe); nothing is loaded into JavaScript but the aggregates.
 *
 * @internal
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type { Fragment } from "@effect/sql/Statement"
import {
  type Activity,
  type DuplicateCandidate,
  type Lead,
  type LeadStoreShape,
  Opportunity,
  type OpportunityStoreShape,
  type Ownership,
  type PipelineBucket
} from "@partnerkit/crm"
import { Effect, Option } from "effect"
import type { Dialect } from "../Dialect.js"
import { storageError } from "../internal/Errors.js"
import * as Reads from "../internal/Reads.js"
import { all } from "../internal/Statements.js"
import type * as Transaction from "../internal/Transaction.js"
import { visibleGroup } from "../internal/Visibility.js"
import { salesExpressions } from "../migrations/crm_sales.js"
import * as AccountAccess from "./internal/AccountAccess.js"

type Row = Record<string, unknown>

const noRows: Effect.Effect<ReadonlyArray<Row>> = Effect.succeed([])

const timelineChanges: ReadonlyArray<Opportunity.Change> = ["created", "stage", "won", "lost", "reopened"]

/** The sales ports over `sql` (writes, in `tx`) and `reader` (reads outside a transaction). */
export const make = (
  dialect: Dialect,
  sql: SqlClient.SqlClient,
  reader: SqlClient.SqlClient,
  tx: Transaction.Transactions,
  reads: Reads.Reads = Reads.make(undefined)
): { readonly leads: LeadStoreShape; readonly opportunities: OpportunityStoreShape } => {
  const select = Reads.query(reads, reader)
  const access = AccountAccess.make(sql)
  const { col, inScope, unrestricted, accountVisible, aggregateVisible, versionedWrite } = access
  const decode = <A>(row: Row): A => dialect.decodeJson(row.record) as A
  const decodeAll = <A>(rows: ReadonlyArray<Row>): Array<A> => rows.map((r) => decode<A>(r))
  const { fold, field } = salesExpressions(dialect)

  // -------------------------------------------------------------------------------------------
  // Leads
  // -------------------------------------------------------------------------------------------

  const leadRow = (l: Lead.Lead): Row => ({
    tenant: l.tenant,
    id: l.id,
    status: l.status,
    owner: l.owner,
    team: l.team ?? null,
    territory: l.territory ?? null,
    authorization_group: l.authorizationGroup ?? null,
    source: l.source,
    campaign_id: l.campaignId ?? null,
    version: l.version,
    record: dialect.encodeJson(l)
  })

  const leadVisible = (v: Ownership.AccountVisibility, alias: string) => [
    visibleGroup(sql, `${alias}.authorization_group`, v.groups),
    inScope(v.scope, `${alias}.owner`, `${alias}.team`, `${alias}.territory`)
  ]

  const activityRowOf = (a: Activity.Activity): Row => ({
    customer_number: a.customerNumber ?? null,
    prospect_id: a.prospectId ?? null,
    version: a.version,
    record: dialect.encodeJson(a)
  })

  const activityLead = sql.literal(field("a.", "leadId"))

  const leads: LeadStoreShape = {
    get: (tenant, id, visibility) =>
      select<Row>`SELECT l.record FROM crm_leads l WHERE ${all(sql, [sql`l.tenant = ${tenant}`, sql`l.id = ${id}`, ...leadVisible(visibility, "l")])}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (r) => decode<Lead.Lead>(r))),
        storageError("LeadStore.get")
      ),
    put: (lead, expected) =>
      tx.join(versionedWrite("crm_leads", ["tenant", "id"], lead.id, leadRow(lead), expected)).pipe(storageError("LeadStore.put")),
    list: (query) =>
      (query.limit <= 0
        ? noRows
        : select<Row>`SELECT l.record FROM crm_leads l WHERE ${all(sql, [
            sql`l.tenant = ${query.tenant}`,
            query.after === undefined ? undefined : sql`l.id > ${query.after}`,
            query.status === undefined ? undefined : sql`l.status = ${query.status}`,
            query.owner === undefined ? undefined : sql`l.owner = ${query.owner}`,
            query.source === undefined ? undefined : sql`l.source = ${query.source}`,
            query.campaignId === undefined ? undefined : sql`l.campaign_id = ${query.campaignId}`,
            ...leadVisible(query.visibility, "l")
          ])} ORDER BY l.id LIMIT ${query.limit}`
      ).pipe(
        Effect.map((rows) => decodeAll<Lead.Lead>(rows)),
        storageError("LeadStore.list")
      ),
    nextTurn: (tenant, pool) =>
      // One upsert: the row lock (PostgreSQL) or the write lock (SQLite) orders concurrent draws.
      tx
        .join(
          sql<{ readonly next_turn: unknown }>`INSERT INTO crm_lead_turns (tenant, pool, next_turn) VALUES (${tenant}, ${pool}, 1)
            ON CONFLICT (tenant, pool) DO UPDATE SET next_turn = crm_lead_turns.next_turn + 1 RETURNING next_turn`
        )
        .pipe(
          Effect.map((rows) => Number(rows[0]?.next_turn ?? 1) - 1),
          storageError("LeadStore.nextTurn")
        ),
    duplicates: (query) =>
      Effect.gen(function* () {
        if (query.limit <= 0 || (query.names.length === 0 && query.emails.length === 0)) return []
        const v = query.visibility
        const customerFilter = unrestricted(v) ? undefined : customerVisibleByNumber(v)
        // One query per key kind, each answered from its folded-key index. (An `OR` of two keys
        // would not use either index on SQLite.) `|| ''` in ORDER BY keeps the planner from
        // walking the primary key for its order instead of using the key index.
        const keyed = (values: ReadonlyArray<string>, run: (expression: Fragment) => Effect.Effect<ReadonlyArray<Row>, SqlError>) =>
          values.length === 0 ? noRows : run(sql`IN ${sql.in([...values])}`)
        const customersBy = (column: "name" | "email", values: ReadonlyArray<string>) =>
          keyed(
            values,
            (match) =>
              select<Row>`SELECT c.number, c.name FROM customers c WHERE ${all(sql, [
                sql`c.tenant = ${query.tenant}`,
                sql`${sql.literal(fold(`c.${column}`))} ${match}`,
                customerFilter
              ])} ORDER BY c.number || '' LIMIT ${query.limit}`
          )
        const prospectsBy = (field_: "name" | "email", values: ReadonlyArray<string>) =>
          keyed(
            values,
            (match) =>
              select<Row>`SELECT p.id, p.record FROM crm_prospects p WHERE ${all(sql, [
                sql`p.tenant = ${query.tenant}`,
                sql`${sql.literal(fold(field("p.", field_)))} ${match}`,
                sql`p.status = 'open'`,
                visibleGroup(sql, "p.authorization_group", v.groups),
                inScope(v.scope, "p.owner", "p.team", "p.territory")
              ])} ORDER BY p.id || '' LIMIT ${query.limit}`
          )
        const contacts = yield* keyed(
          query.emails,
          (match) => select<Row>`SELECT cp.customer_number, cp.id, cp.first_name, cp.last_name FROM contact_persons cp
            JOIN customers c ON c.tenant = cp.tenant AND c.number = cp.customer_number
            WHERE ${all(sql, [sql`cp.tenant = ${query.tenant}`, sql`${sql.literal(fold("cp.email"))} ${match}`, customerFilter])}
            ORDER BY cp.customer_number || '', cp.id LIMIT ${query.limit}`
        )
        const found = new Map<string, { candidate: DuplicateCandidate; on: Set<"name" | "email"> }>()
        const add = (key: string, candidate: DuplicateCandidate, on: "name" | "email") => {
          const entry = found.get(key) ?? { candidate, on: new Set<"name" | "email">() }
          entry.on.add(on)
          found.set(key, entry)
        }
        for (const r of yield* customersBy("name", query.names)) {
          add(
            `c\u0000${String(r.number)}`,
            { kind: "customer", customerNumber: String(r.number), name: String(r.name), matchedOn: [] },
            "name"
          )
        }
        for (const r of yield* customersBy("email", query.emails)) {
          add(
            `c\u0000${String(r.number)}`,
            { kind: "customer", customerNumber: String(r.number), name: String(r.name), matchedOn: [] },
            "email"
          )
        }
        for (const r of contacts) {
          const name =
            r.first_name === null || r.first_name === undefined ? String(r.last_name) : `${String(r.first_name)} ${String(r.last_name)}`
          add(
            `c\u0000${String(r.customer_number)}\u0000${String(r.id)}`,
            { kind: "contact", customerNumber: String(r.customer_number), contactId: String(r.id), name, matchedOn: [] },
            "email"
          )
        }
        for (const r of yield* prospectsBy("name", query.names)) {
          add(
            `p\u0000${String(r.id)}`,
            { kind: "prospect", prospectId: String(r.id), name: decode<{ name: string }>(r).name, matchedOn: [] },
            "name"
          )
        }
        for (const r of yield* prospectsBy("email", query.emails)) {
          add(
            `p\u0000${String(r.id)}`,
            { kind: "prospect", prospectId: String(r.id), name: decode<{ name: string }>(r).name, matchedOn: [] },
            "email"
          )
        }
        // Customers and their contacts by number (then contact id), then prospects by id.
        return [...found.entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(
            ([, { candidate, on }]): DuplicateCandidate => ({
              ...candidate,
              matchedOn: (["name", "email"] as const).filter((k) => on.has(k))
            })
          )
          .slice(0, query.limit)
      }).pipe(storageError("LeadStore.duplicates")),
    activities: (tenant, leadId) =>
      select<Row>`SELECT a.record FROM crm_activities a WHERE a.tenant = ${tenant} AND ${activityLead} = ${leadId}
        ORDER BY a.at DESC, a.id DESC`.pipe(
        Effect.map((rows) => decodeAll<Activity.Activity>(rows)),
        storageError("LeadStore.activities")
      ),
    linkActivities: (tenant, leadId, link, changedBy, changedAt) =>
      tx
        .write(
          Effect.gen(function* () {
            const rows = yield* sql<Row>`SELECT a.record FROM crm_activities a
              WHERE a.tenant = ${tenant} AND ${activityLead} = ${leadId} AND a.customer_number IS NULL AND a.prospect_id IS NULL`
            for (const row of rows) {
              const before = decode<Activity.Activity>(row)
              const next = Object.fromEntries(
                Object.entries({ ...before, ...link, version: before.version + 1, changedBy, changedAt }).filter(([, v]) => v !== undefined)
              ) as Activity.Activity
              yield* sql`UPDATE crm_activities SET ${sql.update(activityRowOf(next))} WHERE tenant = ${tenant} AND id = ${before.id}`
            }
            return rows.length
          })
        )
        .pipe(storageError("LeadStore.linkActivities"))
  }

  /** The customer `c` (a `customers` row) is visible: group allowed and ownership in scope. */
  function customerVisibleByNumber(v: Ownership.AccountVisibility): Fragment {
    const group = visibleGroup(sql, "c.authorization_group", v.groups)
    const scope = inScope(v.scope, "o.owner", "o.team", "o.territory")
    const owned =
      scope === undefined
        ? undefined
        : sql`EXISTS (SELECT 1 FROM crm_account_owners o WHERE o.tenant = c.tenant AND o.customer_number = c.number AND ${scope})`
    return all(sql, [group, owned, sql`1 = 1`])
  }

  // -------------------------------------------------------------------------------------------
  // Opportunities
  // -------------------------------------------------------------------------------------------

  const cents = (amount: number | undefined) => (amount === undefined ? null : Math.round(amount * 100))

  const opportunityRow = (o: Opportunity.Opportunity): Row => ({
    tenant: o.tenant,
    id: o.id,
    customer_number: o.customerNumber ?? null,
    prospect_id: o.prospectId ?? null,
    owner: o.owner,
    territory: o.territory ?? null,
    sales_area: o.salesArea === undefined ? null : Opportunity.salesAreaKey(o.salesArea),
    stage: o.stage,
    status: o.status,
    probability: o.probability,
    amount_cents: cents(o.amount),
    currency: o.currency ?? null,
    close_date: o.expectedCloseDate ?? null,
    version: o.version,
    record: dialect.encodeJson(o)
  })

  const historyRow = (e: Opportunity.HistoryEntry): Row => ({
    tenant: e.tenant,
    opportunity_id: e.opportunityId,
    seq: e.seq,
    at: e.at,
    change: e.change,
    customer_number: e.customerNumber ?? null,
    prospect_id: e.prospectId ?? null,
    owner: e.owner,
    territory: e.territory ?? null,
    sales_area: e.salesArea === undefined ? null : Opportunity.salesAreaKey(e.salesArea),
    stage: e.stage,
    status: e.status,
    probability: e.probability,
    amount_cents: cents(e.amount),
    currency: e.currency ?? null,
    close_date: e.expectedCloseDate ?? null,
    record: dialect.encodeJson(e)
  })

  const ofAccount = (alias: string, account: Activity.AccountRef) =>
    "customerNumber" in account
      ? sql`${col(`${alias}.customer_number`)} = ${account.customerNumber}`
      : sql`${col(`${alias}.prospect_id`)} = ${account.prospectId}`

  const dimension = (by: Opportunity.Dimension, alias: string): string => {
    switch (by) {
      case "stage":
        return `${alias}.stage`
      case "owner":
        return `${alias}.owner`
      case "territory":
        return `COALESCE(${alias}.territory, '')`
      case "salesArea":
        return `COALESCE(${alias}.sales_area, '')`
      case "none":
        return "''"
    }
  }

  const opportunities: OpportunityStoreShape = {
    get: (tenant, id, visibility) =>
      select<Row>`SELECT o2.record FROM crm_opportunities o2 WHERE ${all(sql, [
        sql`o2.tenant = ${tenant}`,
        sql`o2.id = ${id}`,
        accountVisible(visibility, "o2")
      ])}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (r) => decode<Opportunity.Opportunity>(r))),
        storageError("OpportunityStore.get")
      ),
    put: (opportunity, expected, entry) =>
      tx
        .write(
          Effect.gen(function* () {
            yield* versionedWrite("crm_opportunities", ["tenant", "id"], opportunity.id, opportunityRow(opportunity), expected)
            yield* sql`INSERT INTO crm_opportunity_history ${sql.insert(historyRow(entry))}`
          })
        )
        .pipe(storageError("OpportunityStore.put")),
    list: (query) =>
      (query.limit <= 0
        ? noRows
        : select<Row>`SELECT o2.record FROM crm_opportunities o2 WHERE ${all(sql, [
            sql`o2.tenant = ${query.tenant}`,
            query.after === undefined ? undefined : sql`o2.id > ${query.after}`,
            query.account === undefined ? undefined : ofAccount("o2", query.account),
            query.owner === undefined ? undefined : sql`o2.owner = ${query.owner}`,
            query.status === undefined ? undefined : sql`o2.status = ${query.status}`,
            query.stage === undefined ? undefined : sql`o2.stage = ${query.stage}`,
            accountVisible(query.visibility, "o2")
          ])} ORDER BY o2.id LIMIT ${query.limit}`
      ).pipe(
        Effect.map((rows) => decodeAll<Opportunity.Opportunity>(rows)),
        storageError("OpportunityStore.list")
      ),
    history: (tenant, id) =>
      select<Row>`SELECT record FROM crm_opportunity_history WHERE tenant = ${tenant} AND opportunity_id = ${id} ORDER BY seq`.pipe(
        Effect.map((rows) => decodeAll<Opportunity.HistoryEntry>(rows)),
        storageError("OpportunityStore.history")
      ),
    accountHistory: (query) =>
      (query.limit <= 0
        ? noRows
        : select<Row>`SELECT h.record FROM crm_opportunity_history h WHERE ${all(sql, [
            sql`h.tenant = ${query.tenant}`,
            ofAccount("h", query.account),
            sql`h.change IN ${sql.in([...timelineChanges])}`,
            query.before === undefined
              ? undefined
              : sql`(h.at < ${query.before.at} OR (h.at = ${query.before.at} AND (h.opportunity_id < ${query.before.opportunityId}
                  OR (h.opportunity_id = ${query.before.opportunityId} AND h.seq < ${query.before.seq}))))`,
            accountVisible(query.visibility, "h")
          ])} ORDER BY h.at DESC, h.opportunity_id DESC, h.seq DESC LIMIT ${query.limit}`
      ).pipe(
        Effect.map((rows) => decodeAll<Opportunity.HistoryEntry>(rows)),
        storageError("OpportunityStore.accountHistory")
      ),
    pipeline: (query) => {
      const alias = query.asOf === undefined ? "o2" : "h"
      const table = query.asOf === undefined ? "crm_opportunities" : "crm_opportunity_history"
      const filters = all(sql, [
        sql`${col(`${alias}.tenant`)} = ${query.tenant}`,
        sql`${col(`${alias}.status`)} IN ('open', 'won')`,
        sql`${col(`${alias}.amount_cents`)} IS NOT NULL`,
        sql`${col(`${alias}.currency`)} IS NOT NULL`,
        sql`${col(`${alias}.close_date`)} IS NOT NULL`,
        query.closeFrom === undefined ? undefined : sql`${col(`${alias}.close_date`)} >= ${query.closeFrom}`,
        query.closeTo === undefined ? undefined : sql`${col(`${alias}.close_date`)} <= ${query.closeTo}`,
        query.owner === undefined ? undefined : sql`${col(`${alias}.owner`)} = ${query.owner}`,
        query.territory === undefined ? undefined : sql`${col(`${alias}.territory`)} = ${query.territory}`,
        query.asOf === undefined
          ? undefined
          : sql`h.at <= ${query.asOf} AND NOT EXISTS (SELECT 1 FROM crm_opportunity_history later
              WHERE later.tenant = h.tenant AND later.opportunity_id = h.opportunity_id AND later.seq > h.seq AND later.at <= ${query.asOf})`,
        aggregateVisible(query.tenant, query.visibility, alias)
      ])
      const key = col(dimension(query.by, alias))
      const month = col(`substr(${alias}.close_date, 1, 7)`)
      return select<Row>`SELECT ${month} AS month, ${key} AS dim, ${col(`${alias}.currency`)} AS currency, ${col(
        `${alias}.status`
      )} AS status,
          COUNT(*) AS n, SUM(${col(`${alias}.amount_cents`)}) AS amount, SUM(${col(`${alias}.amount_cents`)} * ${col(
            `${alias}.probability`
          )}) AS weighted
        FROM ${col(`${table} ${alias}`)} WHERE ${filters}
        GROUP BY ${month}, ${query.by === "none" ? sql.literal("") : sql`${key}, `}${col(`${alias}.currency`)}, ${col(`${alias}.status`)}`.pipe(
        Effect.map((rows) =>
          rows.map(
            (r): PipelineBucket => ({
              month: String(r.month),
              key: String(r.dim ?? ""),
              currency: String(r.currency),
              status: r.status === "won" ? "won" : "open",
              count: Number(r.n),
              amountCents: Number(r.amount ?? 0),
              weightedCentPercents: Number(r.weighted ?? 0)
            })
          )
        ),
        storageError("OpportunityStore.pipeline")
      )
    },
    linkProspect: (tenant, prospectId, customerNumber, changedBy, changedAt) =>
      tx
        .write(
          Effect.gen(function* () {
            const rows = yield* sql<Row>`SELECT record FROM crm_opportunities
              WHERE tenant = ${tenant} AND prospect_id = ${prospectId} AND customer_number IS NULL`
            for (const row of rows) {
              const before = decode<Opportunity.Opportunity>(row)
              const next: Opportunity.Opportunity = { ...before, customerNumber, version: before.version + 1, changedBy, changedAt }
              yield* sql`UPDATE crm_opportunities SET ${sql.update(opportunityRow(next), ["tenant", "id"])}
                WHERE tenant = ${tenant} AND id = ${before.id}`
              yield* sql`INSERT INTO crm_opportunity_history ${sql.insert(historyRow(Opportunity.historyEntry(next, before)))}`
            }
            return rows.length
          })
        )
        .pipe(storageError("OpportunityStore.linkProspect"))
  }

  return { leads, opportunities }
}
