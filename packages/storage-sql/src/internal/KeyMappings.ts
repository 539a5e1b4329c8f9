/**
 * `KeyMappingStore` in SQL: `key_mappings`, one row per (tenant, system, external key) naming the
 * customer number it maps to. `put` is a plain multi-row `INSERT` in a transaction (a savepoint
 * inside the caller's): a key that is mapped already violates the primary key, the statement
 * fails, and nothing of the call is written. Of two concurrent puts of one key, the second waits
 * for the first (row lock on PostgreSQL, the write lock on SQLite) and then fails.
 */
import type { SqlClient } from "@effect/sql/SqlClient"
import type { KeyMappingStoreShape } from "@partnerkit/core"
import { Effect } from "effect"
import { storageError } from "./Errors.js"
import { chunks, insertRows } from "./Statements.js"
import type { Transactions } from "./Transaction.js"

/** Keys per `IN (…)` list of `find`. */
const keysPerQuery = 500

export const make = (sql: SqlClient, reader: SqlClient, tx: Transactions): KeyMappingStoreShape => ({
  find: (tenant, system, keys) => {
    const unique = [...new Set(keys)]
    return Effect.forEach(
      chunks(unique, keysPerQuery),
      (chunk) =>
        reader<{ readonly external_key: unknown; readonly customer_number: unknown }>`SELECT external_key, customer_number
          FROM key_mappings WHERE tenant = ${tenant} AND system = ${system} AND external_key IN ${reader.in(chunk)}`
    ).pipe(
      Effect.map((results) => new Map(results.flat().map((row) => [String(row.external_key), String(row.customer_number)] as const))),
      storageError("KeyMappingStore.find")
    )
  },
  put: (tenant, system, mappings) =>
    mappings.length === 0
      ? Effect.void
      : tx
          .write(
            insertRows(
              sql,
              "key_mappings",
              mappings.map((m) => ({ tenant, system, external_key: m.key, customer_number: m.number }))
            )
          )
          .pipe(storageError("KeyMappingStore.put"))
})
