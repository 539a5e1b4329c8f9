import { caseNames } from "@partnerkit/testkit"
import { describe, expect, it } from "vitest"

describe("the conformance suite", () => {
  it("names every case uniquely, so `skip` keys are unambiguous", () => {
    expect(new Set(caseNames).size).toBe(caseNames.length)
  })

  it("covers every port and the Customers service", () => {
    for (const prefix of [
      "CustomerStore.",
      "ChangeDocumentStore.",
      "NumberRangeStore",
      "SalesEmployeeStore",
      "TerritoryStore",
      "StoreTransaction",
      "Tenants:",
      "Customers."
    ]) {
      expect(caseNames.some((name) => name.startsWith(prefix))).toBe(true)
    }
  })
})
