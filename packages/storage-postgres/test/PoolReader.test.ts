/**
 * The PostgreSQL store's pool reader (`internal/PoolReader.ts`): single read statements outside a
 * transaction run straight on the pool instead of through `@effect/sql`. They must return exactly
 * what the `@effect/sql` path returns; inside a transaction, or with a statement transformer
 * installed, the usual path runs.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import { Actor, CustomerStore, StoreTransaction, TerritoryStore } from "@partnerkit/core"
import { PostgresStore } from "@partnerkit/storage-postgres"
import { SqlStore } from "@partnerkit/storage-sql"
import { Context, Effect, Exit, Option } from "effect"
import pg from "pg"
import { expect, it } from "vitest"
import { sameAsEffectSql, throughEffectSql } from "../../storage-sql/test/support/DirectReads.js"
import * as R from "../../storage-sql/test/support/Records.js"
import * as PoolReader from "../src/internal/PoolReader.js"
import { databaseUrl, freshSchema, whenPostgres } from "./support/Postgres.js"

/** The store's ports on `schema`, with every statement the reader runs recorded in `direct`. */
const storeWithSpy = (schema: string, direct: Array<string>) =>
  Effect.gen(function* () {
    const client = yield* PostgresStore.makeClient({ url: databaseUrl, schema })
    const pool = yield* Effect.acquireRelease(
      Effect.sync(() => new pg.Pool({ connectionString: databaseUrl, max: 2, options: `-c search_path=${schema}` })),
      (p) => Effect.promise(() => p.end())
    )
    const read = PoolReader.make(pool)
    const spy: SqlStore.StatementReader = (sql, params) =>
      Effect.zipRight(
        Effect.sync(() => direct.push(sql.trim().split(/\s+/).slice(0, 2).join(" "))),
        read(sql, params)
      )
    const context = yield* SqlStore.make(PostgresStore.dialect(schema), { statementReader: spy }).pipe(
      Effect.provideService(SqlClient.SqlClient, client)
    )
    return { context, read }
  })

whenPostgres("postgres pool reader", () => {
  it("returns exactly what the @effect/sql path returns, for every visibility", async () => {
    const direct: Array<string> = []
    const program = Effect.flatMap(storeWithSpy(freshSchema("pool_reader"), direct), ({ context }) =>
      Effect.provide(sameAsEffectSql, context)
    )
    await Effect.runPromise(Effect.scoped(program))
    expect(direct.length).toBeGreaterThanOrEqual(9)
  })

  it("serves reads outside a transaction; inside one, or with a statement transformer, the usual path runs", async () => {
    const direct: Array<string> = []
    const program = Effect.gen(function* () {
      const { context } = yield* storeWithSpy(freshSchema("pool_routing"), direct)
      const customers = Context.get(context, CustomerStore)
      const territories = Context.get(context, TerritoryStore)
      const tx = Context.get(context, StoreTransaction)
      const t = R.tenant()
      yield* customers.insert(R.full(t, "C0001"))
      direct.length = 0
      const outside = yield* customers.get(t, "C0001", Actor.unrestricted)
      yield* territories.list(t)
      const seen = [...direct]
      direct.length = 0
      const inside = yield* tx.withTransaction(customers.get(t, "C0001", Actor.unrestricted))
      yield* tx.withTransaction(territories.list(t))
      yield* throughEffectSql(customers.get(t, "C0001", Actor.unrestricted))
      expect(direct).toEqual([])
      expect(inside).toEqual(outside)
      expect(Option.isSome(outside)).toBe(true)
      return seen
    })
    expect(await Effect.runPromise(Effect.scoped(program))).toEqual(["SELECT c.*,", "SELECT *"])
  })

  it("prepares statements by name, and runs one unnamed after another process changed its result columns", async () => {
    const schema = freshSchema("pool_prepared")
    const admin = new pg.Client({ connectionString: databaseUrl })
    await admin.connect()
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, options: `-c search_path=${schema}` })
    try {
      await admin.query(`CREATE SCHEMA ${schema}`)
      await admin.query(`CREATE TABLE ${schema}.t (id int PRIMARY KEY, name text)`)
      await admin.query(`INSERT INTO ${schema}.t VALUES (1, 'one')`)
      const read = PoolReader.make(pool)
      const select = read("SELECT * FROM t WHERE id = $1", [1])
      expect(await Effect.runPromise(select)).toEqual([{ id: 1, name: "one" }])
      const prepared = await pool.query("SELECT name, statement FROM pg_prepared_statements")
      expect(prepared.rows.map((r) => r.statement)).toEqual(["SELECT * FROM t WHERE id = $1"])
      // A migration elsewhere: the prepared `SELECT *` would now fail with "cached plan must not change result type".
      await admin.query(`ALTER TABLE ${schema}.t ADD COLUMN city text`)
      expect(await Effect.runPromise(select)).toEqual([{ id: 1, name: "one", city: null }])
      expect(await Effect.runPromise(select)).toEqual([{ id: 1, name: "one", city: null }])
    } finally {
      await pool.end()
      await admin.end()
    }
  })

  it("fails with a SqlError on a bad statement, and the pool stays usable", async () => {
    const program = Effect.gen(function* () {
      const { read } = yield* storeWithSpy(freshSchema("pool_errors"), [])
      const missing = yield* Effect.exit(read("SELECT * FROM nowhere", []))
      const wrongParams = yield* Effect.exit(read("SELECT $1::int AS n", ["not a number"]))
      const ok = yield* read("SELECT $1::int AS n", [7])
      return { missing, wrongParams, ok }
    })
    const { missing, wrongParams, ok } = await Effect.runPromise(Effect.scoped(program))
    for (const exit of [missing, wrongParams]) {
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) expect(exit.cause._tag === "Fail" && exit.cause.error instanceof SqlError).toBe(true)
    }
    expect(ok).toEqual([{ n: 7 }])
  })
})
