/**
 * How the SQL store writes the match index (`MatchIndexStore.put` / `putMany` / `remove`): a
 * customer without an entry row (a new one) gets the row with its keys and its postings in two
 * statements, nothing read; one that has a row is locked, read and diffed; the tables end up the
 * same either way, whichever mix a `putMany` carries.
 *
 * Registered by the SQLite and PostgreSQL store tests with their layer.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Statement from "@effect/sql/Statement"
import { MatchIndexStore, type Storage, StoreTransaction } from "@partnerkit/core"
import { Effect, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/** Runs `effect` and returns the SQL of every statement it executed (BEGIN/COMMIT excluded). */
const recording = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<[A, Array<string>], E, R> =>
  Effect.suspend(() => {
    const statements: Array<string> = []
    return effect.pipe(
      Statement.withTransformer((statement) => {
        statements.push(statement.compile()[0].replace(/\s+/g, " ").trim())
        return Effect.succeed(statement)
      }),
      Effect.map((a): [A, Array<string>] => [a, statements])
    )
  })

/** Registers the checks against `layer` and `client` (a plain client on the same database and schema). */
export const matchIndexWriteSuite = (
  name: string,
  layer: () => Storage.Layer,
  client: () => ManagedRuntime.ManagedRuntime<SqlClient.SqlClient, unknown>
): void => {
  describe(`${name} match index writes`, () => {
    let runtime: ManagedRuntime.ManagedRuntime<Storage.Ports, unknown>
    let sql: ManagedRuntime.ManagedRuntime<SqlClient.SqlClient, unknown>
    beforeAll(async () => {
      runtime = ManagedRuntime.make(layer())
      await runtime.runPromise(Effect.void)
      sql = client()
    })
    afterAll(async () => {
      await runtime.dispose()
      await sql.dispose()
    })
    const run = <A, E>(effect: Effect.Effect<A, E, Storage.Ports>) => runtime.runPromise(effect)

    /** The entry rows and postings of `tenant`, as stored. */
    const tables = (tenant: string) =>
      sql.runPromise(
        Effect.gen(function* () {
          const db = yield* SqlClient.SqlClient
          const entries = yield* db<{ customer_number: string; match_keys: string | null }>`SELECT customer_number, match_keys
            FROM match_index_entries WHERE tenant = ${tenant} ORDER BY customer_number`
          const postings = yield* db<{ customer_number: string; match_key: string }>`SELECT customer_number, match_key
            FROM match_index_keys WHERE tenant = ${tenant} ORDER BY customer_number, match_key`
          return {
            entries: entries.map((r) => [r.customer_number, r.match_keys === null ? null : JSON.parse(r.match_keys)]),
            postings: postings.map((r) => `${r.customer_number} ${r.match_key}`)
          }
        })
      )

    it("a new customer's keys are two statements, nothing read; a re-put of changed keys diffs against the stored row", async () => {
      const tenant = `mi-${Math.random().toString(36).slice(2, 10)}`
      const [, fresh] = await run(
        Effect.flatMap(MatchIndexStore, (index) => recording(index.put(tenant, "C0001", ["t:beta", "t:acme", "t:acme"])))
      )
      expect(fresh.map((s) => s.split(" ").slice(0, 3).join(" "))).toEqual([
        "INSERT INTO match_index_entries",
        'INSERT INTO "match_index_keys"'
      ])
      expect(await tables(tenant)).toEqual({ entries: [["C0001", ["t:acme", "t:beta"]]], postings: ["C0001 t:acme", "C0001 t:beta"] })

      const [, again] = await run(Effect.flatMap(MatchIndexStore, (index) => recording(index.put(tenant, "C0001", ["t:acme", "t:gamma"]))))
      expect(again.some((s) => s.startsWith("SELECT customer_number, match_keys FROM match_index_entries"))).toBe(true)
      expect(await tables(tenant)).toEqual({ entries: [["C0001", ["t:acme", "t:gamma"]]], postings: ["C0001 t:acme", "C0001 t:gamma"] })
    })

    it("putMany with new customers, new ones without keys, changed and removed ones leaves exactly the wanted rows", async () => {
      const tenant = `mi-${Math.random().toString(36).slice(2, 10)}`
      await run(
        Effect.flatMap(MatchIndexStore, (index) =>
          index.putMany(tenant, [
            { number: "C0002", keys: ["t:old", "t:kept"] },
            { number: "C0004", keys: ["t:gone"] }
          ])
        )
      )
      await run(
        Effect.flatMap(MatchIndexStore, (index) =>
          index.putMany(tenant, [
            { number: "C0005", keys: ["t:new", "n:new co"] },
            { number: "C0001", keys: [] },
            { number: "C0002", keys: ["t:kept", "t:added"] },
            { number: "C0004", keys: [] },
            { number: "C0003", keys: ["t:first"] },
            // Later entries for the same number win.
            { number: "C0003", keys: ["t:second"] }
          ])
        )
      )
      expect(await tables(tenant)).toEqual({
        entries: [
          ["C0002", ["t:added", "t:kept"]],
          ["C0003", ["t:second"]],
          ["C0005", ["n:new co", "t:new"]]
        ],
        postings: ["C0002 t:added", "C0002 t:kept", "C0003 t:second", "C0005 n:new co", "C0005 t:new"]
      })
      const found = await run(
        Effect.flatMap(MatchIndexStore, (index) =>
          index.candidates(tenant, ["t:kept", "t:added", "t:old", "t:gone", "t:new"], { limit: 10, maxKeyFrequency: 10 })
        )
      )
      expect(found).toEqual([
        { number: "C0002", sharedKeys: 2 },
        { number: "C0005", sharedKeys: 1 }
      ])
    })

    it("a new customer's keys written in a transaction that fails are not there, and the next put writes them", async () => {
      const tenant = `mi-${Math.random().toString(36).slice(2, 10)}`
      const failed = await run(
        Effect.gen(function* () {
          const index = yield* MatchIndexStore
          const tx = yield* StoreTransaction
          return yield* Effect.either(
            tx.withTransaction(Effect.zipRight(index.put(tenant, "C0001", ["t:acme"]), Effect.fail("abort" as const)))
          )
        })
      )
      expect(failed._tag).toBe("Left")
      expect(await tables(tenant)).toEqual({ entries: [], postings: [] })
      await run(Effect.flatMap(MatchIndexStore, (index) => index.put(tenant, "C0001", ["t:acme"])))
      expect(await tables(tenant)).toEqual({ entries: [["C0001", ["t:acme"]]], postings: ["C0001 t:acme"] })
    })
  })
}
