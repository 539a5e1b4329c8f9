/**
 * The CRM ports of `@partnerkit/crm` (`ProspectStore`, `AccountOwnershipStore`, `ActivityStore`,
 * `ContactPreferenceStore`) on an `@effect/sql` `SqlClient`, for any `Dialect`, next to the core
 * ports of `SqlStore` and on the same tables' database (migration 3 creates the CRM tables).
 *
 * Each record is stored whole as JSON (`record`) next to the columns its queries filter and order
 * by; every key and index leads with the tenant. Visibility is part of each query: a customer's
 * records are returned only when the customer exists, its general authorization group is allowed
 * and its ownership row is in the CRM scope; a prospect's when its own group and assignment are.
 *
 * Transactions: the ports run in the store's `StoreTransaction` when called inside it (they use
 * the same `TransactionConnection`); writes of several rows run in a savepoint.
 *
 * @example
 * ```ts
 * import * as SqlClient from "@effect/sql/SqlClient"
 * import type { CrmStorage } from "@partnerkit/crm"
 * import { type Dialect, SqlCrmStore, SqlStore } from "@partnerkit/storage-sql"
 * import { Context, Effect, Layer } from "effect"
 *
 * declare const dialect: Dialect.Dialect
 * declare const client: Layer.Layer<SqlClient.SqlClient>
 * const store: CrmStorage.Layer = Layer.effectContext(
 *   Effect.zipWith(SqlStore.make(dialect), SqlCrmStore.make(dialect), (core, crm) => Context.merge(core, crm))
 * ).pipe(Layer.provide(client))
 * ```
 * @module
 */
import * as SqlClient from "@effect/sql/SqlClient"
import {
  AccountBehaviourStore,
  AccountOwnershipStore,
  type AccountOwnershipStoreShape,
  Activity,
  ActivityStore,
  type ActivityStoreShape,
  AnalyticsStore,
  type ContactPreference,
  ContactPreferenceStore,
  type ContactPreferenceStoreShape,
  type CrmStorage,
  LeadStore,
  OpportunityStore,
  type Ownership,
  type Prospect,
  ProspectStore,
  type ProspectStoreShape,
  SegmentStore,
  TicketStore
} from "@partnerkit/crm"
import { Context, Effect, Option } from "effect"
import type { Dialect } from "../Dialect.js"
import { storageError } from "../internal/Errors.js"
import * as Reads from "../internal/Reads.js"
import { all } from "../internal/Statements.js"
import * as Transaction from "../internal/Transaction.js"
import { visibleGroup } from "../internal/Visibility.js"
import * as AccountAccess from "./internal/AccountAccess.js"
import * as SqlAnalyticsStore from "./SqlAnalyticsStore.js"
import * as SqlSalesStore from "./SqlSalesStore.js"
import * as SqlSegmentStore from "./SqlSegmentStore.js"
import * as SqlTicketStore from "./SqlTicketStore.js"

type Row = Record<string, unknown>

const noRows: Effect.Effect<ReadonlyArray<Row>> = Effect.succeed([])

export interface Options {
  /** The client for reads outside a transaction (as `SqlStore.Options.reader`). Default: the client in context. */
  readonly reader?: SqlClient.SqlClient | undefined
  /** Runs single read statements outside a transaction more cheaply (as `SqlStore.Options.statementReader`). */
  readonly statementReader?: Reads.StatementReader | undefined
}

