/**
 * The CRM flow of issue 6 §10, end to end on one store: leads arrive from two channels and are
 * scored and assigned by the configured rules; one is worked, qualified and converted into a
 * customer (core's create: validation, number range, change documents) with its contact and an
 * opportunity; the opportunity moves through the stages with activities logged and is won;
 * follow-ups come due; a ticket is opened and breaches its SLA, which escalates; a campaign runs on
 * a segment with a seeded control group (one response becomes a lead); and the 360° view and the
 * pipeline report (forecast by quarter and owner, pipeline by stage, funnel) are printed.
 *
 * Time: the flow runs on the real clock and looks ahead with `asOf` (follow-ups tomorrow, SLA
 * breaches two working days later) instead of waiting.
 */
import { Actor, Presets } from "@partnerkit/core"
import { type Crm, CrmConfig, type CrmStorage, createCrm, type Timeline } from "@partnerkit/crm"
import Table from "cli-table3"

export const tenant = "acme"

/** The company's CRM configuration: teams, territories, lead scoring and assignment, visibility. */
export const config = CrmConfig.makeOrThrow({
  ...CrmConfig.preset("team"),
  teams: {
    INSIDE: { name: "Inside sales", members: ["li.na", "bo"] },
    NORDICS: { name: "Sales Nordics", members: ["kim"] }
  },
  territories: { DACH: { name: "Germany, Austria, Switzerland", members: ["li.na", "bo"] }, NORDIC: { members: ["kim"] } },
  visibility: { rule: "team", unrestrictedUsers: ["sales.manager", "service.lead"] },
  leads: {
    ...CrmConfig.preset().leads,
    scoring: {
      ...CrmConfig.preset().leads.scoring,
      attributes: [
        ...CrmConfig.preset().leads.scoring.attributes,
        { attribute: "productInterest", equals: "FLEET", points: 15 },
        { attribute: "industry", equals: "LOGISTICS", points: 10 }
      ]
    },
    assignment: {
      rules: [
        { name: "Nordic countries to Kim", countries: ["NO", "SE", "DK", "FI"], owner: "kim", territory: "NORDIC" },
        { name: "DACH round-robin in inside sales", countries: ["DE", "AT", "CH"], team: "INSIDE", territory: "DACH" }
      ]
    }
  }
})

const table = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | number>>) => {
  const t = new Table({ head: [...head], style: { head: [], border: [] } })
  for (const row of rows) t.push(row.map(String))
  return t.toString()
}

const money = (amount: number, currency: string) =>
  `${amount.toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: 2 })} ${currency}`

/** One line for a timeline entry. */
const describeEntry = (e: Timeline.Entry): string => {
  switch (e.kind) {
    case "activity":
      return `${e.activity.kind} (${e.activity.status}): ${e.activity.subject}`
    case "opportunity":
      return `opportunity ${e.entry.change}: ${e.entry.stage} ${e.entry.probability} %`
    case "ticket":
      return `ticket ${e.event.ticketId} ${e.event.kind}${e.event.toStatus === undefined ? "" : ` → ${e.event.toStatus}`}`
    case "change":
      return `master data ${e.document.operation} by ${e.document.changedBy} (${e.document.items.length} fields)`
  }
}

const hoursFrom = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * 3_600_000).toISOString()

export interface FlowResult {
  readonly customerNumber: string
  readonly leadOwners: Readonly<Record<string, string>>
  readonly breaches: number
  readonly wonAmount: number
  readonly campaign: { readonly contacted: number; readonly control: number; readonly excluded: number }
}

