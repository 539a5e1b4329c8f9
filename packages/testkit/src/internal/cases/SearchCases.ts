/**
 * `CustomerSearchStore`: one case per sentence of the port's doc comment, so that every store
 * gives the same answers.
 *
 * @internal
 */
import {
  Actor,
  type Customer,
  CustomerSearch,
  type CustomerSearchQuery,
  CustomerSearchStore,
  CustomerStore,
  Customers,
  Customizing,
  Errors,
  Presets,
  SearchText,
  type Storage,
  StoreTransaction
} from "@partnerkit/core"
import { Effect, Either } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, failureOf, make } from "../Case.js"

const ports = Effect.all({ customers: CustomerStore, search: CustomerSearchStore, tx: StoreTransaction })

/** A query for `text` (no text: filters only) with every customer visible, page size 100. */
const query = (tenant: string, text: string | undefined, extra: Partial<CustomerSearchQuery> = {}): CustomerSearchQuery => ({
  tenant,
  visibility: F.unrestricted,
  terms: text === undefined ? [] : SearchText.parseQuery(text),
  limit: 100,
  ...extra
})

/** The numbers a query finds, and its total. */
const find = (q: CustomerSearchQuery) =>
  Effect.gen(function* () {
    const { search } = yield* ports
    const result = yield* search.search(q)
    return { numbers: result.items.map((h) => h.number), total: result.total }
  })

/** Only the numbers (for cases where the total is checked elsewhere). */
const numbers = (q: CustomerSearchQuery) => Effect.map(find(q), (r) => r.numbers)

const named = (tenant: string, number: string, general: Partial<Customer.GeneralData>, overrides: Partial<Customer.CustomerRecord> = {}) =>
  F.customer(tenant, number, { general: F.general({ street: "Ring 1", city: "Berlin", ...general }), ...overrides })

