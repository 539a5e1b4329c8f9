/**
 * Tenant isolation across every port: "a record of another tenant is never returned, counted,
 * overwritten or reported as a duplicate".
 *
 * @internal
 */
import type { Storage } from "@partnerkit/core"
import { Effect, Option } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, failureOf, make, ports } from "../Case.js"

/**
 * Two tenants whose ids a store concatenating tenant and number into one key would mix up:
 * `<t>` + `C0001` and `<t>C` + `0001`.
 */
const twoTenants = () => {
  const first = F.tenantId()
  return { first, second: `${first}C` }
}

export const cases: ReadonlyArray<Case<Storage.Ports>> = [
  make("Tenants: customers of another tenant are never returned, counted, overwritten or reported as duplicates", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const { first, second } = twoTenants()
      const mine = F.customer(first, "C0001", { general: F.general({ name: "First tenant" }) })
      const theirs = F.customer(second, "C0001", { general: F.general({ name: "Second tenant" }) })
      const lookalike = F.customer(second, "0001", { general: F.general({ name: "Lookalike" }) })
      yield* customers.insert(mine)
      yield* customers.insert(theirs) // same number, other tenant: not a duplicate
      yield* customers.insert(lookalike)
      expect(Option.getOrUndefined(yield* customers.get(first, "C0001", F.unrestricted))).toEqual(mine)
      expect(Option.getOrUndefined(yield* customers.get(second, "C0001", F.unrestricted))).toEqual(theirs)
      expect(Option.isNone(yield* customers.get(first, "0001", F.unrestricted))).toBe(true)

      const changed = F.nextVersion(mine, { general: F.general({ name: "First tenant, changed" }) })
      yield* customers.update(changed, 1)
      expect(Option.getOrUndefined(yield* customers.get(second, "C0001", F.unrestricted))).toEqual(theirs)
      // The other tenant's record is still at version 1: its version check is its own.
      const conflict = yield* failureOf(customers.update(F.nextVersion(theirs, { version: 3 }), 2))
      expect(conflict).toMatchObject({ _tag: "VersionConflict", expected: 2, actual: 1 })
      const missing = yield* failureOf(customers.update(F.customer(first, "0001", { version: 2 }), 1))
      expect(missing).toMatchObject({ _tag: "CustomerNotFound", tenant: first, number: "0001" })

      const listFirst = yield* customers.list({ tenant: first, visibility: F.unrestricted, limit: 10 })
      expect(listFirst).toEqual([changed])
      const listSecond = yield* customers.list({ tenant: second, visibility: F.unrestricted, limit: 10 })
      expect(listSecond.map((c) => c.general.name)).toEqual(["Lookalike", "Second tenant"])
      expect(yield* customers.list({ tenant: F.tenantId(), visibility: F.unrestricted, limit: 10 })).toEqual([])
    })
  ),

  make("Tenants: change documents of another tenant are never returned or reported as duplicates", () =>
    Effect.gen(function* () {
      const { customers, documents } = yield* ports
      const { first, second } = twoTenants()
      yield* customers.insert(F.customer(first, "C0001"))
      yield* customers.insert(F.customer(second, "C0001"))
      yield* customers.insert(F.customer(second, "0001"))
      const mine = F.changeDocument(first, "C0001", 1, { changedBy: "first" })
      const theirs = F.changeDocument(second, "C0001", 1, { changedBy: "second" })
      const lookalike = F.changeDocument(second, "0001", 1, { changedBy: "lookalike" })
      yield* documents.append([mine])
      yield* documents.append([theirs, lookalike]) // same (customer, change number), other tenant: not a duplicate
      const list = (tenant: string, customerNumber: string) =>
        documents.list({ tenant, customerNumber, visibility: F.unrestricted, limit: 10 })
      expect(yield* list(first, "C0001")).toEqual([mine])
      expect(yield* list(second, "C0001")).toEqual([theirs])
      expect(yield* list(second, "0001")).toEqual([lookalike])
      expect(yield* list(first, "0001")).toEqual([])
    })
  ),

  make("Tenants: a view's authorization group is read from the same tenant's record", () =>
    Effect.gen(function* () {
      const { customers, documents } = yield* ports
      const { first, second } = twoTenants()
      // Same number, but the company-code view is hidden in one tenant and open in the other.
      yield* customers.insert(F.customer(first, "C0001", { companyCodes: [F.companyCodeView("1000", { authorizationGroup: "HIDE" })] }))
      yield* customers.insert(F.customer(second, "C0001", { companyCodes: [F.companyCodeView("1000")] }))
      for (const tenant of [first, second]) {
        yield* documents.append([F.changeDocument(tenant, "C0001", 1, { items: [F.companyCodeItem("1000")] })])
      }
      const restricted = F.visibleGroups("G1")
      expect(yield* documents.list({ tenant: first, customerNumber: "C0001", visibility: restricted, limit: 10 })).toEqual([])
      expect((yield* documents.list({ tenant: second, customerNumber: "C0001", visibility: restricted, limit: 10 })).length).toBe(1)
      const listed = yield* customers.list({ tenant: first, visibility: restricted, companyCode: "1000", limit: 10 })
      expect(listed).toEqual([])
    })
  ),

  make("Tenants: number ranges of another tenant are never advanced", () =>
    Effect.gen(function* () {
      const { ranges } = yield* ports
      const { first, second } = twoTenants()
      expect(yield* ranges.draw(first, "C", F.interval(1, 9999), 3)).toEqual({ first: 1, last: 3 })
      expect(Option.isNone(yield* ranges.last(second, "C"))).toBe(true)
      expect(yield* ranges.draw(second, "C", F.interval(1, 9999))).toEqual({ first: 1, last: 1 })
      expect(yield* ranges.last(first, "C")).toEqual(Option.some(3))
    })
  )
]
