/**
 * One case per sentence of the CRM ports' doc comments: `ProspectStore`,
 * `AccountOwnershipStore`, `ActivityStore`, `ContactPreferenceStore`.
 *
 * @internal
 */
import { CustomerStore, Errors, StoreTransaction } from "@partnerkit/core"
import type { ContactPreference } from "@partnerkit/crm"
import { Effect, Option } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, concurrently, failureOf, make, partition } from "../Case.js"
import { activity, all, assigned, crmPorts, hoursLater, ownership, prospect, type StorePorts, visibility } from "./Support.js"

const preference = (
  tenant: string,
  customerNumber: string,
  channel: ContactPreference.Channel,
  overrides: Partial<ContactPreference.ContactPreference> = {}
): ContactPreference.ContactPreference => ({
  tenant,
  customerNumber,
  channel,
  consent: "granted",
  since: "2024-01-01",
  changedBy: "tester",
  changedAt: F.timestamp,
  ...overrides
})

/** Customers C0001 (no group), C0002 (group G1), C0003 (group G2) in `tenant`. */
const threeCustomers = (tenant: string) =>
  Effect.gen(function* () {
    const customers = yield* CustomerStore
    yield* customers.insert(F.customer(tenant, "C0001"))
    yield* customers.insert(F.customer(tenant, "C0002", { general: F.general({ authorizationGroup: "G1" }) }))
    yield* customers.insert(F.customer(tenant, "C0003", { general: F.general({ authorizationGroup: "G2" }) }))
  })