/** Returns the CRM ports bound to the client in context. The schema must be migrated (by `SqlStore.make` or `migrate`). */
export const make = (
  dialect: Dialect,
  options: Options = {}
): Effect.Effect<Context.Context<CrmStorage.CrmPorts>, never, SqlClient.SqlClient> =>
  Effect.map(SqlClient.SqlClient, (sql) => {
    const reader = options.reader ?? sql
    const tx = Transaction.make(sql, reader, dialect.beginWrite, dialect.beginRead)
    const reads = Reads.make(options.statementReader)
    const select = Reads.query(reads, reader)
    const access = AccountAccess.make(sql)
    const { inScope, customerVisible } = access
    /** An activity (alias `a`) belongs to a visible account; `undefined` when nothing is restricted. */
    const activityVisible = (v: Ownership.AccountVisibility) => access.accountVisible(v, "a")
    const versionedPut = (table: string, keyColumns: ReadonlyArray<string>, id: string, row: Row, expected: number | null) =>
      tx.write(access.versionedWrite(table, keyColumns, id, row, expected))
    const decode = <A>(row: Row): A => dialect.decodeJson(row.record) as A
    const decodeAll = <A>(rows: ReadonlyArray<Row>): Array<A> => rows.map((r) => decode<A>(r))

    // -----------------------------------------------------------------------------------------
    // Prospects
    // -----------------------------------------------------------------------------------------

    const prospectRow = (p: Prospect.Prospect): Row => ({
      tenant: p.tenant,
      id: p.id,
      status: p.status,
      owner: p.owner,
      team: p.team ?? null,
      territory: p.territory ?? null,
      authorization_group: p.authorizationGroup ?? null,
      converted_to: p.convertedTo ?? null,
      version: p.version,
      record: dialect.encodeJson(p)
    })

    const prospectVisible = (v: Ownership.AccountVisibility) => [
      visibleGroup(sql, "authorization_group", v.groups),
      inScope(v.scope, "owner", "team", "territory")
    ]

    const prospects: ProspectStoreShape = {
      get: (tenant, id, visibility) =>
        select<Row>`SELECT record FROM crm_prospects WHERE ${all(sql, [sql`tenant = ${tenant}`, sql`id = ${id}`, ...prospectVisible(visibility)])}`.pipe(
          Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (r) => decode<Prospect.Prospect>(r))),
          storageError("ProspectStore.get")
        ),
      put: (prospect, expected) =>
        versionedPut("crm_prospects", ["tenant", "id"], prospect.id, prospectRow(prospect), expected).pipe(
          storageError("ProspectStore.put")
        ),
      list: (query) =>
        (query.limit <= 0
          ? noRows
          : select<Row>`SELECT record FROM crm_prospects WHERE ${all(sql, [
              sql`tenant = ${query.tenant}`,
              query.after === undefined ? undefined : sql`id > ${query.after}`,
              query.status === undefined ? undefined : sql`status = ${query.status}`,
              query.owner === undefined ? undefined : sql`owner = ${query.owner}`,
              ...prospectVisible(query.visibility)
            ])} ORDER BY id LIMIT ${query.limit}`
        ).pipe(
          Effect.map((rows) => decodeAll<Prospect.Prospect>(rows)),
          storageError("ProspectStore.list")
        )
    }

    // -----------------------------------------------------------------------------------------
    // Ownership
    // -----------------------------------------------------------------------------------------

    const ownershipRow = (o: Ownership.Ownership): Row => ({
      tenant: o.tenant,
      customer_number: o.customerNumber,
      owner: o.owner,
      team: o.team ?? null,
      territory: o.territory ?? null,
      version: o.version,
      record: dialect.encodeJson(o)
    })

    const ownerships: AccountOwnershipStoreShape = {
      get: (tenant, customerNumber) =>
        select<Row>`SELECT record FROM crm_account_owners WHERE tenant = ${tenant} AND customer_number = ${customerNumber}`.pipe(
          Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (r) => decode<Ownership.Ownership>(r))),
          storageError("AccountOwnershipStore.get")
        ),
      put: (ownership, expected) =>
        versionedPut("crm_account_owners", ["tenant", "customer_number"], ownership.customerNumber, ownershipRow(ownership), expected).pipe(
          storageError("AccountOwnershipStore.put")
        ),
      list: (query) =>
        (query.limit <= 0
          ? noRows
          : select<Row>`SELECT ao.record FROM crm_account_owners ao WHERE ${all(sql, [
              sql`ao.tenant = ${query.tenant}`,
              query.after === undefined ? undefined : sql`ao.customer_number > ${query.after}`,
              query.owner === undefined ? undefined : sql`ao.owner = ${query.owner}`,
              query.team === undefined ? undefined : sql`ao.team = ${query.team}`,
              query.territory === undefined ? undefined : sql`ao.territory = ${query.territory}`,
              customerVisible({ groups: query.visibility.groups, scope: { kind: "all" } }, "ao"),
              inScope(query.visibility.scope, "ao.owner", "ao.team", "ao.territory")
            ])} ORDER BY ao.customer_number LIMIT ${query.limit}`
        ).pipe(
          Effect.map((rows) => decodeAll<Ownership.Ownership>(rows)),
          storageError("AccountOwnershipStore.list")
        )
    }

    // -----------------------------------------------------------------------------------------
    // Activities
    // -----------------------------------------------------------------------------------------

    const activityRow = (a: Activity.Activity): Row => ({
      tenant: a.tenant,
      id: a.id,
      customer_number: a.customerNumber ?? null,
      prospect_id: a.prospectId ?? null,
      owner: a.owner,
      kind: a.kind,
      status: a.status,
      due_at: a.dueAt ?? null,
      at: a.at,
      completed_at: a.completedAt ?? null,
      version: a.version,
      record: dialect.encodeJson(a)
    })

    const ofAccount = (account: Activity.AccountRef) =>
      "customerNumber" in account ? sql`a.customer_number = ${account.customerNumber}` : sql`a.prospect_id = ${account.prospectId}`

    const contactKinds = [...Activity.contactKinds]

    const activities: ActivityStoreShape = {
      get: (tenant, id, visibility) =>
        select<Row>`SELECT a.record FROM crm_activities a WHERE ${all(sql, [sql`a.tenant = ${tenant}`, sql`a.id = ${id}`, activityVisible(visibility)])}`.pipe(
          Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (r) => decode<Activity.Activity>(r))),
          storageError("ActivityStore.get")
        ),
      put: (activity, expected) =>
        versionedPut("crm_activities", ["tenant", "id"], activity.id, activityRow(activity), expected).pipe(
          storageError("ActivityStore.put")
        ),
      listByAccount: (query) =>
        (query.limit <= 0
          ? noRows
          : select<Row>`SELECT a.record FROM crm_activities a WHERE ${all(sql, [
              sql`a.tenant = ${query.tenant}`,
              ofAccount(query.account),
              query.status === undefined ? undefined : sql`a.status = ${query.status}`,
              query.before === undefined
                ? undefined
                : sql`(a.at < ${query.before.at} OR (a.at = ${query.before.at} AND a.id < ${query.before.id}))`,
              activityVisible(query.visibility)
            ])} ORDER BY a.at DESC, a.id DESC LIMIT ${query.limit}`
        ).pipe(
          Effect.map((rows) => decodeAll<Activity.Activity>(rows)),
          storageError("ActivityStore.listByAccount")
        ),
      open: (query) =>
        (query.limit <= 0
          ? noRows
          : select<Row>`SELECT a.record FROM crm_activities a WHERE ${all(sql, [
              sql`a.tenant = ${query.tenant}`,
              query.owner === undefined ? undefined : sql`a.owner = ${query.owner}`,
              sql`a.status = 'open'`,
              query.dueBefore === undefined ? undefined : sql`a.due_at < ${query.dueBefore}`,
              query.account === undefined ? undefined : ofAccount(query.account),
              activityVisible(query.visibility)
            ])} ORDER BY ${
              query.dueBefore === undefined ? sql.literal("CASE WHEN a.due_at IS NULL THEN 1 ELSE 0 END, ") : sql.literal("")
            }a.due_at, a.id LIMIT ${query.limit}`
        ).pipe(
          Effect.map((rows) => decodeAll<Activity.Activity>(rows)),
          storageError("ActivityStore.open")
        ),
      summary: (query) =>
        select<Row>`SELECT
            COUNT(*) AS total,
            SUM(CASE WHEN a.status = 'open' THEN 1 ELSE 0 END) AS open,
            SUM(CASE WHEN a.status = 'open' AND a.due_at < ${query.asOf} THEN 1 ELSE 0 END) AS overdue,
            SUM(CASE WHEN a.status = 'completed' THEN 1 ELSE 0 END) AS completed,
            SUM(CASE WHEN a.status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
            MAX(CASE WHEN a.status = 'completed' AND a.kind IN ${sql.in(contactKinds)} THEN a.completed_at END) AS last_contact
          FROM crm_activities a WHERE ${all(sql, [sql`a.tenant = ${query.tenant}`, ofAccount(query.account), activityVisible(query.visibility)])}`.pipe(
          Effect.map((rows) => {
            const r = rows[0] ?? {}
            const n = (v: unknown) => Number(v ?? 0)
            const last = r.last_contact
            return {
              total: n(r.total),
              open: n(r.open),
              overdue: n(r.overdue),
              completed: n(r.completed),
              cancelled: n(r.cancelled),
              ...(typeof last === "string" ? { lastContactAt: last } : {})
            }
          }),
          storageError("ActivityStore.summary")
        ),
      relink: (tenant, prospectId, customerNumber, changedBy, changedAt) =>
        tx
          .write(
            Effect.gen(function* () {
              const rows = yield* sql<Row>`SELECT record FROM crm_activities
                WHERE tenant = ${tenant} AND prospect_id = ${prospectId} AND customer_number IS NULL`
              for (const row of rows) {
                const before = decode<Activity.Activity>(row)
                const next: Activity.Activity = { ...before, customerNumber, version: before.version + 1, changedBy, changedAt }
                yield* sql`UPDATE crm_activities SET ${sql.update(activityRow(next), ["tenant", "id"])}
                  WHERE tenant = ${tenant} AND id = ${before.id}`
              }
              return rows.length
            })
          )
          .pipe(storageError("ActivityStore.relink"))
    }

    // -----------------------------------------------------------------------------------------
    // Contact preferences
    // -----------------------------------------------------------------------------------------

    const preferences: ContactPreferenceStoreShape = {
      put: (preference) => {
        const row: Row = {
          tenant: preference.tenant,
          customer_number: preference.customerNumber,
          contact_id: preference.contactId ?? "",
          channel: preference.channel,
          record: dialect.encodeJson(preference)
        }
        return sql`INSERT INTO crm_contact_preferences ${sql.insert(row)}
          ON CONFLICT (tenant, customer_number, contact_id, channel) DO UPDATE SET record = excluded.record`.pipe(
          Effect.asVoid,
          storageError("ContactPreferenceStore.put")
        )
      },
      list: (tenant, customerNumber) =>
        select<Row>`SELECT record FROM crm_contact_preferences WHERE tenant = ${tenant} AND customer_number = ${customerNumber}
          ORDER BY contact_id, channel`.pipe(
          Effect.map((rows) => decodeAll<ContactPreference.ContactPreference>(rows)),
          storageError("ContactPreferenceStore.list")
        )
    }

    const sales = SqlSalesStore.make(dialect, sql, reader, tx, reads)
    const marketing = SqlSegmentStore.make(dialect, sql, reader, tx, reads)
    return Context.make(ProspectStore, prospects).pipe(
      Context.add(AccountOwnershipStore, ownerships),
      Context.add(ActivityStore, activities),
      Context.add(ContactPreferenceStore, preferences),
      Context.add(TicketStore, SqlTicketStore.make(dialect, sql, reader, tx, reads)),
      Context.add(LeadStore, sales.leads),
      Context.add(OpportunityStore, sales.opportunities),
      Context.add(AccountBehaviourStore, marketing.behaviour),
      Context.add(SegmentStore, marketing.segments),
      Context.add(AnalyticsStore, SqlAnalyticsStore.make(dialect, sql, reader, reads))
    )
  })
