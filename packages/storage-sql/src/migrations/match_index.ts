import type { Migration } from "../Migrations.js"

/**
 * Version 4: the duplicate check's match index (`MatchIndexStore`, see `internal/MatchIndex.ts`).
 *
 * - `match_index_keys`: one row per (tenant, blocking key, customer) — the inverted index. Its
 *   primary key, tenant first, is the only index a candidate lookup needs: "the customers carrying
 *   key k" is one range of it, and so is "are more than n customers carrying k" (a scan of at most
 *   n + 1 entries, `LIMIT`-capped), so the frequency cap costs the same for a rare key and for one
 *   carried by half the tenant. On SQLite the table is `WITHOUT ROWID`: the rows live in that key.
 * - `match_index_entries`: the keys of each customer, one row per (tenant, customer), so that a
 *   `put` or `remove` finds the postings to drop without a second index over the big table, and so
 *   that concurrent writes of one customer queue on one row.
 *
 * No foreign key to `customers`: keys are written in the same transaction as the customer, and
 * the port is usable on its own (a store author's test, a rebuild).
 */
export const matchIndex: Migration = {
  version: 4,
  name: "match_index",
  statements: ({ name, tableOptions, types: t }) => {
    const compact = name === "sqlite" ? ` ${[tableOptions.trim(), "WITHOUT ROWID"].filter((o) => o !== "").join(", ")}` : tableOptions
    return [
      `CREATE TABLE match_index_keys (
  tenant ${t.key} NOT NULL,
  match_key ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  PRIMARY KEY (tenant, match_key, customer_number)
)${compact}`,
      `CREATE TABLE match_index_entries (
  tenant ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  match_keys ${t.text},
  PRIMARY KEY (tenant, customer_number)
)${tableOptions}`
    ]
  }
}
