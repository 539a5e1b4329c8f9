/**
 * `MatchIndexStore` in SQL: `match_index_keys` (tenant, match_key, customer_number) is the inverted
 * index, `match_index_entries` the keys of each customer (migration 4, `migrations/match_index.ts`).
 *
 * - `candidates` is one statement: the query keys (a `VALUES` list) are kept when their frequency
 *   is at most the cap — `(SELECT 1 … WHERE match_key = k LIMIT 1 OFFSET cap) IS NULL` reads at most
 *   `cap + 1` entries of the primary key, so a key carried by half the tenant costs what a rare one
 *   does — then one `GROUP BY customer_number` over the kept keys' postings (each at most `cap`
 *   long), ordered by shared keys and number, `LIMIT`ed. The frequency is exact (no compaction
 *   lag, unlike the memory store's). Outside a transaction it runs alone, without `BEGIN` /
 *   `COMMIT`: one round trip.
 * - `put` / `putMany` / `remove` first make sure the customer's `match_index_entries` row exists
 *   (`INSERT … ON CONFLICT DO NOTHING`, which waits for a concurrent insert of the same row) and
 *   read it with the dialect's row lock, so concurrent writes of one customer queue on that row
 *   and the later one diffs against what the earlier one committed. Only the difference is
 *   written: postings of dropped keys are deleted, of new keys inserted (a re-put of the same
 *   keys writes one row). A customer that had no row (a new one) gets it with its keys in that
 *   `INSERT` and its postings in one more: two statements, nothing read. Customers are locked in
 *   number order, so two `putMany` calls never deadlock each other.
 * - `records` reads the `customers` rows of the candidates in one statement (no views: scoring
 *   needs the general data only).
 * - Every operation joins the caller's transaction (`Transactions.join`): it has no domain
 *   failure, and a driver failure halfway dooms the transaction instead of committing half an index.
 */
import { type SqlClient, TransactionConnection } from "@effect/sql/SqlClient"
import type { Fragment, Statement } from "@effect/sql/Statement"
import type { IndexCandidate, MatchIndexStoreShape, MatchRecord } from "@partnerkit/core"
import { Effect } from "effect"
import type { Dialect } from "../Dialect.js"
import { storageError } from "./Errors.js"
import * as Reads from "./Reads.js"
import * as Rows from "./Rows.js"
import { chunks, execute, insertRows } from "./Statements.js"
import type { Transactions } from "./Transaction.js"

/** Customers per `IN (…)` list when reading or writing entries. */
const customersPerStatement = 500
/** (key, customer) pairs per `DELETE`. */
const pairsPerDelete = 400

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The `customers` columns scoring reads (`records`): the general data, account group and deletion
 * flag — not the blocks, system fields and timestamps, which would only cost decoding.
 */
const recordColumns = ["number", "account_group", "deletion_flag", "tax_numbers", ...Object.values(Rows.generalColumns)].join(", ")

const decodeKeys = (value: unknown): ReadonlyArray<string> =>
  value === null || value === undefined || value === "" ? [] : (JSON.parse(String(value)) as Array<string>)

