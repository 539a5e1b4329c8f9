/**
 * `CustomerSearchStore` in SQL, over `customer_search_tokens` and `customer_search_cjk`
 * (migration 5, `migrations/search.ts`), kept in step by `CustomerStore`'s writes (`index`,
 * `reindex`, called from `internal/Customers.ts` in the same transaction as the record).
 *
 * A search with terms runs on one snapshot:
 * 1. The size of every probe (`SearchText.probes`: a word's prefix range, a CJK pair), capped:
 *    `(SELECT count(*) FROM (SELECT 1 … LIMIT cap))` reads at most `cap` index entries, so a
 *    probe that half the tenant carries costs what a rare one does. A probe with no entries ends
 *    the search (nothing can match).
 * 2. The candidates: the rare probes' ranges of the primary key, `INTERSECT`ed (linear in their
 *    sizes, whatever a planner estimates for a range); the common probes as an `EXISTS` per
 *    candidate on `customer_search_tokens_by_customer`; a CJK term of three or more characters as
 *    a literal `LIKE` on `customer_search_cjk` (its `%`, `_` and `\` escaped).
 * 3. With a rare probe, every text match in one statement; the filters and the visibility judged
 *    by primary key for exactly those numbers; the total is their number, the page read by key.
 *    With only common probes, the page is a `LIMIT`ed join in number order and the total a
 *    `count(*)`. Filters and visibility are part of the query either way: pages are full and
 *    totals right.
 *
 * Without terms the search is the filtered, visibility-checked scan of `customers` that `list`
 * makes, plus its count. Every value is a bound parameter: search text is never SQL.
 */
import type { SqlClient } from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import {
  type Customer,
  type CustomerSearchHit,
  type CustomerSearchQuery,
  type CustomerSearchStoreShape,
  SearchText
} from "@partnerkit/core"
import { Effect } from "effect"
import type { Dialect } from "../Dialect.js"
import { storageError } from "./Errors.js"
import * as Rows from "./Rows.js"
import { all, chunks, execute, insertRows } from "./Statements.js"
import type { Transactions } from "./Transaction.js"
import { visibleGroup } from "./Visibility.js"

/**
 * Index entries a probe's size is counted up to. Below it a probe is "rare" and scanned whole
 * (its cost bounded by the cap); at it, "common", and checked per candidate instead.
 */
const probeSizeCap = 25_000

/** Customer numbers per `IN (…)` list when judging candidates by primary key. */
const numbersPerStatement = 5_000

type Probe = { readonly token: string; readonly prefix: boolean }

/** What the index rows of a customer are made of. */
type Indexed = Pick<Customer.CustomerRecord, "tenant" | "number" | "general">

/** The token and CJK rows of `records`. */
const indexRows = (records: ReadonlyArray<Indexed>) => {
  const tokens: Array<Rows.Row> = []
  const cjk: Array<Rows.Row> = []
  for (const record of records) {
    for (const token of SearchText.indexTokens(record.general)) {
      tokens.push({ tenant: record.tenant, token, customer_number: record.number })
    }
    const text = SearchText.cjkText(record.general)
    if (text !== undefined) cjk.push({ tenant: record.tenant, customer_number: record.number, cjk_text: text })
  }
  return { tokens, cjk }
}

/** Writes the index rows of new customers (inside the caller's transaction). */
export const index = (sql: SqlClient, records: ReadonlyArray<Indexed>) => {
  const { tokens, cjk } = indexRows(records)
  return Effect.zipRight(insertRows(sql, "customer_search_tokens", tokens), insertRows(sql, "customer_search_cjk", cjk))
}

/** Replaces the index rows of a changed customer (inside the caller's transaction). */
export const reindex = (sql: SqlClient, record: Customer.CustomerRecord) =>
  Effect.gen(function* () {
    const owner = sql`tenant = ${record.tenant} AND customer_number = ${record.number}`
    yield* execute(sql`DELETE FROM customer_search_tokens WHERE ${owner}`)
    yield* execute(sql`DELETE FROM customer_search_cjk WHERE ${owner}`)
    yield* index(sql, [record])
  })

