/**
 * The duplicate check of `@partnerkit/core` on the store under test: the labelled corpus gives the
 * same candidates, scores and clusters as an exact reference index (so every store gives the same
 * answers), a match outside the actor's authorization is only ever counted, and the lifecycle
 * keeps the store's match index in step (create, change, bulk import) and stops a create on a
 * suspected duplicate when the installation makes `DUPLICATE_SUSPECTED` an error.
 *
 * @internal
 */
import {
  Actor,
  type Customer,
  CustomerStore,
  Customers,
  Customizing,
  DuplicateCheck,
  Errors,
  type IndexCandidate,
  MatchIndexStore,
  type MatchIndexStoreShape,
  type Messages,
  Presets,
  type Storage,
  StoreTransaction
} from "@partnerkit/core"
import { Effect } from "effect"
import { expect } from "vitest"
import * as DuplicateCorpus from "../../DuplicateCorpus.js"
import * as F from "../../Fixtures.js"
import { type Case, failureOf, make } from "../Case.js"

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * `MatchIndexStore` by the letter of its doc comment, with exact frequencies: what every store's
 * index must answer on a freshly loaded tenant. `records` reads through `store`'s.
 */
const referenceIndex = (store: MatchIndexStoreShape): MatchIndexStoreShape => {
  const postings = new Map<string, Set<string>>()
  const keysOf = new Map<string, ReadonlyArray<string>>()
  const slot = (tenant: string, key: string) => `${tenant}\u0000${key}`
  const remove = (tenant: string, number: string) => {
    for (const key of keysOf.get(slot(tenant, number)) ?? []) postings.get(slot(tenant, key))?.delete(number)
    keysOf.delete(slot(tenant, number))
  }
  const put = (tenant: string, number: string, keys: ReadonlyArray<string>) => {
    remove(tenant, number)
    const unique = [...new Set(keys)]
    keysOf.set(slot(tenant, number), unique)
    for (const key of unique) {
      const set = postings.get(slot(tenant, key)) ?? new Set<string>()
      set.add(number)
      postings.set(slot(tenant, key), set)
    }
  }
  return {
    records: store.records,
    put: (tenant, number, keys) => Effect.sync(() => put(tenant, number, keys)),
    putMany: (tenant, entries) => Effect.sync(() => entries.forEach((e) => put(tenant, e.number, e.keys))),
    remove: (tenant, number) => Effect.sync(() => remove(tenant, number)),
    candidates: (tenant, keys, options) =>
      Effect.sync(() => {
        const shared = new Map<string, number>()
        const exclude = new Set(options.exclude ?? [])
        for (const key of new Set(keys)) {
          const carriers = postings.get(slot(tenant, key))
          if (carriers === undefined || carriers.size === 0 || carriers.size > options.maxKeyFrequency) continue
          for (const number of carriers) if (!exclude.has(number)) shared.set(number, (shared.get(number) ?? 0) + 1)
        }
        return [...shared]
          .map(([number, sharedKeys]): IndexCandidate => ({ number, sharedKeys }))
          .sort((a, b) => b.sharedKeys - a.sharedKeys || byText(a.number, b.number))
          .slice(0, Math.max(0, options.limit))
      })
  }
}

/** The duplicate check on the store under test (or, with `index`, on another match index) for `tenant`'s customizing. */
const duplicateCheck = (customizing: Customizing.Customizing, index?: MatchIndexStoreShape) =>
  Effect.gen(function* () {
    const own = yield* MatchIndexStore
    return yield* DuplicateCheck.make.pipe(
      Effect.provideService(Customizing.Current, customizing),
      Effect.provideService(MatchIndexStore, index ?? own)
    )
  })

const customers = (customizing: Customizing.Customizing) => Customers.make.pipe(Effect.provideService(Customizing.Current, customizing))

const acme: Customer.GeneralData = {
  name: "Acme Systems GmbH",
  street: "Hauptstraße 1",
  postalCode: "80331",
  city: "München",
  country: "DE",
  language: "de",
  phone: "+49891234567"
}

const payer = (general: Customer.GeneralData): Customer.CreateCustomerInput => ({ accountGroup: "0004", general })

const ids = (messages: ReadonlyArray<Messages.Message>) => messages.map((m) => `${m.severity} ${m.id}`)

