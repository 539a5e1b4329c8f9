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
import * as Reads from "./Reads.js"
import * as Rows from "./Rows.js"
import { all, insertRows } from "./Statements.js"
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

export const make = (
  sql: SqlClient,
  reader: SqlClient,
  tx: Transactions,
  direct?: Reads.StatementReader | undefined
): ChangeDocumentStoreShape => {
  const reads = Reads.make(direct)
  /**
   * The joins the visibility predicate needs after `change_document_items i`, and the predicate:
   * the item's view exists and its group is visible. (An item of a view that no longer exists is
   * shown only to unrestricted readers: nobody can say which group it belonged to.)
   */
  const visibleItems = (visibility: Actor.Visibility): { joins: Fragment; visible: Fragment | undefined } =>
    restricted(visibility)
      ? {
          joins: reader.literal(viewJoins),
          visible: reader.or([
            reader`(i.view_kind = 'general' AND vc.number IS NOT NULL AND ${visibleGroup(reader, "vc.authorization_group", visibility)!})`,
            reader`(i.view_kind = 'companyCode' AND vcc.company_code IS NOT NULL AND ${visibleGroup(reader, "vcc.authorization_group", visibility)!})`,
            reader`(i.view_kind = 'salesArea' AND vsa.division IS NOT NULL AND ${visibleGroup(reader, "vsa.authorization_group", visibility)!})`
          ])
        }
      : { joins: reader.literal(""), visible: undefined }

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

  // One statement (one snapshot, one round trip): the page of documents with a visible item,
  // newest first, joined to their visible items in stored order.
  const list: ChangeDocumentStoreShape["list"] = (query: ChangeDocumentQuery) => {
    const limit = Math.floor(query.limit)
    if (!(limit > 0)) return Effect.succeed([])
    const { tenant, customerNumber, visibility } = query
    const { joins, visible } = visibleItems(visibility)
    return reads
      .read(
        reader<Rows.Row>`SELECT page.change_number, page.operation, page.changed_by, page.changed_at,
            i.view_kind, i.view_id, i.path, i.old_value, i.new_value
          FROM (SELECT d.tenant, d.customer_number, d.change_number, d.operation, d.changed_by, d.changed_at
            FROM change_documents d
            WHERE ${all(reader, [
              reader`d.tenant = ${tenant} AND d.customer_number = ${customerNumber}`,
              query.before === undefined ? undefined : reader`d.change_number < ${query.before}`,
              reader`EXISTS (SELECT 1 FROM change_document_items i ${joins} WHERE ${all(reader, [
                reader`i.tenant = d.tenant AND i.customer_number = d.customer_number AND i.change_number = d.change_number`,
                visible
              ])})`
            ])}
            ORDER BY d.change_number DESC
            LIMIT ${limit}) page
          JOIN change_document_items i
            ON i.tenant = page.tenant AND i.customer_number = page.customer_number AND i.change_number = page.change_number
          ${joins}
          ${visible === undefined ? reader.literal("") : reader`WHERE ${visible}`}
          ORDER BY page.change_number DESC, i.position`
      )
      .pipe(
        Effect.map((rows) => {
          const documents: Array<ChangeDocument.ChangeDocument> = []
          let current: { readonly row: Rows.Row; readonly items: Array<ChangeDocument.ChangeItem> } | undefined
          const flush = () => {
            if (current !== undefined) documents.push(Rows.decodeDocument(tenant, customerNumber, current.row, current.items))
          }
          for (const row of rows) {
            if (current === undefined || Number(current.row.change_number) !== Number(row.change_number)) {
              flush()
              current = { row, items: [] }
            }
            current.items.push(Rows.decodeItem(row))
          }
          flush()
          return documents
        }),
        storageError("ChangeDocumentStore.list")
      )
  }

  return { append, list }
}
