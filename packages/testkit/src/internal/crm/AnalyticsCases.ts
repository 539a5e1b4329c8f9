/**
 * The analytics of `@partnerkit/crm` on the store under test (`AnalyticsStore` and the
 * `Analytics` service): the pipeline by stage, the funnel and win rate, the sales cycle, the
 * forecast against actual, the activity statistics, SLA compliance, and the 360° view's pipeline
 * figures — each with known data and exact figures, under four visibilities (a manager seeing
 * everything; one seeing every account but no authorization group; a salesperson under the `own`
 * rule; the same salesperson without groups), so that an account hidden from the actor is never
 * counted; and bad input as typed errors.
 *
 * Time comes from a manual clock, so creation dates, history and due times are exact on every store.
 *
 * @internal
 */
import { Actor, Errors } from "@partnerkit/core"
import { Account360, Activities, Analytics, type CrmConfig, Opportunities, Tickets } from "@partnerkit/crm"
import { Effect } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, failureOf, make } from "../Case.js"
import { type StorePorts, serviceHandles, user, withServices } from "./Support.js"
import { manualClock } from "./TicketCases.js"

const address = { street: "Kai 3", postalCode: "20457", city: "Hamburg", country: "DE" }

const config: CrmConfig.CrmConfigInput = {
  visibility: { rule: "own", unrestrictedUsers: ["manager"] },
  territories: { DACH: { members: [] } }
}

const handles = Effect.all({
  analytics: Analytics.Analytics,
  opportunities: Opportunities.Opportunities,
  activities: Activities.Activities,
  tickets: Tickets.Tickets,
  views: Account360.Account360
})

const noGroups = (tenant: string, userId: string) =>
  Actor.make({ userId, tenant, authorizationGroups: [], companyCodes: "*", salesOrganizations: "*", activities: "*" })

/**
 * The data every case reads (created from 2026-12-01 on the manual clock):
 *
 * | opp | account            | owner | amount     | close      | history                                   | now            |
 * | O1  | A (li.na, DACH)    | li.na | 10,000 EUR | 2027-01-20 | qualification → proposal → negotiation     | won 12,000 on 2027-01-10 |
 * | O2  | A                  | li.na | 4,000 EUR  | 2027-01-25 | prospecting                               | lost on 2027-01-12 |
 * | O3  | A                  | bo    | 2,000 USD  | 2027-02-10 | proposal, sales area 1000/10/00           | open |
 * | O4  | B (bo)             | bo    | 50,000 EUR | 2027-01-05 | negotiation                               | won on 2027-01-05 |
 * | O5  | H (li.na, group G1)| li.na | 1,000 EUR  | 2027-01-15 | qualification                             | open |
 * | O6  | A                  | li.na | —          | —          | prospecting                               | open |
 * | O7  | B                  | bo    | 7,000 EUR  | 2027-03-01 | prospecting                               | open |
 * | O8  | prospect P (bo)    | bo    | 3,000 EUR  | 2027-03-15 | prospecting                               | open |
 */
