/**
 * `CustomerStore` in SQL. A record is one `customers` row plus its rows in `company_code_views`,
 * `sales_area_views` (with `sales_area_partners`) and `contact_persons`. Reads run on one snapshot
 * (`get`: one statement, the views as JSON arrays of correlated subqueries; `list`: one page
 * query, then four batched `IN (…)` queries in one snapshot); writes run in a
 * read-write transaction, or a savepoint when the caller has one open, so a failure writes nothing.
 */

import type { SqlClient } from "@effect/sql/SqlClient"
import { SqlClient as SqlClientTag } from "@effect/sql/SqlClient"
import type * as Statement from "@effect/sql/Statement"
import { type Actor, type Customer, type CustomerQuery, type CustomerStoreShape, Errors } from "@partnerkit/core"
import { Effect, Option } from "effect"
import type { Dialect } from "../Dialect.js"
import { storageError } from "./Errors.js"
import * as Reads from "./Reads.js"
import * as Rows from "./Rows.js"
import * as Search from "./Search.js"
import { all, chunks, execute, insertRows, rowsPerInsert } from "./Statements.js"
import type { Transactions } from "./Transaction.js"
import { restricted, visibleGroup } from "./Visibility.js"

export const make = (
  dialect: Dialect,
  sql: SqlClient,
  reader: SqlClient,
  tx: Transactions,
  direct?: Reads.StatementReader | undefined
): CustomerStoreShape => {
  const reads = Reads.make(direct)
  /** Views (those `visibility` allows) with their partners, and contacts of `numbers`, in four queries. */
  const loadChildren = (tenant: string, numbers: ReadonlyArray<string>, visibility: Actor.Visibility) =>
    Effect.gen(function* () {
      const byNumber = new Map<string, Rows.Children>(numbers.map((n) => [n, Rows.emptyChildren()]))
      if (numbers.length === 0) return byNumber
      const owner = sql`tenant = ${tenant} AND customer_number IN ${sql.in(numbers)}`
      const companyCodes = yield* execute(sql<Rows.Row>`SELECT * FROM company_code_views
        WHERE ${all(sql, [owner, visibleGroup(sql, "authorization_group", visibility)])} ORDER BY position`)
      const salesAreas = yield* execute(sql<Rows.Row>`SELECT * FROM sales_area_views
        WHERE ${all(sql, [owner, visibleGroup(sql, "authorization_group", visibility)])} ORDER BY position`)
      // Partners belong to their sales-area view: only those of visible views are read.
      const partners = restricted(visibility)
        ? yield* execute(sql<Rows.Row>`SELECT p.* FROM sales_area_partners p JOIN sales_area_views s
            ON s.tenant = p.tenant AND s.customer_number = p.customer_number AND s.sales_organization = p.sales_organization
            AND s.distribution_channel = p.distribution_channel AND s.division = p.division
            WHERE ${all(sql, [
              sql`p.tenant = ${tenant} AND p.customer_number IN ${sql.in(numbers)}`,
              visibleGroup(sql, "s.authorization_group", visibility)
            ])}
            ORDER BY p.position`)
        : yield* execute(sql<Rows.Row>`SELECT * FROM sales_area_partners WHERE ${owner} ORDER BY position`)
      const contacts = yield* execute(sql<Rows.Row>`SELECT * FROM contact_persons WHERE ${owner} ORDER BY position`)
      const views = new Map<string, Customer.SalesAreaView>()
      for (const row of companyCodes) byNumber.get(String(row.customer_number))?.companyCodes.push(Rows.decodeCompanyCode(dialect, row))
      for (const row of salesAreas) {
        const view = Rows.decodeSalesArea(dialect, row)
        views.set(Rows.salesAreaRowKey(row), view)
        byNumber.get(String(row.customer_number))?.salesAreas.push(view)
      }
      for (const row of partners) {
        const view = views.get(Rows.salesAreaRowKey(row))
        if (view !== undefined) view.partners = [...(view.partners ?? []), Rows.decodePartner(dialect, row)]
      }
      for (const row of contacts) byNumber.get(String(row.customer_number))?.contacts.push(Rows.decodeContact(row))
      return byNumber
    })

  const assemble = (tenant: string, rows: ReadonlyArray<Rows.Row>, visibility: Actor.Visibility) =>
    Effect.map(
      loadChildren(
        tenant,
        rows.map((r) => String(r.number)),
        visibility
      ),
      (children) => rows.map((row) => Rows.decodeCustomer(dialect, row, children.get(String(row.number)) ?? Rows.emptyChildren()))
    )

  const writeChildren = (record: Customer.CustomerRecord) =>
    Effect.all(
      [
        insertRows(sql, "company_code_views", Rows.companyCodeRows(dialect, record)),
        insertRows(sql, "sales_area_views", Rows.salesAreaRows(dialect, record)),
        insertRows(sql, "sales_area_partners", Rows.partnerRows(dialect, record)),
        insertRows(sql, "contact_persons", Rows.contactRows(record))
      ],
      { discard: true }
    )

  /**
   * The JSON aggregates of the child tables, built once: the column lists come from the schema
   * (SQLite's `json_object` has no `*`), so a column a migration adds is read without a code change.
   */
  type Aggregates = Record<"companyCodes" | "salesAreas" | "partners" | "contacts", Statement.Fragment>
  let aggregates: Aggregates | undefined
  const childAggregates = Effect.suspend(() => {
    if (aggregates !== undefined) return Effect.succeed(aggregates)
    const aggregate = (table: string) =>
      Effect.map(Effect.provideService(dialect.columnsOf(table), SqlClientTag, reader), (columns) =>
        sql.literal(dialect.jsonRows("r", columns, "r.position"))
      )
    return Effect.map(
      Effect.all({
        companyCodes: aggregate("company_code_views"),
        salesAreas: aggregate("sales_area_views"),
        partners: aggregate("sales_area_partners"),
        contacts: aggregate("contact_persons")
      }),
      (built) => (aggregates = built)
    )
  })

  const decodeArray = (value: unknown): ReadonlyArray<Rows.Row> => {
    const rows = dialect.decodeJson(value)
    return Array.isArray(rows) ? (rows as ReadonlyArray<Rows.Row>) : []
  }

  // One statement: atomic on its own, so it needs no snapshot transaction (two round trips fewer)
  // and runs on the reader connection outside a transaction, on the transaction's inside one.
  const getStatement = (agg: Aggregates, tenant: string, number: string, visibility: Actor.Visibility) => {
    const owner = sql`r.tenant = c.tenant AND r.customer_number = c.number`
    const partners = restricted(visibility)
      ? reader`SELECT ${agg.partners} FROM sales_area_partners r JOIN sales_area_views s
          ON s.tenant = r.tenant AND s.customer_number = r.customer_number AND s.sales_organization = r.sales_organization
          AND s.distribution_channel = r.distribution_channel AND s.division = r.division
          WHERE ${all(sql, [owner, visibleGroup(sql, "s.authorization_group", visibility)])}`
      : reader`SELECT ${agg.partners} FROM sales_area_partners r WHERE ${owner}`
    return reader<Rows.Row>`SELECT c.*,
        (SELECT ${agg.companyCodes} FROM company_code_views r
          WHERE ${all(sql, [owner, visibleGroup(sql, "r.authorization_group", visibility)])}) AS pk_company_codes,
        (SELECT ${agg.salesAreas} FROM sales_area_views r
          WHERE ${all(sql, [owner, visibleGroup(sql, "r.authorization_group", visibility)])}) AS pk_sales_areas,
        (${partners}) AS pk_partners,
        (SELECT ${agg.contacts} FROM contact_persons r WHERE ${owner}) AS pk_contacts
      FROM customers c
      WHERE ${all(sql, [sql`c.tenant = ${tenant} AND c.number = ${number}`, visibleGroup(sql, "c.authorization_group", visibility)])}`
  }

  const get: CustomerStoreShape["get"] = (tenant, number, visibility) =>
    Effect.gen(function* () {
      const agg = yield* childAggregates
      // Unrestricted, the statement's text is always the same: compiled once.
      const rows = yield* restricted(visibility)
        ? reads.read(getStatement(agg, tenant, number, visibility))
        : reads.readShaped("CustomerStore.get", [tenant, number], () => getStatement(agg, tenant, number, visibility))
      const row = rows[0]
      if (row === undefined) return Option.none()
      const children = Rows.emptyChildren()
      const views = new Map<string, Customer.SalesAreaView>()
      for (const r of decodeArray(row.pk_company_codes)) children.companyCodes.push(Rows.decodeCompanyCode(dialect, r))
      for (const r of decodeArray(row.pk_sales_areas)) {
        const view = Rows.decodeSalesArea(dialect, r)
        views.set(Rows.salesAreaRowKey(r), view)
        children.salesAreas.push(view)
      }
      for (const r of decodeArray(row.pk_partners)) {
        const view = views.get(Rows.salesAreaRowKey(r))
        if (view === undefined) continue
        const partner = Rows.decodePartner(dialect, r)
        if (view.partners === undefined) view.partners = [partner]
        else (view.partners as Array<Customer.PartnerAssignment>).push(partner)
      }
      for (const r of decodeArray(row.pk_contacts)) children.contacts.push(Rows.decodeContact(r))
      // The pk_ columns are ignored: the customer is decoded from its own columns.
      return Option.some(Rows.decodeCustomer(dialect, row, children))
    }).pipe(storageError("CustomerStore.get"))

  const insert: CustomerStoreShape["insert"] = (record) =>
    tx
      .join(
        Effect.gen(function* () {
          // ON CONFLICT DO NOTHING: a taken number is a result, not an error that would abort a
          // PostgreSQL transaction. A concurrent insert of the same key waits for the other
          // transaction and then sees the conflict. It is found before anything is written.
          const inserted = yield* execute(sql`INSERT INTO customers ${sql.insert(Rows.customerRow(dialect, record))}
            ON CONFLICT (tenant, number) DO NOTHING RETURNING number`)
          if (inserted.length === 0) {
            return yield* Effect.fail(new Errors.CustomerNumberTaken({ tenant: record.tenant, number: record.number }))
          }
          yield* writeChildren(record)
          yield* Search.index(sql, [record])
        })
      )
      .pipe(storageError("CustomerStore.insert"))

  const insertMany: CustomerStoreShape["insertMany"] = (records) => {
    if (records.length === 0) return Effect.void
    const seen = new Set<string>()
    for (const record of records) {
      const key = JSON.stringify([record.tenant, record.number])
      if (seen.has(key)) return Effect.fail(new Errors.CustomerNumberTaken({ tenant: record.tenant, number: record.number }))
      seen.add(key)
    }
    return tx
      .write(
        Effect.gen(function* () {
          // One multi-row INSERT per chunk; a number that exists comes back missing from RETURNING.
          const inserted = new Set<string>()
          const customerRows = records.map((r) => Rows.customerRow(dialect, r))
          for (const chunk of chunks(customerRows, rowsPerInsert(Object.keys(customerRows[0]!).length))) {
            const rows = yield* execute(sql<{ readonly tenant: unknown; readonly number: unknown }>`INSERT INTO customers
              ${sql.insert(chunk)}
              ON CONFLICT (tenant, number) DO NOTHING RETURNING tenant, number`)
            for (const row of rows) inserted.add(JSON.stringify([String(row.tenant), String(row.number)]))
          }
          const taken = records.find((r) => !inserted.has(JSON.stringify([r.tenant, r.number])))
          if (taken !== undefined) {
            return yield* Effect.fail(new Errors.CustomerNumberTaken({ tenant: taken.tenant, number: taken.number }))
          }
          yield* insertRows(
            sql,
            "company_code_views",
            records.flatMap((r) => Rows.companyCodeRows(dialect, r))
          )
          yield* insertRows(
            sql,
            "sales_area_views",
            records.flatMap((r) => Rows.salesAreaRows(dialect, r))
          )
          yield* insertRows(
            sql,
            "sales_area_partners",
            records.flatMap((r) => Rows.partnerRows(dialect, r))
          )
          yield* insertRows(sql, "contact_persons", records.flatMap(Rows.contactRows))
          yield* Search.index(sql, records)
        })
      )
      .pipe(storageError("CustomerStore.insertMany"))
  }

  const update: CustomerStoreShape["update"] = (record, expectedVersion) =>
    tx
      .join(
        Effect.gen(function* () {
          const key = sql`tenant = ${record.tenant} AND number = ${record.number}`
          // The version check and the write are one statement: of two concurrent updates from the
          // same version, the second waits for the first's row lock and then matches no row. A
          // conflict or a missing record is found before anything is written.
          const updated = yield* execute(sql`UPDATE customers SET ${sql.update(Rows.customerUpdate(dialect, record))}
            WHERE ${key} AND version = ${expectedVersion} RETURNING number`)
          if (updated.length === 0) {
            const found = yield* execute(sql<{ readonly version: unknown }>`SELECT version FROM customers WHERE ${key}`)
            const actual = found[0]
            return yield* Effect.fail(
              actual === undefined
                ? new Errors.CustomerNotFound({ tenant: record.tenant, number: record.number })
                : new Errors.VersionConflict({ number: record.number, expected: expectedVersion, actual: Number(actual.version) })
            )
          }
          const owner = sql`tenant = ${record.tenant} AND customer_number = ${record.number}`
          yield* execute(sql`DELETE FROM company_code_views WHERE ${owner}`)
          // Partners go with their views (ON DELETE CASCADE).
          yield* execute(sql`DELETE FROM sales_area_views WHERE ${owner}`)
          yield* execute(sql`DELETE FROM contact_persons WHERE ${owner}`)
          yield* writeChildren(record)
          // The search index changes with the record, in the same transaction.
          yield* Search.reindex(sql, record)
        })
      )
      .pipe(storageError("CustomerStore.update"))

  const list: CustomerStoreShape["list"] = (query: CustomerQuery) => {
    const limit = Math.floor(query.limit)
    if (!(limit > 0)) return Effect.succeed([])
    const { tenant, visibility } = query
    const area = query.salesArea
    const filters = [
      sql`c.tenant = ${tenant}`,
      visibleGroup(sql, "c.authorization_group", visibility),
      query.accountGroup === undefined ? undefined : sql`c.account_group = ${query.accountGroup}`,
      query.after === undefined ? undefined : sql`c.number > ${query.after}`,
      query.companyCode === undefined
        ? undefined
        : sql`EXISTS (SELECT 1 FROM company_code_views v
            WHERE ${all(sql, [
              sql`v.tenant = c.tenant AND v.customer_number = c.number AND v.company_code = ${query.companyCode}`,
              visibleGroup(sql, "v.authorization_group", visibility)
            ])})`,
      area === undefined
        ? undefined
        : sql`EXISTS (SELECT 1 FROM sales_area_views s
            WHERE ${all(sql, [
              sql`s.tenant = c.tenant AND s.customer_number = c.number AND s.sales_organization = ${area.salesOrganization}
                AND s.distribution_channel = ${area.distributionChannel} AND s.division = ${area.division}`,
              visibleGroup(sql, "s.authorization_group", visibility)
            ])})`
    ]
    return tx
      .read(
        Effect.gen(function* () {
          const rows = yield* execute(
            sql<Rows.Row>`SELECT c.* FROM customers c WHERE ${all(sql, filters)} ORDER BY c.number LIMIT ${limit}`
          )
          return yield* assemble(tenant, rows, visibility)
        })
      )
      .pipe(storageError("CustomerStore.list"))
  }

  return { get, insert, insertMany, update, list }
}
