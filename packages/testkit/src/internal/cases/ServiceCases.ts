/**
 * The real `Customers` service of `@partnerkit/core` on the store under test: what the service
 * promises ("a failed operation writes nothing", optimistic concurrency, authorization inside the
 * store) only holds when the store keeps the port semantics under the service's own usage.
 *
 * @internal
 */
import {
  Actor,
  ChangeDocumentStore,
  type ChangeDocumentStoreShape,
  Customer,
  Customers,
  Customizing,
  Errors,
  NumberRangeStore,
  Presets,
  type Storage
} from "@partnerkit/core"
import { Effect, Option } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, concurrently, failureOf, make, partition } from "../Case.js"

/** The name that makes the injected change-document store fail (see `failingAppend`). */
const FAIL = "Fail On Append GmbH"

/**
 * The change-document port of the store under test, except that appending the create document of
 * a customer named `FAIL` fails with `StorageError`: the failure comes after the number was drawn
 * and the customer inserted, inside the service's transaction.
 */
const failingAppend: Effect.Effect<ChangeDocumentStoreShape, never, ChangeDocumentStore> = Effect.map(ChangeDocumentStore, (store) => ({
  ...store,
  append: (documents) =>
    documents.some((d) => d.items.some((i) => i.path === "general.name" && i.newValue === FAIL))
      ? Effect.fail(new Errors.StorageError({ operation: "ChangeDocumentStore.append", cause: new Error("injected failure") }))
      : store.append(documents)
}))

/** The service for a fresh tenant with the standard customizing, on the store under test. */
const service = (tenant: string, options: { readonly injectFailure?: boolean } = {}) =>
  Effect.gen(function* () {
    const customizing = Customizing.makeOrThrow(Presets.standard(tenant))
    const documents = options.injectFailure === true ? yield* failingAppend : yield* ChangeDocumentStore
    return yield* Customers.make.pipe(
      Effect.provideService(Customizing.Current, customizing),
      Effect.provideService(ChangeDocumentStore, documents)
    )
  })

/** A payer (account group `0004`, numbers `F0001`…) that passes the standard customizing's checks. */
const payer = (name: string, extra: Partial<Customer.CreateCustomerInput> = {}): Customer.CreateCustomerInput => ({
  accountGroup: "0004",
  general: { name, street: "Hauptstraße 1", postalCode: "80331", city: "München", country: "DE" },
  ...extra
})

const restrictedActor = (tenant: string) =>
  Actor.make({
    userId: "li.na",
    tenant,
    authorizationGroups: ["G1"],
    companyCodes: "*",
    salesOrganizations: "*",
    activities: "*"
  })

