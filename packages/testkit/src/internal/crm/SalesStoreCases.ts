/**
 * One case per sentence of the sales ports' doc comments: `LeadStore` and `OpportunityStore`.
 *
 * @internal
 */
import { CustomerStore, Errors, StoreTransaction } from "@partnerkit/core"
import { type Lead, LeadStore, Opportunity, OpportunityStore } from "@partnerkit/crm"
import { Effect, Option } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, concurrently, failureOf, make, partition } from "../Case.js"
import { activity, all, assigned, crmPorts, ownership, prospect, type StorePorts, visibility } from "./Support.js"

const salesPorts = Effect.all({ leads: LeadStore, opportunities: OpportunityStore })

export const lead = (tenant: string, id: string, overrides: Partial<Lead.Lead> = {}): Lead.Lead => ({
  tenant,
  id,
  company: "Nordlicht Logistik GmbH",
  lastName: "Berg",
  email: "anna.berg@nordlicht.example",
  country: "DE",
  productInterests: ["TELEMATICS"],
  source: "web",
  owner: "li.na",
  status: "new",
  score: 10,
  scoreDetail: [{ rule: "source=web", points: 10 }],
  activityCounts: {},
  version: 1,
  createdBy: "tester",
  createdAt: F.timestamp,
  changedBy: "tester",
  changedAt: F.timestamp,
  ...overrides
})

export const opportunity = (tenant: string, id: string, overrides: Partial<Opportunity.Opportunity> = {}): Opportunity.Opportunity => ({
  tenant,
  id,
  name: `Deal ${id}`,
  customerNumber: "C0001",
  owner: "li.na",
  stage: "qualification",
  probability: 20,
  amount: 1000,
  currency: "EUR",
  expectedCloseDate: "2027-01-15",
  status: "open",
  version: 1,
  createdBy: "tester",
  createdAt: F.timestamp,
  changedBy: "tester",
  changedAt: F.timestamp,
  ...overrides
})

/** Writes `o` (version 1 or from `before`) with its history entry. */
const save = (o: Opportunity.Opportunity, before?: Opportunity.Opportunity) =>
  Effect.flatMap(OpportunityStore, (store) => store.put(o, before?.version ?? null, Opportunity.historyEntry(o, before)))

/** Customers C0001 (no group, owned by li.na), C0002 (G1, owned by bo), C0003 (G2, no ownership). */
const threeAccounts = (tenant: string) =>
  Effect.gen(function* () {
    const customers = yield* CustomerStore
    const { owners } = yield* crmPorts
    yield* customers.insert(F.customer(tenant, "C0001", { contacts: [F.contact("0001", { email: "Anna.Berg@Nordlicht.example" })] }))
    yield* customers.insert(
      F.customer(tenant, "C0002", { general: F.general({ name: "Nordlicht Logistik GmbH", authorizationGroup: "G1" }) })
    )
    yield* customers.insert(
      F.customer(tenant, "C0003", {
        general: F.general({ name: "NORDLICHT LOGISTIK GMBH", email: "info@x.example", authorizationGroup: "G2" })
      })
    )
    yield* owners.put(ownership(tenant, "C0001", { owner: "li.na" }), null)
    yield* owners.put(ownership(tenant, "C0002", { owner: "bo", team: "NORTH" }), null)
  })

/** Compares tuples of strings by code unit, element by element. */
const codeUnits = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? ""
    const y = b[i] ?? ""
    if (x !== y) return x < y ? -1 : 1
  }
  return a.length - b.length
}

const ids = (rows: ReadonlyArray<{ readonly id: string }>) => rows.map((r) => r.id)

