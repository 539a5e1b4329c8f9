/**
 * What the query-plan tests share: recording the statements a port makes, explaining them on the
 * store's file, and the two rules every plan must keep (no table scanned; every index search led
 * by the tenant).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type * as Statement from "@effect/sql/Statement"
import { SqliteStore } from "@partnerkit/storage-sqlite"
import { Effect } from "effect"
import { expect } from "vitest"

export type Query = readonly [text: string, params: ReadonlyArray<unknown>]
export type Plan = readonly [text: string, details: ReadonlyArray<string>]

/** A statement transformer (`Statement.withTransformer`) that appends every statement to `queries` and runs it unchanged. */
export const recordInto =
  (queries: Array<Query>) =>
  (statement: Statement.Statement<unknown>): Effect.Effect<Statement.Statement<unknown>> => {
    queries.push(statement.compile())
    return Effect.succeed(statement)
  }

/**
 * `EXPLAIN QUERY PLAN` of each query on the file. `statistics: "forget"` judges the schema, not
 * the statistics of a tiny test database (on which a scan is rightly cheapest), as in a database
 * never analysed; `"keep"` plans with fresh statistics, as the store keeps them.
 */
export const explain = (filename: string, queries: ReadonlyArray<Query>, statistics: "forget" | "keep" = "forget"): Promise<Array<Plan>> =>
  Effect.runPromise(
    Effect.scoped(
      Effect.flatMap(SqliteStore.makeClient({ filename }), (sql) =>
        Effect.zipRight(
          statistics === "forget"
            ? Effect.all([sql.unsafe("ANALYZE"), sql.unsafe("DELETE FROM sqlite_stat1"), sql.unsafe("ANALYZE sqlite_schema")])
            : sql.unsafe("ANALYZE"),
          Effect.forEach(queries, ([text, params]) =>
            Effect.map(
              sql.unsafe<{ detail: string }>(`EXPLAIN QUERY PLAN ${text}`, params),
              (rows): Plan => [text.replace(/\s+/g, " "), rows.map((r) => r.detail)]
            )
          )
        ).pipe(Effect.provideService(SqlClient.SqlClient, sql))
      )
    )
  ).then((plans) => {
    if (process.env.SHOW_PLANS) for (const [text, details] of plans) console.log(`${text}\n    ${details.join("\n    ")}`)
    return plans
  })

/**
 * The table scans in `plans`, each with its statement. Not scans of a table: constant rows,
 * VALUES lists, `pragma_table_info` (the schema, read once per store for `get`'s JSON
 * aggregates), and whatever `alsoAllowed` matches (e.g. a subquery's rows).
 */
export const tableScans = (plans: ReadonlyArray<Plan>, alsoAllowed?: RegExp): Array<string> =>
  plans.flatMap(([text, details]) =>
    details
      .filter((d) => /^SCAN /.test(d) && !/^SCAN (CONSTANT ROW|\d+-ROW VALUES CLAUSE|pragma_table_info)/.test(d))
      .filter((d) => alsoAllowed === undefined || !alsoAllowed.test(d))
      .map((d) => `${d}   <-   ${text}`)
  )

/** Every index search in `plans` is led by the tenant. */
export const expectTenantLed = (plans: ReadonlyArray<Plan>): void => {
  for (const [text, details] of plans) {
    for (const d of details.filter((d) => d.startsWith("SEARCH"))) expect(d, text).toMatch(/\(tenant=\?/)
  }
}
