import * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"
import * as Search from "../internal/Search.js"
import type { Migration } from "../Migrations.js"

/**
 * Version 5: customer search (`CustomerSearchStore`, see `internal/Search.ts`).
 *
 * - `customer_search_tokens`: one row per (tenant, token, customer) — every word of the
 *   customer's name lines, search term, street and city, and every CJK character pair (plus the
 *   last character of each CJK run), as `SearchText.indexTokens` makes them. The primary key,
 *   tenant first, serves "the customers with a word starting with `mül`" as one range
 *   (`token >= 'mül' AND token < 'mülm'`: the key type orders by code point on both engines) and
 *   "how many, up to a cap" as a `LIMIT`ed scan of it. On SQLite the table is `WITHOUT ROWID`: the
 *   rows live in that key.
 * - `customer_search_tokens_by_customer` (tenant, customer_number, token): "does this customer
 *   also have a word starting with …" as one index probe, for every term but the rarest; and the
 *   rows to drop when the customer changes.
 * - `customer_search_cjk`: the customer's CJK runs joined by spaces, only for customers that have
 *   any, so that a CJK term of three or more characters is checked as a substring after its
 *   character pairs have narrowed the candidates.
 *
 * No foreign keys to `customers`: the rows are written in the same statements' transaction as the
 * customer (`internal/Customers.ts`), and dropping them must never wait for customer rows.
 *
 * Customers saved before this version get their rows in the migration itself (`data`: every
 * customer, a thousand at a time), so that an upgraded database finds them at once.
 */
export const search: Migration = {
  version: 5,
  name: "search",
  data: (dialect) => Effect.flatMap(SqlClient.SqlClient, (sql) => Search.backfill(dialect, sql)),
  statements: ({ name, tableOptions, types: t }) => {
    const compact = name === "sqlite" ? ` ${[tableOptions.trim(), "WITHOUT ROWID"].filter((o) => o !== "").join(", ")}` : tableOptions
    return [
      `CREATE TABLE customer_search_tokens (
  tenant ${t.key} NOT NULL,
  token ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  PRIMARY KEY (tenant, token, customer_number)
)${compact}`,
      "CREATE INDEX customer_search_tokens_by_customer ON customer_search_tokens (tenant, customer_number, token)",
      `CREATE TABLE customer_search_cjk (
  tenant ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  cjk_text ${t.text} NOT NULL,
  PRIMARY KEY (tenant, customer_number)
)${compact}`
    ]
  }
}
