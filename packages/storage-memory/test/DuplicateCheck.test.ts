import { describe, expect, it } from "@effect/vitest"
import {
  Actor,
  type Customer,
  CustomerStore,
  Customizing,
  DuplicateCheck,
  MatchIndexStore,
  Presets,
  type Standardisation,
  StoreTransaction
} from "@partnerkit/core"
import { MemoryStore } from "@partnerkit/storage-memory"
import { Fixtures as F } from "@partnerkit/testkit"
import { Data, Effect, Exit, Layer } from "effect"

class Abort extends Data.TaggedError("Abort") {}

const setup = (
  tenant: string,
  messages: Customizing.CustomizingInput["messages"] = {},
  dataQuality?: Standardisation.DataQualityConfigInput
) => {
  const customizing = Customizing.layer(Customizing.merge(Presets.standard(tenant), { messages }))
  const service = dataQuality === undefined ? DuplicateCheck.layer : DuplicateCheck.layerWith(dataQuality)
  return service.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStore.layer(), customizing)))
}

const record = (tenant: string, number: string, general: Customer.GeneralData, overrides: Partial<Customer.CustomerRecord> = {}) =>
  F.customer(tenant, number, { general, ...overrides })

/** Inserts records and indexes them, in one transaction as the lifecycle would. */
const load = (records: ReadonlyArray<Customer.CustomerRecord>) =>
  Effect.gen(function* () {
    const store = yield* CustomerStore
    const duplicates = yield* DuplicateCheck.DuplicateCheck
    const tx = yield* StoreTransaction
    yield* tx.withTransaction(Effect.forEach(records, (r) => Effect.zipRight(store.insert(r), duplicates.index(r)), { discard: true }))
  })

const acme = {
  name: "Acme Systems GmbH",
  street: "Hauptstraße 1",
  postalCode: "80331",
  city: "München",
  country: "DE",
  phone: "+49891234567"
}

