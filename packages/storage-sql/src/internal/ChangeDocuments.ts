/**
 * `ChangeDocumentStore` in SQL: `change_documents` (one row per document) and
 * `change_document_items` (one row per item, `position` keeping the stored order).
 *
 * Visibility is decided in the query: each item is joined to the view it belongs to as that view
 * is now (`customers` for general items, `company_code_views` / `sales_area_views` by company
 * code / sales-area key) and kept when that view's authorization group is visible; an item of a
 * view that no longer exists is kept only for unrestricted readers. The page query selects only documents that keep
 * at least one item, newest first, `LIMIT`ed in SQL, so the page is filled from older documents.
 */
import type { SqlClient } from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import type { Actor, ChangeDocument, ChangeDocumentQuery, ChangeDocumentStoreShape } from "@partnerkit/core"
import { Effect } from "effect"
import { storageError } from "./Errors.js"
import * as Rows from "./Rows.js"
import { all, execute, insertRows } from "./Statements.js"
import type { Transactions } from "./Transaction.js"
import { restricted, visibleGroup } from "./Visibility.js"

/**
 * The views item `i` may belong to, as they are now: `vc` (the customer, for general items),
 * `vcc` / `vsa` (the company-code / sales-area view named by `view_id`).
 */
const viewJoins = `LEFT JOIN customers vc
    ON vc.tenant = i.tenant AND vc.number = i.customer_number
  LEFT JOIN company_code_views vcc
    ON i.view_kind = 'companyCode' AND vcc.tenant = i.tenant AND vcc.customer_number = i.customer_number
    AND vcc.company_code = i.view_id
  LEFT JOIN sales_area_views vsa
    ON i.view_kind = 'salesArea' AND vsa.tenant = i.tenant AND vsa.customer_number = i.customer_number
    AND vsa.sales_organization || '/' || vsa.distribution_channel || '/' || vsa.division = i.view_id`

export const make = (sql: SqlClient, tx: Transactions): ChangeDocumentStoreShape => {
  /**
   * `FROM change_document_items i …` with the joins the visibility predicate needs, and the
   * predicate: the item's view exists and its group is visible. (An item of a view that no longer
   * exists is shown only to unrestricted readers: nobody can say which group it belonged to.)
   */
  const visibleItems = (visibility: Actor.Visibility): { from: Fragment; visible: Fragment | undefined } =>
    restricted(visibility)
      ? {
          from: sql.literal(`change_document_items i ${viewJoins}`),
          visible: sql.or([
            sql`(i.view_kind = 'general' AND vc.number IS NOT NULL AND ${visibleGroup(sql, "vc.authorization_group", visibility)!})`,
            sql`(i.view_kind = 'companyCode' AND vcc.company_code IS NOT NULL AND ${visibleGroup(sql, "vcc.authorization_group", visibility)!})`,
            sql`(i.view_kind = 'salesArea' AND vsa.division IS NOT NULL AND ${visibleGroup(sql, "vsa.authorization_group", visibility)!})`
          ])
        }
      : { from: sql.literal("change_document_items i"), visible: undefined }

  const append: ChangeDocumentStoreShape["append"] = (documents) =>
    documents.length === 0
      ? Effect.void
      : tx
          // No domain failure: a savepoint only where a failed statement leaves the transaction usable.
          .join(
            Effect.gen(function* () {
              yield* insertRows(sql, "change_documents", documents.map(Rows.documentRow))
              yield* insertRows(sql, "change_document_items", documents.flatMap(Rows.itemRows))
            })
          )
          .pipe(storageError("ChangeDocumentStore.append"))

  const list: ChangeDocumentStoreShape["list"] = (query: ChangeDocumentQuery) => {
    const limit = Math.floor(query.limit)
    if (!(limit > 0)) return Effect.succeed([])
    const { tenant, customerNumber, visibility } = query
    const items = visibleItems(visibility)
    return tx
      .read(
        Effect.gen(function* () {
          const documents = yield* execute(sql<Rows.Row>`SELECT d.change_number, d.operation, d.changed_by, d.changed_at
            FROM change_documents d
            WHERE ${all(sql, [
              sql`d.tenant = ${tenant} AND d.customer_number = ${customerNumber}`,
              query.before === undefined ? undefined : sql`d.change_number < ${query.before}`,
              sql`EXISTS (SELECT 1 FROM ${items.from} WHERE ${all(sql, [
                sql`i.tenant = d.tenant AND i.customer_number = d.customer_number AND i.change_number = d.change_number`,
                items.visible
              ])})`
            ])}
            ORDER BY d.change_number DESC
            LIMIT ${limit}`)
          if (documents.length === 0) return []
          const numbers = documents.map((d) => Number(d.change_number))
          const itemRows = yield* execute(sql<Rows.Row>`SELECT i.change_number, i.view_kind, i.view_id, i.path, i.old_value, i.new_value
            FROM ${items.from}
            WHERE ${all(sql, [
              sql`i.tenant = ${tenant} AND i.customer_number = ${customerNumber} AND i.change_number IN ${sql.in(numbers)}`,
              items.visible
            ])}
            ORDER BY i.change_number, i.position`)
          const byNumber = new Map<number, Array<ChangeDocument.ChangeItem>>(numbers.map((n) => [n, []]))
          for (const row of itemRows) byNumber.get(Number(row.change_number))?.push(Rows.decodeItem(row))
          return documents.map((row) => Rows.decodeDocument(tenant, customerNumber, row, byNumber.get(Number(row.change_number)) ?? []))
        })
      )
      .pipe(storageError("ChangeDocumentStore.list"))
  }

  return { append, list }
}
