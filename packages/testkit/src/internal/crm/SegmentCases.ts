/**
 * Behaviour, segments and campaigns of `@partnerkit/crm` on the store under test: every kind of
 * segment rule evaluated in the store's query engine, keyset pages, dynamic against frozen
 * segments, visibility (a hidden account is never a member and never counted), RFM scores and
 * churn-risk rules with configured breakpoints, consent exclusion, the seeded control group,
 * response rates, uplift and ROI, and bad input failing with typed errors and writing nothing.
 *
 * @internal
 */
import { CustomerStore, Errors } from "@partnerkit/core"
import {
  AccountOwnershipStore,
  ActivityStore,
  Behaviour,
  Campaign,
  Campaigns,
  type ContactPreference,
  ContactPreferenceStore,
  type CrmConfig,
  CrmErrors,
  LeadStore,
  Opportunities,
  Opportunity,
  OpportunityStore,
  SegmentErrors,
  type SegmentRule,
  Segments
} from "@partnerkit/crm"
import { Effect } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, failureOf, make } from "../Case.js"
import { activity, ownership, type StorePorts, user, withServices } from "./Support.js"

const asOf = "2026-06-30T12:00:00.000Z"

const config: CrmConfig.CrmConfigInput = {
  visibility: { rule: "own", unrestrictedUsers: ["manager"] },
  churnRisk: {
    silence: { days: 90 },
    fallingActivity: { days: 30, percent: 50, minPrevious: 1 },
    fallingRevenue: { days: 180, percent: 50 }
  }
}

const handles = Effect.all({ segments: Segments.Segments, behaviour: Behaviour.Behaviour, campaigns: Campaigns.Campaigns })

let sequence = 0

/** A won (or open) opportunity of a customer, written through the port. */
const deal = (
  tenant: string,
  customerNumber: string,
  closedOn: string,
  amount: number,
  currency = "EUR",
  overrides: Partial<Opportunity.Opportunity> = {}
) => {
  const o: Opportunity.Opportunity = {
    tenant,
    id: `O${String(++sequence).padStart(6, "0")}`,
    name: `Deal ${sequence}`,
    customerNumber,
    owner: "li.na",
    stage: "closing",
    probability: 100,
    status: "won",
    amount,
    currency,
    expectedCloseDate: closedOn,
    closedAt: `${closedOn}T10:00:00.000Z`,
    version: 1,
    createdBy: "tester",
    createdAt: F.timestamp,
    changedBy: "tester",
    changedAt: F.timestamp,
    ...overrides
  }
  return Effect.flatMap(OpportunityStore, (store) => store.put(o, null, Opportunity.historyEntry(o, undefined)))
}

/** A completed activity of a customer at `at`. */
const done = (tenant: string, customerNumber: string, kind: "call" | "meeting" | "visit" | "email" | "task", at: string) =>
  Effect.flatMap(ActivityStore, (store) =>
    store.put(
      activity(tenant, `A${String(++sequence).padStart(6, "0")}`, { customerNumber, kind, status: "completed", completedAt: at }),
      null
    )
  )

/**
 * C01–C04 owned by li.na, C05 owned by li.na but in authorization group SECR (li.na holds no
 * group), C06 owned by bo: li.na sees C01–C04, the manager all six.
 */