export const cases: ReadonlyArray<Case<StorePorts>> = [
  // -------------------------------------------------------------------------------------------
  // LeadStore
  // -------------------------------------------------------------------------------------------
  make("LeadStore.get: none for an unknown id, another tenant's lead, or one hidden by group or scope", () =>
    Effect.gen(function* () {
      const { leads } = yield* salesPorts
      const tenant = F.tenantId()
      yield* leads.put(lead(tenant, "L1", { authorizationGroup: "G1", owner: "bo", team: "NORTH" }), null)
      yield* leads.put(lead(`${tenant}x`, "L2"), null)
      expect(Option.isSome(yield* leads.get(tenant, "L1", all))).toBe(true)
      expect(Option.isNone(yield* leads.get(tenant, "L2", all))).toBe(true)
      expect(Option.isNone(yield* leads.get(tenant, "L9", all))).toBe(true)
      expect(Option.isNone(yield* leads.get(tenant, "L1", visibility(["G2"])))).toBe(true)
      expect(Option.isSome(yield* leads.get(tenant, "L1", visibility(["G1"])))).toBe(true)
      expect(Option.isNone(yield* leads.get(tenant, "L1", visibility("all", assigned("li.na"))))).toBe(true)
      expect(Option.isSome(yield* leads.get(tenant, "L1", visibility("all", assigned("li.na", ["NORTH"]))))).toBe(true)
    })
  ),

  make("LeadStore.put: only from the stored version, else VersionConflict and nothing written; concurrent puts: one wins", () =>
    Effect.gen(function* () {
      const { leads } = yield* salesPorts
      const tenant = F.tenantId()
      const first = lead(tenant, "L1")
      yield* leads.put(first, null)
      expect(yield* failureOf(leads.put({ ...first, company: "Twice" }, null))).toMatchObject({ _tag: "VersionConflict", actual: 1 })
      expect(yield* failureOf(leads.put(lead(tenant, "L9", { version: 2 }), 1))).toMatchObject({ _tag: "VersionConflict", actual: 0 })
      const outcomes = yield* concurrently([1, 2, 3, 4].map((i) => leads.put({ ...first, company: `Writer ${i}`, version: 2 }, 1)))
      const { successes, failures } = partition(outcomes)
      expect(successes.length).toBe(1)
      expect(failures.every((f) => f instanceof Errors.VersionConflict)).toBe(true)
      expect(Option.isNone(yield* leads.get(tenant, "L9", all))).toBe(true)
      // Come back as written: optional fields absent stay absent.
      const stored = Option.getOrThrow(yield* leads.get(tenant, "L1", all))
      expect(stored.version).toBe(2)
      expect(stored.team).toBeUndefined()
      expect(stored.scoreDetail).toEqual(first.scoreDetail)
    })
  ),

  make("LeadStore.list: ascending by id after the cursor, filtered, visibility inside the query, page filled", () =>
    Effect.gen(function* () {
      const { leads } = yield* salesPorts
      const tenant = F.tenantId()
      const rows = [
        lead(tenant, "L05", { owner: "li.na", source: "event" }),
        lead(tenant, "L01", { owner: "bo", authorizationGroup: "G2" }),
        lead(tenant, "L03", { owner: "li.na", status: "qualified", campaignId: "CMP1" }),
        lead(tenant, "L02", { owner: "bo" }),
        lead(tenant, "L04", { owner: "bo", authorizationGroup: "G2" }),
        lead(tenant, "L06", { owner: "li.na", campaignId: "CMP1" })
      ]
      for (const l of rows) yield* leads.put(l, null)
      yield* leads.put(lead(`${tenant}x`, "L00"), null)
      expect(ids(yield* leads.list({ tenant, visibility: all, limit: 10 }))).toEqual(["L01", "L02", "L03", "L04", "L05", "L06"])
      expect(ids(yield* leads.list({ tenant, visibility: all, after: "L02", limit: 2 }))).toEqual(["L03", "L04"])
      expect(ids(yield* leads.list({ tenant, visibility: all, status: "new", owner: "li.na", limit: 10 }))).toEqual(["L05", "L06"])
      expect(ids(yield* leads.list({ tenant, visibility: all, source: "event", limit: 10 }))).toEqual(["L05"])
      expect(ids(yield* leads.list({ tenant, visibility: all, campaignId: "CMP1", limit: 10 }))).toEqual(["L03", "L06"])
      expect(ids(yield* leads.list({ tenant, visibility: visibility(["G1"]), limit: 3 }))).toEqual(["L02", "L03", "L05"])
      expect(ids(yield* leads.list({ tenant, visibility: visibility("all", assigned("bo")), limit: 10 }))).toEqual(["L01", "L02", "L04"])
      expect(yield* leads.list({ tenant, visibility: all, limit: 0 })).toEqual([])
    })
  ),

  make("LeadStore.nextTurn: 0, 1, 2… per tenant and pool; concurrent draws distinct, none skipped; a rollback gives the turn back", () =>
    Effect.gen(function* () {
      const { leads } = yield* salesPorts
      const tx = yield* StoreTransaction
      const tenant = F.tenantId()
      expect(yield* leads.nextTurn(tenant, "team:NORTH")).toBe(0)
      expect(yield* leads.nextTurn(tenant, "team:NORTH")).toBe(1)
      expect(yield* leads.nextTurn(tenant, "team:SOUTH")).toBe(0)
      expect(yield* leads.nextTurn(`${tenant}x`, "team:NORTH")).toBe(0)
      const outcomes = yield* concurrently(Array.from({ length: 20 }, () => leads.nextTurn(tenant, "team:NORTH")))
      const { successes } = partition(outcomes)
      expect([...successes].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2))
      const failed = yield* Effect.either(
        tx.withTransaction(Effect.flatMap(leads.nextTurn(tenant, "team:NORTH"), () => Effect.fail("rolled back" as const)))
      )
      expect(failed._tag).toBe("Left")
      expect(yield* leads.nextTurn(tenant, "team:NORTH")).toBe(22)
    })
  ),

  make("LeadStore.duplicates: visible customers by name or e-mail, contacts by e-mail, open prospects; hidden never returned", () =>
    Effect.gen(function* () {
      const { leads } = yield* salesPorts
      const { prospects } = yield* crmPorts
      const tenant = F.tenantId()
      yield* threeAccounts(tenant)
      yield* prospects.put(prospect(tenant, "P1", { name: "Nordlicht Logistik GmbH" }), null)
      yield* prospects.put(prospect(tenant, "P2", { name: "Other", email: "ANNA.BERG@nordlicht.example" }), null)
      yield* prospects.put(prospect(tenant, "P3", { name: "Nordlicht Logistik GmbH", status: "converted", convertedTo: "C0002" }), null)
      yield* prospects.put(prospect(tenant, "P4", { name: "Nordlicht Logistik GmbH", owner: "bo", authorizationGroup: "G2" }), null)
      const query = { tenant, names: ["nordlicht logistik gmbh"], emails: ["anna.berg@nordlicht.example"], limit: 10 }
      const everything = yield* leads.duplicates({ ...query, visibility: all })
      expect(everything).toEqual([
        { kind: "contact", customerNumber: "C0001", contactId: "0001", name: "Anna Schmidt 0001", matchedOn: ["email"] },
        { kind: "customer", customerNumber: "C0002", name: "Nordlicht Logistik GmbH", matchedOn: ["name"] },
        { kind: "customer", customerNumber: "C0003", name: "NORDLICHT LOGISTIK GMBH", matchedOn: ["name"] },
        { kind: "prospect", prospectId: "P1", name: "Nordlicht Logistik GmbH", matchedOn: ["name"] },
        { kind: "prospect", prospectId: "P2", name: "Other", matchedOn: ["email"] },
        { kind: "prospect", prospectId: "P4", name: "Nordlicht Logistik GmbH", matchedOn: ["name"] }
      ])
      // li.na under the `own` rule, holding G1: C0002 is bo's, C0003 and P4 are in G2.
      const lina = yield* leads.duplicates({ ...query, visibility: visibility(["G1"], assigned("li.na")) })
      expect(lina.map((c) => c.customerNumber ?? c.prospectId)).toEqual(["C0001", "P1", "P2"])
      expect(yield* leads.duplicates({ ...query, tenant: `${tenant}x`, visibility: all })).toEqual([])
      expect(yield* leads.duplicates({ ...query, visibility: all, limit: 2 })).toHaveLength(2)
    })
  ),

  make("LeadStore.activities and linkActivities: the lead's activities newest first; linking sets the account once", () =>
    Effect.gen(function* () {
      const { leads } = yield* salesPorts
      const { activities } = yield* crmPorts
      const tenant = F.tenantId()
      const bare = { customerNumber: undefined, leadId: "L1" }
      yield* activities.put(activity(tenant, "A1", { ...bare, at: "2024-01-10T00:00:00.000Z" }), null)
      yield* activities.put(activity(tenant, "A2", { ...bare, at: "2024-01-12T00:00:00.000Z" }), null)
      yield* activities.put(activity(tenant, "A3", { leadId: "L1", customerNumber: "C0009", at: "2024-01-11T00:00:00.000Z" }), null)
      yield* activities.put(activity(tenant, "A4", { customerNumber: undefined, leadId: "L2" }), null)
      expect(ids(yield* leads.activities(tenant, "L1"))).toEqual(["A2", "A3", "A1"])
      expect(yield* leads.activities(`${tenant}x`, "L1")).toEqual([])
      expect(yield* leads.linkActivities(tenant, "L1", { customerNumber: "C0001" }, "li.na", "2024-02-01T00:00:00.000Z")).toBe(2)
      const linked = Option.getOrThrow(yield* activities.get(tenant, "A1", all))
      expect(linked).toMatchObject({ customerNumber: "C0001", leadId: "L1", version: 2, changedBy: "li.na" })
      expect(Option.getOrThrow(yield* activities.get(tenant, "A3", all)).customerNumber).toBe("C0009")
      expect(Option.getOrThrow(yield* activities.get(tenant, "A4", all)).customerNumber).toBeUndefined()
      expect(yield* leads.linkActivities(tenant, "L1", { prospectId: "P1" }, "li.na", "2024-02-01T00:00:00.000Z")).toBe(0)
    })
  ),

  // -------------------------------------------------------------------------------------------
  // OpportunityStore
  // -------------------------------------------------------------------------------------------
  make("OpportunityStore.get: none for an unknown id, another tenant's, or one whose account is hidden", () =>
    Effect.gen(function* () {
      const { opportunities } = yield* salesPorts
      const { prospects } = yield* crmPorts
      const tenant = F.tenantId()
      yield* threeAccounts(tenant)
      yield* prospects.put(prospect(tenant, "P1", { owner: "bo", authorizationGroup: "G1" }), null)
      yield* save(opportunity(tenant, "O1", { customerNumber: "C0002" }))
      yield* save(opportunity(tenant, "O2", { customerNumber: "C0003" }))
      yield* save(opportunity(tenant, "O3", { customerNumber: undefined, prospectId: "P1" }))
      yield* save(opportunity(`${tenant}x`, "O4"))
      expect(Option.isSome(yield* opportunities.get(tenant, "O1", all))).toBe(true)
      expect(Option.isNone(yield* opportunities.get(tenant, "O4", all))).toBe(true)
      expect(Option.isNone(yield* opportunities.get(tenant, "O9", all))).toBe(true)
      expect(Option.isNone(yield* opportunities.get(tenant, "O1", visibility(["G2"])))).toBe(true)
      expect(Option.isNone(yield* opportunities.get(tenant, "O1", visibility("all", assigned("li.na"))))).toBe(true)
      expect(Option.isSome(yield* opportunities.get(tenant, "O1", visibility(["G1"], assigned("li.na", ["NORTH"]))))).toBe(true)
      // No ownership: only the `all` scope sees C0003.
      expect(Option.isNone(yield* opportunities.get(tenant, "O2", visibility("all", assigned("bo"))))).toBe(true)
      expect(Option.isSome(yield* opportunities.get(tenant, "O3", visibility(["G1"], assigned("bo"))))).toBe(true)
      expect(Option.isNone(yield* opportunities.get(tenant, "O3", visibility(["G2"], assigned("bo"))))).toBe(true)
    })
  ),

  make("OpportunityStore.put: the opportunity and its history entry, or on a conflict neither; concurrent puts: one wins", () =>
    Effect.gen(function* () {
      const { opportunities } = yield* salesPorts
      const tenant = F.tenantId()
      const first = opportunity(tenant, "O1", {
        salesArea: { salesOrganization: "1000", distributionChannel: "10", division: "00" },
        decisionMakers: [
          { contactId: "0002", role: "economic_buyer" },
          { contactId: "0001", role: "user" }
        ],
        competitors: [{ name: "Rival AG", notes: "cheaper" }],
        amount: 1234.56
      })
      yield* save(first)
      // Comes back as written, and so does its history entry.
      expect(Option.getOrThrow(yield* opportunities.get(tenant, "O1", all))).toEqual(first)
      expect(yield* opportunities.history(tenant, "O1")).toEqual([Opportunity.historyEntry(first, undefined)])
      const moved = { ...first, stage: "proposal", probability: 50, version: 2, changedAt: "2024-01-16T08:30:00.000Z" }
      yield* save(moved, first)
      const stale = { ...moved, stage: "commit", version: 3 }
      expect(yield* failureOf(opportunities.put(stale, 1, Opportunity.historyEntry(stale, first)))).toMatchObject({
        _tag: "VersionConflict",
        expected: 1,
        actual: 2
      })
      expect((yield* opportunities.history(tenant, "O1")).map((e) => [e.seq, e.change, e.stage])).toEqual([
        [1, "created", "qualification"],
        [2, "stage", "proposal"]
      ])
      const outcomes = yield* concurrently(
        [60, 70, 80].map((p) => {
          const next = { ...moved, probability: p, version: 3 }
          return opportunities.put(next, 2, Opportunity.historyEntry(next, moved))
        })
      )
      const { successes, failures } = partition(outcomes)
      expect(successes.length).toBe(1)
      expect(failures.every((f) => f instanceof Errors.VersionConflict)).toBe(true)
      expect(yield* opportunities.history(tenant, "O1")).toHaveLength(3)
      expect(Option.getOrThrow(yield* opportunities.get(tenant, "O1", all)).version).toBe(3)
    })
  ),

  make("OpportunityStore.list: ascending by id after the cursor, filtered by account, owner, status, stage; visibility inside", () =>
    Effect.gen(function* () {
      const { opportunities } = yield* salesPorts
      const tenant = F.tenantId()
      yield* threeAccounts(tenant)
      yield* save(opportunity(tenant, "O5", { owner: "bo" }))
      yield* save(opportunity(tenant, "O1", { customerNumber: "C0002" }))
      yield* save(opportunity(tenant, "O3", { status: "won", probability: 100 }))
      yield* save(opportunity(tenant, "O2", { stage: "proposal" }))
      yield* save(opportunity(tenant, "O4", { customerNumber: "C0003" }))
      expect(ids(yield* opportunities.list({ tenant, visibility: all, limit: 10 }))).toEqual(["O1", "O2", "O3", "O4", "O5"])
      expect(ids(yield* opportunities.list({ tenant, visibility: all, after: "O1", limit: 2 }))).toEqual(["O2", "O3"])
      expect(ids(yield* opportunities.list({ tenant, visibility: all, account: { customerNumber: "C0001" }, limit: 10 }))).toEqual([
        "O2",
        "O3",
        "O5"
      ])
      expect(ids(yield* opportunities.list({ tenant, visibility: all, owner: "bo", limit: 10 }))).toEqual(["O5"])
      expect(ids(yield* opportunities.list({ tenant, visibility: all, status: "open", stage: "qualification", limit: 10 }))).toEqual([
        "O1",
        "O4",
        "O5"
      ])
      expect(ids(yield* opportunities.list({ tenant, visibility: visibility(["G1"], assigned("li.na")), limit: 2 }))).toEqual(["O2", "O3"])
    })
  ),

  make("OpportunityStore.accountHistory: stage, create, win, loss, reopen entries of the account, newest first, paged, visible", () =>
    Effect.gen(function* () {
      const { opportunities } = yield* salesPorts
      const tenant = F.tenantId()
      yield* threeAccounts(tenant)
      const at = (day: number) => `2024-02-${String(day).padStart(2, "0")}T09:00:00.000Z`
      const o1 = opportunity(tenant, "O1", { changedAt: at(1) })
      yield* save(o1)
      const o1b = { ...o1, name: "Renamed", version: 2, changedAt: at(2) }
      yield* save(o1b, o1)
      const o1c = { ...o1b, stage: "proposal", version: 3, changedAt: at(3) }
      yield* save(o1c, o1b)
      const o1d = { ...o1c, status: "won" as const, probability: 100, version: 4, changedAt: at(5) }
      yield* save(o1d, o1c)
      yield* save(opportunity(tenant, "O2", { changedAt: at(4) }))
      yield* save(opportunity(tenant, "O3", { customerNumber: "C0002", changedAt: at(4) }))
      const entries = yield* opportunities.accountHistory({ tenant, account: { customerNumber: "C0001" }, visibility: all, limit: 10 })
      expect(entries.map((e) => [e.opportunityId, e.seq, e.change])).toEqual([
        ["O1", 4, "won"],
        ["O2", 1, "created"],
        ["O1", 3, "stage"],
        ["O1", 1, "created"]
      ])
      expect(entries[2]).toMatchObject({ fromStage: "qualification", stage: "proposal" })
      const page = yield* opportunities.accountHistory({
        tenant,
        account: { customerNumber: "C0001" },
        visibility: all,
        before: { at: at(4), opportunityId: "O2", seq: 1 },
        limit: 1
      })
      expect(page.map((e) => [e.opportunityId, e.seq])).toEqual([["O1", 3]])
      const hidden = yield* opportunities.accountHistory({
        tenant,
        account: { customerNumber: "C0002" },
        visibility: visibility("all", assigned("li.na")),
        limit: 10
      })
      expect(hidden).toEqual([])
    })
  ),

  make("OpportunityStore.pipeline: aggregates by month, dimension, currency and status; filters; hidden never counted", () =>
    Effect.gen(function* () {
      const { opportunities } = yield* salesPorts
      const tenant = F.tenantId()
      yield* threeAccounts(tenant)
      const area = { salesOrganization: "1000", distributionChannel: "10", division: "00" }
      yield* save(opportunity(tenant, "O1", { amount: 1000, probability: 20, expectedCloseDate: "2027-01-10", salesArea: area }))
      yield* save(opportunity(tenant, "O2", { amount: 500.5, probability: 50, expectedCloseDate: "2027-01-31", territory: "HH" }))
      yield* save(opportunity(tenant, "O3", { amount: 2000, probability: 100, status: "won", expectedCloseDate: "2027-02-01" }))
      yield* save(opportunity(tenant, "O4", { amount: 700, currency: "USD", expectedCloseDate: "2027-01-05", owner: "bo" }))
      yield* save(opportunity(tenant, "O5", { amount: 9999, status: "lost", probability: 0 }))
      yield* save(opportunity(tenant, "O6", { amount: undefined, currency: undefined }))
      yield* save(opportunity(tenant, "O7", { customerNumber: "C0002", amount: 3000 }))
      yield* save(opportunity(`${tenant}x`, "O8", { amount: 1 }))
      const sorted = <A extends { month: string; key: string; currency: string; status: string }>(rows: ReadonlyArray<A>) =>
        [...rows].sort((a, b) => codeUnits([a.month, a.key, a.currency, a.status], [b.month, b.key, b.currency, b.status]))
      const everything = yield* opportunities.pipeline({ tenant, visibility: all, by: "none" })
      expect(sorted(everything)).toEqual([
        {
          month: "2027-01",
          key: "",
          currency: "EUR",
          status: "open",
          count: 3,
          amountCents: 450050,
          weightedCentPercents: 100000 * 20 + 50050 * 50 + 300000 * 20
        },
        { month: "2027-01", key: "", currency: "USD", status: "open", count: 1, amountCents: 70000, weightedCentPercents: 70000 * 20 },
        { month: "2027-02", key: "", currency: "EUR", status: "won", count: 1, amountCents: 200000, weightedCentPercents: 200000 * 100 }
      ])
      // li.na, `own` rule: C0002 (bo's) is not counted.
      const own = yield* opportunities.pipeline({ tenant, visibility: visibility("all", assigned("li.na")), by: "owner" })
      expect(sorted(own).map((b) => [b.month, b.key, b.currency, b.status, b.count, b.amountCents])).toEqual([
        ["2027-01", "bo", "USD", "open", 1, 70000],
        ["2027-01", "li.na", "EUR", "open", 2, 150050],
        ["2027-02", "li.na", "EUR", "won", 1, 200000]
      ])
      const byArea = yield* opportunities.pipeline({
        tenant,
        visibility: all,
        by: "salesArea",
        closeFrom: "2027-01-10",
        closeTo: "2027-01-31"
      })
      expect(sorted(byArea).map((b) => [b.key, b.count])).toEqual([
        ["", 2],
        ["1000/10/00", 1]
      ])
      const filtered = yield* opportunities.pipeline({ tenant, visibility: all, by: "territory", territory: "HH", owner: "li.na" })
      expect(filtered.map((b) => [b.key, b.count, b.amountCents])).toEqual([["HH", 1, 50050]])
      expect(yield* opportunities.pipeline({ tenant, visibility: visibility(["G9"], assigned("nobody")), by: "none" })).toEqual([])
    })
  ),

  make("OpportunityStore.pipeline asOf: each opportunity's latest history entry at that time; later writes do not count", () =>
    Effect.gen(function* () {
      const { opportunities } = yield* salesPorts
      const tenant = F.tenantId()
      yield* threeAccounts(tenant)
      const day = (d: number) => `2024-03-${String(d).padStart(2, "0")}T12:00:00.000Z`
      const o1 = opportunity(tenant, "O1", { amount: 1000, probability: 20, changedAt: day(1) })
      yield* save(o1)
      const o1b = { ...o1, stage: "proposal", probability: 50, amount: 1200, version: 2, changedAt: day(10) }
      yield* save(o1b, o1)
      const o1c = { ...o1b, status: "lost" as const, probability: 0, version: 3, changedAt: day(20) }
      yield* save(o1c, o1b)
      yield* save(opportunity(tenant, "O2", { amount: 400, probability: 20, changedAt: day(15) }))
      yield* save(opportunity(tenant, "O3", { customerNumber: "C0002", amount: 5000, changedAt: day(2) }))
      const at = (asOf: string, v = all) =>
        Effect.map(opportunities.pipeline({ tenant, visibility: v, by: "stage", asOf }), (rows) =>
          [...rows]
            .map((r) => [r.key, r.count, r.amountCents, r.weightedCentPercents])
            .sort((a, b) => codeUnits([String(a[0])], [String(b[0])]))
        )
      expect(yield* at(day(5))).toEqual([["qualification", 2, 600000, 100000 * 20 + 500000 * 20]])
      expect(yield* at(day(12), visibility("all", assigned("li.na")))).toEqual([["proposal", 1, 120000, 120000 * 50]])
      expect(yield* at(day(16), visibility("all", assigned("li.na")))).toEqual([
        ["proposal", 1, 120000, 120000 * 50],
        ["qualification", 1, 40000, 40000 * 20]
      ])
      expect(yield* at(day(25), visibility("all", assigned("li.na")))).toEqual([["qualification", 1, 40000, 40000 * 20]])
      expect(yield* at("2024-02-01T00:00:00.000Z")).toEqual([])
    })
  ),

  make("OpportunityStore.linkProspect: the prospect's opportunities get the customer, a new version and an updated entry", () =>
    Effect.gen(function* () {
      const { opportunities } = yield* salesPorts
      const tenant = F.tenantId()
      yield* save(opportunity(tenant, "O1", { customerNumber: undefined, prospectId: "P1" }))
      yield* save(opportunity(tenant, "O2", { customerNumber: "C0005", prospectId: "P1" }))
      yield* save(opportunity(tenant, "O3", { customerNumber: undefined, prospectId: "P2" }))
      expect(yield* opportunities.linkProspect(tenant, "P1", "C0001", "li.na", "2024-04-01T00:00:00.000Z")).toBe(1)
      expect(Option.getOrThrow(yield* opportunities.get(tenant, "O1", all))).toMatchObject({
        customerNumber: "C0001",
        prospectId: "P1",
        version: 2,
        changedBy: "li.na"
      })
      expect((yield* opportunities.history(tenant, "O1")).map((e) => [e.seq, e.change, e.customerNumber])).toEqual([
        [1, "created", undefined],
        [2, "updated", "C0001"]
      ])
      expect(Option.getOrThrow(yield* opportunities.get(tenant, "O3", all)).customerNumber).toBeUndefined()
      expect(yield* opportunities.linkProspect(`${tenant}x`, "P2", "C0001", "li.na", "2024-04-01T00:00:00.000Z")).toBe(0)
    })
  ),

  make("Sales ports inside StoreTransaction: a failed transaction leaves no lead, opportunity or history", () =>
    Effect.gen(function* () {
      const { leads, opportunities } = yield* salesPorts
      const tx = yield* StoreTransaction
      const tenant = F.tenantId()
      const failed = yield* Effect.either(
        tx.withTransaction(
          Effect.gen(function* () {
            yield* leads.put(lead(tenant, "L1"), null)
            yield* save(opportunity(tenant, "O1"))
            return yield* Effect.fail("abort" as const)
          })
        )
      )
      expect(failed._tag).toBe("Left")
      expect(Option.isNone(yield* leads.get(tenant, "L1", all))).toBe(true)
      expect(Option.isNone(yield* opportunities.get(tenant, "O1", all))).toBe(true)
      expect(yield* opportunities.history(tenant, "O1")).toEqual([])
    })
  )
]
