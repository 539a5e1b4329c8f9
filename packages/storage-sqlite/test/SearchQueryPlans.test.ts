import * as Statement from "@effect/sql/Statement"
import { type CustomerSearchQuery, CustomerSearchStore, CustomerStore, SearchText } from "@partnerkit/core"
import { SqliteStore } from "@partnerkit/storage-sqlite"
import { Fixtures as F } from "@partnerkit/testkit"
import { Effect, Layer } from "effect"
import { afterAll, expect, it } from "vitest"
import { expectTenantLed, explain, recordInto, tableScans } from "./support/QueryPlans.js"
import { removeAll, tempDatabase } from "./support/TempDatabase.js"

afterAll(removeAll)

const tenant = "plans"

/**
 * Every statement customer search makes — index writes on insert, insertMany and update; text
 * searches driven by a rare probe and by a common one (more entries than the probe cap), with a
 * CJK substring check, every filter and a restricted visibility; a search without text — as
 * [sql, params].
 */
const everyQuery = Effect.gen(function* () {
  const customers = yield* CustomerStore
  const search = yield* CustomerSearchStore
  // A word carried by more customers than the probe cap (25,000), so that the common path runs.
  const common = Array.from({ length: 25_001 }, (_, i) =>
    F.customer(tenant, `K${String(i).padStart(6, "0")}`, { general: F.general({ name: "Common Word" }) })
  )
  yield* customers.insertMany(common)
  const queries: Array<readonly [string, ReadonlyArray<unknown>]> = []
  const record = F.customer(tenant, "C0001", { general: F.general({ name: "华为技术有限公司 Alpha" }) })
  const q = (text: string | undefined, extra: Partial<CustomerSearchQuery> = {}): CustomerSearchQuery => ({
    tenant,
    visibility: { authorizationGroups: ["G1"] },
    terms: text === undefined ? [] : SearchText.parseQuery(text),
    accountGroup: "0001",
    country: "DE",
    companyCode: "1000",
    salesArea: F.salesArea("1000/10/00"),
    blocked: false,
    deletionFlag: false,
    after: "A",
    limit: 10,
    ...extra
  })
  yield* Effect.gen(function* () {
    yield* customers.insert(record)
    yield* customers.insertMany([F.customer(tenant, "C0002")])
    yield* customers.update(F.nextVersion(record), 1)
    yield* search.search(q("alpha 华为技术"))
    yield* search.search(
      q("alpha 华为技术", {
        visibility: { authorizationGroups: "all" },
        accountGroup: undefined,
        country: undefined,
        companyCode: undefined,
        salesArea: undefined,
        blocked: undefined,
        deletionFlag: undefined
      })
    )
    yield* search.search(q("common"))
    yield* search.search(q("common word alpha"))
    yield* search.search(
      q("common", {
        visibility: { authorizationGroups: "all" },
        accountGroup: undefined,
        country: undefined,
        companyCode: undefined,
        salesArea: undefined,
        blocked: undefined,
        deletionFlag: undefined
      })
    )
    yield* search.search(q(undefined))
    // The common path gives the answers of the rare one: a full page in number order and the
    // exact total, with text conditions, a restricted visibility and a cursor.
    const broad = yield* search.search({
      tenant,
      visibility: { authorizationGroups: "all" },
      terms: SearchText.parseQuery("common"),
      limit: 3
    })
    expect(broad.items.map((hit) => hit.number)).toEqual(["K000000", "K000001", "K000002"])
    expect(broad.total).toBe(25_001)
    const last = yield* search.search({
      tenant,
      visibility: { authorizationGroups: ["G1"] },
      terms: SearchText.parseQuery("word common"),
      after: "K024999",
      limit: 3
    })
    expect(last).toMatchObject({ items: [{ number: "K025000" }], total: 25_001 })
    const none = yield* search.search({
      tenant,
      visibility: { authorizationGroups: "all" },
      terms: SearchText.parseQuery("common alpha"),
      limit: 3
    })
    expect(none).toEqual({ items: [], total: 0 })
  }).pipe(Statement.withTransformer(recordInto(queries)))
  return queries
})

it("every statement of customer search uses an index led by the tenant; no table is scanned", async () => {
  const config = { filename: tempDatabase("search-plans").filename }
  const queries = await Effect.runPromise(
    Effect.scoped(Effect.flatMap(Layer.build(SqliteStore.layer(config)), (ctx) => Effect.provide(everyQuery, ctx)))
  )
  const plans = await explain(config.filename, queries, "keep")
  const reads = plans.filter(([text]) => /customer_search_tokens/.test(text) && text.startsWith("SELECT"))
  expect(reads.length).toBeGreaterThan(8)
  expect(plans.some(([text]) => text.includes("INTERSECT"))).toBe(true)
  expect(plans.some(([text]) => text.includes("(o.token || '')"))).toBe(true)
  // Scanning a subquery's rows (`h`, a co-routine, a compound part) is reading what an index gave.
  // The count of a search without text reads every customer of the tenant the filters keep; with
  // one tenant in the file that is the whole table, and the planner rightly scans it.
  const textless = (text: string) => text.startsWith("SELECT COUNT(*) AS total FROM customers c WHERE")
  const scans = tableScans(
    plans.filter(([text]) => !textless(text)),
    /^SCAN (h|p\d+)$/
  )
  expect(scans).toEqual([])
  expectTenantLed(plans)
})
