import * as Statement from "@effect/sql/Statement"
import {
  ChangeDocumentStore,
  CustomerStore,
  NumberRangeStore,
  SalesEmployeeStore,
  StoreTransaction,
  TerritoryStore
} from "@partnerkit/core"
import { SqliteStore } from "@partnerkit/storage-sqlite"
import { Effect, Layer } from "effect"
import { afterAll, expect, it } from "vitest"
import * as R from "../../storage-sql/test/support/Records.js"
import { expectTenantLed, explain, recordInto, tableScans } from "./support/QueryPlans.js"
import { removeAll, tempDatabase } from "./support/TempDatabase.js"

afterAll(removeAll)

const only = (...groups: Array<string>) => ({ authorizationGroups: groups })

/** Every query each port makes, with restricted visibility and every filter, as [sql, params]. */
const everyQuery = Effect.gen(function* () {
  const customers = yield* CustomerStore
  const documents = yield* ChangeDocumentStore
  const ranges = yield* NumberRangeStore
  const employees = yield* SalesEmployeeStore
  const territories = yield* TerritoryStore
  const tx = yield* StoreTransaction
  const t = R.tenant()
  const area = { salesOrganization: "1000", distributionChannel: "10", division: "00" }
  const ops = Effect.gen(function* () {
    yield* customers.insert(R.full(t, "C0001"))
    yield* Effect.either(customers.insert(R.full(t, "C0001")))
    yield* customers.update({ ...R.full(t, "C0001"), version: 2 }, 1)
    yield* Effect.either(customers.update({ ...R.full(t, "C0001"), version: 9 }, 8))
    yield* customers.get(t, "C0001", only("G1"))
    yield* customers.list({ tenant: t, visibility: only("G1"), after: "C", limit: 10 })
    yield* customers.list({ tenant: t, visibility: only("G1"), accountGroup: "0001", limit: 10 })
    yield* customers.list({ tenant: t, visibility: only("G1"), companyCode: "1000", limit: 10 })
    yield* customers.list({ tenant: t, visibility: only("G1"), salesArea: area, limit: 10 })
    yield* documents.append([R.document(t, "C0001", 1, [R.item(), R.item({ viewKind: "salesArea", viewId: "1000/10/00" })])])
    yield* documents.list({ tenant: t, customerNumber: "C0001", visibility: only("G1"), before: 5, limit: 10 })
    yield* ranges.draw(t, "R", { from: 1, to: 10 })
    yield* ranges.last(t, "R")
    yield* employees.put({ tenant: t, id: "E1", name: "Anna", active: true, version: 1 }, null)
    yield* employees.put({ tenant: t, id: "E1", name: "Anna", active: true, version: 2 }, 1)
    yield* employees.get(t, "E1")
    yield* employees.list(t)
    yield* territories.list(t)
    yield* territories.listChanges(t, {})
    yield* territories.listChanges(t, { approver: "boss", status: "pending" })
    yield* territories.listChanges(t, { territory: "T1" })
  })
  const queries: Array<readonly [string, ReadonlyArray<unknown>]> = []
  yield* tx.withTransaction(ops.pipe(Statement.withTransformer(recordInto(queries))))
  return queries
})

it("every query the ports make uses an index led by the tenant; no table is scanned", async () => {
  const config = { filename: tempDatabase("plans").filename }
  const queries = await Effect.runPromise(
    Effect.scoped(Effect.flatMap(Layer.build(SqliteStore.layer(config)), (ctx) => Effect.provide(everyQuery, ctx)))
  )
  const plans = await explain(config.filename, queries)
  expect(plans.length).toBeGreaterThan(20)
  // `page`: the change documents' page, a derived table of at most `limit` rows found by index.
  expect(tableScans(plans, /^SCAN page\b/)).toEqual([])
  expectTenantLed(plans)
})