export const cases: ReadonlyArray<Case<Storage.Ports>> = [
  make("CustomerSearchStore.search never returns or counts a customer of another tenant", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      const other = F.tenantId()
      yield* customers.insertMany([named(tenant, "C1", { name: "Zander Logistik" })])
      yield* customers.insertMany([named(other, "C1", { name: "Zander Logistik" }), named(other, "C2", { name: "Zander Bau" })])
      expect(yield* find(query(tenant, "zander"))).toEqual({ numbers: ["C1"], total: 1 })
      expect(yield* find(query(tenant, undefined, { accountGroup: "0001" }))).toEqual({ numbers: ["C1"], total: 1 })
    })
  ),

  make("CustomerSearchStore.search matches words by prefix, folding case, width and accents", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insertMany([
        named(tenant, "C1", { name: "Müller Maschinenbau GmbH", city: "München", street: "Hauptstraße 1" }),
        named(tenant, "C2", { name: "MUELLER Logistik AG", city: "Köln" }),
        named(tenant, "C3", { name: "Ｍｕｌｌｅｒ Trading", city: "Zürich" }),
        named(tenant, "C4", { name: "Schmidt & Söhne", city: "Bremen" })
      ])
      expect(yield* numbers(query(tenant, "mül"))).toEqual(["C1", "C3"])
      expect(yield* numbers(query(tenant, "MULLER"))).toEqual(["C1", "C3"])
      expect(yield* numbers(query(tenant, "mueller"))).toEqual(["C2"])
      expect(yield* numbers(query(tenant, "Hauptstrasse"))).toEqual(["C1"])
      expect(yield* numbers(query(tenant, "haupt"))).toEqual(["C1"])
      // A word is found by its start, not by its middle.
      expect(yield* numbers(query(tenant, "strasse"))).toEqual([])
      expect(yield* numbers(query(tenant, "uller"))).toEqual([])
      expect(yield* numbers(query(tenant, "zurich"))).toEqual(["C3"])
      expect(yield* numbers(query(tenant, "sohne"))).toEqual(["C4"])
    })
  ),

  make("CustomerSearchStore.search matches CJK text by substring of its characters", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insertMany([
        named(tenant, "C1", { name: "华为技术有限公司", city: "深圳" }),
        named(tenant, "C2", { name: "华润万家有限公司", city: "深圳" }),
        named(tenant, "C3", { name: "上海为技电子", city: "技术开发区" }),
        named(tenant, "C4", { name: "トヨタ自動車株式会社", city: "豊田" })
      ])
      expect(yield* numbers(query(tenant, "华为"))).toEqual(["C1"])
      expect(yield* numbers(query(tenant, "技术"))).toEqual(["C1", "C3"])
      expect(yield* numbers(query(tenant, "华"))).toEqual(["C1", "C2"])
      expect(yield* numbers(query(tenant, "有限公司"))).toEqual(["C1", "C2"])
      // C3 has both pairs of 为技术 (为技, 技术), but only C1 has the three characters in a row.
      expect(yield* numbers(query(tenant, "为技术"))).toEqual(["C1"])
      expect(yield* numbers(query(tenant, "华为技术有限公司"))).toEqual(["C1"])
      expect(yield* numbers(query(tenant, "深圳 华润"))).toEqual(["C2"])
      expect(yield* numbers(query(tenant, "ﾄﾖﾀ"))).toEqual(["C4"])
      expect(yield* numbers(query(tenant, "自動車"))).toEqual(["C4"])
      expect(yield* numbers(query(tenant, "华为科技"))).toEqual([])
    })
  ),

  make("CustomerSearchStore.search needs every term to match, in the name lines, search term, street or city", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insertMany([
        named(tenant, "C1", {
          name: "Alpha Werkzeug",
          name2: "Betriebsstätte Nord",
          searchTerm: "ALPHANORD",
          street: "Kaiserweg 3",
          city: "Kiel"
        }),
        named(tenant, "C2", { name: "Alpha Werkzeug", name4: "Zweigwerk", street: "Lindenallee 9", city: "Kassel" }),
        named(tenant, "C3", { name: "Beta Werkzeug", street: "Kaiserweg 5", city: "Kiel", notes: "alpha partner" })
      ])
      expect(yield* numbers(query(tenant, "alpha werkzeug"))).toEqual(["C1", "C2"])
      expect(yield* numbers(query(tenant, "alpha kiel"))).toEqual(["C1"])
      expect(yield* numbers(query(tenant, "betriebsst"))).toEqual(["C1"])
      expect(yield* numbers(query(tenant, "alphanord"))).toEqual(["C1"])
      expect(yield* numbers(query(tenant, "zweigwerk kassel"))).toEqual(["C2"])
      expect(yield* numbers(query(tenant, "kaiserweg"))).toEqual(["C1", "C3"])
      // Notes are not searched; a term that matches nothing empties the result.
      expect(yield* numbers(query(tenant, "partner"))).toEqual([])
      expect(yield* numbers(query(tenant, "alpha werkzeug hamburg"))).toEqual([])
      // No terms: every customer matches (the filters decide).
      expect(yield* find(query(tenant, undefined, { country: "DE" }))).toEqual({ numbers: ["C1", "C2", "C3"], total: 3 })
    })
  ),

  make("CustomerSearchStore.search filters by account group, country, central block and central deletion flag", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insertMany([
        named(tenant, "C1", { name: "Gamma Handel", country: "DE" }),
        named(tenant, "C2", { name: "Gamma Handel", country: "AT" }, { accountGroup: "0002" }),
        named(tenant, "C3", { name: "Gamma Handel", country: "DE" }, { centralBlock: F.block() }),
        named(tenant, "C4", { name: "Gamma Handel", country: "DE" }, { deletionFlag: true })
      ])
      expect(yield* numbers(query(tenant, "gamma", { accountGroup: "0002" }))).toEqual(["C2"])
      expect(yield* numbers(query(tenant, "gamma", { country: "AT" }))).toEqual(["C2"])
      expect(yield* numbers(query(tenant, "gamma", { blocked: true }))).toEqual(["C3"])
      expect(yield* numbers(query(tenant, "gamma", { blocked: false }))).toEqual(["C1", "C2", "C4"])
      expect(yield* numbers(query(tenant, "gamma", { deletionFlag: true }))).toEqual(["C4"])
      expect(yield* find(query(tenant, "gamma", { deletionFlag: false, blocked: false, country: "DE" }))).toEqual({
        numbers: ["C1"],
        total: 1
      })
    })
  ),

  make("CustomerSearchStore.search filters by company code and sales area only through views the actor may see", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insertMany([
        named(
          tenant,
          "C1",
          { name: "Delta Bau" },
          { companyCodes: [F.companyCodeView("1000")], salesAreas: [F.salesAreaView("1000/10/00")] }
        ),
        named(
          tenant,
          "C2",
          { name: "Delta Bau" },
          {
            companyCodes: [F.companyCodeView("1000", { authorizationGroup: "HIDE" })],
            salesAreas: [F.salesAreaView("1000/10/00", { authorizationGroup: "HIDE" })]
          }
        ),
        named(
          tenant,
          "C3",
          { name: "Delta Bau" },
          { companyCodes: [F.companyCodeView("2000")], salesAreas: [F.salesAreaView("1000/20/00")] }
        )
      ])
      const area = F.salesArea("1000/10/00")
      expect(yield* find(query(tenant, "delta", { companyCode: "1000" }))).toEqual({ numbers: ["C1", "C2"], total: 2 })
      expect(yield* find(query(tenant, "delta", { companyCode: "1000", visibility: F.visibleGroups("G1") }))).toEqual({
        numbers: ["C1"],
        total: 1
      })
      expect(yield* numbers(query(tenant, "delta", { salesArea: area }))).toEqual(["C1", "C2"])
      expect(yield* numbers(query(tenant, "delta", { salesArea: area, visibility: F.visibleGroups("G1") }))).toEqual(["C1"])
      expect(yield* numbers(query(tenant, undefined, { salesArea: F.salesArea("1000/20/00") }))).toEqual(["C3"])
    })
  ),

  make("CustomerSearchStore.search neither returns nor counts customers whose general view is hidden, and fills the page", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insertMany(
        ["C1", "C2", "C3", "C4", "C5", "C6"].map((number, i) =>
          named(tenant, number, { name: "Epsilon Foods", authorizationGroup: i % 2 === 0 ? "HIDE" : i === 1 ? "G1" : undefined })
        )
      )
      const restricted = F.visibleGroups("G1")
      expect(yield* find(query(tenant, "epsilon", { visibility: restricted, limit: 2 }))).toEqual({ numbers: ["C2", "C4"], total: 3 })
      expect(yield* find(query(tenant, "epsilon", { visibility: restricted, after: "C4" }))).toEqual({ numbers: ["C6"], total: 3 })
      expect(yield* find(query(tenant, "epsilon", { visibility: F.visibleGroups() }))).toEqual({ numbers: ["C4", "C6"], total: 2 })
      expect(yield* find(query(tenant, undefined, { visibility: restricted, country: "DE" }))).toEqual({
        numbers: ["C2", "C4", "C6"],
        total: 3
      })
      expect((yield* find(query(tenant, "epsilon"))).total).toBe(6)
    })
  ),

  make("CustomerSearchStore.search returns at most limit matches after the cursor, ascending by number; total counts them all", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      // Inserted out of order; "C10" < "C9" and "c1" > "C9" in code-unit order.
      const written = ["C9", "c1", "C10", "C2", "B7", "C1"]
      yield* customers.insertMany(written.map((number) => named(tenant, number, { name: "Zeta Optik" })))
      yield* customers.insert(named(tenant, "C5", { name: "Eta Optik" }))
      expect(yield* find(query(tenant, "zeta", { limit: 3 }))).toEqual({ numbers: ["B7", "C1", "C10"], total: 6 })
      expect(yield* find(query(tenant, "zeta", { limit: 3, after: "C10" }))).toEqual({ numbers: ["C2", "C9", "c1"], total: 6 })
      expect(yield* find(query(tenant, "zeta", { limit: 3, after: "c1" }))).toEqual({ numbers: [], total: 6 })
      expect(yield* find(query(tenant, "optik", { limit: 100 }))).toEqual({
        numbers: ["B7", "C1", "C10", "C2", "C5", "C9", "c1"],
        total: 7
      })
      expect(yield* find(query(tenant, undefined, { accountGroup: "0001", limit: 2, after: "C2" }))).toEqual({
        numbers: ["C5", "C9"],
        total: 7
      })
      const { search } = yield* ports
      const hit = (yield* search.search(query(tenant, "eta"))).items[0]
      expect(hit).toEqual({
        number: "C5",
        accountGroup: "0001",
        version: 1,
        general: named(tenant, "C5", { name: "Eta Optik" }).general,
        centralBlock: null,
        deletionFlag: false
      })
    })
  ),

  make("CustomerSearchStore.search treats quotes, %, _, backslashes and SQL as plain text", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      yield* customers.insertMany([
        named(tenant, "C1", { name: "O'Brien & Partners" }),
        named(tenant, "C2", { name: "O’Brien Ltd" }),
        named(tenant, "C3", { name: "Under_Score GmbH" }),
        named(tenant, "C4", { name: "UnderXScore GmbH" }),
        named(tenant, "C5", { name: "100% Bio Markt" }),
        named(tenant, "C6", { name: "Back\\Slash KG" }),
        named(tenant, "C7", { name: 'Robert"); DROP TABLE customers;-- AG' }),
        named(tenant, "C8", { name: "x1y Handel" })
      ])
      expect(yield* numbers(query(tenant, "o'brien"))).toEqual(["C1", "C2"])
      expect(yield* numbers(query(tenant, '"obrien"'))).toEqual(["C1", "C2"])
      // `_` and `%` are not wildcards: under_score is two words, x%y is two words.
      expect(yield* numbers(query(tenant, "under_score"))).toEqual(["C3"])
      expect(yield* numbers(query(tenant, "x%y"))).toEqual([])
      expect(yield* numbers(query(tenant, "100%"))).toEqual(["C5"])
      expect(yield* numbers(query(tenant, "back\\slash"))).toEqual(["C6"])
      expect(yield* numbers(query(tenant, "\\slash"))).toEqual(["C6"])
      expect(yield* numbers(query(tenant, "'; DROP TABLE customers;--"))).toEqual(["C7"])
      expect(yield* numbers(query(tenant, "' OR 1=1 --"))).toEqual([])
      expect(yield* numbers(query(tenant, "%华为%"))).toEqual([])
      // The table is still there, with everything in it.
      expect((yield* find(query(tenant, undefined, { accountGroup: "0001" }))).total).toBe(8)
    })
  ),

  make("CustomerSearchStore.search finds writes at once: by the new text after an update, never by the old", () =>
    Effect.gen(function* () {
      const { customers } = yield* ports
      const tenant = F.tenantId()
      const before = named(tenant, "C1", { name: "Theta Papier", city: "Kiel" })
      yield* customers.insert(before)
      expect(yield* numbers(query(tenant, "theta"))).toEqual(["C1"])
      yield* customers.update(F.nextVersion(before, { general: { ...before.general, name: "Iota Karton 华为", city: "Kiel" } }), 1)
      expect(yield* numbers(query(tenant, "theta"))).toEqual([])
      expect(yield* numbers(query(tenant, "papier"))).toEqual([])
      expect(yield* find(query(tenant, "iota kiel"))).toEqual({ numbers: ["C1"], total: 1 })
      expect(yield* numbers(query(tenant, "华为"))).toEqual(["C1"])
      expect(yield* numbers(query(tenant, "kiel"))).toEqual(["C1"])
    })
  ),

  make("CustomerSearchStore.search inside a transaction sees its writes; a failed transaction's writes are never found", () =>
    Effect.gen(function* () {
      const { customers, tx } = yield* ports
      const tenant = F.tenantId()
      const seen = yield* tx.withTransaction(
        Effect.gen(function* () {
          yield* customers.insert(named(tenant, "C1", { name: "Kappa Chemie" }))
          return yield* numbers(query(tenant, "kappa"))
        })
      )
      expect(seen).toEqual(["C1"])
      const failed = yield* Effect.either(
        tx.withTransaction(
          Effect.gen(function* () {
            yield* customers.insert(named(tenant, "C2", { name: "Kappa Pharma" }))
            expect(yield* numbers(query(tenant, "kappa"))).toEqual(["C1", "C2"])
            return yield* Effect.fail("rolled back" as const)
          })
        )
      )
      expect(Either.isLeft(failed)).toBe(true)
      expect(yield* find(query(tenant, "kappa"))).toEqual({ numbers: ["C1"], total: 1 })
      expect(yield* numbers(query(tenant, "pharma"))).toEqual([])
    })
  )
]

