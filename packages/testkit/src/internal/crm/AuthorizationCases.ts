/**
 * The authorization test over every CRM read path (issue 6 §9): one data set, five accounts —
 * Li Na's own, her team's, another team's, one of hers in an authorization group she lacks, and
 * one without an owner — each with the same activities, opportunities and ticket. Li Na must see
 * exactly her two accounts' records through every read (360°, timeline, follow-ups, lists, single
 * reads, the forecast, every analytic, behaviour, segments and campaigns), and every aggregate must
 * count exactly them; the sales manager (unrestricted) sees all five, which shows that every
 * figure checked could have counted the hidden ones.
 *
 * @internal
 */
import { Actor, Customers } from "@partnerkit/core"
import {
  Account360,
  Accounts,
  Activities,
  Analytics,
  Behaviour,
  Campaigns,
  type CrmConfig,
  CrmErrors,
  Leads,
  Opportunities,
  SalesErrors,
  Segments,
  Tickets,
  Timeline
} from "@partnerkit/crm"
import { Effect } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, failureOf, make } from "../Case.js"
import { type StorePorts, user, withServices } from "./Support.js"

const address = { street: "Kai 3", postalCode: "20457", city: "Hamburg", country: "DE" }

const config: CrmConfig.CrmConfigInput = {
  visibility: { rule: "team", unrestrictedUsers: ["manager"] },
  teams: { NORTH: { members: ["li.na", "bo"] }, SOUTH: { members: ["eva"] } }
}

const day = 86_400_000
const dateIn = (days: number) => new Date(Date.now() + days * day).toISOString().slice(0, 10)

const services = Effect.all({
  accounts: Accounts.Accounts,
  activities: Activities.Activities,
  timeline: Timeline.Timeline,
  views: Account360.Account360,
  leads: Leads.Leads,
  opportunities: Opportunities.Opportunities,
  tickets: Tickets.Tickets,
  analytics: Analytics.Analytics,
  behaviour: Behaviour.Behaviour,
  segments: Segments.Segments,
  campaigns: Campaigns.Campaigns
})

