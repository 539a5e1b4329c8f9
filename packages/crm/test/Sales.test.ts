import { Actor, Errors, Presets } from "@partnerkit/core"
import { CrmConfig, CrmErrors, createCrm, Lead, Opportunity, SalesConfig, SalesErrors } from "@partnerkit/crm"
import { MemoryCrmStore } from "@partnerkit/storage-memory"
import { Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const issuesOf = (input: CrmConfig.CrmConfigInput) =>
  Either.match(CrmConfig.make(input), { onLeft: (e) => e.issues.map((i) => i.path).sort(), onRight: () => [] as Array<string> })

describe("SalesConfig in CrmConfig", () => {
  it("defaults to the sales preset", () => {
    const config = CrmConfig.makeOrThrow({})
    expect(config.leads).toEqual(SalesConfig.presetLeads())
    expect(config.sales).toEqual(SalesConfig.presetMethodology())
    expect(config.sales.stages.map((s) => [s.id, s.probability])).toEqual([
      ["prospecting", 10],
      ["qualification", 20],
      ["proposal", 50],
      ["negotiation", 75],
      ["commit", 90]
    ])
  })

  it("reports every problem of the sales configuration with its path", () => {
    expect(
      issuesOf({
        teams: { EMPTY: { members: [] } },
        leads: {
          scoring: { attributes: [{ attribute: "colour" as "source", points: 1 }], activities: { call: 5000 } },
          assignment: { rules: [{ name: "both", owner: "a", team: "EMPTY" }] }
        },
        sales: { stages: [] }
      })
    ).toEqual(["leads.assignment.rules.0", "leads.scoring.activities.call", "leads.scoring.attributes.0.attribute", "sales.stages"])
    expect(
      issuesOf({
        sales: {
          stages: [
            { id: "a", name: "A", probability: 10 },
            { id: "a", name: "B", probability: 120 }
          ]
        }
      })
    ).toEqual(["sales.stages", "sales.stages.1.probability"])
  })

  it("checks that assignment rules name known teams with members and known territories", () => {
    expect(
      issuesOf({
        teams: { EMPTY: { members: [] } },
        leads: {
          assignment: {
            rules: [
              { name: "ghost", team: "GHOST" },
              { name: "empty", team: "EMPTY" },
              { name: "where", owner: "a", territory: "NOWHERE" }
            ]
          }
        }
      })
    ).toEqual(["leads.assignment.rules.0.team", "leads.assignment.rules.1.team", "leads.assignment.rules.2.territory"])
    expect(() => CrmConfig.makeOrThrow({ leads: { assignment: { rules: [{ name: "ghost", team: "GHOST" }] } } })).toThrow(
      CrmErrors.InvalidCrmConfig
    )
  })
})

describe("Lead scoring and assignment", () => {
  const leads = SalesConfig.presetLeads()

  it("adds the points of every matching attribute rule and the capped activity points", () => {
    const base: Lead.LeadData = { company: "X", source: "referral", email: "x@example.com" }
    expect(Lead.scoreOf(leads, base)).toEqual({
      score: 25,
      detail: [
        { rule: "source=referral", points: 20 },
        { rule: "email", points: 5 }
      ]
    })
    expect(Lead.scoreOf(leads, { ...base, activityCounts: { visit: 1, call: 2 } }).score).toBe(25 + 30)
    expect(Lead.scoreOf(leads, { ...base, activityCounts: { visit: 5 } }).score).toBe(25 + 50)
    expect(Lead.scoreOf(leads, { source: "fax" })).toEqual({ score: 0, detail: [] })
  })

  it("picks the first rule whose every criterion matches", () => {
    const config = CrmConfig.makeOrThrow({
      teams: { INSIDE: { members: ["ana"] } },
      leads: {
        assignment: {
          rules: [
            { name: "fleet in DE", countries: ["DE"], productInterests: ["FLEET"], owner: "kim" },
            { name: "DE", countries: ["DE"], team: "INSIDE" }
          ]
        }
      }
    }).leads
    expect(Lead.assignmentOf(config, { country: "DE", source: "web", productInterests: ["FLEET"] })?.name).toBe("fleet in DE")
    expect(Lead.assignmentOf(config, { country: "DE", source: "web" })?.name).toBe("DE")
    expect(Lead.assignmentOf(config, { source: "web" })).toBeUndefined()
  })

  it("folds only ASCII letters for the duplicate check", () => {
    expect(Lead.matchKey("  Müller GMBH ")).toBe("müller gmbh")
    expect(Lead.matchKey("ÄRGER")).toBe("Ärger")
  })
})

describe("Opportunity helpers", () => {
  it("rolls months up into quarters and years", () => {
    expect(Opportunity.periodOfMonth("2027-03", "quarter")).toBe("2027-Q1")
    expect(Opportunity.periodOfMonth("2027-10", "quarter")).toBe("2027-Q4")
    expect(Opportunity.periodOfMonth("2027-10", "year")).toBe("2027")
  })

  it("lists the fields a stage requires that an opportunity lacks", () => {
    const stage = SalesConfig.presetMethodology().stages[3]
    if (stage === undefined) throw new Error("the preset has a fourth stage")
    expect(Opportunity.missingFor(stage, { name: "Deal", amount: 5 })).toEqual([
      "amount",
      "expectedCloseDate",
      "decisionMakers",
      "competitors"
    ])
    expect(
      Opportunity.missingFor(stage, {
        name: "Deal",
        amount: 5,
        currency: "EUR",
        expectedCloseDate: "2027-01-01",
        decisionMakers: [{ contactId: "0001", role: "user" }],
        competitors: [{ name: "Rival" }]
      })
    ).toEqual([])
  })
})

describe("createCrm: leads and opportunities through the Promise door", () => {
  let crm: Awaited<ReturnType<typeof createCrm>>
  const lina = Actor.superUser("acme", "li.na")

  beforeAll(async () => {
    crm = await createCrm({
      customizing: Presets.standard("acme"),
      storage: MemoryCrmStore.layer(),
      config: { visibility: { rule: "own" } }
    })
  })
  afterAll(() => crm.close())

  it("captures, qualifies and converts a lead, then moves and forecasts its opportunity", async () => {
    const lead = await crm.leads.create({
      actor: lina,
      lead: { company: "Nordlicht Logistik GmbH", lastName: "Berg", source: "web", estimatedAmount: 12_000, currency: "EUR" }
    })
    const qualified = await crm.leads.changeStatus({ actor: lina, id: lead.id, version: lead.version, status: "qualified" })
    const { opportunity, customerNumber } = await crm.leads.convert({
      actor: lina,
      id: qualified.id,
      into: { kind: "customer", accountGroup: "0004", general: { street: "Kai 3", postalCode: "20457", city: "Hamburg", country: "DE" } }
    })
    expect(customerNumber).toBe("F0001")
    if (opportunity === undefined) throw new Error("the conversion opens an opportunity")
    const dated = await crm.opportunities.change({ actor: lina, id: opportunity.id, version: 1, expectedCloseDate: "2027-06-30" })
    await crm.opportunities.moveStage({ actor: lina, id: opportunity.id, version: dated.version, stage: "qualification" })
    const forecast = await crm.opportunities.forecast({ actor: lina, period: "quarter" })
    expect(forecast.rows).toEqual([
      {
        period: "2027-Q2",
        key: "",
        currency: "EUR",
        open: { count: 1, amount: 12_000, weighted: 2_400 },
        won: { count: 0, amount: 0 },
        forecast: 2_400
      }
    ])
  })

  it("rejects with the typed errors", async () => {
    await expect(crm.leads.get({ actor: lina, id: "L-missing" })).rejects.toBeInstanceOf(SalesErrors.LeadNotFound)
    await expect(crm.opportunities.get({ actor: lina, id: "O-missing" })).rejects.toBeInstanceOf(SalesErrors.OpportunityNotFound)
    await expect(crm.leads.create({ actor: lina, lead: { company: "", source: "web" } })).rejects.toBeInstanceOf(Errors.ValidationFailed)
    await expect(crm.opportunities.forecast({ actor: lina, asOf: "yesterday" })).rejects.toBeInstanceOf(Errors.ValidationFailed)
  })
})
