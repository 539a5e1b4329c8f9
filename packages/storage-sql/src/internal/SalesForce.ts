/**
 * `SalesEmployeeStore` and `TerritoryStore` in SQL: `sales_employees`, `territories` and
 * `territory_assignment_changes`, one row per record keyed by (tenant, id), each with a version.
 *
 * `put(record, expected)` is one statement that checks and writes: `INSERT … ON CONFLICT DO
 * NOTHING` when the record must not exist yet (`expected` null), `UPDATE … WHERE version =
 * $expected` otherwise. Of two concurrent puts from one version the second matches no row (it
 * waits for the first's row lock on PostgreSQL, for the write lock on SQLite) and fails with
 * `VersionConflict` carrying the stored version (0 when there is none).
 */
import type { SqlClient } from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import { Errors, type SalesEmployeeStoreShape, type TerritoryStoreShape } from "@partnerkit/core"
import { Effect, Option } from "effect"
import type { Dialect } from "../Dialect.js"
import { storageError } from "./Errors.js"
import * as Reads from "./Reads.js"
import * as Rows from "./Rows.js"
import { all } from "./Statements.js"
import type { Transactions } from "./Transaction.js"

const makeVersioned = (sql: SqlClient, reader: SqlClient, tx: Transactions, table: string, direct: Reads.StatementReader | undefined) => {
  const key = (tenant: string, id: string) => sql`tenant = ${tenant} AND id = ${id}`
  const reads = Reads.make(direct)

  const get = (tenant: string, id: string) =>
    Effect.map(
      reads.readShaped("get", [tenant, id], () => reader<Rows.Row>`SELECT * FROM ${sql(table)} WHERE ${key(tenant, id)}`),
      (rows) => Option.fromNullable(rows[0])
    )

  const put = (row: Rows.Row, expected: number | null) =>
    tx.write(
      Effect.gen(function* () {
        const tenant = String(row.tenant)
        const id = String(row.id)
        const written =
          expected === null
            ? yield* sql`INSERT INTO ${sql(table)} ${sql.insert(row)} ON CONFLICT (tenant, id) DO NOTHING RETURNING id`
            : yield* sql`UPDATE ${sql(table)} SET ${sql.update(row, ["tenant", "id"])}
                WHERE ${key(tenant, id)} AND version = ${expected} RETURNING id`
        if (written.length > 0) return
        const stored = yield* sql<{ readonly version: unknown }>`SELECT version FROM ${sql(table)} WHERE ${key(tenant, id)}`
        return yield* Effect.fail(
          new Errors.VersionConflict({ number: id, expected: expected ?? 0, actual: Number(stored[0]?.version ?? 0) })
        )
      })
    )

  const list = (tenant: string, filters: ReadonlyArray<Fragment | undefined>, orderBy: string) => {
    const statement = () =>
      reader<Rows.Row>`SELECT * FROM ${sql(table)} WHERE ${all(sql, [sql`tenant = ${tenant}`, ...filters])} ORDER BY ${sql.literal(orderBy)}`
    // Without filters the text is always the same (per order): compiled once.
    return filters.every((f) => f === undefined) ? reads.readShaped(`list ${orderBy}`, [tenant], statement) : reads.read(statement())
  }

  return { get, put, list }
}

export const makeSalesEmployees = (
  dialect: Dialect,
  sql: SqlClient,
  reader: SqlClient,
  tx: Transactions,
  direct?: Reads.StatementReader | undefined
): SalesEmployeeStoreShape => {
  const table = makeVersioned(sql, reader, tx, "sales_employees", direct)
  return {
    get: (tenant, id) =>
      table
        .get(tenant, id)
        .pipe(Effect.map(Option.map((row) => Rows.decodeSalesEmployee(dialect, row))), storageError("SalesEmployeeStore.get")),
    put: (employee, expected) => table.put(Rows.salesEmployeeRow(dialect, employee), expected).pipe(storageError("SalesEmployeeStore.put")),
    list: (tenant) =>
      table.list(tenant, [], "id").pipe(
        Effect.map((rows) => rows.map((row) => Rows.decodeSalesEmployee(dialect, row))),
        storageError("SalesEmployeeStore.list")
      )
  }
}

export const makeTerritories = (
  dialect: Dialect,
  sql: SqlClient,
  reader: SqlClient,
  tx: Transactions,
  direct?: Reads.StatementReader | undefined
): TerritoryStoreShape => {
  const territories = makeVersioned(sql, reader, tx, "territories", direct)
  const changes = makeVersioned(sql, reader, tx, "territory_assignment_changes", direct)
  return {
    get: (tenant, id) =>
      territories
        .get(tenant, id)
        .pipe(Effect.map(Option.map((row) => Rows.decodeTerritory(dialect, row))), storageError("TerritoryStore.get")),
    put: (territory, expected) => territories.put(Rows.territoryRow(dialect, territory), expected).pipe(storageError("TerritoryStore.put")),
    list: (tenant) =>
      territories.list(tenant, [], "priority, id").pipe(
        Effect.map((rows) => rows.map((row) => Rows.decodeTerritory(dialect, row))),
        storageError("TerritoryStore.list")
      ),
    getChange: (tenant, id) =>
      changes.get(tenant, id).pipe(Effect.map(Option.map(Rows.decodeAssignmentChange)), storageError("TerritoryStore.getChange")),
    putChange: (change, expected) => changes.put(Rows.assignmentChangeRow(change), expected).pipe(storageError("TerritoryStore.putChange")),
    listChanges: (tenant, filter) =>
      changes
        .list(
          tenant,
          [
            filter.status === undefined ? undefined : sql`status = ${filter.status}`,
            filter.approver === undefined ? undefined : sql`approver = ${filter.approver}`,
            filter.territory === undefined ? undefined : sql`territory = ${filter.territory}`
          ],
          "requested_at, id"
        )
        .pipe(
          Effect.map((rows) => rows.map(Rows.decodeAssignmentChange)),
          storageError("TerritoryStore.listChanges")
        )
  }
}