export const cases: ReadonlyArray<Case<StorePorts>> = [
  make("Authorization over every CRM read path: nothing of a hidden account is shown or counted", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      config,
      Effect.gen(function* () {
        const s = yield* services
        const customers = yield* Customers.Customers
        const manager = Actor.superUser(tenant, "manager")
        const lina = user(tenant, "li.na", ["G1"])
        const create = (name: string, group?: string) =>
          Effect.map(
            customers.create({
              actor: manager,
              accountGroup: "0004",
              general: { name, ...address, ...(group === undefined ? {} : { authorizationGroup: group }) }
            }),
            (r) => r.customer.number
          )
        const mine = yield* create("Mine")
        const team = yield* create("Team's")
        const otherTeam = yield* create("Other team's")
        const secret = yield* create("Secret", "G2")
        const unowned = yield* create("Unowned")
        yield* s.accounts.assignOwner({ actor: manager, customerNumber: mine, owner: "li.na" })
        yield* s.accounts.assignOwner({ actor: manager, customerNumber: team, owner: "bo", team: "NORTH" })
        yield* s.accounts.assignOwner({ actor: manager, customerNumber: otherTeam, owner: "eva", team: "SOUTH" })
        yield* s.accounts.assignOwner({ actor: manager, customerNumber: secret, owner: "li.na" })
        const visible = [mine, team]
        const hidden = [otherTeam, secret, unowned]

        const soon = new Date(Date.now() + 3_600_000).toISOString()
        const records: Record<string, { activity: string; opportunity: string; won: string; ticket: string }> = {}
        for (const number of [...visible, ...hidden]) {
          const account = { customerNumber: number }
          const activity = yield* s.activities.create({
            actor: manager,
            account,
            kind: "call",
            subject: `call ${number}`,
            owner: "li.na",
            dueAt: soon
          })
          yield* s.activities.create({
            actor: manager,
            account,
            kind: "visit",
            subject: `visit ${number}`,
            owner: "li.na",
            status: "completed",
            // 120 days ago: past the preset's 90 days of silence, so every account is a churn risk.
            completedAt: new Date(Date.now() - 120 * day).toISOString()
          })
          const opportunity = yield* s.opportunities.create({
            actor: manager,
            account,
            name: `Open ${number}`,
            amount: 1_000,
            currency: "EUR",
            expectedCloseDate: dateIn(30),
            stage: "qualification",
            owner: "li.na"
          })
          const toWin = yield* s.opportunities.create({
            actor: manager,
            account,
            name: `Won ${number}`,
            amount: 500,
            currency: "EUR",
            expectedCloseDate: dateIn(10),
            stage: "qualification",
            owner: "li.na"
          })
          const won = yield* s.opportunities.close({ actor: manager, id: toWin.id, version: toWin.version, outcome: "won" })
          const ticket = yield* s.tickets.open({
            actor: manager,
            customerNumber: number,
            category: "question",
            priority: "P3",
            subject: `Question of ${number}`
          })
          records[number] = { activity: activity.id, opportunity: opportunity.id, won: won.id, ticket: ticket.id }
          yield* s.accounts.setContactPreference({ actor: manager, customerNumber: number, channel: "email", consent: "granted" })
        }
        // Every account is German: the segment selects all five; the manager freezes it and runs a campaign on it.
        const rule = { all: [{ field: "country" as const, op: "in" as const, values: ["DE"] }] }
        const snapshot = yield* s.segments.freeze({ actor: manager, rule, name: "All of Germany" })
        const campaign = yield* s.campaigns.launch({
          actor: manager,
          name: "Spring mailing",
          segment: { snapshotId: snapshot.id },
          channels: ["email"],
          holdout: 0,
          seed: 1
        })
        const theirs = yield* s.leads.create({ actor: manager, lead: { company: "Eva's lead", source: "web" }, owner: "eva" })
        const hers = yield* s.leads.create({ actor: manager, lead: { company: "Li Na's lead", source: "web" }, owner: "li.na" })

        const period = { from: dateIn(-365), to: dateIn(365) }
        const window = { from: new Date(Date.now() - day).toISOString(), to: new Date(Date.now() + day).toISOString() }
        /** Every aggregate, as one actor sees it. */
        const figures = (actor: Actor.Actor) =>
          Effect.gen(function* () {
            const followUps = yield* s.activities.followUps({ actor, owner: "any" })
            const forecast = yield* s.opportunities.forecast({ actor, period: "year" })
            const pipeline = yield* s.analytics.pipelineByStage({ actor })
            const funnel = yield* s.analytics.funnel({ actor, ...period })
            const cycle = yield* s.analytics.salesCycle({ actor, ...period })
            const versus = yield* s.analytics.forecastVsActual({ actor, ...period, period: "year" })
            const activityStats = yield* s.analytics.activityStats({
              actor,
              from: new Date(Date.now() - 365 * day).toISOString(),
              to: window.to
            })
            const sla = yield* s.analytics.slaCompliance({ actor, ...window })
            const compliance = yield* s.tickets.compliance({ actor, ...window })
            const report = yield* s.campaigns.report({ actor, id: campaign.id })
            return {
              followUps: followUps.dueSoon.length + followUps.overdue.length,
              accounts: (yield* s.accounts.listAccounts({ actor })).items.map((a) => a.customer.number),
              opportunities: (yield* s.opportunities.list({ actor })).items.length,
              // Leads created in the same millisecond have no defined order: compared as a set.
              leads: (yield* s.leads.list({ actor })).items.map((l) => l.company).sort(),
              forecastOpen: forecast.totals.reduce((n, t) => n + t.open.count, 0),
              forecastWon: forecast.totals.reduce((n, t) => n + t.won.count, 0),
              pipeline: pipeline.count,
              funnelWon: funnel.overall.won,
              funnelOpportunities: funnel.overall.opportunities,
              cycleWon: cycle.won,
              actualWon: versus.periods.flatMap((p) => p.currencies).reduce((n, c) => n + c.actual.count, 0),
              activities: activityStats.totals.total,
              churnRisks: (yield* s.behaviour.churnRisks({ actor })).items.map((r) => `${r.customerNumber} ${r.rules.join(",")}`),
              slaTickets: sla.overall.tickets,
              complianceTickets: compliance.overall.tickets,
              rfmAccounts: (yield* s.behaviour.rfmSegmentation({ actor })).total,
              segmentCount: (yield* s.segments.count({ actor, rule })).count,
              segmentMembers: (yield* s.segments.members({ actor, rule })).items.map((m) => m.customerNumber),
              snapshotMembers: (yield* s.segments.snapshotMembers({ actor, id: snapshot.id })).items.map((m) => m.customerNumber),
              campaignMembers: (yield* s.campaigns.members({ actor, id: campaign.id })).items.map((m) => m.customerNumber),
              campaignTargeted: report.targeted,
              campaignContacted: report.contacted
            }
          })

        const seen = yield* figures(lina)
        expect(seen).toEqual({
          followUps: 2,
          accounts: visible,
          opportunities: 4,
          leads: ["Li Na's lead"],
          forecastOpen: 2,
          forecastWon: 2,
          pipeline: 2,
          funnelWon: 2,
          funnelOpportunities: 4,
          cycleWon: 2,
          actualWon: 2,
          activities: 4,
          churnRisks: visible.map((n) => `${n} silence`),
          slaTickets: 2,
          complianceTickets: 2,
          rfmAccounts: 2,
          segmentCount: 2,
          segmentMembers: visible,
          snapshotMembers: visible,
          campaignMembers: visible,
          campaignTargeted: 2,
          campaignContacted: 2
        })
        // The manager sees all five accounts: every figure above could have counted the hidden ones.
        expect(yield* figures(manager)).toEqual({
          followUps: 5,
          accounts: [mine, team, otherTeam, secret], // the unowned one has no ownership to list
          opportunities: 10,
          leads: ["Eva's lead", "Li Na's lead"],
          forecastOpen: 5,
          forecastWon: 5,
          pipeline: 5,
          funnelWon: 5,
          funnelOpportunities: 10,
          cycleWon: 5,
          actualWon: 5,
          activities: 10,
          churnRisks: [...visible, ...hidden].map((n) => `${n} silence`),
          slaTickets: 5,
          complianceTickets: 5,
          rfmAccounts: 5,
          segmentCount: 5,
          segmentMembers: [...visible, ...hidden],
          snapshotMembers: [...visible, ...hidden],
          campaignMembers: [...visible, ...hidden],
          campaignTargeted: 5,
          campaignContacted: 5
        })

        // Single reads of hidden records: "not found", exactly as for records that do not exist.
        for (const number of hidden) {
          const account = { customerNumber: number }
          const r = records[number]!
          expect(yield* failureOf(s.views.view({ actor: lina, customerNumber: number }))).toBeInstanceOf(CrmErrors.AccountNotFound)
          expect(yield* failureOf(s.timeline.entries({ actor: lina, account }))).toBeInstanceOf(CrmErrors.AccountNotFound)
          expect(yield* failureOf(s.activities.listForAccount({ actor: lina, account }))).toBeInstanceOf(CrmErrors.AccountNotFound)
          expect(yield* failureOf(s.activities.get({ actor: lina, id: r.activity }))).toBeInstanceOf(CrmErrors.ActivityNotFound)
          expect(yield* failureOf(s.accounts.getAccount({ actor: lina, customerNumber: number }))).toBeInstanceOf(CrmErrors.AccountNotFound)
          expect(yield* failureOf(s.opportunities.get({ actor: lina, id: r.opportunity }))).toBeInstanceOf(SalesErrors.OpportunityNotFound)
          expect(yield* failureOf(s.opportunities.history({ actor: lina, id: r.won }))).toBeInstanceOf(SalesErrors.OpportunityNotFound)
          expect(yield* failureOf(s.tickets.get({ actor: lina, id: r.ticket }))).toBeInstanceOf(CrmErrors.TicketNotFound)
          expect(yield* failureOf(s.tickets.history({ actor: lina, id: r.ticket }))).toBeInstanceOf(CrmErrors.TicketNotFound)
          expect(yield* failureOf(s.tickets.listForAccount({ actor: lina, customerNumber: number }))).toBeInstanceOf(
            CrmErrors.AccountNotFound
          )
          expect(yield* failureOf(s.behaviour.behaviour({ actor: lina, customerNumber: number }))).toBeInstanceOf(CrmErrors.AccountNotFound)
        }
        expect(yield* failureOf(s.leads.get({ actor: lina, id: theirs.id }))).toBeInstanceOf(SalesErrors.LeadNotFound)
        expect((yield* s.leads.get({ actor: lina, id: hers.id })).company).toBe("Li Na's lead")

        // What she sees, she sees whole: the 360° view of her accounts counts their own records.
        for (const number of visible) {
          const view = yield* s.views.view({ actor: lina, customerNumber: number })
          expect(view.keyFigures.activities).toMatchObject({ total: 2, open: 1, completed: 1 })
          expect(view.openOpportunities.map((o) => o.opportunity.id)).toEqual([records[number]!.opportunity])
          expect(view.keyFigures.pipeline).toEqual([{ currency: "EUR", count: 1, amount: 1_000, weighted: 200 }])
          expect(view.keyFigures.wonThisYear).toEqual([{ currency: "EUR", count: 1, amount: 500 }])
          expect(view.openTickets.map((t) => t.ticket.id)).toEqual([records[number]!.ticket])
          expect(view.keyFigures.rfm.lastWonOn).toBe(dateIn(0))
        }
      })
    )
  })
]