const seed = (tenant: string) =>
  Effect.gen(function* () {
    const customers = yield* CustomerStore
    const owners = yield* AccountOwnershipStore
    const put = (
      number: string,
      general: Parameters<typeof F.general>[0],
      overrides: Parameters<typeof F.customer>[2] = {},
      owner = "li.na"
    ) =>
      Effect.zipRight(
        customers.insert(F.customer(tenant, number, { general: F.general({ name: `Customer ${number}`, ...general }), ...overrides })),
        owners.put(ownership(tenant, number, { owner }), null)
      )
    yield* put(
      "C01",
      { country: "DE", region: "BY", industry: "MANU" },
      { salesAreas: [F.salesAreaView("1000/10/00", { customerGroup: "01" })] }
    )
    yield* put(
      "C02",
      { country: "DE", region: "HH", industry: "RETL" },
      {
        accountGroup: "0002",
        salesAreas: [F.salesAreaView("2000/10/00", { customerGroup: "02" })]
      }
    )
    yield* put("C03", { country: "AT", industry: "MANU" })
    yield* put("C04", { country: "CH" })
    yield* put("C05", { country: "DE", industry: "MANU", authorizationGroup: "SECR" })
    yield* put("C06", { country: "FR", industry: "MANU" }, {}, "bo")
    // Activities (completed unless said otherwise).
    yield* done(tenant, "C01", "call", "2026-06-20T12:00:00.000Z")
    yield* done(tenant, "C01", "task", "2026-06-25T08:00:00.000Z")
    yield* done(tenant, "C01", "meeting", "2026-05-02T09:00:00.000Z")
    yield* done(tenant, "C02", "email", "2026-01-01T12:00:00.000Z")
    const activities = yield* ActivityStore
    yield* activities.put(
      activity(tenant, "A-open", { customerNumber: "C02", kind: "call", status: "open", dueAt: "2026-06-29T08:00:00.000Z" }),
      null
    )
    yield* done(tenant, "C03", "task", "2026-05-15T08:00:00.000Z")
    yield* done(tenant, "C03", "task", "2026-05-20T08:00:00.000Z")
    yield* done(tenant, "C03", "call", "2026-07-05T08:00:00.000Z") // after asOf
    yield* done(tenant, "C04", "visit", "2026-06-30T11:00:00.000Z")
    yield* done(tenant, "C05", "call", "2026-01-01T12:00:00.000Z")
    yield* done(tenant, "C06", "call", "2026-06-29T12:00:00.000Z")
    // Won business.
    yield* deal(tenant, "C01", "2026-06-01", 60_000)
    yield* deal(tenant, "C01", "2026-03-01", 5_000)
    yield* deal(tenant, "C01", "2025-01-01", 100)
    yield* deal(tenant, "C02", "2026-02-01", 999_999, "USD")
    yield* deal(tenant, "C02", "2026-06-15", 50_000, "EUR", { status: "open", probability: 60, stage: "proposal" })
    yield* deal(tenant, "C04", "2026-06-29", 1_500)
    yield* deal(tenant, "C04", "2025-10-01", 10_000)
    yield* deal(tenant, "C05", "2026-06-10", 1_000_000)
  })

const numbers = (page: { readonly items: ReadonlyArray<{ readonly customerNumber: string }> }) => page.items.map((m) => m.customerNumber)

