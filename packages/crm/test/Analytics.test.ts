import { Actor, Errors, Presets } from "@partnerkit/core"
import { AnalyticsConfig, CrmConfig, CrmErrors, createCrm } from "@partnerkit/crm"
import { MemoryCrmStore } from "@partnerkit/storage-memory"
import { Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

describe("crm.analytics: the Promise door", () => {
  let crm: Awaited<ReturnType<typeof createCrm>>
  const admin = Actor.superUser("acme", "admin")

  beforeAll(async () => {
    crm = await createCrm({ customizing: Presets.standard("acme"), storage: MemoryCrmStore.layer(), config: CrmConfig.preset("all") })
  })
  afterAll(() => crm.close())

  it("answers every analytic; a priced opportunity shows in the stage pipeline and the 360° key figures", async () => {
    const { customer } = await crm.customers.create({
      actor: admin,
      accountGroup: "0004",
      general: { name: "Fjord AS", street: "Kai 3", postalCode: "20457", city: "Hamburg", country: "DE" }
    })
    await crm.opportunities.create({
      actor: admin,
      account: { customerNumber: customer.number },
      name: "Fleet",
      stage: "qualification",
      amount: 1_234.5,
      currency: "EUR",
      expectedCloseDate: "2027-03-31"
    })
    const pipeline = await crm.analytics.pipelineByStage({ actor: admin })
    expect(pipeline.stages.map((s) => s.stage)).toEqual(["prospecting", "qualification", "proposal", "negotiation", "commit"])
    expect(pipeline.totals).toEqual([{ currency: "EUR", count: 1, amount: 1_234.5, weighted: 246.9 }])
    const view = await crm.account360.view({ actor: admin, customerNumber: customer.number })
    expect(view.openOpportunities.map((o) => o.weighted)).toEqual([246.9])
    expect(view.keyFigures.pipeline).toEqual([{ currency: "EUR", count: 1, amount: 1_234.5, weighted: 246.9 }])
    const funnel = await crm.analytics.funnel({ actor: admin, from: "2027-01-01", to: "2027-12-31" })
    expect(funnel.overall).toMatchObject({ opportunities: 1, open: 1, winRate: null })
    expect(funnel.overall.steps.map((s) => s.reached)).toEqual([1, 1, 0, 0, 0])
    expect((await crm.analytics.salesCycle({ actor: admin, from: "2027-01-01", to: "2027-12-31" })).won).toBe(0)
    const quarters = await crm.analytics.forecastVsActual({ actor: admin, from: "2027-01-01", to: "2027-12-31", period: "quarter" })
    expect(quarters.periods.map((p) => p.period)).toEqual(["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"])
    const stats = await crm.analytics.activityStats({ actor: admin, from: "2027-01-01T00:00:00Z", to: "2027-02-01T00:00:00Z" })
    expect(stats.owners).toEqual([])
    expect(stats.totals.byKind.call).toEqual({ total: 0, open: 0, completed: 0, cancelled: 0, overdue: 0 })
  })

  it("rejects bad input with ValidationFailed naming the field", async () => {
    const failure = await crm.analytics.funnel({ actor: admin, from: "2027-02-01", to: "2027-01-01" }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(Errors.ValidationFailed)
    expect((failure as Errors.ValidationFailed).messages.map((m) => m.path)).toEqual(["to"])
  })
})

describe("AnalyticsConfig", () => {
  it("is part of the CRM configuration, with its preset as default, and validated", () => {
    expect(CrmConfig.makeOrThrow({}).analytics).toEqual(AnalyticsConfig.preset())
    expect(CrmConfig.preset().analytics).toEqual({ funnel: { wonReachesEveryStage: true }, forecast: { snapshotDaysBefore: 0 } })
    const bad = CrmConfig.make({ analytics: { forecast: { snapshotDaysBefore: -1 } } })
    expect(Either.isLeft(bad)).toBe(true)
    const error = Either.getLeft(bad).pipe((o) => (o._tag === "Some" ? o.value : undefined))
    expect(error).toBeInstanceOf(CrmErrors.InvalidCrmConfig)
    expect(error?.issues.map((i) => i.path)).toEqual(["analytics.forecast.snapshotDaysBefore"])
  })
})