/** `%`, `_` and the escape character itself, escaped for `LIKE … ESCAPE '\'`. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

export const make = (dialect: Dialect, sql: SqlClient, tx: Transactions): CustomerSearchStoreShape => {
  const probeRange = (alias: string, probe: Probe): Fragment => {
    const column = sql.literal(`${alias}.token`)
    return probe.prefix
      ? sql`${column} >= ${probe.token} AND ${column} < ${SearchText.prefixEnd(probe.token)}`
      : sql`${column} = ${probe.token}`
  }

  const filtersOf = (query: CustomerSearchQuery): Array<Fragment | undefined> => {
    const { visibility } = query
    const area = query.salesArea
    return [
      visibleGroup(sql, "c.authorization_group", visibility),
      query.accountGroup === undefined ? undefined : sql`c.account_group = ${query.accountGroup}`,
      query.country === undefined ? undefined : sql`c.country = ${query.country}`,
      query.blocked === undefined
        ? undefined
        : query.blocked
          ? sql`c.central_block_reason IS NOT NULL`
          : sql`c.central_block_reason IS NULL`,
      query.deletionFlag === undefined ? undefined : sql`c.deletion_flag = ${dialect.encodeBoolean(query.deletionFlag)}`,
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
  }

  const hitOf = (row: Rows.Row): CustomerSearchHit => {
    const record = Rows.decodeCustomer(dialect, row, Rows.emptyChildren())
    return {
      number: record.number,
      accountGroup: record.accountGroup,
      version: record.version,
      general: record.general,
      centralBlock: record.centralBlock,
      deletionFlag: record.deletionFlag
    }
  }

  /** Capped entry counts of `probes`, in one statement. */
  const probeSizes = (tenant: string, probes: ReadonlyArray<Probe>) =>
    Effect.map(
      execute(
        sql<Rows.Row>`SELECT ${sql.csv(
          probes.map(
            (probe, i) =>
              sql`(SELECT COUNT(*) FROM (SELECT 1 AS hit FROM customer_search_tokens p
                WHERE p.tenant = ${tenant} AND ${probeRange("p", probe)} LIMIT ${probeSizeCap}) AS p${sql.literal(String(i))}) AS n${sql.literal(String(i))}`
          )
        )}`
      ),
      (rows) => probes.map((_, i) => Number(rows[0]?.[`n${i}`] ?? 0))
    )

  const search: CustomerSearchStoreShape["search"] = (query) => {
    const limit = Math.floor(query.limit)
    const { tenant } = query
    const after = query.after === undefined ? undefined : sql`c.number > ${query.after}`
    return tx
      .read(
        Effect.gen(function* () {
          if (query.terms.length === 0) {
            const where = all(sql, [sql`c.tenant = ${tenant}`, ...filtersOf(query)])
            const rows =
              limit > 0
                ? yield* execute(
                    sql<Rows.Row>`SELECT c.* FROM customers c WHERE ${all(sql, [where, after])} ORDER BY c.number LIMIT ${limit}`
                  )
                : []
            const counted = yield* execute(sql<Rows.Row>`SELECT COUNT(*) AS total FROM customers c WHERE ${where}`)
            return { items: rows.map(hitOf), total: Number(counted[0]?.total ?? 0) }
          }
          const termProbes = query.terms.map(SearchText.probes)
          const probes = termProbes.flatMap((t) => t.probes)
          const sizes = yield* probeSizes(tenant, probes)
          if (sizes.some((n) => n === 0)) return { items: [], total: 0 }
          // Rare probes (fewer than the cap's entries) are each one range scan, intersected: linear
          // in their sizes, whatever the planner estimates for a range. Common ones are checked per
          // candidate through `customer_search_tokens_by_customer`; the `|| ''` keeps the planner
          // from scanning their range in the primary key once per candidate instead.
          const order = probes.map((_, i) => i).sort((a, b) => sizes[a]! - sizes[b]!)
          const rare = order.filter((i) => sizes[i]! < probeSizeCap)
          const scanned = rare.length > 0 ? rare : order.slice(0, 1)
          const checked = order.filter((i) => !scanned.includes(i))
          const scan = (i: number) =>
            sql`SELECT d.customer_number || '' AS customer_number FROM customer_search_tokens d
              WHERE d.tenant = ${tenant} AND ${probeRange("d", probes[i]!)}`
          // INTERSECT and DISTINCT make each customer one candidate, also one with two words in a
          // prefix range ("mül": müller, mülheim). `|| ''` keeps SQLite from reading the whole
          // tenant in `customer_search_tokens_by_customer` order to save the sort of DISTINCT.
          const candidates =
            scanned.length === 1
              ? sql`(SELECT DISTINCT d.customer_number || '' AS customer_number FROM customer_search_tokens d
                  WHERE d.tenant = ${tenant} AND ${probeRange("d", probes[scanned[0]!]!)}) h`
              : sql`(${sql.join(" INTERSECT ", false)(scanned.map(scan))}) h`
          // Text conditions on the candidate `h.customer_number` only: without a filter or a
          // restricted visibility no customer row is read to count (every token row belongs to a
          // customer of the tenant: they are written and dropped with it in one transaction).
          const textConditions = [
            ...checked.map((i) => {
              const probe = probes[i]!
              const token = sql.literal("(o.token || '')")
              return sql`EXISTS (SELECT 1 FROM customer_search_tokens o
                WHERE o.tenant = ${tenant} AND o.customer_number = h.customer_number AND ${
                  probe.prefix
                    ? sql`${token} >= ${probe.token} AND ${token} < ${SearchText.prefixEnd(probe.token)}`
                    : sql`${token} = ${probe.token}`
                })`
            }),
            ...termProbes.flatMap((t) =>
              t.substring === undefined
                ? []
                : [
                    sql`EXISTS (SELECT 1 FROM customer_search_cjk x
                      WHERE x.tenant = ${tenant} AND x.customer_number = h.customer_number
                      AND x.cjk_text LIKE ${`%${likeLiteral(t.substring)}%`} ESCAPE '\\')`
                  ]
            )
          ]
          const filters = filtersOf(query).filter((f): f is Fragment => f !== undefined)
          // The customers the text matches; with filters, those of them the filters and the
          // visibility keep (an `IN` on the customers' primary key: one lookup per candidate).
          const textMatches = sql`SELECT h.customer_number FROM ${candidates} WHERE ${all(sql, [sql`1 = 1`, ...textConditions])}`
          const kept = (extra: ReadonlyArray<Fragment | undefined>) =>
            all(sql, [sql`c.tenant = ${tenant} AND c.number IN (${textMatches})`, ...filters, ...extra])
          const matches = filters.length === 0 ? textMatches : sql`SELECT c.number AS customer_number FROM customers c WHERE ${kept([])}`
          if (rare.length > 0) {
            // A rare driver: one pass finds every text match; the filters and the visibility are
            // then judged by primary key for exactly those numbers (bound, so that no planner can
            // prefer a scan of `customers`); the total is their number and the page is read by key.
            // (The probe cap bounds the candidates, so this is bounded too.)
            const texts = (yield* execute(sql<{ readonly customer_number: unknown }>`${textMatches}`)).map((r) => String(r.customer_number))
            const numbers: Array<string> = []
            if (filters.length === 0) numbers.push(...texts)
            else {
              for (const chunk of chunks(texts, numbersPerStatement)) {
                const kept = yield* execute(sql<{ readonly number: unknown }>`SELECT c.number FROM customers c
                  WHERE ${all(sql, [sql`c.tenant = ${tenant} AND c.number IN ${sql.in(chunk)}`, ...filters])}`)
                for (const row of kept) numbers.push(String(row.number))
              }
            }
            numbers.sort(byCodeUnit)
            const page = limit > 0 ? numbers.filter((n) => query.after === undefined || n > query.after).slice(0, limit) : []
            if (page.length === 0) return { items: [], total: numbers.length }
            const rows = yield* execute(sql<Rows.Row>`SELECT * FROM customers WHERE tenant = ${tenant} AND number IN ${sql.in(page)}`)
            const byNumber = new Map(rows.map((row) => [String(row.number), row]))
            return { items: page.flatMap((n) => (byNumber.has(n) ? [hitOf(byNumber.get(n)!)] : [])), total: numbers.length }
          }
          // A common driver: the page stops at `limit`; the total is counted without reading
          // customer rows when no filter and no restricted visibility needs them.
          const rows =
            limit > 0
              ? yield* execute(sql<Rows.Row>`SELECT c.* FROM customers c WHERE ${kept([after])} ORDER BY c.number LIMIT ${limit}`)
              : []
          const counted = yield* execute(sql<Rows.Row>`SELECT COUNT(*) AS total FROM (${matches}) m`)
          return { items: rows.map(hitOf), total: Number(counted[0]?.total ?? 0) }
        })
      )
      .pipe(storageError("CustomerSearchStore.search"))
  }

  return { search }
}

/** Customers read per page when indexing those saved before the index existed. */
const backfillPage = 1_000

/**
 * Writes the index rows of every customer, page by page in number order (inside the caller's
 * transaction): for a database upgraded across version 5, whose customers were saved before the
 * index existed. Reads only the customers' own row (the general data).
 */
export const backfill = (dialect: Dialect, sql: SqlClient) =>
  Effect.gen(function* () {
    let after: { readonly tenant: string; readonly number: string } | undefined
    for (;;) {
      const rows = yield* execute(
        sql<Rows.Row>`SELECT * FROM customers${
          after === undefined ? sql`` : sql` WHERE tenant > ${after.tenant} OR (tenant = ${after.tenant} AND number > ${after.number})`
        } ORDER BY tenant, number LIMIT ${backfillPage}`
      )
      if (rows.length === 0) return
      yield* index(
        sql,
        rows.map((row) => ({ tenant: String(row.tenant), number: String(row.number), general: Rows.decodeGeneral(dialect, row) }))
      )
      const last = rows.at(-1)!
      after = { tenant: String(last.tenant), number: String(last.number) }
    }
  })