export const make = (
  dialect: Dialect,
  sql: SqlClient,
  reader: SqlClient,
  tx: Transactions,
  direct?: Reads.StatementReader | undefined
): MatchIndexStoreShape => {
  const reads = Reads.make(direct)
  /**
   * Creates the missing entry rows of `numbers` (sorted), with the customer's new keys (`NULL` for
   * none), in one `INSERT … ON CONFLICT DO NOTHING` per chunk, which waits for a concurrent insert
   * of the same row and locks the rows it inserts. Returns the numbers whose rows it inserted: those
   * customers had no keys, so there is nothing to read or diff. Then it reads and locks the rows
   * that existed, in the same order: the customer's current keys, by number.
   */
  const lockEntries = (tenant: string, numbers: ReadonlyArray<string>, keysOf: ReadonlyMap<string, ReadonlyArray<string>>) =>
    Effect.gen(function* () {
      const fresh = new Set<string>()
      const current = new Map<string, ReadonlyArray<string>>()
      for (const chunk of chunks(numbers, customersPerStatement)) {
        const inserted = yield* execute(
          sql<{ readonly customer_number: unknown }>`INSERT INTO match_index_entries ${sql.insert(
            chunk.map((number) => {
              const keys = keysOf.get(number)!
              return { tenant, customer_number: number, match_keys: keys.length === 0 ? null : JSON.stringify(keys) }
            })
          )}
            ON CONFLICT (tenant, customer_number) DO NOTHING RETURNING customer_number`
        )
        for (const row of inserted) fresh.add(String(row.customer_number))
        const existing = inserted.length === 0 ? chunk : chunk.filter((number) => !fresh.has(number))
        if (existing.length === 0) continue
        const rows = yield* execute(
          sql<{ readonly customer_number: unknown; readonly match_keys: unknown }>`SELECT customer_number, match_keys
            FROM match_index_entries WHERE tenant = ${tenant} AND customer_number IN ${sql.in(existing)}
            ORDER BY customer_number${sql.literal(dialect.forUpdate)}`
        )
        for (const row of rows) current.set(String(row.customer_number), decodeKeys(row.match_keys))
      }
      return { fresh, current }
    })

  /** Replaces the keys of each customer (already deduplicated, last write per number). */
  const write = (tenant: string, wanted: ReadonlyMap<string, ReadonlyArray<string>>) =>
    Effect.gen(function* () {
      const numbers = [...wanted.keys()].sort(compareText)
      if (numbers.length === 0) return
      const keysOf = new Map<string, ReadonlyArray<string>>()
      for (const number of numbers) keysOf.set(number, [...new Set(wanted.get(number)!)].sort(compareText))
      const { fresh, current } = yield* lockEntries(tenant, numbers, keysOf)
      const dropped: Array<readonly [string, string]> = []
      const added: Array<{ tenant: string; match_key: string; customer_number: string }> = []
      const emptied: Array<string> = []
      const changed: Array<{ tenant: string; customer_number: string; match_keys: string }> = []
      for (const number of numbers) {
        const next = keysOf.get(number)!
        if (fresh.has(number)) {
          // Its row was just written with these keys: only the postings are missing (or, for no keys, the row is one too many).
          for (const key of next) added.push({ tenant, match_key: key, customer_number: number })
          if (next.length === 0) emptied.push(number)
          continue
        }
        const before = current.get(number) ?? []
        const nextSet = new Set(next)
        const beforeSet = new Set(before)
        for (const key of before) if (!nextSet.has(key)) dropped.push([key, number])
        for (const key of next) if (!beforeSet.has(key)) added.push({ tenant, match_key: key, customer_number: number })
        if (next.length === 0) emptied.push(number)
        else if (next.length !== before.length || next.some((k, i) => k !== before[i])) {
          changed.push({ tenant, customer_number: number, match_keys: JSON.stringify(next) })
        }
      }
      for (const chunk of chunks(dropped, pairsPerDelete)) {
        const pairs: ReadonlyArray<Fragment> = chunk.map(([key, number]) => sql`(${key}, ${number})`)
        yield* execute(
          sql`DELETE FROM match_index_keys WHERE tenant = ${tenant}
            AND (match_key, customer_number) IN (VALUES ${sql.join(", ", false)(pairs)})`
        )
      }
      // The entry row is locked, so no other transaction inserts these postings meanwhile.
      yield* insertRows(sql, "match_index_keys", added)
      for (const chunk of chunks(emptied, customersPerStatement)) {
        yield* execute(sql`DELETE FROM match_index_entries WHERE tenant = ${tenant} AND customer_number IN ${sql.in(chunk)}`)
      }
      for (const chunk of chunks(changed, customersPerStatement)) {
        yield* execute(
          sql`INSERT INTO match_index_entries ${sql.insert(chunk)}
            ON CONFLICT (tenant, customer_number) DO UPDATE SET match_keys = excluded.match_keys`
        )
      }
    })

  /**
   * Runs one read statement: inside a transaction on its connection, outside on `reader` without a
   * transaction around it (a single statement reads one snapshot by itself, and `BEGIN` / `COMMIT`
   * would be two more round trips on a server database).
   */
  // Outside a transaction through `Reads`: on the store's statement reader when it has one
  // (SQLite: its cached read connection; PostgreSQL: the pool, prepared) — the duplicate check
  // before a create runs these two statements outside the create's transaction.
  const single = <A extends object>(statement: (client: SqlClient) => Statement<A>) =>
    Effect.flatMap(Effect.serviceOption(TransactionConnection), (inside) =>
      inside._tag === "Some" ? execute(statement(sql)) : reads.read(statement(reader))
    )

  return {
    put: (tenant, number, keys) => tx.join(write(tenant, new Map([[number, keys]]))).pipe(storageError("MatchIndexStore.put")),
    putMany: (tenant, entries) => {
      // Later entries for the same number win, as calling `put` in order would.
      const wanted = new Map<string, ReadonlyArray<string>>()
      for (const entry of entries) wanted.set(entry.number, entry.keys)
      return tx.join(write(tenant, wanted)).pipe(storageError("MatchIndexStore.putMany"))
    },
    remove: (tenant, number) => tx.join(write(tenant, new Map([[number, []]]))).pipe(storageError("MatchIndexStore.remove")),
    candidates: (tenant, keys, options) => {
      const unique = [...new Set(keys)]
      if (unique.length === 0 || options.limit <= 0) return Effect.succeed([])
      const exclude = [...new Set(options.exclude ?? [])]
      // One statement: the query keys whose (capped) frequency is at most the cap — a key is kept
      // when it has no entry at offset `cap` — then their postings grouped by customer. One round
      // trip, and one snapshot without a transaction around it.
      // Each kept key's postings by the primary key. On PostgreSQL as a LATERAL subquery that
      // cannot be flattened (OFFSET 0): with statistics from before a tenant was loaded, the
      // planner otherwise estimates the tenant at one row and reads all of it once per key (a
      // check took seconds instead of a millisecond on a freshly loaded tenant). On SQLite
      // `CROSS JOIN` fixes the loop order the same way: the kept keys outside, the index inside.
      const postings = (client: SqlClient) =>
        dialect.name === "postgres"
          ? client`CROSS JOIN LATERAL (SELECT customer_number FROM match_index_keys p
              WHERE p.tenant = ${tenant} AND p.match_key = kept.match_key OFFSET 0) m`
          : client`CROSS JOIN match_index_keys m ON m.tenant = ${tenant} AND m.match_key = kept.match_key`
      const statement = (client: SqlClient) =>
        client<{ readonly customer_number: unknown; readonly shared: unknown }>`WITH query_keys (match_key) AS (VALUES ${client.join(
          ", ",
          false
        )(unique.map((key) => client`(${key})`))}),
        kept AS (
          SELECT q.match_key FROM query_keys q
          WHERE (SELECT 1 FROM match_index_keys f WHERE f.tenant = ${tenant} AND f.match_key = q.match_key
            LIMIT 1 OFFSET ${options.maxKeyFrequency}) IS NULL
        )
        SELECT m.customer_number, count(*) AS shared
        FROM kept ${postings(client)}${exclude.length === 0 ? client`` : client` WHERE m.customer_number NOT IN ${client.in(exclude)}`}
        GROUP BY m.customer_number
        ORDER BY shared DESC, m.customer_number
        LIMIT ${options.limit}`
      return single(statement).pipe(
        Effect.map((rows) => rows.map((row): IndexCandidate => ({ number: String(row.customer_number), sharedKeys: Number(row.shared) }))),
        storageError("MatchIndexStore.candidates")
      )
    },
    records: (tenant, numbers) => {
      const unique = [...new Set(numbers)]
      if (unique.length === 0) return Effect.succeed([])
      const read =
        unique.length <= customersPerStatement
          ? Effect.map(
              single(
                (client) =>
                  client<Rows.Row>`SELECT ${client.literal(recordColumns)} FROM customers WHERE tenant = ${tenant} AND number IN ${client.in(unique)}`
              ),
              (rows) => [rows]
            )
          : tx.read(
              Effect.forEach(chunks(unique, customersPerStatement), (chunk) =>
                execute(
                  sql<Rows.Row>`SELECT ${sql.literal(recordColumns)} FROM customers WHERE tenant = ${tenant} AND number IN ${sql.in(chunk)}`
                )
              )
            )
      return read.pipe(
        Effect.map((results) => {
          // Only the customers row: general data and flags, no views.
          const byNumber = new Map<string, MatchRecord>()
          for (const row of results.flat()) {
            const number = String(row.number)
            byNumber.set(number, {
              number,
              accountGroup: String(row.account_group),
              general: Rows.decodeGeneral(dialect, row),
              deletionFlag: dialect.decodeBoolean(row.deletion_flag)
            })
          }
          return numbers.flatMap((n) => {
            const found = byNumber.get(n)
            if (found === undefined) return []
            byNumber.delete(n)
            return [found]
          })
        }),
        storageError("MatchIndexStore.records")
      )
    }
  }
}
