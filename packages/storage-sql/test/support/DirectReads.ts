/**
 * What every store's direct read path (SQLite's `StatementReader`, PostgreSQL's `PoolReader`)
 * must give: exactly the rows of the `@effect/sql` path, for every visibility.
 */
import * as Statement from "@effect/sql/Statement"
import { Actor, CustomerStore, SalesEmployeeStore, TerritoryStore } from "@partnerkit/core"
import { Effect, Option } from "effect"
import { expect } from "vitest"
import * as R from "./Records.js"

/** Runs `effect` the `@effect/sql` way: a statement transformer makes every read take that path. */
export const throughEffectSql = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(Statement.withTransformer((statement) => Effect.succeed(statement)))

/**
 * Writes a customer, a sales employee and a territory, then reads them outside a transaction
 * (the direct path) and through `@effect/sql`, and expects the same answers.
 */
export const sameAsEffectSql = Effect.gen(function* () {
  const customers = yield* CustomerStore
  const employees = yield* SalesEmployeeStore
  const territories = yield* TerritoryStore
  const t = R.tenant()
  const record = R.full(t, "C0001")
  yield* customers.insert(record)
  yield* employees.put({ tenant: t, id: "E1", name: "Eva Seller", email: "eva@example.com", active: true, version: 1 }, null)
  yield* territories.put(
    {
      tenant: t,
      id: "SOUTH",
      name: "Bavaria",
      priority: 10,
      criteria: { countries: ["DE"], postalCodes: [{ from: "80000", to: "87999" }] },
      salesEmployee: "E1",
      version: 1
    },
    null
  )
  const visibilities: Array<Actor.Visibility> = [
    Actor.unrestricted,
    { authorizationGroups: [] },
    { authorizationGroups: ["G1"] },
    { authorizationGroups: ["G1", "G2"] }
  ]
  for (const visibility of visibilities) {
    expect(yield* customers.get(t, "C0001", visibility)).toEqual(yield* throughEffectSql(customers.get(t, "C0001", visibility)))
  }
  expect(yield* customers.get(t, "C0001", Actor.unrestricted)).toEqual(Option.some(record))
  expect(yield* customers.get(t, "C0002", Actor.unrestricted)).toEqual(Option.none())
  expect(yield* employees.get(t, "E1")).toEqual(yield* throughEffectSql(employees.get(t, "E1")))
  expect(yield* employees.list(t)).toEqual(yield* throughEffectSql(employees.list(t)))
  expect(yield* territories.get(t, "SOUTH")).toEqual(yield* throughEffectSql(territories.get(t, "SOUTH")))
  expect(yield* territories.list(t)).toEqual(yield* throughEffectSql(territories.list(t)))
  expect((yield* territories.list(t)).map((x) => x.salesEmployee)).toEqual(["E1"])
  // Another tenant's statement has the same text: its parameters are its own.
  expect(yield* customers.get(R.tenant(), "C0001", Actor.unrestricted)).toEqual(Option.none())
})