export const cases: ReadonlyArray<Case<StorePorts>> = [
  // -------------------------------------------------------------------------------------------
  // ProspectStore
  // -------------------------------------------------------------------------------------------
  make("ProspectStore.get: none for an unknown id and for another tenant's prospect", () =>
    Effect.gen(function* () {
      const { prospects } = yield* crmPorts
      const tenant = F.tenantId()
      const other = `${tenant}x`
      yield* prospects.put(prospect(other, "P1"), null)
      expect(Option.isNone(yield* prospects.get(tenant, "P1", all))).toBe(true)
      expect(Option.isNone(yield* prospects.get(tenant, "P2", all))).toBe(true)
      expect(Option.isSome(yield* prospects.get(other, "P1", all))).toBe(true)
    })
  ),

  make("ProspectStore.get: none when the authorization group or the CRM scope hides the prospect", () =>
    Effect.gen(function* () {
      const { prospects } = yield* crmPorts
      const tenant = F.tenantId()
      yield* prospects.put(prospect(tenant, "P1", { authorizationGroup: "G1", owner: "bo", team: "NORTH", territory: "HH" }), null)
      expect(Option.isSome(yield* prospects.get(tenant, "P1", visibility(["G1"])))).toBe(true)
      expect(Option.isNone(yield* prospects.get(tenant, "P1", visibility(["G2"])))).toBe(true)
      expect(Option.isNone(yield* prospects.get(tenant, "P1", visibility("all", assigned("li.na"))))).toBe(true)
      expect(Option.isSome(yield* prospects.get(tenant, "P1", visibility("all", assigned("bo"))))).toBe(true)
      expect(Option.isSome(yield* prospects.get(tenant, "P1", visibility("all", assigned("li.na", ["NORTH"]))))).toBe(true)
      expect(Option.isSome(yield* prospects.get(tenant, "P1", visibility("all", assigned("li.na", [], ["HH"]))))).toBe(true)
      expect(Option.isNone(yield* prospects.get(tenant, "P1", visibility(["G2"], assigned("bo"))))).toBe(true)
    })
  ),

  make("ProspectStore.put: writes only from the stored version; otherwise VersionConflict and nothing written", () =>
    Effect.gen(function* () {
      const { prospects } = yield* crmPorts
      const tenant = F.tenantId()
      const first = prospect(tenant, "P1")
      yield* prospects.put(first, null)
      expect(yield* failureOf(prospects.put({ ...first, name: "Twice" }, null))).toMatchObject({
        _tag: "VersionConflict",
        expected: 0,
        actual: 1
      })
      const second = { ...first, name: "Nordlicht AG", version: 2 }
      yield* prospects.put(second, 1)
      expect(yield* failureOf(prospects.put({ ...second, version: 3, name: "Stale" }, 1))).toMatchObject({
        _tag: "VersionConflict",
        expected: 1,
        actual: 2
      })
      expect(yield* failureOf(prospects.put(prospect(tenant, "P9", { version: 2 }), 1))).toMatchObject({
        _tag: "VersionConflict",
        actual: 0
      })
      expect(Option.getOrUndefined(yield* prospects.get(tenant, "P1", all))).toEqual(second)
      expect(Option.isNone(yield* prospects.get(tenant, "P9", all))).toBe(true)
    })
  ),

  make("ProspectStore.put: of two concurrent puts from the same version exactly one succeeds", () =>
    Effect.gen(function* () {
      const { prospects } = yield* crmPorts
      const tenant = F.tenantId()
      yield* prospects.put(prospect(tenant, "P1"), null)
      const outcomes = yield* concurrently(
        [1, 2, 3, 4].map((i) => prospects.put(prospect(tenant, "P1", { name: `Writer ${i}`, version: 2 }), 1))
      )
      const { successes, failures } = partition(outcomes)
      expect(successes.length).toBe(1)
      expect(failures.every((f) => f instanceof Errors.VersionConflict)).toBe(true)
    })
  ),

  make("ProspectStore.list: ascending by id after the cursor, filtered, visibility inside the query, page filled", () =>
    Effect.gen(function* () {
      const { prospects } = yield* crmPorts
      const tenant = F.tenantId()
      const rows = [
        prospect(tenant, "P05", { owner: "li.na" }),
        prospect(tenant, "P01", { owner: "bo", authorizationGroup: "G2" }),
        prospect(tenant, "P03", { owner: "li.na", status: "converted", convertedTo: "C0001" }),
        prospect(tenant, "P02", { owner: "bo" }),
        prospect(tenant, "P04", { owner: "bo", authorizationGroup: "G2" }),
        prospect(tenant, "P06", { owner: "li.na" })
      ]
      for (const p of rows) yield* prospects.put(p, null)
      yield* prospects.put(prospect(`${tenant}x`, "P00"), null)
      const ids = (ps: ReadonlyArray<{ id: string }>) => ps.map((p) => p.id)
      expect(ids(yield* prospects.list({ tenant, visibility: all, limit: 10 }))).toEqual(["P01", "P02", "P03", "P04", "P05", "P06"])
      expect(ids(yield* prospects.list({ tenant, visibility: all, after: "P02", limit: 2 }))).toEqual(["P03", "P04"])
      expect(ids(yield* prospects.list({ tenant, visibility: all, status: "open", owner: "li.na", limit: 10 }))).toEqual(["P05", "P06"])
      // Hidden by group: P01, P04 are skipped and the page is filled from further rows.
      expect(ids(yield* prospects.list({ tenant, visibility: visibility(["G1"]), limit: 3 }))).toEqual(["P02", "P03", "P05"])
      expect(ids(yield* prospects.list({ tenant, visibility: visibility("all", assigned("bo")), limit: 10 }))).toEqual([
        "P01",
        "P02",
        "P04"
      ])
      expect(yield* prospects.list({ tenant, visibility: all, limit: 0 })).toEqual([])
    })
  ),

  make("ProspectStore: prospects come back as written (contacts in order, absent fields absent)", () =>
    Effect.gen(function* () {
      const { prospects } = yield* crmPorts
      const tenant = F.tenantId()
      const full = prospect(tenant, "P1", {
        name2: "Zweigniederlassung",
        street: "Kai",
        houseNumber: "3",
        postalCode: "20457",
        region: "HH",
        language: "DE",
        phone: "+49 40 123",
        email: "info@nordlicht.example",
        industry: "LOG",
        notes: "Met at the fair ✓",
        authorizationGroup: "G1",
        team: "NORTH",
        territory: "HH",
        contacts: [
          { id: "0001", lastName: "Zeh" },
          { id: "0002", lastName: "Alt", firstName: "Ana", function: "CFO", department: "Finance", phone: "1", email: "a@x.example" }
        ]
      })
      const bare = prospect(tenant, "P2", { contacts: [] })
      yield* prospects.put(full, null)
      yield* prospects.put(bare, null)
      expect(Option.getOrUndefined(yield* prospects.get(tenant, "P1", all))).toEqual(full)
      const back = Option.getOrUndefined(yield* prospects.get(tenant, "P2", all))
      expect(back).toEqual(bare)
      expect(Object.keys(back ?? {}).sort()).toEqual(Object.keys(bare).sort())
    })
  ),

  // -------------------------------------------------------------------------------------------
  // AccountOwnershipStore
  // -------------------------------------------------------------------------------------------
  make("AccountOwnershipStore.get and put: none when absent; versioned writes with VersionConflict", () =>
    Effect.gen(function* () {
      const { owners } = yield* crmPorts
      const tenant = F.tenantId()
      expect(Option.isNone(yield* owners.get(tenant, "C0001"))).toBe(true)
      const first = ownership(tenant, "C0001", { team: "NORTH" })
      yield* owners.put(first, null)
      expect(Option.getOrUndefined(yield* owners.get(tenant, "C0001"))).toEqual(first)
      expect(Option.isNone(yield* owners.get(`${tenant}x`, "C0001"))).toBe(true)
      expect(yield* failureOf(owners.put(first, null))).toMatchObject({ _tag: "VersionConflict", actual: 1 })
      const second = ownership(tenant, "C0001", { owner: "bo", version: 2 })
      yield* owners.put(second, 1)
      expect(yield* failureOf(owners.put({ ...second, version: 3 }, 1))).toMatchObject({ _tag: "VersionConflict", expected: 1, actual: 2 })
      expect(Option.getOrUndefined(yield* owners.get(tenant, "C0001"))).toEqual(second)
      const outcomes = yield* concurrently([1, 2, 3].map((i) => owners.put(ownership(tenant, "C0001", { owner: `u${i}`, version: 3 }), 2)))
      expect(partition(outcomes).successes.length).toBe(1)
    })
  ),

  make("AccountOwnershipStore.list: visible customers only (existing, group allowed, in scope), filtered, ascending, page filled", () =>
    Effect.gen(function* () {
      const { owners } = yield* crmPorts
      const tenant = F.tenantId()
      yield* threeCustomers(tenant)
      yield* owners.put(ownership(tenant, "C0001", { owner: "li.na", team: "NORTH" }), null)
      yield* owners.put(ownership(tenant, "C0002", { owner: "bo", team: "NORTH", territory: "HH" }), null)
      yield* owners.put(ownership(tenant, "C0003", { owner: "li.na" }), null)
      yield* owners.put(ownership(tenant, "C0009", { owner: "li.na" }), null) // no such customer
      const numbers = (os: ReadonlyArray<{ customerNumber: string }>) => os.map((o) => o.customerNumber)
      expect(numbers(yield* owners.list({ tenant, visibility: all, limit: 10 }))).toEqual(["C0001", "C0002", "C0003"])
      expect(numbers(yield* owners.list({ tenant, visibility: all, after: "C0001", limit: 1 }))).toEqual(["C0002"])
      expect(numbers(yield* owners.list({ tenant, visibility: visibility(["G1"]), limit: 10 }))).toEqual(["C0001", "C0002"])
      expect(numbers(yield* owners.list({ tenant, visibility: visibility(["G2"]), limit: 1 }))).toEqual(["C0001"])
      expect(numbers(yield* owners.list({ tenant, visibility: visibility([], assigned("li.na")), limit: 10 }))).toEqual(["C0001"])
      expect(numbers(yield* owners.list({ tenant, visibility: visibility("all", assigned("li.na")), limit: 10 }))).toEqual([
        "C0001",
        "C0003"
      ])
      expect(numbers(yield* owners.list({ tenant, visibility: visibility("all", assigned("x", ["NORTH"])), limit: 10 }))).toEqual([
        "C0001",
        "C0002"
      ])
      expect(numbers(yield* owners.list({ tenant, visibility: visibility("all", assigned("x", [], ["HH"])), limit: 10 }))).toEqual([
        "C0002"
      ])
      expect(numbers(yield* owners.list({ tenant, visibility: all, owner: "li.na", limit: 10 }))).toEqual(["C0001", "C0003"])
      expect(numbers(yield* owners.list({ tenant, visibility: all, team: "NORTH", limit: 10 }))).toEqual(["C0001", "C0002"])
      expect(numbers(yield* owners.list({ tenant, visibility: all, territory: "HH", limit: 10 }))).toEqual(["C0002"])
    })
  ),

  // -------------------------------------------------------------------------------------------
  // ActivityStore
  // -------------------------------------------------------------------------------------------
  make("ActivityStore.get: none when unknown, of another tenant, or when the account is hidden", () =>
    Effect.gen(function* () {
      const { activities, owners, prospects } = yield* crmPorts
      const tenant = F.tenantId()
      yield* threeCustomers(tenant)
      yield* owners.put(ownership(tenant, "C0002", { owner: "bo" }), null)
      yield* prospects.put(prospect(tenant, "P1", { owner: "bo", authorizationGroup: "G2" }), null)
      yield* activities.put(activity(tenant, "A1", { customerNumber: "C0001" }), null)
      yield* activities.put(activity(tenant, "A2", { customerNumber: "C0002" }), null)
      yield* activities.put(activity(tenant, "A3", { customerNumber: undefined, prospectId: "P1" }), null)
      yield* activities.put(activity(tenant, "A4", { customerNumber: "C0099" }), null)
      const seen = (id: string, v = all) => Effect.map(activities.get(tenant, id, v), Option.isSome)
      expect(yield* seen("A0")).toBe(false)
      expect(Option.isNone(yield* activities.get(`${tenant}x`, "A1", all))).toBe(true)
      expect([yield* seen("A1"), yield* seen("A2"), yield* seen("A3"), yield* seen("A4")]).toEqual([true, true, true, true])
      const g1 = visibility(["G1"])
      expect([yield* seen("A1", g1), yield* seen("A2", g1), yield* seen("A3", g1), yield* seen("A4", g1)]).toEqual([
        true,
        true,
        false,
        false
      ])
      const bo = visibility("all", assigned("bo"))
      // C0001 has no ownership: outside every assigned scope.
      expect([yield* seen("A1", bo), yield* seen("A2", bo), yield* seen("A3", bo), yield* seen("A4", bo)]).toEqual([
        false,
        true,
        true,
        false
      ])
      const lina = visibility(["G1", "G2"], assigned("li.na"))
      expect([yield* seen("A1", lina), yield* seen("A2", lina), yield* seen("A3", lina)]).toEqual([false, false, false])
    })
  ),

  make("ActivityStore.put: versioned; VersionConflict writes nothing; one of two concurrent puts succeeds", () =>
    Effect.gen(function* () {
      const { activities } = yield* crmPorts
      const tenant = F.tenantId()
      const first = activity(tenant, "A1", {
        notes: "Bring the samples",
        contactId: "0001",
        leadId: "L1",
        opportunityId: "O1",
        ticketId: "T1",
        dueAt: hoursLater(5)
      })
      yield* activities.put(first, null)
      expect(Option.getOrUndefined(yield* activities.get(tenant, "A1", all))).toEqual(first)
      expect(yield* failureOf(activities.put(first, null))).toMatchObject({ _tag: "VersionConflict", actual: 1 })
      const outcomes = yield* concurrently([1, 2, 3].map((i) => activities.put({ ...first, subject: `W${i}`, version: 2 }, 1)))
      expect(partition(outcomes).successes.length).toBe(1)
      expect(yield* failureOf(activities.put({ ...first, version: 3 }, 1))).toMatchObject({
        _tag: "VersionConflict",
        expected: 1,
        actual: 2
      })
      expect(Option.getOrUndefined(yield* activities.get(tenant, "A1", all))?.version).toBe(2)
    })
  ),

  make("ActivityStore.listByAccount: the account's visible activities, newest first, before the cursor, by status", () =>
    Effect.gen(function* () {
      const { activities, prospects } = yield* crmPorts
      const tenant = F.tenantId()
      yield* threeCustomers(tenant)
      yield* prospects.put(prospect(tenant, "P1"), null)
      const at = (h: number) => hoursLater(h)
      yield* activities.put(activity(tenant, "A1", { at: at(1) }), null)
      yield* activities.put(activity(tenant, "A2", { at: at(3), status: "completed", completedAt: at(3) }), null)
      yield* activities.put(activity(tenant, "A3", { at: at(3) }), null)
      yield* activities.put(activity(tenant, "A4", { at: at(2), customerNumber: "C0002" }), null)
      yield* activities.put(activity(tenant, "A5", { at: at(4), customerNumber: undefined, prospectId: "P1" }), null)
      yield* activities.put(activity(tenant, "A6", { at: at(0), customerNumber: "C0001", prospectId: "P1" }), null)
      const ids = (as: ReadonlyArray<{ id: string }>) => as.map((a) => a.id)
      const c1 = { customerNumber: "C0001" }
      expect(ids(yield* activities.listByAccount({ tenant, account: c1, visibility: all, limit: 10 }))).toEqual(["A3", "A2", "A1", "A6"])
      expect(
        ids(yield* activities.listByAccount({ tenant, account: c1, visibility: all, before: { at: at(3), id: "A3" }, limit: 2 }))
      ).toEqual(["A2", "A1"])
      expect(ids(yield* activities.listByAccount({ tenant, account: c1, visibility: all, status: "open", limit: 10 }))).toEqual([
        "A3",
        "A1",
        "A6"
      ])
      expect(ids(yield* activities.listByAccount({ tenant, account: { prospectId: "P1" }, visibility: all, limit: 10 }))).toEqual([
        "A5",
        "A6"
      ])
      expect(
        ids(yield* activities.listByAccount({ tenant, account: { customerNumber: "C0002" }, visibility: visibility(["G2"]), limit: 10 }))
      ).toEqual([])
      expect(
        ids(yield* activities.listByAccount({ tenant, account: c1, visibility: visibility("all", assigned("li.na")), limit: 10 }))
      ).toEqual([])
    })
  ),

  make(
    "ActivityStore.open: open and visible, by due time (none last), then id; dueBefore excludes undated; owner and account filters",
    () =>
      Effect.gen(function* () {
        const { activities, owners } = yield* crmPorts
        const tenant = F.tenantId()
        yield* threeCustomers(tenant)
        yield* owners.put(ownership(tenant, "C0001", { owner: "li.na" }), null)
        yield* owners.put(ownership(tenant, "C0003", { owner: "li.na" }), null)
        yield* activities.put(activity(tenant, "A1", { dueAt: hoursLater(10) }), null)
        yield* activities.put(activity(tenant, "A2", { dueAt: hoursLater(2) }), null)
        yield* activities.put(activity(tenant, "A3"), null)
        yield* activities.put(activity(tenant, "A4", { dueAt: hoursLater(2) }), null)
        yield* activities.put(activity(tenant, "A5", { dueAt: hoursLater(1), status: "completed", completedAt: hoursLater(1) }), null)
        yield* activities.put(activity(tenant, "A6", { dueAt: hoursLater(3), owner: "bo" }), null)
        yield* activities.put(activity(tenant, "A7", { dueAt: hoursLater(1), customerNumber: "C0003" }), null)
        yield* activities.put(activity(tenant, "A8", { dueAt: hoursLater(1), customerNumber: "C0002" }), null)
        const ids = (as: ReadonlyArray<{ id: string }>) => as.map((a) => a.id)
        expect(ids(yield* activities.open({ tenant, visibility: all, limit: 20 }))).toEqual(["A7", "A8", "A2", "A4", "A6", "A1", "A3"])
        expect(ids(yield* activities.open({ tenant, visibility: all, owner: "li.na", dueBefore: hoursLater(10), limit: 20 }))).toEqual([
          "A7",
          "A8",
          "A2",
          "A4"
        ])
        expect(ids(yield* activities.open({ tenant, visibility: all, account: { customerNumber: "C0001" }, limit: 2 }))).toEqual([
          "A2",
          "A4"
        ])
        expect(
          ids(yield* activities.open({ tenant, visibility: visibility(["G1"], assigned("li.na")), owner: "li.na", limit: 20 }))
        ).toEqual(["A2", "A4", "A1", "A3"])
      })
  ),

  make("ActivityStore.summary: counts by status, overdue at asOf, last contact; hidden activities never counted", () =>
    Effect.gen(function* () {
      const { activities } = yield* crmPorts
      const tenant = F.tenantId()
      yield* threeCustomers(tenant)
      yield* activities.put(activity(tenant, "A1", { dueAt: hoursLater(1) }), null)
      yield* activities.put(activity(tenant, "A2", { dueAt: hoursLater(30) }), null)
      yield* activities.put(activity(tenant, "A3", { status: "completed", completedAt: hoursLater(5) }), null)
      yield* activities.put(activity(tenant, "A4", { kind: "visit", status: "completed", completedAt: hoursLater(7) }), null)
      yield* activities.put(activity(tenant, "A5", { kind: "note", status: "completed", completedAt: hoursLater(9) }), null)
      yield* activities.put(activity(tenant, "A6", { status: "cancelled" }), null)
      yield* activities.put(activity(tenant, "A7", { customerNumber: "C0002", status: "completed", completedAt: hoursLater(20) }), null)
      const summary = yield* activities.summary({ tenant, account: { customerNumber: "C0001" }, visibility: all, asOf: hoursLater(10) })
      expect(summary).toEqual({ total: 6, open: 2, overdue: 1, completed: 3, cancelled: 1, lastContactAt: hoursLater(7) })
      const hidden = yield* activities.summary({
        tenant,
        account: { customerNumber: "C0002" },
        visibility: visibility(["G2"]),
        asOf: hoursLater(10)
      })
      expect(hidden).toEqual({ total: 0, open: 0, overdue: 0, completed: 0, cancelled: 0 })
      const none = yield* activities.summary({ tenant, account: { customerNumber: "C0003" }, visibility: all, asOf: hoursLater(10) })
      expect(none).toEqual({ total: 0, open: 0, overdue: 0, completed: 0, cancelled: 0 })
    })
  ),

  make("ActivityStore.relink: sets the customer on the prospect's unlinked activities, bumping their versions", () =>
    Effect.gen(function* () {
      const { activities } = yield* crmPorts
      const tenant = F.tenantId()
      yield* activities.put(activity(tenant, "A1", { customerNumber: undefined, prospectId: "P1" }), null)
      yield* activities.put(activity(tenant, "A2", { customerNumber: undefined, prospectId: "P1" }), null)
      yield* activities.put(activity(tenant, "A3", { customerNumber: undefined, prospectId: "P2" }), null)
      yield* activities.put(activity(`${tenant}x`, "A4", { customerNumber: undefined, prospectId: "P1" }), null)
      expect(yield* activities.relink(tenant, "P1", "C0007", "converter", hoursLater(1))).toBe(2)
      const a1 = Option.getOrUndefined(yield* activities.get(tenant, "A1", all))
      expect(a1).toMatchObject({ customerNumber: "C0007", prospectId: "P1", version: 2, changedBy: "converter", changedAt: hoursLater(1) })
      expect(Option.getOrUndefined(yield* activities.get(tenant, "A3", all))?.customerNumber).toBeUndefined()
      expect(Option.getOrUndefined(yield* activities.get(`${tenant}x`, "A4", all))?.customerNumber).toBeUndefined()
      expect(yield* activities.relink(tenant, "P1", "C0008", "converter", hoursLater(2))).toBe(0)
    })
  ),

  // -------------------------------------------------------------------------------------------
  // ContactPreferenceStore
  // -------------------------------------------------------------------------------------------
  make("ContactPreferenceStore: last write wins per key; account before contacts, by contact then channel; tenant scoped", () =>
    Effect.gen(function* () {
      const { preferences } = yield* crmPorts
      const tenant = F.tenantId()
      expect(yield* preferences.list(tenant, "C0001")).toEqual([])
      yield* preferences.put(preference(tenant, "C0001", "phone", { contactId: "0002" }))
      yield* preferences.put(preference(tenant, "C0001", "mail"))
      yield* preferences.put(preference(tenant, "C0001", "email", { contactId: "0001", source: "web form" }))
      yield* preferences.put(preference(tenant, "C0001", "email"))
      yield* preferences.put(preference(tenant, "C0001", "email", { consent: "withdrawn", since: "2024-02-01" }))
      yield* preferences.put(preference(tenant, "C0002", "visit"))
      yield* preferences.put(preference(`${tenant}x`, "C0001", "visit"))
      const listed = yield* preferences.list(tenant, "C0001")
      expect(listed.map((p) => `${p.contactId ?? "-"} ${p.channel} ${p.consent}`)).toEqual([
        "- email withdrawn",
        "- mail granted",
        "0001 email granted",
        "0002 phone granted"
      ])
      expect(listed[2]).toEqual(preference(tenant, "C0001", "email", { contactId: "0001", source: "web form" }))
    })
  ),

  // -------------------------------------------------------------------------------------------
  // One transaction for core and CRM
  // -------------------------------------------------------------------------------------------
  make("StoreTransaction: core and CRM writes commit together and roll back together", () =>
    Effect.gen(function* () {
      const { activities, owners } = yield* crmPorts
      const customers = yield* CustomerStore
      const tx = yield* StoreTransaction
      const tenant = F.tenantId()
      const failed = yield* Effect.either(
        tx.withTransaction(
          Effect.gen(function* () {
            yield* customers.insert(F.customer(tenant, "C0001"))
            yield* owners.put(ownership(tenant, "C0001"), null)
            yield* activities.put(activity(tenant, "A1"), null)
            return yield* Effect.fail("abort" as const)
          })
        )
      )
      expect(failed._tag).toBe("Left")
      expect(Option.isNone(yield* customers.get(tenant, "C0001", F.unrestricted))).toBe(true)
      expect(Option.isNone(yield* owners.get(tenant, "C0001"))).toBe(true)
      expect(Option.isNone(yield* activities.get(tenant, "A1", all))).toBe(true)
      yield* tx.withTransaction(
        Effect.gen(function* () {
          yield* customers.insert(F.customer(tenant, "C0001"))
          yield* owners.put(ownership(tenant, "C0001"), null)
          // A nested failure undoes its own writes only.
          yield* Effect.ignore(tx.withTransaction(Effect.zipRight(activities.put(activity(tenant, "A2"), null), Effect.fail("inner"))))
          yield* activities.put(activity(tenant, "A1"), null)
        })
      )
      expect(Option.isSome(yield* owners.get(tenant, "C0001"))).toBe(true)
      expect(Option.isSome(yield* activities.get(tenant, "A1", all))).toBe(true)
      expect(Option.isNone(yield* activities.get(tenant, "A2", all))).toBe(true)
    })
  )
]
