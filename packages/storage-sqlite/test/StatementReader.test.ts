/**
 * The SQLite store's direct reads (`internal/StatementReader.ts`): single read statements outside
 * a transaction run on a connection of their own instead of through `@effect/sql`. They must return
 * exactly what the `@effect/sql` path returns, see every commit at once (also another process's),
 * and never write.
 */

import * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import { Actor, CustomerStore, SalesEmployeeStore, type Storage, StoreTransaction, TerritoryStore } from "@partnerkit/core"
import { SqlStore } from "@partnerkit/storage-sql"
import { SqliteStore } from "@partnerkit/storage-sqlite"
import Database from "better-sqlite3"
import { Context, Effect, Exit, ManagedRuntime, Option } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { sameAsEffectSql, throughEffectSql } from "../../storage-sql/test/support/DirectReads.js"
import * as R from "../../storage-sql/test/support/Records.js"
import * as StatementReader from "../src/internal/StatementReader.js"
import { removeAll, tempDatabase } from "./support/TempDatabase.js"

afterAll(removeAll)

const open = (filename: string) => {
  const runtime = ManagedRuntime.make(SqliteStore.layer({ filename }))
  return { run: <A, E>(effect: Effect.Effect<A, E, Storage.Ports>) => runtime.runPromise(effect), close: () => runtime.dispose() }
}

describe("sqlite direct reads", () => {
  it("return exactly what the @effect/sql path returns, for every visibility", async () => {
    const store = open(tempDatabase("direct").filename)
    try {
      await store.run(sameAsEffectSql)
    } finally {
      await store.close()
    }
  })

  it("see what another store on the file committed, at once", async () => {
    const { filename } = tempDatabase("direct-commits")
    const reading = open(filename)
    const writing = open(filename)
    try {
      const t = R.tenant()
      const get = reading.run(Effect.flatMap(CustomerStore, (c) => c.get(t, "C0001", Actor.unrestricted)))
      expect(Option.isNone(await get)).toBe(true)
      await writing.run(Effect.flatMap(CustomerStore, (c) => c.insert(R.minimal(t, "C0001", { general: { name: "First" } }))))
      const first = await reading.run(Effect.flatMap(CustomerStore, (c) => c.get(t, "C0001", Actor.unrestricted)))
      expect(Option.map(first, (c) => c.general.name)).toEqual(Option.some("First"))
      await writing.run(
        Effect.flatMap(CustomerStore, (c) => c.update(R.minimal(t, "C0001", { general: { name: "Second" }, version: 2 }), 1))
      )
      const second = await reading.run(Effect.flatMap(CustomerStore, (c) => c.get(t, "C0001", Actor.unrestricted)))
      expect(Option.map(second, (c) => [c.general.name, c.version])).toEqual(Option.some(["Second", 2]))
      await writing.run(
        Effect.flatMap(TerritoryStore, (s) =>
          s.put({ tenant: t, id: "DE", name: "Germany", priority: 50, criteria: {}, salesEmployee: null, version: 1 }, null)
        )
      )
      expect((await reading.run(Effect.flatMap(TerritoryStore, (s) => s.list(t)))).map((x) => x.id)).toEqual(["DE"])
    } finally {
      await writing.close()
      await reading.close()
    }
  })

  it("fails with a SqlError on a bad or writing statement and never writes; evicted statements are prepared again", async () => {
    const { filename } = tempDatabase("direct-errors")
    const setup = new Database(filename)
    setup.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    setup.exec("INSERT INTO t (id, name) VALUES (1, 'one'), (2, 'two')")
    setup.close()
    const rows = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const read = yield* StatementReader.open({ filename, busyTimeout: 1000, cacheSize: 1 })
          const missing = yield* Effect.exit(read("SELECT * FROM nowhere", []))
          const update = yield* Effect.exit(read("UPDATE t SET name = 'x'", []))
          const returning = yield* Effect.exit(read("INSERT INTO t (id, name) VALUES (3, 'three') RETURNING id", []))
          for (const exit of [missing, update, returning]) {
            expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error instanceof SqlError).toBe(true)
          }
          // A cache of one statement: the two texts alternate, each prepared again, each right.
          const byId = (id: number) => read("SELECT name FROM t WHERE id = ?", [id])
          const all = read("SELECT id FROM t ORDER BY id", [])
          return [yield* byId(1), yield* all, yield* byId(2), yield* all]
        })
      )
    )
    expect(rows).toEqual([[{ name: "one" }], [{ id: 1 }, { id: 2 }], [{ name: "two" }], [{ id: 1 }, { id: 2 }]])
    const check = new Database(filename, { readonly: true })
    expect(check.prepare("SELECT id, name FROM t ORDER BY id").all()).toEqual([
      { id: 1, name: "one" },
      { id: 2, name: "two" }
    ])
    check.close()
  })

  it("serve get and the sales-force reads outside a transaction; inside one, or with a statement transformer, the usual path runs", async () => {
    const { filename } = tempDatabase("direct-routing")
    const direct: Array<string> = []
    const program = Effect.gen(function* () {
      const writer = yield* SqliteStore.makeClient({ filename })
      const read = yield* StatementReader.open({ filename, busyTimeout: 1000, cacheSize: 10 })
      const spy: SqlStore.StatementReader = (sql, params) =>
        Effect.zipRight(
          Effect.sync(() => direct.push(sql.trim().split(/\s+/).slice(0, 2).join(" "))),
          read(sql, params)
        )
      const context = yield* SqlStore.make(SqliteStore.dialect, { statementReader: spy }).pipe(
        Effect.provideService(SqlClient.SqlClient, writer)
      )
      const customers = Context.get(context, CustomerStore)
      const employees = Context.get(context, SalesEmployeeStore)
      const territories = Context.get(context, TerritoryStore)
      const tx = Context.get(context, StoreTransaction)
      const t = R.tenant()
      yield* customers.insert(R.full(t, "C0001"))
      direct.length = 0
      const outside = yield* customers.get(t, "C0001", Actor.unrestricted)
      yield* customers.get(t, "C0001", { authorizationGroups: ["G1"] })
      yield* employees.get(t, "E1")
      yield* territories.list(t)
      const seen = [...direct]
      direct.length = 0
      const inside = yield* tx.withTransaction(customers.get(t, "C0001", Actor.unrestricted))
      yield* tx.withTransaction(territories.list(t))
      yield* throughEffectSql(customers.get(t, "C0001", Actor.unrestricted))
      yield* throughEffectSql(territories.list(t))
      expect(direct).toEqual([])
      expect(inside).toEqual(outside)
      return seen
    })
    const seen = await Effect.runPromise(Effect.scoped(program))
    expect(seen).toEqual(["SELECT c.*,", "SELECT c.*,", "SELECT *", "SELECT *"])
  })

  it("refuses to open a file that does not exist (the writer creates it first)", async () => {
    const exit = await Effect.runPromiseExit(
      Effect.scoped(StatementReader.open({ filename: `${tempDatabase("direct-missing").filename}.none`, busyTimeout: 0, cacheSize: 10 }))
    )
    expect(Exit.isFailure(exit)).toBe(true)
  })
})