describe("DuplicateCheck (memory store)", () => {
  it.effect("check returns scored, explained candidates and DUPLICATE_SUSPECTED messages", () => {
    const tenant = F.tenantId()
    return Effect.gen(function* () {
      yield* load([
        record(tenant, "C0001", acme),
        record(tenant, "C0002", { name: "Beta Logistik GmbH", postalCode: "80331", city: "München", country: "DE" })
      ])
      const duplicates = yield* DuplicateCheck.DuplicateCheck
      const result = yield* duplicates.check({
        actor: Actor.superUser(tenant),
        input: {
          accountGroup: "0001",
          general: {
            name: "ACME Ｓｙｓｔｅｍｓ G.m.b.H.",
            street: "Hauptstr. 1",
            postalCode: "80331",
            city: "Muenchen",
            country: "DEU",
            phone: "089 1234567"
          }
        }
      })
      expect(result.outsideAuthorization).toBe(0)
      expect(result.candidates.map((c) => [c.number, c.score, c.suspected])).toEqual([["C0001", 1, true]])
      const [candidate] = result.candidates
      expect(candidate!.summary).toBe("name 1, address 1, same phone")
      expect(candidate!.explanation.map((f) => [f.field, f.verdict])).toEqual([
        ["name", "agrees"],
        ["address", "agrees"],
        ["taxNumber", "absent"],
        ["email", "absent"],
        ["phone", "agrees"]
      ])
      expect(result.messages).toEqual([
        {
          id: "DUPLICATE_SUSPECTED",
          severity: "info",
          path: "general.name",
          text: "possible duplicate of customer C0001 (Acme Systems GmbH), score 1.00: name 1, address 1, same phone",
          params: { number: "C0001", name: "Acme Systems GmbH", score: "1.00", reason: "name 1, address 1, same phone" }
        }
      ])
    }).pipe(Effect.provide(setup(tenant)))
  })

  it.effect("findings take the installation's severity, and nothing when nothing is suspected", () => {
    const tenant = F.tenantId()
    return Effect.gen(function* () {
      yield* load([record(tenant, "C0001", acme)])
      const duplicates = yield* DuplicateCheck.DuplicateCheck
      const found = yield* duplicates.findings({ actor: Actor.superUser(tenant), general: { name: "Acme Systems", city: "München" } })
      expect(found.map((m) => `${m.severity} ${m.id}`)).toEqual(["error DUPLICATE_SUSPECTED"])
      expect(yield* duplicates.findings({ actor: Actor.superUser(tenant), general: { name: "Zeta Foods Ltd", city: "London" } })).toEqual(
        []
      )
    }).pipe(Effect.provide(setup(tenant, { DUPLICATE_SUSPECTED: "error" })))
  })

  it.effect("findings do not read the index when both of the check's messages are off; check still does", () => {
    const tenant = F.tenantId()
    const counting = (calls: { candidates: number }) =>
      Layer.effect(
        MatchIndexStore,
        Effect.map(MatchIndexStore, (index) =>
          MatchIndexStore.of({
            ...index,
            candidates: (...args) => {
              calls.candidates++
              return index.candidates(...args)
            }
          })
        )
      )
    const layerWith = (messages: Customizing.CustomizingInput["messages"], calls: { candidates: number }) => {
      const base = Layer.mergeAll(MemoryStore.layer(), Customizing.layer(Customizing.merge(Presets.standard(tenant), { messages })))
      // The service sees the counting index (the later layer of a merge wins); `load` writes
      // through the same store underneath (a layer used twice in one graph is built once).
      const service = DuplicateCheck.layer.pipe(Layer.provide(Layer.merge(base, counting(calls).pipe(Layer.provide(base)))))
      return Layer.merge(service, base)
    }
    const program = Effect.gen(function* () {
      yield* load([record(tenant, "C0001", acme)])
      const duplicates = yield* DuplicateCheck.DuplicateCheck
      const found = yield* duplicates.findings({ actor: Actor.superUser(tenant), general: acme })
      const checked = yield* duplicates.check({ actor: Actor.superUser(tenant), input: { general: acme } })
      return { found: found.map((m) => m.id), checked: checked.candidates.map((c) => c.number), messages: checked.messages.length }
    })
    return Effect.gen(function* () {
      const on = { candidates: 0 }
      const reported = yield* program.pipe(Effect.provide(layerWith({}, on)))
      expect(reported).toEqual({ found: ["DUPLICATE_SUSPECTED"], checked: ["C0001"], messages: 1 })
      const onCalls = on.candidates
      expect(onCalls).toBeGreaterThan(0)

      const off = { candidates: 0 }
      const silent = yield* program.pipe(
        Effect.provide(layerWith({ DUPLICATE_SUSPECTED: "off", DUPLICATE_OUTSIDE_AUTHORIZATION: "off" }, off))
      )
      expect(silent).toEqual({ found: [], checked: ["C0001"], messages: 0 })
      // Only `check` looked: findings made no index read.
      expect(off.candidates).toBe(onCalls / 2)

      // One of the two still reported: findings look.
      const half = { candidates: 0 }
      yield* program.pipe(Effect.provide(layerWith({ DUPLICATE_SUSPECTED: "off" }, half)))
      expect(half.candidates).toBe(onCalls)
    })
  })

  it.effect("scores a candidate by its current data after it changed (profiles are remembered by their data)", () => {
    const tenant = F.tenantId()
    return Effect.gen(function* () {
      yield* load([record(tenant, "C0001", acme)])
      const duplicates = yield* DuplicateCheck.DuplicateCheck
      const check = Effect.map(duplicates.check({ actor: Actor.superUser(tenant), input: { general: acme } }), (r) =>
        r.candidates.map((c) => [c.number, c.score, c.summary])
      )
      expect(yield* check).toEqual([["C0001", 1, "name 1, address 1, same phone"]])
      // Moved, with another phone: same name, so still a candidate, scored by its new address and phone.
      yield* load([])
      const store = yield* CustomerStore
      const tx = yield* StoreTransaction
      const moved = record(tenant, "C0001", { ...acme, street: "Ringstraße 9", postalCode: "10115", city: "Berlin", phone: "+49301111111" })
      yield* tx.withTransaction(Effect.zipRight(store.update({ ...moved, version: 2 }, 1), duplicates.index(moved)))
      const [after] = yield* check
      expect(after![0]).toBe("C0001")
      expect(after![1]).toBeLessThan(1)
      expect(after![2]).not.toContain("same phone")
      expect(after![2]).not.toContain("address 1")
    }).pipe(Effect.provide(setup(tenant)))
  })

  it.effect("never reveals a duplicate outside the actor's authorization groups", () => {
    const tenant = F.tenantId()
    return Effect.gen(function* () {
      yield* load([
        record(tenant, "C0001", { ...acme, authorizationGroup: "G2" }),
        record(tenant, "C0002", { ...acme, name: "Acme Systeme GmbH", authorizationGroup: "G1" })
      ])
      const duplicates = yield* DuplicateCheck.DuplicateCheck
      const actor = Actor.make({
        userId: "li.na",
        tenant,
        authorizationGroups: ["G1"],
        companyCodes: "*",
        salesOrganizations: "*",
        activities: ["create", "display"]
      })
      const result = yield* duplicates.check({
        actor,
        input: { general: { name: "Acme Systems GmbH", postalCode: "80331", city: "München" } }
      })
      expect(result.candidates.map((c) => c.number)).toEqual(["C0002"])
      expect(result.outsideAuthorization).toBe(1)
      expect(result.messages.map((m) => m.id)).toEqual(["DUPLICATE_SUSPECTED", "DUPLICATE_OUTSIDE_AUTHORIZATION"])
      const hidden = result.messages[1]!
      expect(hidden.text).toBe("a possible duplicate exists outside your authorization")
      expect(JSON.stringify(result)).not.toContain("C0001")

      const scan = yield* duplicates.scan({ actor })
      expect(scan.clusters).toHaveLength(1)
      expect(scan.clusters[0]!.members.map((m) => m.number)).toEqual(["C0002"])
      expect(scan.clusters[0]!.outsideAuthorization).toBe(1)
      expect(JSON.stringify(scan)).not.toContain("C0001")

      const nobody = Actor.make({ ...actor, authorizationGroups: ["G9"] })
      const none = yield* duplicates.check({ actor: nobody, input: { general: { name: "Acme Systems GmbH", city: "München" } } })
      expect(none).toMatchObject({ candidates: [], outsideAuthorization: 2 })
      expect(none.messages.map((m) => m.id)).toEqual(["DUPLICATE_OUTSIDE_AUTHORIZATION"])
    }).pipe(Effect.provide(setup(tenant)))
  })

  it.effect("finds Chinese names across legal forms, city prefixes and brackets", () => {
    const tenant = F.tenantId()
    return Effect.gen(function* () {
      yield* load([
        record(tenant, "C0001", {
          name: "上海华通机电设备有限公司",
          street: "浦东新区张江路88号",
          postalCode: "201203",
          city: "上海",
          country: "CN"
        }),
        record(tenant, "C0002", {
          name: "北京华通机电设备有限公司",
          street: "朝阳区建国路1号",
          postalCode: "100020",
          city: "北京",
          country: "CN"
        })
      ])
      const duplicates = yield* DuplicateCheck.DuplicateCheck
      const result = yield* duplicates.check({
        actor: Actor.superUser(tenant),
        input: {
          general: { name: "华通机电设备（上海）有限责任公司", street: "张江路88号", postalCode: "201203", city: "上海市", country: "CN" }
        }
      })
      expect(result.candidates.filter((c) => c.suspected).map((c) => c.number)).toEqual(["C0001"])
    }).pipe(Effect.provide(setup(tenant)))
  })

  it.effect("skips customers flagged for deletion and does not index one-time accounts", () => {
    const tenant = F.tenantId()
    return Effect.gen(function* () {
      yield* load([record(tenant, "C0001", acme, { deletionFlag: true }), record(tenant, "CPD001", acme, { accountGroup: "CPD" })])
      const duplicates = yield* DuplicateCheck.DuplicateCheck
      const result = yield* duplicates.check({ actor: Actor.superUser(tenant), input: { general: acme } })
      expect(result.candidates).toEqual([])
      const index = yield* MatchIndexStore
      expect(yield* index.candidates(tenant, ["n:acme system"], { limit: 10, maxKeyFrequency: 10 })).toEqual([
        { number: "C0001", sharedKeys: 1 }
      ])
    }).pipe(Effect.provide(setup(tenant)))
  })

  it.effect("scan returns clusters with a suggested survivor and explanations against it", () => {
    const tenant = F.tenantId()
    return Effect.gen(function* () {
      yield* load([
        record(tenant, "C0001", acme, { createdAt: "2024-02-01T00:00:00.000Z" }),
        record(tenant, "C0002", { ...acme, name: "ACME SYSTEMS G.M.B.H." }, { companyCodes: [F.companyCodeView("1000")] }),
        record(tenant, "C0003", { ...acme, name: "Acme Sytsems", phone: undefined }),
        record(tenant, "C0004", { name: "Other Foods Ltd", city: "London", country: "GB" })
      ])
      const duplicates = yield* DuplicateCheck.DuplicateCheck
      const { clusters, scanned, pairs } = yield* duplicates.scan({ actor: Actor.superUser(tenant) })
      expect(scanned).toBe(4)
      expect(pairs).toBe(3)
      expect(clusters).toHaveLength(1)
      const [cluster] = clusters
      expect(cluster!.survivor).toBe("C0002")
      expect(cluster!.survivorReason).toBe("most views (1)")
      expect(cluster!.id).toMatch(/^dup-[0-9a-f]{8}$/)
      expect(cluster!.members.map((m) => [m.number, m.survivor])).toEqual([
        ["C0002", true],
        ["C0001", false],
        ["C0003", false]
      ])
      expect(cluster!.members[1]!.explanation.find((f) => f.field === "name")?.verdict).toBe("agrees")
    }).pipe(Effect.provide(setup(tenant)))
  })

  it.effect("index writes are part of the surrounding transaction", () => {
    const tenant = F.tenantId()
    return Effect.gen(function* () {
      const index = yield* MatchIndexStore
      const tx = yield* StoreTransaction
      const find = index.candidates(tenant, ["t:acme"], { limit: 10, maxKeyFrequency: 10 })
      const failed = yield* Effect.exit(
        tx.withTransaction(Effect.zipRight(index.put(tenant, "C0001", ["t:acme"]), Effect.fail(new Abort())))
      )
      expect(Exit.isFailure(failed)).toBe(true)
      expect(yield* find).toEqual([])
      yield* tx.withTransaction(
        Effect.gen(function* () {
          yield* index.put(tenant, "C0001", ["t:acme"])
          expect(yield* find).toEqual([{ number: "C0001", sharedKeys: 1 }])
        })
      )
      expect(yield* find).toEqual([{ number: "C0001", sharedKeys: 1 }])
    }).pipe(Effect.provide(MemoryStore.layer()))
  })

  it.effect("reindex rebuilds the index from the customer store", () => {
    const tenant = F.tenantId()
    return Effect.gen(function* () {
      const store = yield* CustomerStore
      yield* store.insert(record(tenant, "C0001", acme))
      const duplicates = yield* DuplicateCheck.DuplicateCheck
      expect((yield* duplicates.check({ actor: Actor.superUser(tenant), input: { general: acme } })).candidates).toEqual([])
      expect(yield* duplicates.reindex()).toEqual({ indexed: 1 })
      expect(
        (yield* duplicates.check({ actor: Actor.superUser(tenant), input: { general: acme } })).candidates.map((c) => c.number)
      ).toEqual(["C0001"])
    }).pipe(Effect.provide(setup(tenant)))
  })

  it.effect("rejects another tenant's actor and malformed input with typed errors", () => {
    const tenant = F.tenantId()
    return Effect.gen(function* () {
      const duplicates = yield* DuplicateCheck.DuplicateCheck
      const wrongTenant = yield* Effect.flip(duplicates.check({ actor: Actor.superUser("other"), input: { general: acme } }))
      expect(wrongTenant._tag).toBe("NotAuthorized")
      const noName = yield* Effect.flip(duplicates.check({ actor: Actor.superUser(tenant), input: { general: { name: " " } } }))
      expect(noName._tag).toBe("ValidationFailed")
    }).pipe(Effect.provide(setup(tenant)))
  })

  it.effect("takes thresholds and weights from layerWith", () => {
    const tenant = F.tenantId()
    return Effect.gen(function* () {
      yield* load([record(tenant, "C0001", acme)])
      const duplicates = yield* DuplicateCheck.DuplicateCheck
      const result = yield* duplicates.check({ actor: Actor.superUser(tenant), input: { general: acme } })
      expect(result.candidates.map((c) => [c.score, c.suspected])).toEqual([[0.9, false]])
    }).pipe(
      Effect.provide(
        setup(
          tenant,
          {},
          { matching: { thresholds: { duplicate: 0.95, possible: 0.5 }, weights: { name: 0.5, address: 0.1, phone: { agree: 0.3 } } } }
        )
      )
    )
  })
})
