/**
 * `CustomerStore`: one case per sentence of the port's doc comment.
 *
 * @internal
 */
import { Customer, type Storage } from "@partnerkit/core"
import { Effect, Option } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, codeUnitSort, concurrently, failureOf, make, partition, ports } from "../Case.js"

/** The group every test actor holds; `HIDE` is one it lacks. */
const G1 = "G1"
const HIDE = "HIDE"
const restricted = F.visibleGroups(G1)

const numbersOf = (records: ReadonlyArray<Customer.CustomerRecord>) => records.map((r) => r.number)

export const cases: ReadonlyArray<Case<Storage.Ports>> = [
  make("CustomerStore.get returns the record as inserted, every view and contact included", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      const record = F.fullCustomer(tenant, "C0001")
      yield* customers.insert(record)
      const found = yield* customers.get(tenant, "C0001", F.unrestricted)
      expect(Option.getOrUndefined(found)).toEqual(record)
    })
  ),

  make("CustomerStore.get returns none when no customer has that number in the tenant", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      expect(Option.isNone(yield* customers.get(tenant, "C0001", F.unrestricted))).toBe(true)
      yield* customers.insert(F.customer(tenant, "C0001"))
      expect(Option.isNone(yield* customers.get(tenant, "C0002", F.unrestricted))).toBe(true)
      expect(Option.isNone(yield* customers.get(tenant, "c0001", F.unrestricted))).toBe(true)
    })
  ),

  make("CustomerStore.get returns none for a customer of another tenant", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insert(F.customer(tenant, "C0001"))
      expect(Option.isNone(yield* customers.get(F.tenantId(), "C0001", F.unrestricted))).toBe(true)
    })
  ),

  make("CustomerStore.get returns none when the general view's authorization group is hidden", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insert(F.customer(tenant, "C0001", { general: F.general({ authorizationGroup: HIDE }) }))
      expect(Option.isNone(yield* customers.get(tenant, "C0001", restricted))).toBe(true)
      expect(Option.isNone(yield* customers.get(tenant, "C0001", F.visibleGroups()))).toBe(true)
      expect(Option.isSome(yield* customers.get(tenant, "C0001", F.visibleGroups(G1, HIDE)))).toBe(true)
      expect(Option.isSome(yield* customers.get(tenant, "C0001", F.unrestricted))).toBe(true)
    })
  ),

  make("CustomerStore.get returns only the company-code and sales-area views the visibility allows", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      const record = F.customer(tenant, "C0001", {
        general: F.general({ authorizationGroup: G1 }),
        companyCodes: [
          F.companyCodeView("1000", { authorizationGroup: G1 }),
          F.companyCodeView("2000", { authorizationGroup: HIDE }),
          F.companyCodeView("3000")
        ],
        salesAreas: [
          F.salesAreaView("1000/10/00", { authorizationGroup: HIDE }),
          F.salesAreaView("1000/20/00"),
          F.salesAreaView("2000/10/00", { authorizationGroup: G1 })
        ]
      })
      yield* customers.insert(record)
      const seen = Option.getOrThrow(yield* customers.get(tenant, "C0001", restricted))
      expect(seen.companyCodes.map((v) => v.companyCode)).toEqual(["1000", "3000"])
      expect(seen.salesAreas.map((v) => Customer.salesAreaKey(v.salesArea))).toEqual(["1000/20/00", "2000/10/00"])
      expect(seen.general).toEqual(record.general)
      // What the store keeps is unchanged: an unrestricted reader still sees every view.
      expect(Option.getOrUndefined(yield* customers.get(tenant, "C0001", F.unrestricted))).toEqual(record)
    })
  ),

  make("CustomerStore.insert fails with CustomerNumberTaken when the number exists and writes nothing", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      const first = F.customer(tenant, "C0001", { general: F.general({ name: "First" }) })
      yield* customers.insert(first)
      const error = yield* failureOf(
        customers.insert(
          F.fullCustomer(tenant, "C0001") // different data under the same number
        )
      )
      expect(error).toMatchObject({ _tag: "CustomerNumberTaken", tenant, number: "C0001" })
      expect(Option.getOrUndefined(yield* customers.get(tenant, "C0001", F.unrestricted))).toEqual(first)
      expect(numbersOf(yield* customers.list({ tenant, visibility: F.unrestricted, limit: 10 }))).toEqual(["C0001"])
    })
  ),

  make("CustomerStore.insert of the same number by concurrent callers: exactly one succeeds", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      const contenders = Array.from({ length: 8 }, (_, i) =>
        F.customer(tenant, "C0001", { general: F.general({ name: `Contender ${i}` }) })
      )
      const outcomes = yield* concurrently(contenders.map((r) => customers.insert(r)))
      const { successes, failures } = partition(outcomes)
      expect(successes).toHaveLength(1)
      expect(failures.map((f) => f._tag)).toEqual(Array(7).fill("CustomerNumberTaken"))
      const winner = contenders[outcomes.findIndex((o) => o._tag === "Right")]
      expect(Option.getOrUndefined(yield* customers.get(tenant, "C0001", F.unrestricted))).toEqual(winner)
    })
  ),

  make("CustomerStore.update replaces the whole record, dropped views and contacts included", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      const before = F.fullCustomer(tenant, "C0001")
      yield* customers.insert(before)
      const after = F.nextVersion(before, {
        general: F.general({ name: "Renamed", city: "Berlin" }), // searchTerm, phone, taxNumbers dropped
        companyCodes: [F.companyCodeView("2000", { paymentTerms: "Z060" })], // 1000 dropped, 2000 changed
        salesAreas: [], // both dropped
        contacts: [F.contact("0002", { lastName: "Weber" })], // 0001 dropped
        centralBlock: F.block("insolvency"),
        deletionFlag: true
      })
      yield* customers.update(after, 1)
      expect(Option.getOrUndefined(yield* customers.get(tenant, "C0001", F.unrestricted))).toEqual(after)
      // And back: views and contacts come again under the same number.
      const again = F.nextVersion(after, { companyCodes: before.companyCodes, salesAreas: before.salesAreas, contacts: before.contacts })
      yield* customers.update(again, 2)
      expect(Option.getOrUndefined(yield* customers.get(tenant, "C0001", F.unrestricted))).toEqual(again)
    })
  ),

  make("CustomerStore.update with a stale version fails with VersionConflict carrying the stored version and writes nothing", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      const v1 = F.fullCustomer(tenant, "C0001")
      yield* customers.insert(v1)
      const v2 = F.nextVersion(v1, { general: F.general({ name: "Second" }) })
      yield* customers.update(v2, 1)
      const stale = F.nextVersion(v1, { general: F.general({ name: "Stale" }), companyCodes: [], contacts: [] })
      const error = yield* failureOf(customers.update(stale, 1))
      expect(error).toMatchObject({ _tag: "VersionConflict", number: "C0001", expected: 1, actual: 2 })
      const ahead = yield* failureOf(customers.update(F.nextVersion(v2), 3))
      expect(ahead).toMatchObject({ _tag: "VersionConflict", number: "C0001", expected: 3, actual: 2 })
      expect(Option.getOrUndefined(yield* customers.get(tenant, "C0001", F.unrestricted))).toEqual(v2)
    })
  ),

  make("CustomerStore.update of a missing record fails with CustomerNotFound and creates nothing", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insert(F.customer(tenant, "C0001"))
      const error = yield* failureOf(customers.update(F.customer(tenant, "C0002", { version: 2 }), 1))
      expect(error).toMatchObject({ _tag: "CustomerNotFound", tenant, number: "C0002" })
      expect(Option.isNone(yield* customers.get(tenant, "C0002", F.unrestricted))).toBe(true)
      expect(numbersOf(yield* customers.list({ tenant, visibility: F.unrestricted, limit: 10 }))).toEqual(["C0001"])
    })
  ),

  make("CustomerStore.update from the same version by concurrent callers: exactly one succeeds", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      const v1 = F.customer(tenant, "C0001")
      yield* customers.insert(v1)
      const contenders = Array.from({ length: 8 }, (_, i) => F.nextVersion(v1, { general: F.general({ name: `Writer ${i}` }) }))
      const outcomes = yield* concurrently(contenders.map((r) => customers.update(r, 1)))
      const { successes, failures } = partition(outcomes)
      expect(successes).toHaveLength(1)
      expect(failures).toHaveLength(7)
      for (const failure of failures) expect(failure).toMatchObject({ _tag: "VersionConflict", expected: 1, actual: 2 })
      const winner = contenders[outcomes.findIndex((o) => o._tag === "Right")]
      expect(Option.getOrUndefined(yield* customers.get(tenant, "C0001", F.unrestricted))).toEqual(winner)
    })
  ),

  make("CustomerStore.list returns customers ascending by number in plain code-unit order", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      // Locale collations put "a" before "B9", ignore "-" or fold "Ä" to "A"; code units do none of that.
      const numbers = ["C0010", "c0001", "B9", "C0002", "Z", "a", "C00020", "0999", "Ä1", "C0002-1", "C-0003", "10"]
      for (const number of numbers) yield* customers.insert(F.customer(tenant, number))
      const page = yield* customers.list({ tenant, visibility: F.unrestricted, limit: 100 })
      expect(numbersOf(page)).toEqual(codeUnitSort(numbers))
    })
  ),

  make("CustomerStore.list returns only numbers greater than `after`", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      for (const number of ["C0001", "C0002", "C0003", "C0005"]) yield* customers.insert(F.customer(tenant, number))
      const list = (after: string) => customers.list({ tenant, visibility: F.unrestricted, after, limit: 100 })
      expect(numbersOf(yield* list("C0002"))).toEqual(["C0003", "C0005"])
      expect(numbersOf(yield* list("C0004"))).toEqual(["C0005"])
      expect(numbersOf(yield* list("C0005"))).toEqual([])
      expect(numbersOf(yield* list(""))).toEqual(["C0001", "C0002", "C0003", "C0005"])
    })
  ),

  make("CustomerStore.list returns at most `limit` customers, and paging by `after` returns each once", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      const numbers = Array.from({ length: 7 }, (_, i) => `C${String(i + 1).padStart(4, "0")}`)
      for (const number of [...numbers].reverse()) yield* customers.insert(F.customer(tenant, number))
      const pages: Array<Array<string>> = []
      let after: string | undefined
      for (let i = 0; i < 5; i++) {
        const page = numbersOf(yield* customers.list({ tenant, visibility: F.unrestricted, after, limit: 3 }))
        pages.push(page)
        if (page.length === 0) break
        after = page.at(-1)
      }
      expect(pages).toEqual([["C0001", "C0002", "C0003"], ["C0004", "C0005", "C0006"], ["C0007"], []])
      expect(numbersOf(yield* customers.list({ tenant, visibility: F.unrestricted, limit: 1 }))).toEqual(["C0001"])
    })
  ),

  make("CustomerStore.list filters by account group and fills the page from further rows", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      for (let i = 1; i <= 9; i++) {
        yield* customers.insert(F.customer(tenant, `C000${i}`, { accountGroup: i % 3 === 0 ? "0002" : "0001" }))
      }
      const first = yield* customers.list({ tenant, visibility: F.unrestricted, accountGroup: "0002", limit: 2 })
      expect(numbersOf(first)).toEqual(["C0003", "C0006"])
      const rest = yield* customers.list({ tenant, visibility: F.unrestricted, accountGroup: "0002", after: "C0006", limit: 2 })
      expect(numbersOf(rest)).toEqual(["C0009"])
      expect(yield* customers.list({ tenant, visibility: F.unrestricted, accountGroup: "CPD", limit: 10 })).toEqual([])
    })
  ),

  make("CustomerStore.list filters by company code", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insert(F.customer(tenant, "C0001", { companyCodes: [F.companyCodeView("1000")] }))
      yield* customers.insert(F.customer(tenant, "C0002", { companyCodes: [F.companyCodeView("2000")] }))
      yield* customers.insert(F.customer(tenant, "C0003"))
      yield* customers.insert(F.customer(tenant, "C0004", { companyCodes: [F.companyCodeView("1000"), F.companyCodeView("2000")] }))
      yield* customers.insert(F.customer(tenant, "C0005", { companyCodes: [F.companyCodeView("100")] }))
      const page = yield* customers.list({ tenant, visibility: F.unrestricted, companyCode: "1000", limit: 10 })
      expect(numbersOf(page)).toEqual(["C0001", "C0004"])
      // The matching customers come back whole, not cut down to the matching view.
      expect(page[1]?.companyCodes.map((v) => v.companyCode)).toEqual(["1000", "2000"])
    })
  ),

  make("CustomerStore.list filters by sales area, matching organisation, channel and division", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      const areas = ["1000/10/00", "1000/10/10", "1000/20/00", "2000/10/00", "1000/01/00"]
      for (const [i, area] of areas.entries()) {
        yield* customers.insert(F.customer(tenant, `C000${i + 1}`, { salesAreas: [F.salesAreaView(area)] }))
      }
      yield* customers.insert(F.customer(tenant, "C0009", { salesAreas: [F.salesAreaView("1000/10/00"), F.salesAreaView("2000/20/00")] }))
      const page = yield* customers.list({ tenant, visibility: F.unrestricted, salesArea: F.salesArea("1000/10/00"), limit: 10 })
      expect(numbersOf(page)).toEqual(["C0001", "C0009"])
    })
  ),

  make("CustomerStore.list skips customers whose general view is hidden and fills the page from further rows", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      for (let i = 0; i < 10; i++) {
        const general = F.general({ authorizationGroup: i % 2 === 0 ? HIDE : G1 })
        yield* customers.insert(F.customer(tenant, `C000${i}`, { general }))
      }
      const first = yield* customers.list({ tenant, visibility: restricted, limit: 3 })
      expect(numbersOf(first)).toEqual(["C0001", "C0003", "C0005"])
      const second = yield* customers.list({ tenant, visibility: restricted, after: "C0005", limit: 3 })
      expect(numbersOf(second)).toEqual(["C0007", "C0009"])
      const everything = yield* customers.list({ tenant, visibility: F.unrestricted, limit: 3 })
      expect(numbersOf(everything)).toEqual(["C0000", "C0001", "C0002"])
    })
  ),

  make("CustomerStore.list matches a company-code or sales-area filter only through a view the visibility allows", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insert(
        F.customer(tenant, "C0001", {
          companyCodes: [F.companyCodeView("1000", { authorizationGroup: HIDE })],
          salesAreas: [F.salesAreaView("1000/10/00", { authorizationGroup: HIDE })]
        })
      )
      yield* customers.insert(
        F.customer(tenant, "C0002", {
          companyCodes: [F.companyCodeView("1000", { authorizationGroup: G1 })],
          salesAreas: [F.salesAreaView("1000/10/00")]
        })
      )
      // Hidden matches first: a store filtering after the limit would return an empty page.
      for (let i = 3; i <= 6; i++) {
        yield* customers.insert(
          F.customer(tenant, `C000${i}`, {
            companyCodes: [F.companyCodeView("1000", { authorizationGroup: HIDE })],
            salesAreas: [F.salesAreaView("1000/10/00", { authorizationGroup: HIDE })]
          })
        )
      }
      yield* customers.insert(
        F.customer(tenant, "C0007", {
          companyCodes: [F.companyCodeView("1000")],
          salesAreas: [F.salesAreaView("1000/10/00", { authorizationGroup: G1 })]
        })
      )
      const byCode = (visibility: typeof restricted) => customers.list({ tenant, visibility, companyCode: "1000", limit: 2 })
      const byArea = (visibility: typeof restricted) =>
        customers.list({ tenant, visibility, salesArea: F.salesArea("1000/10/00"), limit: 2 })
      expect(numbersOf(yield* byCode(restricted))).toEqual(["C0002", "C0007"])
      expect(numbersOf(yield* byArea(restricted))).toEqual(["C0002", "C0007"])
      expect(numbersOf(yield* byCode(F.unrestricted))).toEqual(["C0001", "C0002"])
      expect(numbersOf(yield* byArea(F.unrestricted))).toEqual(["C0001", "C0002"])
    })
  ),

  make("CustomerStore.list returns each customer with only the views the visibility allows", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insert(
        F.customer(tenant, "C0001", {
          companyCodes: [F.companyCodeView("1000", { authorizationGroup: HIDE }), F.companyCodeView("2000")],
          salesAreas: [F.salesAreaView("1000/10/00"), F.salesAreaView("2000/10/00", { authorizationGroup: HIDE })]
        })
      )
      const [seen] = yield* customers.list({ tenant, visibility: restricted, limit: 10 })
      expect(seen?.companyCodes.map((v) => v.companyCode)).toEqual(["2000"])
      expect(seen?.salesAreas.map((v) => Customer.salesAreaKey(v.salesArea))).toEqual(["1000/10/00"])
    })
  ),

  make("CustomerStore.list combines filters, cursor and visibility", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      const rows: Array<[string, string, string | undefined, string | undefined]> = [
        // number, account group, general group, company-code 1000 group ("-" for no such view)
        ["C0001", "0001", undefined, undefined],
        ["C0002", "0002", undefined, undefined],
        ["C0003", "0001", HIDE, undefined],
        ["C0004", "0001", undefined, "-"],
        ["C0005", "0001", undefined, HIDE],
        ["C0006", "0001", G1, G1],
        ["C0007", "0001", undefined, undefined]
      ]
      for (const [number, accountGroup, generalGroup, viewGroup] of rows) {
        yield* customers.insert(
          F.customer(tenant, number, {
            accountGroup,
            general: F.general({ authorizationGroup: generalGroup }),
            companyCodes: viewGroup === "-" ? [] : [F.companyCodeView("1000", { authorizationGroup: viewGroup })]
          })
        )
      }
      const page = yield* customers.list({
        tenant,
        visibility: restricted,
        accountGroup: "0001",
        companyCode: "1000",
        after: "C0001",
        limit: 2
      })
      expect(numbersOf(page)).toEqual(["C0006", "C0007"])
    })
  )
]