/** Runs the flow on `storage`, printing what happens. */
export const runFlow = async ({
  storage,
  print = console.log
}: {
  readonly storage: CrmStorage.Layer
  readonly print?: (line: string) => void
}): Promise<FlowResult> => {
  const crm: Crm.Crm = await createCrm({ customizing: Presets.standard(tenant), storage, config })
  try {
    const manager = Actor.superUser(tenant, "sales.manager")
    const serviceLead = Actor.superUser(tenant, "service.lead")

    // 1. Leads from two channels ---------------------------------------------------------------
    print("1. Leads arrive from the web form and from a trade fair; scoring and assignment rules run:")
    const arriving = [
      {
        company: "Nordlicht Logistik GmbH",
        firstName: "Anna",
        lastName: "Berg",
        email: "anna.berg@nordlicht.example",
        phone: "+49 40 3017 2200",
        city: "Hamburg",
        postalCode: "20457",
        street: "Kai 3",
        country: "DE",
        industry: "LOGISTICS",
        productInterests: ["FLEET"],
        source: "event",
        estimatedAmount: 180_000,
        currency: "EUR"
      },
      { company: "Fjordbuss AS", lastName: "Dahl", email: "post@fjordbuss.example", city: "Bergen", country: "NO", source: "web" },
      {
        company: "Alpen Reisen KG",
        lastName: "Gruber",
        email: "office@alpenreisen.example",
        city: "Innsbruck",
        country: "AT",
        source: "web"
      },
      {
        company: "Rheinbus GmbH",
        lastName: "Klein",
        phone: "+49 221 9988 7766",
        city: "Köln",
        country: "DE",
        source: "event",
        productInterests: ["FLEET"]
      }
    ]
    const leads = []
    for (const lead of arriving) leads.push(await crm.leads.create({ actor: manager, lead }))
    print(
      table(
        ["lead", "source", "score", "owner", "team", "territory"],
        leads.map((l) => [l.company, l.source, l.score, l.owner, l.team ?? "", l.territory ?? ""])
      )
    )

    // 2. Work, qualify, convert ----------------------------------------------------------------
    const [nordlicht] = leads
    if (nordlicht === undefined) throw new Error("no lead")
    const owner = Actor.superUser(tenant, nordlicht.owner)
    print(`\n2. ${nordlicht.owner} works the best lead (${nordlicht.company}), logs a call and qualifies it:`)
    let lead = await crm.leads.changeStatus({ actor: owner, id: nordlicht.id, version: nordlicht.version, status: "working" })
    await crm.leads.logActivity({
      actor: owner,
      id: lead.id,
      kind: "call",
      subject: "Discovery call: 40 city buses by 2027",
      status: "completed"
    })
    lead = await crm.leads.get({ actor: owner, id: lead.id })
    lead = await crm.leads.changeStatus({ actor: owner, id: lead.id, version: lead.version, status: "qualified" })
    print(
      `   score after the call: ${lead.score} (${lead.scoreDetail.map((d) => `${d.rule} ${d.points > 0 ? "+" : ""}${d.points}`).join(", ")})`
    )
    const duplicates = await crm.leads.duplicates({ actor: owner, id: lead.id })
    print(
      `   duplicate check against accounts and contacts: ${duplicates.exact.length} exact, ${duplicates.scored.length} scored candidate(s)`
    )
    const conversion = await crm.leads.convert({
      actor: owner,
      id: lead.id,
      into: {
        kind: "customer",
        accountGroup: "0001",
        general: { language: "de" },
        companyCodes: [{ companyCode: "1000", reconciliationAccount: "140000", paymentTerms: "0001" }],
        salesAreas: [{ salesArea: { salesOrganization: "1000", distributionChannel: "10", division: "00" }, currency: "EUR" }]
      },
      opportunity: { name: "City bus fleet 2027", amount: 180_000, currency: "EUR" }
    })
    const customerNumber = conversion.customerNumber ?? ""
    print(
      `   converted in one transaction: customer ${customerNumber} (core's number range), contact ${conversion.contactId}, ` +
        `opportunity "${conversion.opportunity?.name}"; ${conversion.activitiesLinked} activity moved to the account`
    )

    const rheinbus = leads[3]
    if (rheinbus !== undefined) {
      const rheinbusOwner = Actor.superUser(tenant, rheinbus.owner)
      const qualified = await crm.leads.changeStatus({
        actor: rheinbusOwner,
        id: rheinbus.id,
        version: rheinbus.version,
        status: "qualified"
      })
      const second = await crm.leads.convert({
        actor: rheinbusOwner,
        id: qualified.id,
        into: {
          kind: "customer",
          accountGroup: "0001",
          general: { street: "Deutzer Freiheit 1", postalCode: "50679", language: "de" },
          companyCodes: [{ companyCode: "1000", reconciliationAccount: "140000", paymentTerms: "0001" }]
        },
        opportunity: {
          name: "Electric buses, pilot",
          amount: 95_000,
          currency: "EUR",
          expectedCloseDate: new Date(Date.now() + 75 * 86_400_000).toISOString().slice(0, 10),
          stage: "qualification"
        }
      })
      print(
        `   ${rheinbus.owner} converts ${rheinbus.company} too: customer ${second.customerNumber}, "${second.opportunity?.name}" in qualification`
      )
    }

    // 3. The opportunity through the stages ----------------------------------------------------
    print("\n3. The opportunity moves through the stages; each step needs what its stage requires:")
    let deal = conversion.opportunity
    if (deal === undefined) throw new Error("no opportunity")
    const closeDate = new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10)
    deal = await crm.opportunities.change({ actor: owner, id: deal.id, version: deal.version, expectedCloseDate: closeDate })
    deal = await crm.opportunities.moveStage({ actor: owner, id: deal.id, version: deal.version, stage: "qualification" })
    await crm.activities.create({
      actor: owner,
      account: { customerNumber },
      opportunityId: deal.id,
      kind: "meeting",
      subject: "Requirements workshop",
      status: "completed"
    })
    try {
      await crm.opportunities.moveStage({ actor: owner, id: deal.id, version: deal.version, stage: "proposal" })
    } catch (error) {
      print(`   proposal refused: ${(error as Error).message}`)
    }
    deal = await crm.opportunities.change({
      actor: owner,
      id: deal.id,
      version: deal.version,
      decisionMakers: [{ contactId: conversion.contactId ?? "0001", role: "decision_maker" }]
    })
    deal = await crm.opportunities.moveStage({ actor: owner, id: deal.id, version: deal.version, stage: "proposal" })
    await crm.activities.create({
      actor: owner,
      account: { customerNumber },
      opportunityId: deal.id,
      kind: "email",
      subject: "Proposal sent",
      status: "completed"
    })
    const history = await crm.opportunities.history({ actor: owner, id: deal.id })
    print(
      table(
        ["#", "change", "stage", "probability"],
        history.map((h) => [h.seq, h.change, h.stage, `${h.probability} %`])
      )
    )

    // 4. Follow-ups ------------------------------------------------------------------------------
    print(`\n4. Follow-ups come due for ${nordlicht.owner}:`)
    const now = new Date().toISOString()
    await crm.activities.create({
      actor: owner,
      account: { customerNumber },
      opportunityId: deal.id,
      kind: "call",
      subject: "Chase the proposal",
      dueAt: hoursFrom(now, -2)
    })
    await crm.activities.create({
      actor: owner,
      account: { customerNumber },
      kind: "visit",
      subject: "Depot visit in Hamburg",
      dueAt: hoursFrom(now, 30)
    })
    const followUps = await crm.activities.followUps({ actor: owner, asOf: now })
    print(
      table(
        ["", "due", "activity"],
        [
          ...followUps.overdue.map((a) => ["overdue", a.dueAt ?? "", `${a.kind}: ${a.subject}`]),
          ...followUps.dueSoon.map((a) => ["due soon", a.dueAt ?? "", `${a.kind}: ${a.subject}`])
        ]
      )
    )

    // 5. A ticket breaches its SLA ---------------------------------------------------------------
    print("\n5. The customer opens an urgent ticket; nobody answers, and the SLA is breached:")
    const ticket = await crm.tickets.open({
      actor: owner,
      customerNumber,
      contactId: conversion.contactId,
      equipment: { id: "BUS-4711" },
      category: "incident",
      priority: "P1",
      subject: "Demo bus: air conditioning fails"
    })
    const laterAsOf = hoursFrom(now, 72)
    print(`   (the flow looks 72 hours ahead: breach detection as of ${laterAsOf})`)
    const report = await crm.tickets.detectBreaches({ actor: serviceLead, asOf: laterAsOf })
    print(
      table(
        ["ticket", "target", "due", "escalated to"],
        report.breaches.map((b) => [b.ticketId, b.target, b.dueAt, b.escalatedTo])
      )
    )
    const responded = await crm.tickets.respond({ actor: owner, id: ticket.id, note: "Technician on the way" })
    await crm.tickets.transition({ actor: owner, id: responded.id, to: "resolved", note: "Compressor replaced" })

    // 6. Won -------------------------------------------------------------------------------------
    deal = await crm.opportunities.get({ actor: owner, id: deal.id })
    deal = await crm.opportunities.close({ actor: owner, id: deal.id, version: deal.version, outcome: "won", reason: "price" })
    print(`\n6. The deal is won: ${money(deal.amount ?? 0, deal.currency ?? "")}`)

    // 7. A campaign on a segment with a control group ---------------------------------------------
    print("\n7. Marketing runs a campaign on a segment of the customer base, with a seeded control group:")
    const base = [
      "Hansa Reisen",
      "Elbe Busreisen",
      "Isar Tours",
      "Donau Express",
      "Main Shuttle",
      "Alster Kreuzfahrt",
      "Tirol Linien",
      "Wiener Ausflug",
      "Salzach Bus",
      "Bodensee Fähren"
    ]
    for (const [i, name] of base.entries()) {
      const { customer } = await crm.customers.create({
        actor: manager,
        accountGroup: "0004",
        general: {
          name: `${name} GmbH`,
          street: `Hafenstraße ${i + 1}`,
          postalCode: i < 6 ? `2045${i}` : `602${i}`,
          city: i < 6 ? "Hamburg" : "Innsbruck",
          country: i < 6 ? "DE" : "AT"
        }
      })
      await crm.accounts.assignOwner({
        actor: manager,
        customerNumber: customer.number,
        owner: i % 2 === 0 ? "li.na" : "bo",
        team: "INSIDE",
        territory: "DACH"
      })
      // Two of them never agreed to e-mail: the campaign leaves them out.
      if (i !== 3 && i !== 8)
        await crm.accounts.setContactPreference({ actor: manager, customerNumber: customer.number, channel: "email", consent: "granted" })
    }
    const segment = await crm.segments.create({
      actor: manager,
      name: "DACH customers without a won deal this year",
      rule: {
        all: [
          { field: "country", op: "in", values: ["DE", "AT", "CH"] },
          { field: "wonCount", days: 365, op: "eq", value: 0 }
        ]
      }
    })
    const members = await crm.segments.count({ actor: manager, id: segment.id })
    const campaign = await crm.campaigns.launch({
      actor: manager,
      name: "Spring e-mail: electric buses",
      segment: { segmentId: segment.id },
      channels: ["email"],
      holdout: 0.25,
      seed: "spring-2027",
      cost: { amount: 1_500, currency: "EUR" }
    })
    print(
      `   segment "${segment.name}": ${members.count} accounts (the won deal keeps ${customerNumber} out); ` +
        `launched: ${campaign.counts.contacted} contacted, ${campaign.counts.control} held out as control, ${campaign.counts.excluded} without consent`
    )
    const contacted = (await crm.campaigns.members({ actor: manager, id: campaign.id, group: "contacted" })).items
    const control = (await crm.campaigns.members({ actor: manager, id: campaign.id, group: "control" })).items
    for (const [i, member] of contacted.slice(0, 3).entries()) {
      await crm.campaigns.recordResponse({
        actor: manager,
        id: campaign.id,
        customerNumber: member.customerNumber,
        channel: "email",
        ...(i === 0
          ? { lead: { company: `${member.customerNumber}: fleet renewal`, lastName: "Weber", productInterests: ["FLEET"], country: "DE" } }
          : {})
      })
    }
    if (control[0] !== undefined)
      await crm.campaigns.recordResponse({ actor: manager, id: campaign.id, customerNumber: control[0].customerNumber, channel: "email" })
    const campaignReport = await crm.campaigns.report({ actor: manager, id: campaign.id })
    const percent = (rate: number | null) => (rate === null ? "—" : `${(rate * 100).toFixed(0)} %`)
    print(
      table(
        ["", "members", "responders", "response rate"],
        [
          ["contacted", campaignReport.contacted, campaignReport.responders.contacted, percent(campaignReport.responseRate.contacted)],
          ["control", campaignReport.control, campaignReport.responders.control, percent(campaignReport.responseRate.control)],
          ["uplift", "", "", campaignReport.uplift === null ? "—" : `${(campaignReport.uplift * 100).toFixed(0)} points`]
        ]
      )
    )
    print("   one response became a lead of the campaign (source campaign, its id), to be scored and assigned like any other")

    // 8. The 360° view and the pipeline report ---------------------------------------------------
    const view = await crm.account360.view({ actor: owner, customerNumber })
    print(`\n8. The 360° view of ${customerNumber} ${view.customer.general.name}, as ${nordlicht.owner} sees it:`)
    print(
      table(
        ["", ""],
        [
          [
            "owner / team / territory",
            `${view.ownership?.owner ?? "—"} / ${view.ownership?.team ?? "—"} / ${view.ownership?.territory ?? "—"}`
          ],
          ["contacts", view.contacts.map((c) => `${c.contact.firstName ?? ""} ${c.contact.lastName}`.trim()).join(", ")],
          ["open activities", view.openActivities.map((a) => `${a.kind}: ${a.subject}`).join("\n")],
          ["overdue / due soon", `${view.followUps.overdue.length} / ${view.followUps.dueSoon.length}`],
          ["open tickets", String(view.openTickets.length)],
          ["days since last contact", String(view.keyFigures.daysSinceLastContact ?? "never")],
          ["won this year", view.keyFigures.wonThisYear.map((w) => money(w.amount, w.currency)).join(", ") || "—"],
          [
            "open pipeline",
            view.keyFigures.pipeline.map((p) => `${money(p.amount, p.currency)} (weighted ${money(p.weighted, p.currency)})`).join(", ") ||
              "—"
          ],
          [
            "RFM score / churn risk",
            `${view.keyFigures.rfm.class} / ${view.keyFigures.churnRisk.flagged ? view.keyFigures.churnRisk.rules.join(", ") : "none"}`
          ],
          [
            "latest timeline",
            view.timeline.items
              .slice(0, 5)
              .map((e) => `${e.at.slice(0, 16)} ${describeEntry(e)}`)
              .join("\n")
          ]
        ]
      )
    )
    const forecast = await crm.opportunities.forecast({ actor: manager, period: "quarter", by: "owner" })
    print("\n   Pipeline and forecast by quarter and owner (all accounts, as the sales manager):")
    print(
      table(
        ["quarter", "owner", "open", "weighted", "won", "forecast"],
        forecast.rows.map((r) => [
          r.period,
          r.key,
          money(r.open.amount, r.currency),
          money(r.open.weighted, r.currency),
          money(r.won.amount, r.currency),
          money(r.forecast, r.currency)
        ])
      )
    )
    const byStage = await crm.analytics.pipelineByStage({ actor: manager })
    print("\n   Open pipeline by stage:")
    print(
      table(
        ["stage", "opportunities", "amount", "weighted"],
        byStage.stages.map((st) => [
          st.name,
          st.count,
          st.values.map((v) => money(v.amount, v.currency)).join(", "),
          st.values.map((v) => money(v.weighted, v.currency)).join(", ")
        ])
      )
    )
    const year = new Date().getUTCFullYear()
    const funnel = await crm.analytics.funnel({ actor: manager, from: `${year}-01-01`, to: `${year + 1}-12-31` })
    print(
      `   funnel ${year}–${year + 1}: ${funnel.overall.opportunities} opportunities, ${funnel.overall.won} won, ${funnel.overall.lost} lost, ` +
        `win rate ${percent(funnel.overall.winRate)}`
    )
    return {
      customerNumber,
      campaign: { contacted: campaignReport.contacted, control: campaignReport.control, excluded: campaign.counts.excluded },
      leadOwners: Object.fromEntries(leads.map((l) => [l.company, l.owner])),
      breaches: report.breaches.length,
      wonAmount: deal.amount ?? 0
    }
  } finally {
    await crm.close()
  }
}