export const cases: ReadonlyArray<Case<Storage.Ports>> = [
  make("Customers.create: concurrent creates get distinct, consecutive numbers", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const customers = yield* service(tenant)
      const actor = Actor.superUser(tenant)
      const outcomes = yield* concurrently(Array.from({ length: 8 }, (_, i) => customers.create({ actor, ...payer(`Payer ${i}`) })))
      const { successes, failures } = partition(outcomes)
      expect(failures).toEqual([])
      const numbers = successes.map((r) => r.customer.number).sort()
      expect(numbers).toEqual(["F0001", "F0002", "F0003", "F0004", "F0005", "F0006", "F0007", "F0008"])
      const page = yield* customers.list({ actor, limit: 100 })
      expect(page.items.map((c) => c.number)).toEqual(numbers)
      for (const number of numbers) {
        const documents = yield* customers.changeDocuments({ actor, number })
        expect(documents.items.map((d) => [d.changeNumber, d.operation])).toEqual([[1, "create"]])
      }
    })
  ),

  make("Customers.create: a create failing validation writes nothing and the next create gets the same number", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const customers = yield* service(tenant)
      const ranges = yield* NumberRangeStore
      const actor = Actor.superUser(tenant)
      const invalid = { actor, accountGroup: "0004", general: { name: "No Address Ltd" } }
      expect((yield* failureOf(customers.create(invalid)))._tag).toBe("ValidationFailed")
      expect((yield* customers.list({ actor })).items).toEqual([])
      expect(Option.isNone(yield* ranges.last(tenant, "F"))).toBe(true)
      const { customer } = yield* customers.create({ actor, ...payer("Valid Ltd") })
      expect(customer.number).toBe("F0001")
    })
  ),

  make("Customers.create: a create failing inside its transaction writes nothing and the next create gets the same number", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const customers = yield* service(tenant, { injectFailure: true })
      const ranges = yield* NumberRangeStore
      const actor = Actor.superUser(tenant)
      yield* customers.create({ actor, ...payer("First Ltd") }) // F0001
      const error = yield* failureOf(customers.create({ actor, ...payer(FAIL) }))
      expect(error).toMatchObject({ _tag: "StorageError" })
      // No customer, no change document, no drawn number.
      expect((yield* customers.list({ actor })).items.map((c) => c.number)).toEqual(["F0001"])
      expect((yield* failureOf(customers.display({ actor, number: "F0002" })))._tag).toBe("CustomerNotFound")
      const documents = yield* ChangeDocumentStore
      expect(yield* documents.list({ tenant, customerNumber: "F0002", visibility: F.unrestricted, limit: 10 })).toEqual([])
      expect(yield* ranges.last(tenant, "F")).toEqual(Option.some(1))
      const { customer } = yield* customers.create({ actor, ...payer("Second Ltd") })
      expect(customer.number).toBe("F0002")
    })
  ),

  make("Customers.change: a stale version fails with VersionConflict and writes nothing", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const customers = yield* service(tenant)
      const actor = Actor.superUser(tenant)
      const { customer } = yield* customers.create({ actor, ...payer("Versioned GmbH") })
      const changed = yield* customers.change({ actor, number: customer.number, version: 1, general: { city: "Berlin" } })
      expect(changed.customer.version).toBe(2)
      const error = yield* failureOf(
        customers.change({ actor, number: customer.number, version: 1, general: { city: "Hamburg", phone: "+49 40 123456" } })
      )
      expect(error).toMatchObject({ _tag: "VersionConflict", number: customer.number, expected: 1, actual: 2 })
      const shown = yield* customers.display({ actor, number: customer.number })
      expect(shown.version).toBe(2)
      expect(shown.general.city).toBe("Berlin")
      expect(shown.general.phone).toBeUndefined()
      const documents = yield* customers.changeDocuments({ actor, number: customer.number })
      expect(documents.items.map((d) => d.changeNumber)).toEqual([2, 1])
    })
  ),

  make("Customers.change: of concurrent changes from the same version exactly one succeeds", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const customers = yield* service(tenant)
      const actor = Actor.superUser(tenant)
      const { customer } = yield* customers.create({ actor, ...payer("Contended GmbH") })
      const cities = ["Berlin", "Hamburg", "Köln", "Bremen", "Dresden", "Leipzig", "Bonn", "Kiel"]
      const outcomes = yield* concurrently(
        cities.map((city) => customers.change({ actor, number: customer.number, version: 1, general: { city } }))
      )
      const { successes, failures } = partition(outcomes)
      expect(successes).toHaveLength(1)
      expect(failures.map((f) => f._tag)).toEqual(Array(7).fill("VersionConflict"))
      const shown = yield* customers.display({ actor, number: customer.number })
      expect(shown.version).toBe(2)
      expect(shown.general.city).toBe(successes[0]?.customer.general.city)
      const documents = yield* customers.changeDocuments({ actor, number: customer.number })
      expect(documents.items.map((d) => d.changeNumber)).toEqual([2, 1])
    })
  ),

  make("Customers.list and display: an actor without group X sees neither customers nor views with group X", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const customers = yield* service(tenant)
      const admin = Actor.superUser(tenant)
      const assistant = restrictedActor(tenant)
      const open = yield* customers.create({
        actor: admin,
        ...payer("Open GmbH", {
          companyCodes: [
            { companyCode: "1000", reconciliationAccount: "140000", paymentTerms: "Z030", authorizationGroup: "G1" },
            { companyCode: "2000", reconciliationAccount: "140000", paymentTerms: "Z030", authorizationGroup: "X" }
          ],
          salesAreas: [{ salesArea: F.salesArea("1000/10/00"), authorizationGroup: "X" }, { salesArea: F.salesArea("1000/20/00") }]
        })
      })
      // Hidden customers first, so that a store filtering after the limit would return nothing.
      for (const name of ["Secret One", "Secret Two", "Secret Three"]) {
        yield* customers.create({ actor: admin, ...payer(name, { general: { ...payer(name).general, authorizationGroup: "X" } }) })
      }
      const visible = yield* customers.create({ actor: admin, ...payer("Visible AG") })

      const page = yield* customers.list({ actor: assistant, limit: 2 })
      expect(page.items.map((c) => c.number)).toEqual([open.customer.number, visible.customer.number])
      const seen = page.items[0]!
      expect(seen.companyCodes.map((v) => v.companyCode)).toEqual(["1000"])
      expect(seen.salesAreas.map((v) => Customer.salesAreaKey(v.salesArea))).toEqual(["1000/20/00"])
      expect((yield* customers.list({ actor: assistant, companyCode: "2000" })).items).toEqual([])
      expect((yield* customers.list({ actor: admin, companyCode: "2000" })).items.map((c) => c.number)).toEqual([open.customer.number])
      expect((yield* failureOf(customers.display({ actor: assistant, number: "F0002" })))._tag).toBe("CustomerNotFound")
      expect((yield* customers.list({ actor: admin })).items).toHaveLength(5)
    })
  ),

  make("Customers.changeDocuments: an actor without group X sees no item of a view with group X", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const customers = yield* service(tenant)
      const admin = Actor.superUser(tenant)
      const assistant = restrictedActor(tenant)
      const { customer } = yield* customers.create({
        actor: admin,
        ...payer("Audited GmbH", {
          companyCodes: [
            { companyCode: "1000", reconciliationAccount: "140000", paymentTerms: "Z030" },
            { companyCode: "2000", reconciliationAccount: "140000", paymentTerms: "Z030", authorizationGroup: "X" }
          ]
        })
      })
      // Version 2 touches only the hidden view, version 3 only the general view.
      yield* customers.change({ actor: admin, number: customer.number, version: 1, companyCodes: { "2000": { paymentTerms: "Z060" } } })
      yield* customers.change({ actor: admin, number: customer.number, version: 2, general: { city: "Berlin" } })

      const all = yield* customers.changeDocuments({ actor: admin, number: customer.number })
      expect(all.items.map((d) => d.changeNumber)).toEqual([3, 2, 1])
      expect(all.items[2]?.items.some((i) => i.viewKind === "companyCode" && i.viewId === "2000")).toBe(true)

      const mine = yield* customers.changeDocuments({ actor: assistant, number: customer.number, limit: 2 })
      // Document 2 has no item left for the assistant: skipped, and the page is filled with document 1.
      expect(mine.items.map((d) => d.changeNumber)).toEqual([3, 1])
      for (const document of mine.items) {
        expect(document.items.length).toBeGreaterThan(0)
        expect(document.items.some((i) => i.viewId === "2000" || i.path.startsWith("companyCodes.2000"))).toBe(false)
      }
      expect(mine.items[1]?.items.some((i) => i.viewId === "1000")).toBe(true)
    })
  )
]
