/**
 * `ChangeDocumentStore`: one case per sentence of the port's doc comment.
 *
 * @internal
 */
import type { Actor, ChangeDocument, Storage } from "@partnerkit/core"
import { Effect } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, failureOf, make, ports } from "../Case.js"

const G1 = "G1"
const HIDE = "HIDE"
const restricted = F.visibleGroups(G1)

const changeNumbersOf = (documents: ReadonlyArray<ChangeDocument.ChangeDocument>) => documents.map((d) => d.changeNumber)
const pathsOf = (document: ChangeDocument.ChangeDocument | undefined) => document?.items.map((i) => i.path)

const listAll = (tenant: string, customerNumber: string, visibility: Actor.Visibility, before?: number, limit = 100) =>
  Effect.flatMap(ports, ({ documents }) => documents.list({ tenant, customerNumber, visibility, before, limit }))

export const cases: ReadonlyArray<Case<Storage.Ports>> = [
  make("ChangeDocumentStore.append stores documents as given and list returns them newest first", () =>
    Effect.gen(function* () {
      const { customers, documents } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insert(F.customer(tenant, "C0001", { companyCodes: [F.companyCodeView("1000")] }))
      const one = F.changeDocument(tenant, "C0001", 1, {
        items: [
          F.changeItem({ path: "general.name", oldValue: null, newValue: "Müller" }),
          F.companyCodeItem("1000", "paymentTerms", "Z030")
        ]
      })
      const two = F.changeDocument(tenant, "C0001", 2, {
        operation: "block",
        changedBy: "li.na",
        changedAt: "2024-02-01T10:00:00.000Z",
        items: [F.changeItem({ path: "customer.centralBlock", oldValue: null, newValue: "insolvency" })]
      })
      const three = F.changeDocument(tenant, "C0001", 3, {
        operation: "unblock",
        items: [F.changeItem({ path: "customer.centralBlock", oldValue: "insolvency", newValue: null })]
      })
      yield* documents.append([two, one])
      yield* documents.append([three])
      expect(yield* listAll(tenant, "C0001", F.unrestricted)).toEqual([three, two, one])
    })
  ),

  make("ChangeDocumentStore.list returns only the documents of that customer of that tenant", () =>
    Effect.gen(function* () {
      const { customers, documents } = yield* ports
      const tenant = F.tenantId()
      const other = F.tenantId()
      for (const number of ["C0001", "C0002", "C00010"]) yield* customers.insert(F.customer(tenant, number))
      yield* customers.insert(F.customer(other, "C0001"))
      yield* documents.append([F.changeDocument(tenant, "C0001", 1), F.changeDocument(tenant, "C0001", 2)])
      yield* documents.append([F.changeDocument(tenant, "C0002", 1), F.changeDocument(tenant, "C0002", 3)])
      yield* documents.append([F.changeDocument(tenant, "C00010", 4)])
      yield* documents.append([F.changeDocument(other, "C0001", 5)])
      const page = yield* listAll(tenant, "C0001", F.unrestricted)
      expect(changeNumbersOf(page)).toEqual([2, 1])
      expect(page.every((d) => d.tenant === tenant && d.customerNumber === "C0001")).toBe(true)
      expect(yield* listAll(tenant, "C0003", F.unrestricted)).toEqual([])
    })
  ),

  make("ChangeDocumentStore.list with `before` returns only documents with a lower change number", () =>
    Effect.gen(function* () {
      const { customers, documents } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insert(F.customer(tenant, "C0001"))
      yield* documents.append([1, 2, 3, 5, 8].map((n) => F.changeDocument(tenant, "C0001", n)))
      expect(changeNumbersOf(yield* listAll(tenant, "C0001", F.unrestricted, 5))).toEqual([3, 2, 1])
      expect(changeNumbersOf(yield* listAll(tenant, "C0001", F.unrestricted, 4))).toEqual([3, 2, 1])
      expect(changeNumbersOf(yield* listAll(tenant, "C0001", F.unrestricted, 9))).toEqual([8, 5, 3, 2, 1])
      expect(changeNumbersOf(yield* listAll(tenant, "C0001", F.unrestricted, 1))).toEqual([])
    })
  ),

  make("ChangeDocumentStore.list returns at most `limit` documents", () =>
    Effect.gen(function* () {
      const { customers, documents } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insert(F.customer(tenant, "C0001"))
      yield* documents.append([1, 2, 3, 4, 5].map((n) => F.changeDocument(tenant, "C0001", n)))
      expect(changeNumbersOf(yield* listAll(tenant, "C0001", F.unrestricted, undefined, 2))).toEqual([5, 4])
      expect(changeNumbersOf(yield* listAll(tenant, "C0001", F.unrestricted, 4, 2))).toEqual([3, 2])
      expect(changeNumbersOf(yield* listAll(tenant, "C0001", F.unrestricted, 2, 2))).toEqual([1])
    })
  ),

  make("ChangeDocumentStore.list filters items by their view's authorization group as it is now", () =>
    Effect.gen(function* () {
      const { customers, documents } = yield* ports
      const tenant = F.tenantId()
      const v1 = F.customer(tenant, "C0001", {
        companyCodes: [F.companyCodeView("1000", { authorizationGroup: HIDE }), F.companyCodeView("2000", { authorizationGroup: G1 })],
        salesAreas: [F.salesAreaView("1000/10/00")]
      })
      yield* customers.insert(v1)
      const items = [
        F.changeItem({ path: "general.name" }),
        F.companyCodeItem("1000"),
        F.salesAreaItem("1000/10/00"),
        F.companyCodeItem("2000")
      ]
      yield* documents.append([F.changeDocument(tenant, "C0001", 1, { items })])
      const [before] = yield* listAll(tenant, "C0001", restricted)
      expect(pathsOf(before)).toEqual(["general.name", "salesAreas.1000/10/00.currency", "companyCodes.2000.paymentTerms"])

      // The groups change after the document was written: visibility follows the record as it is now.
      yield* customers.update(
        F.nextVersion(v1, {
          companyCodes: [F.companyCodeView("1000"), F.companyCodeView("2000", { authorizationGroup: G1 })],
          salesAreas: [F.salesAreaView("1000/10/00", { authorizationGroup: HIDE })]
        }),
        1
      )
      const [after] = yield* listAll(tenant, "C0001", restricted)
      expect(pathsOf(after)).toEqual(["general.name", "companyCodes.1000.paymentTerms", "companyCodes.2000.paymentTerms"])
      const [all] = yield* listAll(tenant, "C0001", F.unrestricted)
      expect(all?.items).toEqual(items)
    })
  ),

  make("ChangeDocumentStore.list judges general items by the general view's group", () =>
    Effect.gen(function* () {
      const { customers, documents } = yield* ports
      const tenant = F.tenantId()
      const v1 = F.customer(tenant, "C0001", {
        general: F.general({ authorizationGroup: HIDE }),
        companyCodes: [F.companyCodeView("1000")]
      })
      yield* customers.insert(v1)
      yield* documents.append([
        F.changeDocument(tenant, "C0001", 1, {
          items: [F.changeItem({ path: "general.name" }), F.changeItem({ path: "contacts.0001.email" }), F.companyCodeItem("1000")]
        })
      ])
      const [hidden] = yield* listAll(tenant, "C0001", restricted)
      expect(pathsOf(hidden)).toEqual(["companyCodes.1000.paymentTerms"])
      yield* customers.update(F.nextVersion(v1, { general: F.general({ authorizationGroup: G1 }) }), 1)
      const [shown] = yield* listAll(tenant, "C0001", restricted)
      expect(pathsOf(shown)).toEqual(["general.name", "contacts.0001.email", "companyCodes.1000.paymentTerms"])
    })
  ),

  make("ChangeDocumentStore.list skips documents left with no visible item and fills the page from older ones", () =>
    Effect.gen(function* () {
      const { customers, documents } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insert(F.customer(tenant, "C0001", { companyCodes: [F.companyCodeView("1000", { authorizationGroup: HIDE })] }))
      yield* documents.append(
        [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
          F.changeDocument(tenant, "C0001", n, {
            items: n % 2 === 0 ? [F.companyCodeItem("1000", "paymentTerms", `Z00${n}`)] : [F.changeItem({ newValue: `phone ${n}` })]
          })
        )
      )
      expect(changeNumbersOf(yield* listAll(tenant, "C0001", restricted, undefined, 2))).toEqual([7, 5])
      expect(changeNumbersOf(yield* listAll(tenant, "C0001", restricted, 5, 2))).toEqual([3, 1])
      expect(changeNumbersOf(yield* listAll(tenant, "C0001", restricted, 3, 2))).toEqual([1])
      expect(changeNumbersOf(yield* listAll(tenant, "C0001", F.unrestricted, undefined, 2))).toEqual([8, 7])
    })
  ),

  make("ChangeDocumentStore.list keeps items in their stored order", () =>
    Effect.gen(function* () {
      const { customers, documents } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insert(F.customer(tenant, "C0001", { companyCodes: [F.companyCodeView("1000", { authorizationGroup: HIDE })] }))
      const items = [
        F.changeItem({ path: "general.street", newValue: "z" }),
        F.companyCodeItem("1000"),
        F.changeItem({ path: "general.city", newValue: "a" }),
        F.changeItem({ path: "general.name", newValue: "m" }),
        F.changeItem({ path: "general.city", newValue: "b" })
      ]
      yield* documents.append([F.changeDocument(tenant, "C0001", 1, { items })])
      const [all] = yield* listAll(tenant, "C0001", F.unrestricted)
      expect(all?.items).toEqual(items)
      const [some] = yield* listAll(tenant, "C0001", restricted)
      expect(some?.items).toEqual([items[0], items[2], items[3], items[4]])
    })
  ),

  make("ChangeDocumentStore.append of an existing change number fails with StorageError and writes nothing", () =>
    Effect.gen(function* () {
      const { customers, documents } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insert(F.customer(tenant, "C0001"))
      const one = F.changeDocument(tenant, "C0001", 1)
      yield* documents.append([one])
      const error = yield* failureOf(
        documents.append([F.changeDocument(tenant, "C0001", 2), F.changeDocument(tenant, "C0001", 1, { operation: "change" })])
      )
      expect(error).toMatchObject({ _tag: "StorageError" })
      expect(yield* listAll(tenant, "C0001", F.unrestricted)).toEqual([one])
      // A duplicate within one call is a duplicate too.
      const again = yield* failureOf(documents.append([F.changeDocument(tenant, "C0001", 3), F.changeDocument(tenant, "C0001", 3)]))
      expect(again).toMatchObject({ _tag: "StorageError" })
      expect(yield* listAll(tenant, "C0001", F.unrestricted)).toEqual([one])
      // The store still takes the next document.
      const two = F.changeDocument(tenant, "C0001", 2)
      yield* documents.append([two])
      expect(yield* listAll(tenant, "C0001", F.unrestricted)).toEqual([two, one])
    })
  ),

  make("ChangeDocumentStore.append of no documents writes nothing and succeeds", () =>
    Effect.gen(function* () {
      const { customers, documents } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insert(F.customer(tenant, "C0001"))
      yield* documents.append([])
      expect(yield* listAll(tenant, "C0001", F.unrestricted)).toEqual([])
    })
  )
]