export const cases: ReadonlyArray<Case<StorePorts>> = [
  make("Segments.members: every kind of rule is evaluated in the store, through the CRM visibility, in keyset pages", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      config,
      Effect.gen(function* () {
        yield* seed(tenant)
        const { segments } = yield* handles
        const lina = user(tenant, "li.na", [])
        const manager = user(tenant, "manager")
        const members = (rule: SegmentRule.Rule, actor = lina) => Effect.map(segments.members({ actor, rule, asOf, limit: 100 }), numbers)
        const expectations: ReadonlyArray<readonly [SegmentRule.Rule, ReadonlyArray<string>]> = [
          [{ field: "country", op: "in", values: ["DE"] }, ["C01", "C02"]],
          [{ field: "country", op: "notIn", values: ["DE", "AT"] }, ["C04"]],
          [{ field: "region", op: "in", values: ["BY"] }, ["C01"]],
          [{ field: "industry", op: "in", values: ["MANU"] }, ["C01", "C03"]],
          [{ field: "industry", op: "notIn", values: ["MANU"] }, ["C02", "C04"]],
          [{ field: "accountGroup", op: "in", values: ["0002"] }, ["C02"]],
          [{ field: "customerGroup", op: "in", values: ["02"] }, ["C02"]],
          [{ field: "customerGroup", op: "notIn", values: ["01"] }, ["C02", "C03", "C04"]],
          [{ field: "salesArea", op: "in", values: ["1000/10/00"] }, ["C01"]],
          [{ field: "activities", days: 30, op: "gte", value: 2 }, ["C01"]],
          [{ field: "activities", days: 30, op: "eq", value: 1 }, ["C04"]],
          [{ field: "daysSinceLastContact", op: "gt", value: 100 }, ["C02"]],
          [{ field: "daysSinceLastContact", op: "lte", value: 10 }, ["C01", "C04"]],
          [{ field: "daysSinceLastContact", op: "eq", value: 10 }, ["C01"]],
          [{ field: "daysSinceLastContact", op: "lt", value: 10 }, ["C04"]],
          [{ field: "wonAmount", op: "gte", value: 20_000 }, ["C01"]],
          [{ field: "wonAmount", days: 20, op: "gt", value: 0 }, ["C04"]],
          [{ field: "wonCount", op: "gte", value: 1 }, ["C01", "C02", "C04"]],
          [{ field: "wonCount", days: 3660, op: "eq", value: 3 }, ["C01"]],
          [{ field: "recencyScore", op: "gte", value: 5 }, ["C01", "C04"]],
          [{ field: "recencyScore", op: "eq", value: 1 }, ["C03"]],
          [{ field: "frequencyScore", op: "eq", value: 3 }, ["C01", "C04"]],
          [{ field: "monetaryScore", op: "lte", value: 1 }, ["C02", "C03"]],
          [{ field: "monetaryScore", op: "gt", value: 3 }, ["C01"]],
          [
            {
              any: [
                {
                  all: [
                    { field: "country", op: "in", values: ["DE"] },
                    { field: "industry", op: "in", values: ["MANU"] }
                  ]
                },
                { field: "activities", days: 30, op: "eq", value: 1 }
              ]
            },
            ["C01", "C04"]
          ]
        ]
        for (const [rule, expected] of expectations) {
          expect(yield* members(rule), JSON.stringify(rule)).toEqual(expected)
        }
        // The manager sees the hidden accounts too; li.na never does, not even in a count.
        expect(yield* members({ field: "country", op: "in", values: ["DE"] }, manager)).toEqual(["C01", "C02", "C05"])
        expect(yield* members({ field: "monetaryScore", op: "eq", value: 5 }, manager)).toEqual(["C05"])
        expect(yield* members({ field: "monetaryScore", op: "eq", value: 5 })).toEqual([])
        expect((yield* segments.count({ actor: lina, rule: { field: "country", op: "in", values: ["DE"] }, asOf })).count).toBe(2)
        expect((yield* segments.count({ actor: manager, rule: { field: "country", op: "in", values: ["DE"] }, asOf })).count).toBe(3)
        // Keyset pages.
        const rule: SegmentRule.Rule = { field: "country", op: "notIn", values: ["XX"] }
        const first = yield* segments.members({ actor: lina, rule, asOf, limit: 3 })
        expect(numbers(first)).toEqual(["C01", "C02", "C03"])
        expect(first.items[0]).toEqual({ customerNumber: "C01", name: "Customer C01" })
        const second = yield* segments.members({ actor: lina, rule, asOf, limit: 3, cursor: first.nextCursor })
        expect(numbers(second)).toEqual(["C04"])
        expect(second.nextCursor).toBeUndefined()
      })
    )
  }),

  make("Segments: a frozen snapshot keeps its members while the dynamic segment changes; readers see only visible members", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      config,
      Effect.gen(function* () {
        yield* seed(tenant)
        const { segments } = yield* handles
        const lina = user(tenant, "li.na", [])
        const manager = user(tenant, "manager")
        const segment = yield* segments.create({ actor: lina, name: "Germany", rule: { field: "country", op: "in", values: ["DE"] } })
        expect(segment).toMatchObject({ name: "Germany", version: 1 })
        expect(yield* segments.get({ actor: lina, id: segment.id })).toEqual(segment)
        const frozen = yield* segments.freeze({ actor: lina, id: segment.id, asOf })
        expect(frozen).toMatchObject({ segmentId: segment.id, name: "Germany", memberCount: 2, asOf })
        const byManager = yield* segments.freeze({ actor: manager, id: segment.id, asOf })
        expect(byManager.memberCount).toBe(3)
        // A new German customer joins the dynamic segment, not the snapshots.
        const customers = yield* CustomerStore
        const owners = yield* AccountOwnershipStore
        yield* customers.insert(F.customer(tenant, "C07", { general: F.general({ name: "Customer C07", country: "DE" }) }))
        yield* owners.put(ownership(tenant, "C07"), null)
        expect(numbers(yield* segments.members({ actor: lina, id: segment.id, asOf }))).toEqual(["C01", "C02", "C07"])
        expect(numbers(yield* segments.snapshotMembers({ actor: lina, id: frozen.id }))).toEqual(["C01", "C02"])
        // Changing the rule changes the segment, not its snapshots.
        const changed = yield* segments.change({
          actor: lina,
          id: segment.id,
          version: 1,
          rule: { field: "country", op: "in", values: ["CH"] }
        })
        expect(changed.version).toBe(2)
        expect(numbers(yield* segments.members({ actor: lina, id: segment.id, asOf }))).toEqual(["C04"])
        expect(numbers(yield* segments.snapshotMembers({ actor: lina, id: frozen.id }))).toEqual(["C01", "C02"])
        expect(yield* failureOf(segments.change({ actor: lina, id: segment.id, version: 1, name: "x" }))).toBeInstanceOf(
          Errors.VersionConflict
        )
        // The manager's snapshot holds C05; li.na reading it never sees it.
        expect(numbers(yield* segments.snapshotMembers({ actor: manager, id: byManager.id }))).toEqual(["C01", "C02", "C05"])
        expect(numbers(yield* segments.snapshotMembers({ actor: lina, id: byManager.id }))).toEqual(["C01", "C02"])
        const page = yield* segments.snapshotMembers({ actor: manager, id: byManager.id, limit: 2 })
        expect(numbers(yield* segments.snapshotMembers({ actor: manager, id: byManager.id, cursor: page.nextCursor }))).toEqual(["C05"])
        expect((yield* segments.snapshots({ actor: lina, segmentId: segment.id })).items.map((s) => s.id)).toEqual(
          [frozen.id, byManager.id].sort()
        )
        // Ad-hoc rules freeze too, with a name.
        const adHoc = yield* segments.freeze({ actor: lina, rule: { field: "region", op: "in", values: ["BY"] }, name: "Bavaria", asOf })
        expect(adHoc.segmentId).toBeUndefined()
        expect(numbers(yield* segments.snapshotMembers({ actor: lina, id: adHoc.id }))).toEqual(["C01"])
        expect(yield* failureOf(segments.snapshotMembers({ actor: lina, id: "F-none" }))).toBeInstanceOf(SegmentErrors.SnapshotNotFound)
        expect(yield* failureOf(segments.get({ actor: lina, id: "S-none" }))).toBeInstanceOf(SegmentErrors.SegmentNotFound)
      })
    )
  }),

  make("Segments: a bad rule fails with InvalidSegmentRule naming every path, and nothing is written", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      config,
      Effect.gen(function* () {
        const { segments } = yield* handles
        const lina = user(tenant, "li.na")
        const bad = yield* failureOf(
          segments.create({
            actor: lina,
            name: "Broken",
            rule: {
              all: [
                { field: "country", op: "in", values: [] },
                { field: "colour", op: "in", values: ["red"] },
                { any: [{ field: "wonAmount", op: "gte", value: 10.555 }] },
                { field: "recencyScore", op: "gte", value: 6 }
              ]
            } as unknown as SegmentRule.Rule
          })
        )
        expect(bad).toBeInstanceOf(SegmentErrors.InvalidSegmentRule)
        expect((bad as SegmentErrors.InvalidSegmentRule).issues.map((i) => i.path)).toEqual([
          "rule.all.0.values",
          "rule.all.1.field",
          "rule.all.2.any.0.value",
          "rule.all.3.value"
        ])
        const deep = { all: [{ all: [{ all: [{ all: [{ all: [{ all: [{ field: "country", op: "in", values: ["DE"] }] }] }] }] }] }] }
        const tooDeep = yield* failureOf(segments.create({ actor: lina, name: "Deep", rule: deep as unknown as SegmentRule.Rule }))
        expect((tooDeep as SegmentErrors.InvalidSegmentRule).issues.map((i) => i.path)).toEqual(["rule.all.0.all.0.all.0.all.0.all.0"])
        expect(
          yield* failureOf(segments.create({ actor: lina, name: "", rule: { field: "country", op: "in", values: ["DE"] } }))
        ).toBeInstanceOf(Errors.ValidationFailed)
        const adHoc = yield* failureOf(segments.members({ actor: lina, rule: { field: "country" } as unknown as SegmentRule.Rule }))
        expect((adHoc as SegmentErrors.InvalidSegmentRule).issues.map((i) => i.path)).toEqual(["rule.op", "rule.values"])
        expect(yield* failureOf(segments.members({ actor: lina }))).toBeInstanceOf(Errors.ValidationFailed)
        expect(yield* failureOf(segments.freeze({ actor: lina, rule: { field: "country", op: "in", values: ["DE"] } }))).toBeInstanceOf(
          Errors.ValidationFailed
        )
        expect((yield* segments.list({ actor: lina })).items).toEqual([])
        expect((yield* segments.snapshots({ actor: lina })).items).toEqual([])
      })
    )
  }),

  make("Behaviour: aggregates, RFM with configured breakpoints, segmentation counts and churn rules, never of hidden accounts", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      config,
      Effect.gen(function* () {
        yield* seed(tenant)
        const { behaviour } = yield* handles
        const lina = user(tenant, "li.na", [])
        const manager = user(tenant, "manager")
        const c01 = yield* behaviour.behaviour({ actor: lina, customerNumber: "C01", asOf })
        expect(c01).toEqual({
          customerNumber: "C01",
          name: "Customer C01",
          asOf,
          activities: { days: 90, count: 3 },
          lastContactAt: "2026-06-20T12:00:00.000Z",
          daysSinceLastContact: 10,
          won: { days: 365, currency: "EUR", amount: 65_000, count: 2 },
          rfm: { recency: 5, frequency: 3, monetary: 4, class: "R5F3M4", lastWonOn: "2026-06-01" },
          churnRisk: { flagged: false, rules: [] }
        })
        const c03 = yield* behaviour.behaviour({ actor: lina, customerNumber: "C03", asOf, activityDays: 60 })
        expect(c03).toMatchObject({
          activities: { days: 60, count: 2 },
          lastContactAt: null,
          daysSinceLastContact: null,
          won: { amount: 0, count: 0 },
          rfm: { class: "R1F1M1", lastWonOn: null },
          churnRisk: { flagged: true, rules: ["fallingActivity"] }
        })
        expect((yield* behaviour.behaviour({ actor: lina, customerNumber: "C04", asOf })).churnRisk.rules).toEqual(["fallingRevenue"])
        expect(yield* failureOf(behaviour.behaviour({ actor: lina, customerNumber: "C05", asOf }))).toBeInstanceOf(
          CrmErrors.AccountNotFound
        )
        expect(yield* failureOf(behaviour.behaviour({ actor: lina, customerNumber: "C06", asOf }))).toBeInstanceOf(
          CrmErrors.AccountNotFound
        )
        expect((yield* behaviour.behaviour({ actor: manager, customerNumber: "C05", asOf })).rfm.class).toBe("R5F2M5")

        const mine = yield* behaviour.rfmSegmentation({ actor: lina, asOf })
        expect(mine.total).toBe(4)
        expect(mine.classes).toEqual({ R1F1M1: 1, R3F2M1: 1, R5F3M3: 1, R5F3M4: 1 })
        expect(mine.byScore.recency).toEqual([1, 0, 1, 0, 2])
        expect(mine.cells).toEqual([
          { recency: 1, frequency: 1, monetary: 1, count: 1 },
          { recency: 3, frequency: 2, monetary: 1, count: 1 },
          { recency: 5, frequency: 3, monetary: 3, count: 1 },
          { recency: 5, frequency: 3, monetary: 4, count: 1 }
        ])
        const all = yield* behaviour.rfmSegmentation({ actor: manager, asOf })
        expect(all.total).toBe(6)
        expect(all.classes).toEqual({ R1F1M1: 2, R3F2M1: 1, R5F2M5: 1, R5F3M3: 1, R5F3M4: 1 })

        const risks = yield* behaviour.churnRisks({ actor: lina, asOf, limit: 2 })
        expect(risks.items).toEqual([
          { customerNumber: "C02", name: "Customer C02", rules: ["silence"], lastContactAt: "2026-01-01T12:00:00.000Z" },
          { customerNumber: "C03", name: "Customer C03", rules: ["fallingActivity"], lastContactAt: null }
        ])
        const more = yield* behaviour.churnRisks({ actor: lina, asOf, limit: 2, cursor: risks.nextCursor })
        expect(more.items.map((r) => [r.customerNumber, r.rules])).toEqual([["C04", ["fallingRevenue"]]])
        expect(more.nextCursor).toBeUndefined()
        const everyone = yield* behaviour.churnRisks({ actor: manager, asOf, limit: 10 })
        expect(everyone.items.map((r) => r.customerNumber)).toEqual(["C02", "C03", "C04", "C05"])
      })
    )
  }),

  make("Behaviour: the RFM breakpoints, reporting currency and churn rules are configuration", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      {
        ...config,
        rfm: {
          currency: "USD",
          windowDays: 365,
          recencyDays: [200, 300, 400, 500],
          frequency: [1, 2, 3, 4],
          monetary: [100, 1_000, 10_000, 100_000]
        },
        churnRisk: { silence: { days: 200 }, fallingActivity: null, fallingRevenue: null }
      },
      Effect.gen(function* () {
        yield* seed(tenant)
        const { behaviour, segments } = yield* handles
        const lina = user(tenant, "li.na", [])
        const c02 = yield* behaviour.behaviour({ actor: lina, customerNumber: "C02", asOf })
        expect(c02.rfm.class).toBe("R5F2M5")
        expect(c02.won).toEqual({ days: 365, currency: "USD", amount: 999_999, count: 1 })
        expect((yield* behaviour.behaviour({ actor: lina, customerNumber: "C01", asOf })).rfm.class).toBe("R5F3M1")
        expect(numbers(yield* segments.members({ actor: lina, rule: { field: "monetaryScore", op: "eq", value: 5 }, asOf }))).toEqual([
          "C02"
        ])
        // Silence over 200 days: nobody (C02 was contacted 180 days ago); the other rules are off.
        expect((yield* behaviour.churnRisks({ actor: lina, asOf })).items).toEqual([])
        expect(() => Behaviour.factsOf([], []).metric({ kind: "lastContact", to: asOf })).toThrow(/not computed/)
      })
    )
  }),

  make(
    "Campaigns: consent excludes, a seeded control group is held out, responses and leads are recorded, the report gives uplift and ROI",
    () => {
      const tenant = F.tenantId()
      return withServices(
        tenant,
        config,
        Effect.gen(function* () {
          const customers = yield* CustomerStore
          const owners = yield* AccountOwnershipStore
          const preferences = yield* ContactPreferenceStore
          const numbersK = Array.from({ length: 20 }, (_, i) => `K${String(i + 1).padStart(2, "0")}`)
          for (const n of [...numbersK, "K21"]) {
            yield* customers.insert(F.customer(tenant, n, { general: F.general({ name: `Customer ${n}`, country: "DE" }) }))
            yield* owners.put(ownership(tenant, n, { owner: n === "K21" ? "bo" : "li.na" }), null)
          }
          yield* customers.insert(F.customer(tenant, "X01", { general: F.general({ name: "Elsewhere", country: "FR" }) }))
          yield* owners.put(ownership(tenant, "X01"), null)
          const consent = (customerNumber: string, channel: ContactPreference.Channel, state: ContactPreference.Consent) =>
            preferences.put({
              tenant,
              customerNumber,
              channel,
              consent: state,
              since: "2026-01-01",
              changedBy: "tester",
              changedAt: F.timestamp
            })
          for (const n of [...numbersK.slice(0, 16), "K21"]) yield* consent(n, "email", "granted")
          yield* consent("K17", "email", "denied")
          yield* consent("K18", "phone", "granted")
          yield* consent("K19", "email", "withdrawn")

          const { segments, campaigns } = yield* handles
          const opportunities = yield* Opportunities.Opportunities
          const lina = user(tenant, "li.na")
          const segment = yield* segments.create({ actor: lina, name: "Germany", rule: { field: "country", op: "in", values: ["DE"] } })
          const bad = yield* failureOf(
            campaigns.launch({ actor: lina, name: "Bad", segment: { segmentId: segment.id }, channels: ["email"], holdout: 1.5, seed: 1 })
          )
          expect(bad).toBeInstanceOf(Errors.ValidationFailed)
          expect((bad as Errors.ValidationFailed).messages.map((m) => m.path)).toEqual(["holdout"])
          expect(
            yield* failureOf(
              campaigns.launch({ actor: lina, name: "None", segment: { segmentId: "S-none" }, channels: ["email"], holdout: 0.1, seed: 1 })
            )
          ).toBeInstanceOf(SegmentErrors.SegmentNotFound)
          expect((yield* campaigns.list({ actor: lina })).items).toEqual([])
          expect((yield* segments.snapshots({ actor: lina })).items).toEqual([])

          const campaign = yield* campaigns.launch({
            actor: lina,
            name: "Summer mailing",
            segment: { segmentId: segment.id },
            channels: ["email", "mail"],
            holdout: 0.25,
            seed: "summer-2026",
            cost: { amount: 2_000, currency: "EUR" }
          })
          // K21 is bo's (hidden from li.na): never a member. K17–K20 lack consent for e-mail and mail.
          expect(campaign.counts).toEqual({ targeted: 20, excluded: 4, control: 4, contacted: 12 })
          const eligible = numbersK.slice(0, 16)
          const expectedControl = [...Campaign.controlGroup(eligible, 0.25, "summer-2026")].sort()
          const control = (yield* campaigns.members({ actor: lina, id: campaign.id, group: "control" })).items
          expect(control.map((m) => m.customerNumber)).toEqual(expectedControl)
          const excluded = (yield* campaigns.members({ actor: lina, id: campaign.id, group: "excluded" })).items
          expect(excluded.map((m) => [m.customerNumber, m.channels])).toEqual([
            ["K17", []],
            ["K18", []],
            ["K19", []],
            ["K20", []]
          ])
          const contacted = (yield* campaigns.members({ actor: lina, id: campaign.id, group: "contacted", limit: 1000 })).items
          expect(contacted).toHaveLength(12)
          expect(contacted.every((m) => m.channels.join() === "email")).toBe(true)
          // The same seed over the same members gives the same split (from a snapshot too); another seed another one.
          const again = yield* campaigns.launch({
            actor: lina,
            name: "Again",
            segment: { snapshotId: campaign.snapshotId },
            channels: ["email"],
            holdout: 0.25,
            seed: "summer-2026"
          })
          expect((yield* campaigns.members({ actor: lina, id: again.id, group: "control" })).items.map((m) => m.customerNumber)).toEqual(
            expectedControl
          )
          expect([...Campaign.controlGroup(eligible, 0.25, "winter")].sort()).not.toEqual(expectedControl)

          // Responses: 6 of 12 contacted (one twice), 1 of 4 in the control group; one creates a lead.
          const contactedNumbers = contacted.map((m) => m.customerNumber)
          for (const n of contactedNumbers.slice(0, 6)) {
            yield* campaigns.recordResponse({
              actor: lina,
              id: campaign.id,
              customerNumber: n,
              channel: "email",
              at: "2026-07-02T10:00:00Z"
            })
          }
          const withLead = yield* campaigns.recordResponse({
            actor: lina,
            id: campaign.id,
            customerNumber: contactedNumbers[0]!,
            channel: "phone",
            lead: { company: "Customer K-lead", country: "DE" }
          })
          expect(withLead.lead).toMatchObject({ source: "campaign", campaignId: campaign.id })
          expect(withLead.response).toMatchObject({ leadId: withLead.lead?.id, channel: "phone", customerNumber: contactedNumbers[0] })
          yield* campaigns.recordResponse({ actor: lina, id: campaign.id, customerNumber: expectedControl[0]!, channel: "email" })
          expect(
            yield* failureOf(campaigns.recordResponse({ actor: lina, id: campaign.id, customerNumber: "X01", channel: "email" }))
          ).toBeInstanceOf(SegmentErrors.NotACampaignMember)
          expect(
            yield* failureOf(campaigns.recordResponse({ actor: lina, id: campaign.id, customerNumber: "K21", channel: "email" }))
          ).toBeInstanceOf(CrmErrors.AccountNotFound)
          expect(
            yield* failureOf(campaigns.recordResponse({ actor: lina, id: "K-none", customerNumber: "K01", channel: "email" }))
          ).toBeInstanceOf(SegmentErrors.CampaignNotFound)
          // A failed response with a lead writes neither.
          const leadsBefore = (yield* (yield* LeadStore).list({
            tenant,
            visibility: { groups: { authorizationGroups: "all" }, scope: { kind: "all" } },
            limit: 100
          })).length
          expect(
            yield* failureOf(
              campaigns.recordResponse({ actor: lina, id: campaign.id, customerNumber: "X01", channel: "email", lead: { company: "Nope" } })
            )
          ).toBeInstanceOf(SegmentErrors.NotACampaignMember)
          const leadsAfter = (yield* (yield* LeadStore).list({
            tenant,
            visibility: { groups: { authorizationGroups: "all" }, scope: { kind: "all" } },
            limit: 100
          })).length
          expect(leadsAfter).toBe(leadsBefore)

          // Return: the opportunity opened from the campaign's lead and won counts; another won one does not.
          const attributed = yield* opportunities.create({
            actor: lina,
            account: { customerNumber: contactedNumbers[0]! },
            name: "From the campaign",
            amount: 8_000,
            currency: "EUR",
            leadId: withLead.lead!.id
          })
          yield* opportunities.close({ actor: lina, id: attributed.id, version: attributed.version, outcome: "won" })
          const other = yield* opportunities.create({
            actor: lina,
            account: { customerNumber: "K02" },
            name: "Unrelated",
            amount: 5_000,
            currency: "EUR"
          })
          yield* opportunities.close({ actor: lina, id: other.id, version: other.version, outcome: "won" })

          const report = yield* campaigns.report({ actor: lina, id: campaign.id })
          expect(report).toEqual({
            campaignId: campaign.id,
            targeted: 20,
            excluded: 4,
            contacted: 12,
            control: 4,
            responders: { contacted: 6, control: 1 },
            responseRate: { contacted: 0.5, control: 0.25 },
            uplift: 0.25,
            cost: { amount: 2_000, currency: "EUR" },
            returns: [{ currency: "EUR", amount: 8_000, opportunities: 1 }],
            roi: 3
          })
          // bo sees none of the members: nothing is counted for him.
          const bo = user(tenant, "bo")
          const his = yield* campaigns.report({ actor: bo, id: campaign.id })
          expect(his).toMatchObject({
            targeted: 0,
            contacted: 0,
            control: 0,
            responseRate: { contacted: null, control: null },
            uplift: null,
            returns: []
          })
          expect((yield* campaigns.members({ actor: bo, id: campaign.id })).items).toEqual([])
          expect((yield* campaigns.list({ actor: lina })).items.map((c) => c.id)).toEqual([campaign.id, again.id].sort())
        })
      )
    }
  )
]