const scenario = (tenant: string) =>
  Effect.gen(function* () {
    const time = manualClock("2026-12-01T09:00:00Z")
    const setup = Effect.gen(function* () {
      const { customers, accounts } = yield* serviceHandles
      const { opportunities, activities } = yield* handles
      const manager = user(tenant, "manager")
      const account = (name: string, owner: string, extra: { authorizationGroup?: string; territory?: string } = {}) =>
        Effect.gen(function* () {
          const { customer } = yield* customers.create({
            actor: manager,
            accountGroup: "0004",
            general: {
              name,
              ...address,
              ...(extra.authorizationGroup === undefined ? {} : { authorizationGroup: extra.authorizationGroup })
            },
            contacts: [{ lastName: "Dahl" }]
          })
          yield* accounts.assignOwner({ actor: manager, customerNumber: customer.number, owner, territory: extra.territory })
          return { customerNumber: customer.number }
        })
      const a = yield* account("Anker GmbH", "li.na", { territory: "DACH" })
      const b = yield* account("Bo GmbH", "bo")
      const h = yield* account("Hidden GmbH", "li.na", { authorizationGroup: "G1" })
      const p = yield* accounts.createProspect({
        actor: manager,
        prospect: { name: "Prospekt KG", city: "Kiel", country: "DE" },
        owner: "bo"
      })
      const dealOn = (
        acc: { customerNumber: string } | { prospectId: string },
        name: string,
        owner: string,
        stage: string,
        priced?: { amount: number; currency: string; expectedCloseDate: string }
      ) =>
        opportunities.create({
          actor: manager,
          account: acc,
          name,
          owner,
          stage,
          ...priced,
          ...("customerNumber" in acc ? { decisionMakers: [{ contactId: "0001", role: "economic_buyer" }] } : {}),
          competitors: [{ name: "Rival AG" }]
        })
      const o1 = yield* dealOn(a, "O1", "li.na", "qualification", { amount: 10_000, currency: "EUR", expectedCloseDate: "2027-01-20" })
      const o2 = yield* dealOn(a, "O2", "li.na", "prospecting", { amount: 4_000, currency: "EUR", expectedCloseDate: "2027-01-25" })
      const o3 = yield* dealOn(a, "O3", "bo", "proposal", { amount: 2_000, currency: "USD", expectedCloseDate: "2027-02-10" })
      const o4 = yield* dealOn(b, "O4", "bo", "negotiation", { amount: 50_000, currency: "EUR", expectedCloseDate: "2027-01-05" })
      yield* dealOn(h, "O5", "li.na", "qualification", { amount: 1_000, currency: "EUR", expectedCloseDate: "2027-01-15" })
      yield* dealOn(a, "O6", "li.na", "prospecting")
      yield* dealOn(b, "O7", "bo", "prospecting", { amount: 7_000, currency: "EUR", expectedCloseDate: "2027-03-01" })
      yield* dealOn({ prospectId: p.id }, "O8", "bo", "prospecting", { amount: 3_000, currency: "EUR", expectedCloseDate: "2027-03-15" })
      yield* opportunities.change({
        actor: manager,
        id: o3.id,
        version: 1,
        salesArea: { salesOrganization: "1000", distributionChannel: "10", division: "00" }
      })

      yield* time.set("2026-12-20T10:00:00Z")
      const proposal = yield* opportunities.moveStage({ actor: manager, id: o1.id, version: 1, stage: "proposal" })
      const negotiation = yield* opportunities.moveStage({ actor: manager, id: o1.id, version: proposal.version, stage: "negotiation" })

      yield* time.set("2027-01-10T09:00:00Z")
      yield* opportunities.close({
        actor: manager,
        id: o1.id,
        version: negotiation.version,
        outcome: "won",
        closedOn: "2027-01-10",
        amount: 12_000
      })
      yield* opportunities.close({ actor: manager, id: o4.id, version: 1, outcome: "won", closedOn: "2027-01-05" })
      yield* opportunities.close({ actor: manager, id: o2.id, version: 1, outcome: "lost", reason: "price", closedOn: "2027-01-12" })

      // Activities of January (and one of February).
      const log = (
        acc: { customerNumber: string },
        owner: string,
        kind: "call" | "meeting" | "task" | "email" | "visit" | "note",
        more = {}
      ) => activities.create({ actor: manager, account: acc, owner, kind, subject: `${kind} of ${owner}`, ...more })
      yield* log(a, "li.na", "call", { status: "completed", completedAt: "2027-01-05T10:00:00Z" })
      yield* log(a, "li.na", "meeting", { dueAt: "2027-01-15T09:00:00Z" })
      const task = yield* log(a, "li.na", "task", { dueAt: "2027-01-25T09:00:00Z" })
      yield* activities.cancel({ actor: manager, id: task.id })
      yield* log(a, "bo", "call", { dueAt: "2027-01-12T09:00:00Z" })
      yield* log(b, "bo", "visit", { status: "completed", completedAt: "2027-01-08T10:00:00Z" })
      yield* log(h, "li.na", "email", { status: "completed", completedAt: "2027-01-09T10:00:00Z" })
      yield* log(a, "li.na", "call", { dueAt: "2027-02-03T09:00:00Z" })
      yield* log(a, "li.na", "note")
      yield* time.set("2027-01-20T12:00:00Z")
      return { a, b, h }
    })
    const accounts = yield* setup.pipe(Effect.withClock(time.clock))
    return { ...accounts, clock: time.clock }
  })