export const cases: ReadonlyArray<Case<Storage.Ports>> = [
  make("DuplicateCheck: the labelled corpus gives the same candidates, scores and clusters as the exact reference index", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId("corpus")
      const customizing = Customizing.makeOrThrow(Presets.standard(tenant))
      const corpus = DuplicateCorpus.generate({ seed: 11, entities: 90 })
      const records = corpus.records.map((r) => DuplicateCorpus.toCustomerRecord(tenant, r))
      const store = yield* CustomerStore
      const tx = yield* StoreTransaction
      yield* tx.withTransaction(store.insertMany(records))
      const onStore = yield* duplicateCheck(customizing)
      const reference = referenceIndex(yield* MatchIndexStore)
      const onReference = yield* duplicateCheck(customizing, reference)
      expect(yield* onStore.reindex()).toEqual({ indexed: records.length })
      yield* onReference.reindex()

      const actor = Actor.superUser(tenant)
      const entityOf = new Map(corpus.records.map((r) => [r.number, r.entity]))
      let suspected = 0
      let right = 0
      for (const r of corpus.records.filter((_, i) => i % 3 === 0)) {
        const input = { actor, input: { general: r.general }, exclude: r.number }
        const got = yield* onStore.check(input)
        const want = yield* onReference.check(input)
        expect(got.candidates.map((c) => [c.number, c.score, c.suspected])).toEqual(
          want.candidates.map((c) => [c.number, c.score, c.suspected])
        )
        expect(got.outsideAuthorization).toBe(0)
        for (const c of got.candidates.filter((c) => c.suspected)) {
          suspected++
          if (entityOf.get(c.number) === r.entity) right++
        }
      }
      // The sample finds duplicates, and mostly right ones (the full corpus is measured in the memory store's quality test).
      expect(suspected).toBeGreaterThan(4)
      expect(right / suspected).toBeGreaterThanOrEqual(0.9)

      const got = yield* onStore.scan({ actor })
      const want = yield* onReference.scan({ actor })
      const shape = (result: DuplicateCheck.ScanResult) => ({
        scanned: result.scanned,
        pairs: result.pairs,
        clusters: result.clusters.map((c) => [c.id, c.survivor, c.members.map((m) => [m.number, m.score])])
      })
      expect(shape(got)).toEqual(shape(want))
      expect(got.scanned).toBe(records.length)
      expect(got.clusters.length).toBeGreaterThan(4)
    })
  ),

  make(
    "DuplicateCheck: a match outside the actor's authorization groups comes back only as outsideAuthorization / DUPLICATE_OUTSIDE_AUTHORIZATION",
    () =>
      Effect.gen(function* () {
        const tenant = F.tenantId()
        const customizing = Customizing.makeOrThrow(Presets.standard(tenant))
        const store = yield* CustomerStore
        const duplicates = yield* duplicateCheck(customizing)
        const hidden = F.customer(tenant, "C0001", { general: { ...acme, authorizationGroup: "G2" } })
        const visible = F.customer(tenant, "C0002", { general: { ...acme, name: "Acme Systeme GmbH", authorizationGroup: "G1" } })
        yield* store.insertMany([hidden, visible])
        yield* duplicates.indexMany([hidden, visible])
        const actor = Actor.make({
          userId: "li.na",
          tenant,
          authorizationGroups: ["G1"],
          companyCodes: "*",
          salesOrganizations: "*",
          activities: "*"
        })

        const result = yield* duplicates.check({ actor, input: { general: acme } })
        expect(result.candidates.map((c) => c.number)).toEqual(["C0002"])
        expect(result.outsideAuthorization).toBe(1)
        expect(ids(result.messages)).toEqual(["info DUPLICATE_SUSPECTED", "info DUPLICATE_OUTSIDE_AUTHORIZATION"])
        expect(result.messages[1]!.text).toBe("a possible duplicate exists outside your authorization")
        expect(JSON.stringify(result)).not.toContain("C0001")

        const scan = yield* duplicates.scan({ actor })
        expect(scan.clusters.map((c) => [c.members.map((m) => m.number), c.outsideAuthorization])).toEqual([[["C0002"], 1]])
        expect(JSON.stringify(scan)).not.toContain("C0001")

        // Through the lifecycle: the create reports the hidden one as a count, never by number.
        const service = yield* customers(customizing)
        const created = yield* service.create({ actor, ...payer({ ...acme, authorizationGroup: "G1" }) })
        expect(ids(created.messages)).toEqual(["info DUPLICATE_SUSPECTED", "info DUPLICATE_OUTSIDE_AUTHORIZATION"])
        expect(created.messages[0]!.params.number).toBe("C0002")
        expect(JSON.stringify(created.messages)).not.toContain("C0001")
      })
  ),

  make(
    "Customers.create: DUPLICATE_SUSPECTED as an error refuses the create and writes nothing; as a warning it passes once acknowledged",
    () =>
      Effect.gen(function* () {
        const tenant = F.tenantId()
        const actor = Actor.superUser(tenant)
        const strict = yield* customers(
          Customizing.makeOrThrow(Customizing.merge(Presets.standard(tenant), { messages: { DUPLICATE_SUSPECTED: "error" } }))
        )
        const first = yield* strict.create({ actor, ...payer(acme) })
        expect(first.customer.number).toBe("F0001")
        expect(first.messages).toEqual([])
        const error = yield* failureOf(
          strict.create({ actor, ...payer({ ...acme, name: "ACME Ｓｙｓｔｅｍｓ G.m.b.H.", phone: "089 1234567" }) })
        )
        expect(error).toBeInstanceOf(Errors.ValidationFailed)
        expect(ids((error as Errors.ValidationFailed).messages)).toEqual(["error DUPLICATE_SUSPECTED"])
        expect((error as Errors.ValidationFailed).messages[0]!.params.number).toBe("F0001")
        expect((yield* strict.list({ actor, limit: 10 })).items.map((c) => c.number)).toEqual(["F0001"])
        // Nothing written means no number drawn either: the next create gets F0002.
        expect((yield* strict.create({ actor, ...payer({ ...acme, name: "Zeta Foods Ltd", phone: "+4930123456" }) })).customer.number).toBe(
          "F0002"
        )

        const confirming = yield* customers(
          Customizing.makeOrThrow(Customizing.merge(Presets.standard(tenant), { messages: { DUPLICATE_SUSPECTED: "warning" } }))
        )
        const refused = yield* failureOf(confirming.create({ actor, ...payer(acme) }))
        expect(ids((refused as Errors.ValidationFailed).messages)).toEqual(["warning DUPLICATE_SUSPECTED"])
        const acknowledged = yield* confirming.create({ actor, ...payer(acme), acknowledge: ["DUPLICATE_SUSPECTED"] })
        expect(acknowledged.customer.number).toBe("F0003")
        expect(ids(acknowledged.messages)).toEqual(["warning DUPLICATE_SUSPECTED"])
      })
  ),

  make("Customers: create, change and bulk import keep the match index in step, standardised data included", () =>
    Effect.gen(function* () {
      const tenant = F.tenantId()
      const customizing = Customizing.makeOrThrow(Presets.standard(tenant))
      const actor = Actor.superUser(tenant)
      const service = yield* customers(customizing)
      const duplicates = yield* duplicateCheck(customizing)
      const numbersFor = (general: Customer.GeneralData) =>
        Effect.map(duplicates.check({ actor, input: { general } }), (r) => r.candidates.filter((c) => c.suspected).map((c) => c.number))

      // Created with a national phone number: stored (and indexed) in E.164.
      const { customer } = yield* service.create({ actor, ...payer({ ...acme, phone: "089 1234567" }) })
      expect(customer.general.phone).toBe("+49891234567")
      expect(yield* numbersFor(acme)).toEqual(["F0001"])

      yield* service.change({ actor, number: "F0001", version: 1, general: { name: "Borealis Trading AG", phone: "+4940555666" } })
      expect(yield* numbersFor(acme)).toEqual([])
      expect(yield* numbersFor({ ...acme, name: "Borealis Trading AG", phone: "+4940555666" })).toEqual(["F0001"])

      async function* rows() {
        yield {
          key: "legacy-1",
          ...payer({ name: "Kowalski Logistik GmbH", street: "Dock 4", postalCode: "20457", city: "Hamburg", country: "DE" })
        }
        yield {
          key: "legacy-2",
          ...payer({ name: "Nordlicht Reederei KG", street: "Kai 9", postalCode: "20457", city: "Hamburg", country: "DE" })
        }
      }
      const imported = yield* service.importCustomers({ actor, system: "legacy", source: rows() })
      expect(imported.created).toBe(2)
      expect(
        yield* numbersFor({ name: "Kowalski Logistik", street: "Dock 4", postalCode: "20457", city: "Hamburg", country: "DE" })
      ).toEqual(["F0002"])
    })
  )
]