// ---------------------------------------------------------------------------------------------
// The CustomerSearch service of @partnerkit/core on the store under test
// ---------------------------------------------------------------------------------------------

/** The lifecycle and search services for a fresh tenant with the standard customizing. */
const services = (tenant: string) =>
  Effect.gen(function* () {
    const customizing = Customizing.makeOrThrow(Presets.standard(tenant))
    const lifecycle = yield* Customers.make.pipe(Effect.provideService(Customizing.Current, customizing))
    const search = yield* CustomerSearch.make.pipe(Effect.provideService(Customizing.Current, customizing))
    return { lifecycle, search }
  })

const payer = (name: string, extra: Partial<Customer.GeneralData> = {}): Customer.CreateCustomerInput => ({
  accountGroup: "0004",
  general: { name, street: "Hauptstraße 1", postalCode: "80331", city: "München", country: "DE", ...extra }
})

/** The `INPUT_INVALID` paths of a `ValidationFailed`, or the tag of any other failure. */
const invalidPaths = (error: unknown) =>
  error instanceof Errors.ValidationFailed ? error.messages.map((m) => `${m.id} ${m.path}`) : [String((error as { _tag?: string })._tag)]

export const serviceCases: ReadonlyArray<Case<Storage.Ports>> = [
  make("CustomerSearch.search pages through every match with nextCursor, total on every page", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const { lifecycle, search } = yield* services(tenant)
      const actor = Actor.superUser(tenant)
      for (const name of ["Lambda Glas", "Lambda Stahl", "Omega Glas", "Lambda Holz", "Lambda Stein", "Lambda Glas Nord"]) {
        yield* lifecycle.create({ actor, ...payer(name) })
      }
      const seen: Array<string> = []
      let cursor: string | undefined
      let pages = 0
      do {
        const page = yield* search.search({ actor, text: "LAMBDA", limit: 2, ...(cursor === undefined ? {} : { cursor }) })
        expect(page.total).toBe(5)
        seen.push(...page.items.map((hit) => hit.number))
        cursor = page.nextCursor
        pages += 1
      } while (cursor !== undefined && pages < 10)
      expect(pages).toBe(3)
      expect(seen).toEqual(["F0001", "F0002", "F0004", "F0005", "F0006"])
      const glas = yield* search.search({ actor, text: "glas münchen" })
      expect(glas.items.map((hit) => [hit.number, hit.general.name])).toEqual([
        ["F0001", "Lambda Glas"],
        ["F0003", "Omega Glas"],
        ["F0006", "Lambda Glas Nord"]
      ])
      expect(glas.nextCursor).toBeUndefined()
    })
  ),

  make("CustomerSearch.search hides and does not count customers of authorization groups the actor lacks", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const { lifecycle, search } = yield* services(tenant)
      const admin = Actor.superUser(tenant)
      for (const [i, group] of ["G1", "HIDE", "HIDE", undefined, "HIDE", "G1"].entries()) {
        yield* lifecycle.create({ actor: admin, ...payer(`Sigma Textil ${i}`, group === undefined ? {} : { authorizationGroup: group }) })
      }
      const clerk = Actor.make({
        userId: "li.na",
        tenant,
        authorizationGroups: ["G1"],
        companyCodes: "*",
        salesOrganizations: "*",
        activities: ["display"]
      })
      const first = yield* search.search({ actor: clerk, text: "sigma", limit: 2 })
      expect(first.items.map((hit) => hit.number)).toEqual(["F0001", "F0004"])
      expect(first.total).toBe(3)
      const second = yield* search.search({ actor: clerk, text: "sigma", limit: 2, cursor: first.nextCursor! })
      expect(second.items.map((hit) => hit.number)).toEqual(["F0006"])
      expect(second.nextCursor).toBeUndefined()
      expect((yield* search.search({ actor: admin, text: "sigma" })).total).toBe(6)
    })
  ),

  make("CustomerSearch.search refuses bad input with INPUT_INVALID naming the field, and unauthorized actors", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const { lifecycle, search } = yield* services(tenant)
      const actor = Actor.superUser(tenant)
      yield* lifecycle.create({ actor, ...payer("Tau Elektro") })
      yield* lifecycle.create({ actor, ...payer("Tau Mechanik") })
      const refused = (input: Parameters<typeof search.search>[0]) => Effect.map(failureOf(search.search(input)), invalidPaths)
      expect(yield* refused({ actor, text: "%_'\\ --" })).toEqual(["INPUT_INVALID text"])
      expect(yield* refused({ actor })).toEqual(["INPUT_INVALID text"])
      expect(yield* refused({ actor, text: "a b c d e f g h i" })).toEqual(["INPUT_INVALID text"])
      expect(yield* refused({ actor, text: "x".repeat(201) })).toEqual(["INPUT_INVALID text"])
      expect(yield* refused({ actor, text: "tau", limit: 0 })).toEqual(["INPUT_INVALID limit"])
      expect(yield* refused({ actor, text: "tau", limit: 201 })).toEqual(["INPUT_INVALID limit"])
      expect(yield* refused({ actor, text: "tau", country: "DEU" })).toEqual(["INPUT_INVALID country"])
      expect(yield* refused({ actor, text: "tau", cursor: "not a cursor" })).toEqual(["INPUT_INVALID cursor"])
      const { nextCursor } = yield* search.search({ actor, text: "tau", limit: 1 })
      expect(nextCursor).toBeDefined()
      expect(yield* refused({ actor, text: "tau elektro", limit: 1, cursor: nextCursor! })).toEqual(["INPUT_INVALID cursor"])
      expect(yield* refused({ actor, text: "tau", ...({ sort: "name" } as object) })).toEqual(["INPUT_INVALID (input)"])
      const noDisplay = Actor.make({
        userId: "x",
        tenant,
        authorizationGroups: "*",
        companyCodes: "*",
        salesOrganizations: "*",
        activities: ["create"]
      })
      expect(yield* refused({ actor: noDisplay, text: "tau" })).toEqual(["NotAuthorized"])
      expect(yield* refused({ actor: Actor.superUser(F.tenantId()), text: "tau" })).toEqual(["NotAuthorized"])
      // The same cursor with its own search still works.
      expect((yield* search.search({ actor, text: "tau", limit: 1, cursor: nextCursor! })).items.map((h) => h.general.name)).toEqual([
        "Tau Mechanik"
      ])
    })
  )
]