const actors = (tenant: string) => ({
  manager: user(tenant, "manager"),
  /** Every account (unrestricted user), but no authorization group: not H. */
  managerNoGroups: noGroups(tenant, "manager"),
  /** `own`: A, H and her prospects (not B, not bo's prospect). */
  lina: user(tenant, "li.na"),
  /** `own` without groups: A only. */
  linaNoGroups: noGroups(tenant, "li.na")
})

export const cases: ReadonlyArray<Case<StorePorts>> = [
  make(
    "Analytics.pipelineByStage: open pipeline per stage (methodology order) and currency, filters; hidden accounts never counted",
    () => {
      const tenant = F.tenantId()
      return withServices(
        tenant,
        config,
        Effect.gen(function* () {
          yield* scenario(tenant)
          const { analytics } = yield* handles
          const who = actors(tenant)
          const all = yield* analytics.pipelineByStage({ actor: who.manager })
          expect(all).toEqual({
            stages: [
              {
                stage: "prospecting",
                name: "Prospecting",
                count: 3,
                unpriced: 1,
                values: [{ currency: "EUR", count: 2, amount: 10_000, weighted: 1_000 }]
              },
              {
                stage: "qualification",
                name: "Qualification",
                count: 1,
                unpriced: 0,
                values: [{ currency: "EUR", count: 1, amount: 1_000, weighted: 200 }]
              },
              {
                stage: "proposal",
                name: "Proposal",
                count: 1,
                unpriced: 0,
                values: [{ currency: "USD", count: 1, amount: 2_000, weighted: 1_000 }]
              },
              { stage: "negotiation", name: "Negotiation", count: 0, unpriced: 0, values: [] },
              { stage: "commit", name: "Commit", count: 0, unpriced: 0, values: [] }
            ],
            totals: [
              { currency: "EUR", count: 3, amount: 11_000, weighted: 1_200 },
              { currency: "USD", count: 1, amount: 2_000, weighted: 1_000 }
            ],
            count: 5,
            unpriced: 1
          })
          const counts = (p: Analytics.PipelineByStage) => p.stages.map((s) => s.count)
          // Every account but H (group G1).
          const noG1 = yield* analytics.pipelineByStage({ actor: who.managerNoGroups })
          expect(counts(noG1)).toEqual([3, 0, 1, 0, 0])
          expect(noG1.totals).toEqual([
            { currency: "EUR", count: 2, amount: 10_000, weighted: 1_000 },
            { currency: "USD", count: 1, amount: 2_000, weighted: 1_000 }
          ])
          // Li Na (own): A and H, not B nor bo's prospect.
          const lina = yield* analytics.pipelineByStage({ actor: who.lina })
          expect(counts(lina)).toEqual([1, 1, 1, 0, 0])
          expect(lina.totals).toEqual([
            { currency: "EUR", count: 1, amount: 1_000, weighted: 200 },
            { currency: "USD", count: 1, amount: 2_000, weighted: 1_000 }
          ])
          const linaA = yield* analytics.pipelineByStage({ actor: who.linaNoGroups })
          expect(counts(linaA)).toEqual([1, 0, 1, 0, 0])
          expect(linaA).toMatchObject({ count: 2, unpriced: 1, totals: [{ currency: "USD", count: 1, amount: 2_000, weighted: 1_000 }] })
          // Filters: owner, territory, sales area, expected close window.
          expect(counts(yield* analytics.pipelineByStage({ actor: who.manager, owner: "bo" }))).toEqual([2, 0, 1, 0, 0])
          expect(counts(yield* analytics.pipelineByStage({ actor: who.manager, territory: "DACH" }))).toEqual([1, 0, 1, 0, 0])
          const area = yield* analytics.pipelineByStage({
            actor: who.manager,
            salesArea: { salesOrganization: "1000", distributionChannel: "10", division: "00" }
          })
          expect(counts(area)).toEqual([0, 0, 1, 0, 0])
          const march = yield* analytics.pipelineByStage({ actor: who.manager, closeFrom: "2027-03-01", closeTo: "2027-03-31" })
          expect(march.totals).toEqual([{ currency: "EUR", count: 2, amount: 10_000, weighted: 1_000 }])
          expect(march.unpriced).toBe(0)
          // Bad input: typed errors naming the field.
          const unknownTerritory = yield* failureOf(analytics.pipelineByStage({ actor: who.manager, territory: "NOPE" }))
          expect(unknownTerritory).toBeInstanceOf(Errors.ValidationFailed)
          expect((unknownTerritory as Errors.ValidationFailed).messages.map((m) => m.path)).toEqual(["territory"])
          const window = yield* failureOf(analytics.pipelineByStage({ actor: who.manager, closeFrom: "2027-03-01", closeTo: "2027-02-01" }))
          expect((window as Errors.ValidationFailed).messages.map((m) => m.path)).toEqual(["closeTo"])
          const notDate = yield* failureOf(analytics.pipelineByStage({ actor: who.manager, closeFrom: "March" }))
          expect((notDate as Errors.ValidationFailed).messages.map((m) => m.path)).toEqual(["closeFrom"])
          const other = yield* failureOf(analytics.pipelineByStage({ actor: user("elsewhere", "manager") }))
          expect(other).toMatchObject({ _tag: "NotAuthorized", reason: "tenant" })
        })
      )
    }
  ),

  make("Analytics.funnel: stages reached (won passes every stage), conversion, win rate, per owner; hidden accounts never counted", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      config,
      Effect.gen(function* () {
        yield* scenario(tenant)
        const { analytics } = yield* handles
        const who = actors(tenant)
        const january = { from: "2027-01-01", to: "2027-01-31" }
        const report = yield* analytics.funnel({ actor: who.manager, ...january, byOwner: true })
        const steps = (reached: ReadonlyArray<number>, won: number) =>
          ["prospecting", "qualification", "proposal", "negotiation", "commit"].map((stage, i) => ({
            stage,
            name: stage[0]!.toUpperCase() + stage.slice(1),
            reached: reached[i]!,
            conversion: reached[i] === 0 ? null : (i + 1 < reached.length ? reached[i + 1]! : won) / reached[i]!
          }))
        // O1 (won, reached negotiation), O2 (lost in prospecting), O4 (won from negotiation), O5 (open, qualification).
        expect(report).toEqual({
          ...january,
          overall: { opportunities: 4, open: 1, won: 2, lost: 1, winRate: 2 / 3, steps: steps([4, 3, 2, 2, 2], 2) },
          byOwner: {
            bo: { opportunities: 1, open: 0, won: 1, lost: 0, winRate: 1, steps: steps([1, 1, 1, 1, 1], 1) },
            "li.na": { opportunities: 3, open: 1, won: 1, lost: 1, winRate: 0.5, steps: steps([3, 2, 1, 1, 1], 1) }
          }
        })
        expect(report.overall.steps.map((s) => s.conversion)).toEqual([0.75, 2 / 3, 1, 1, 1])
        const lina = yield* analytics.funnel({ actor: who.lina, ...january })
        expect(lina.byOwner).toBeUndefined()
        expect(lina.overall).toMatchObject({ opportunities: 3, won: 1, lost: 1, open: 1, winRate: 0.5 })
        const linaA = yield* analytics.funnel({ actor: who.linaNoGroups, ...january })
        expect(linaA.overall).toMatchObject({ opportunities: 2, won: 1, lost: 1, open: 0, winRate: 0.5 })
        expect(linaA.overall.steps.map((s) => s.reached)).toEqual([2, 1, 1, 1, 1])
        const bo = yield* analytics.funnel({ actor: who.manager, ...january, owner: "bo" })
        expect(bo.overall).toMatchObject({ opportunities: 1, won: 1, winRate: 1 })
        const empty = yield* analytics.funnel({ actor: who.manager, from: "2030-01-01", to: "2030-12-31" })
        expect(empty.overall).toEqual({ opportunities: 0, open: 0, won: 0, lost: 0, winRate: null, steps: steps([0, 0, 0, 0, 0], 0) })
        const reversed = yield* failureOf(analytics.funnel({ actor: who.manager, from: "2027-02-01", to: "2027-01-01" }))
        expect((reversed as Errors.ValidationFailed).messages.map((m) => m.path)).toEqual(["to"])
        const extra = yield* failureOf(analytics.funnel({ actor: who.manager, ...january, stage: "x" } as never))
        expect(extra).toBeInstanceOf(Errors.ValidationFailed)
      })
    )
  }),

  make(
    "Analytics.salesCycle: days from creation to the close date of won opportunities, average and median; hidden ones never counted",
    () => {
      const tenant = F.tenantId()
      return withServices(
        tenant,
        config,
        Effect.gen(function* () {
          yield* scenario(tenant)
          const { analytics } = yield* handles
          const who = actors(tenant)
          const january = { from: "2027-01-01", to: "2027-01-31" }
          // O1: 2026-12-01 → 2027-01-10, 40 days; O4: → 2027-01-05, 35 days.
          expect(yield* analytics.salesCycle({ actor: who.manager, ...january })).toEqual({
            ...january,
            won: 2,
            averageDays: 37.5,
            medianDays: 37.5,
            shortestDays: 35,
            longestDays: 40
          })
          const lina = yield* analytics.salesCycle({ actor: who.lina, ...january })
          expect(lina).toMatchObject({ won: 1, averageDays: 40, medianDays: 40, shortestDays: 40, longestDays: 40 })
          const bo = yield* analytics.salesCycle({ actor: who.manager, ...january, owner: "bo" })
          expect(bo).toMatchObject({ won: 1, averageDays: 35, medianDays: 35 })
          expect(yield* analytics.salesCycle({ actor: who.manager, from: "2027-02-01", to: "2027-12-31" })).toEqual({
            from: "2027-02-01",
            to: "2027-12-31",
            won: 0,
            averageDays: null,
            medianDays: null,
            shortestDays: null,
            longestDays: null
          })
          const bad = yield* failureOf(analytics.salesCycle({ actor: who.manager, from: "2027-13-01", to: "2027-12-31" }))
          expect((bad as Errors.ValidationFailed).messages.map((m) => m.path)).toEqual(["from"])
        })
      )
    }
  ),

  make("Analytics.forecastVsActual: the forecast of each period as of its start, from the history, against what was won in it", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      config,
      Effect.gen(function* () {
        yield* scenario(tenant)
        const { analytics } = yield* handles
        const who = actors(tenant)
        const report = yield* analytics.forecastVsActual({ actor: who.manager, from: "2027-01-01", to: "2027-02-28" })
        // As of 2027-01-01: O1 at 75 % (negotiation), O2 10 %, O4 75 %, O5 20 % expected in January; O3 (USD, 50 %) in February.
        expect(report).toEqual({
          period: "month",
          periods: [
            {
              period: "2027-01",
              start: "2027-01-01",
              end: "2027-01-31",
              asOf: "2027-01-01T00:00:00.000Z",
              currencies: [
                {
                  currency: "EUR",
                  forecast: { open: { count: 4, amount: 65_000, weighted: 45_600 }, won: 0, value: 45_600 },
                  actual: { count: 2, amount: 62_000 },
                  difference: 16_400,
                  attainment: 62_000 / 45_600
                }
              ]
            },
            {
              period: "2027-02",
              start: "2027-02-01",
              end: "2027-02-28",
              asOf: "2027-02-01T00:00:00.000Z",
              currencies: [
                {
                  currency: "USD",
                  forecast: { open: { count: 1, amount: 2_000, weighted: 1_000 }, won: 0, value: 1_000 },
                  actual: { count: 0, amount: 0 },
                  difference: -1_000,
                  attainment: 0
                }
              ]
            }
          ]
        })
        // Li Na (own) sees neither B's O4 nor the prospect's.
        const lina = yield* analytics.forecastVsActual({ actor: who.lina, from: "2027-01-15", to: "2027-03-31", period: "quarter" })
        expect(lina.periods).toHaveLength(1)
        expect(lina.periods[0]).toMatchObject({ period: "2027-Q1", start: "2027-01-01", end: "2027-03-31" })
        expect(lina.periods[0]?.currencies).toEqual([
          {
            currency: "EUR",
            forecast: { open: { count: 3, amount: 15_000, weighted: 8_100 }, won: 0, value: 8_100 },
            actual: { count: 1, amount: 12_000 },
            difference: 3_900,
            attainment: 12_000 / 8_100
          },
          {
            currency: "USD",
            forecast: { open: { count: 1, amount: 2_000, weighted: 1_000 }, won: 0, value: 1_000 },
            actual: { count: 0, amount: 0 },
            difference: -1_000,
            attainment: 0
          }
        ])
        const quiet = yield* analytics.forecastVsActual({ actor: who.manager, from: "2026-06-01", to: "2026-06-30" })
        expect(quiet.periods).toEqual([
          { period: "2026-06", start: "2026-06-01", end: "2026-06-30", asOf: "2026-06-01T00:00:00.000Z", currencies: [] }
        ])
        const tooMany = yield* failureOf(analytics.forecastVsActual({ actor: who.manager, from: "2000-01-01", to: "2027-01-01" }))
        expect((tooMany as Errors.ValidationFailed).messages.map((m) => m.path)).toEqual(["to"])
        const period = yield* failureOf(
          analytics.forecastVsActual({ actor: who.manager, from: "2027-01-01", to: "2027-02-01", period: "week" as never })
        )
        expect((period as Errors.ValidationFailed).messages.map((m) => m.path)).toEqual(["period"])
      })
    )
  }),

  make("Analytics.activityStats: per owner by kind and status, completed and overdue, over a period; hidden accounts never counted", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      config,
      Effect.gen(function* () {
        const { clock } = yield* scenario(tenant)
        const { analytics } = yield* handles
        const who = actors(tenant)
        const period = { from: "2027-01-01T00:00:00.000Z", to: "2027-02-01T00:00:00.000Z", asOf: "2027-01-20T12:00:00.000Z" }
        const zero = { total: 0, open: 0, completed: 0, cancelled: 0, overdue: 0 }
        const kinds = (given: Partial<Record<"call" | "meeting" | "visit" | "email" | "task" | "note", Partial<typeof zero>>>) => ({
          call: { ...zero, ...given.call },
          meeting: { ...zero, ...given.meeting },
          visit: { ...zero, ...given.visit },
          email: { ...zero, ...given.email },
          task: { ...zero, ...given.task },
          note: { ...zero, ...given.note }
        })
        const linaKinds = {
          call: { total: 1, completed: 1 },
          meeting: { total: 1, open: 1, overdue: 1 },
          task: { total: 1, cancelled: 1 },
          email: { total: 1, completed: 1 },
          note: { total: 1, completed: 1 }
        }
        const stats = yield* analytics.activityStats({ actor: who.manager, ...period })
        expect(stats).toEqual({
          ...period,
          owners: [
            {
              owner: "bo",
              total: 2,
              open: 1,
              completed: 1,
              cancelled: 0,
              overdue: 1,
              byKind: kinds({ call: { total: 1, open: 1, overdue: 1 }, visit: { total: 1, completed: 1 } })
            },
            { owner: "li.na", total: 5, open: 1, completed: 3, cancelled: 1, overdue: 1, byKind: kinds(linaKinds) }
          ],
          totals: {
            total: 7,
            open: 2,
            completed: 4,
            cancelled: 1,
            overdue: 2,
            byKind: kinds({ ...linaKinds, call: { total: 2, open: 1, completed: 1, overdue: 1 }, visit: { total: 1, completed: 1 } })
          }
        })
        // Li Na (own) sees bo's call on her account A, not bo's visit on B.
        const lina = yield* analytics.activityStats({ actor: who.lina, ...period })
        expect(lina.owners.map((o) => [o.owner, o.total, o.completed, o.overdue])).toEqual([
          ["bo", 1, 0, 1],
          ["li.na", 5, 3, 1]
        ])
        const linaA = yield* analytics.activityStats({ actor: who.linaNoGroups, ...period })
        expect(linaA.owners.map((o) => [o.owner, o.total, o.completed])).toEqual([
          ["bo", 1, 0],
          ["li.na", 4, 2]
        ])
        expect(linaA.totals.byKind.email).toEqual(zero)
        const bo = yield* analytics.activityStats({ actor: who.manager, ...period, owner: "bo" })
        expect(bo.owners.map((o) => o.owner)).toEqual(["bo"])
        // Without asOf, now (the clock) judges overdue; February holds li.na's one open call.
        const february = yield* analytics
          .activityStats({ actor: who.manager, from: "2027-02-01T00:00:00Z", to: "2027-03-01T00:00:00Z" })
          .pipe(Effect.withClock(clock))
        expect(february.asOf).toBe("2027-01-20T12:00:00.000Z")
        expect(february.totals).toMatchObject({ total: 1, open: 1, overdue: 0 })
        const reversed = yield* failureOf(analytics.activityStats({ actor: who.manager, from: period.to, to: period.from }))
        expect((reversed as Errors.ValidationFailed).messages.map((m) => m.path)).toEqual(["to"])
      })
    )
  }),

  make(
    "Analytics.slaCompliance is Tickets.compliance; Account360: open opportunities with pipeline value, pipeline and won this year",
    () => {
      const tenant = F.tenantId()
      return withServices(
        tenant,
        config,
        Effect.gen(function* () {
          const { a, b, clock } = yield* scenario(tenant)
          const { analytics, tickets, views } = yield* handles
          const who = actors(tenant)
          const program = Effect.gen(function* () {
            yield* tickets.open({
              actor: who.manager,
              customerNumber: a.customerNumber,
              category: "incident",
              priority: "P2",
              subject: "Down"
            })
            const input = { from: "2027-01-01T00:00:00Z", to: "2027-02-01T00:00:00Z", asOf: "2027-01-25T00:00:00Z" }
            const compliance = yield* analytics.slaCompliance({ actor: who.manager, ...input })
            expect(compliance).toEqual(yield* tickets.compliance({ actor: who.manager, ...input }))
            expect(compliance.overall.tickets).toBe(1)
            expect((yield* analytics.slaCompliance({ actor: who.linaNoGroups, ...input })).overall.tickets).toBe(1)
            expect((yield* analytics.slaCompliance({ actor: user(tenant, "bo"), ...input })).overall.tickets).toBe(0)
            const bad = yield* failureOf(analytics.slaCompliance({ actor: who.manager, from: input.to, to: input.from }))
            expect(bad).toBeInstanceOf(Errors.ValidationFailed)

            const view = yield* views.view({ actor: who.lina, customerNumber: a.customerNumber, asOf: "2027-01-20T12:00:00Z" })
            const open = [...view.openOpportunities].sort((x, y) => (x.opportunity.name < y.opportunity.name ? -1 : 1))
            expect(open.map((o) => [o.opportunity.name, o.opportunity.amount, o.weighted])).toEqual([
              ["O3", 2_000, 1_000],
              ["O6", undefined, undefined]
            ])
            expect(view.keyFigures.pipeline).toEqual([{ currency: "USD", count: 1, amount: 2_000, weighted: 1_000 }])
            expect(view.keyFigures.year).toBe(2027)
            expect(view.keyFigures.wonThisYear).toEqual([{ currency: "EUR", count: 1, amount: 12_000 }])
            const lastYear = yield* views.view({ actor: who.lina, customerNumber: a.customerNumber, asOf: "2026-12-31T12:00:00Z" })
            expect(lastYear.keyFigures).toMatchObject({ year: 2026, wonThisYear: [] })
            const limited = yield* views.view({ actor: who.lina, customerNumber: a.customerNumber, openLimit: 1 })
            expect(limited.openOpportunities).toHaveLength(1)
            // The figures count every open opportunity, not only the listed ones.
            expect(limited.keyFigures.pipeline).toEqual(view.keyFigures.pipeline)
            const bos = yield* views.view({ actor: who.manager, customerNumber: b.customerNumber, asOf: "2027-06-01T00:00:00Z" })
            expect(bos.openOpportunities.map((o) => o.opportunity.name)).toEqual(["O7"])
            expect(bos.keyFigures.pipeline).toEqual([{ currency: "EUR", count: 1, amount: 7_000, weighted: 700 }])
            expect(bos.keyFigures.wonThisYear).toEqual([{ currency: "EUR", count: 1, amount: 50_000 }])
            expect(yield* failureOf(views.view({ actor: who.lina, customerNumber: b.customerNumber }))).toMatchObject({
              _tag: "AccountNotFound"
            })
          })
          yield* program.pipe(Effect.withClock(clock))
        })
      )
    }
  ),
  make("Analytics configuration: a won deal reaches only its recorded stages; each forecast read days before its period", () => {
    const tenant = F.tenantId()
    const configured: CrmConfig.CrmConfigInput = {
      ...config,
      analytics: { funnel: { wonReachesEveryStage: false }, forecast: { snapshotDaysBefore: 20 } }
    }
    return withServices(
      tenant,
      configured,
      Effect.gen(function* () {
        yield* scenario(tenant)
        const { analytics } = yield* handles
        const manager = user(tenant, "manager")
        const funnel = yield* analytics.funnel({ actor: manager, from: "2027-01-01", to: "2027-01-31" })
        // O1 and O4 were won from negotiation: neither reached commit.
        expect(funnel.overall.steps.map((s) => [s.reached, s.conversion])).toEqual([
          [4, 0.75],
          [3, 2 / 3],
          [2, 1],
          [2, 0],
          [0, null]
        ])
        expect(funnel.overall.winRate).toBe(2 / 3)
        // January as it stood on 2026-12-12: O1 still in qualification at 20 %.
        const report = yield* analytics.forecastVsActual({ actor: manager, from: "2027-01-01", to: "2027-01-31" })
        expect(report.periods).toEqual([
          {
            period: "2027-01",
            start: "2027-01-01",
            end: "2027-01-31",
            asOf: "2026-12-12T00:00:00.000Z",
            currencies: [
              {
                currency: "EUR",
                forecast: { open: { count: 4, amount: 65_000, weighted: 40_100 }, won: 0, value: 40_100 },
                actual: { count: 2, amount: 62_000 },
                difference: 21_900,
                attainment: 62_000 / 40_100
              }
            ]
          }
        ])
      })
    )
  })
]
