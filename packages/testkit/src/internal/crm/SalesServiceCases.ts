/**
 * Leads and opportunities of `@partnerkit/crm` on the store under test: scoring and assignment
 * (round-robin under concurrency), the status flow, the duplicate check, the conversion into
 * account + contact + opportunity in one transaction, the sales methodology, the history, the
 * forecast now and as of a past date, and visibility over every sales read path.
 *
 * @internal
 */
import { Actor, Errors, NumberRangeStore } from "@partnerkit/core"
import { type CrmConfig, Leads, Opportunities, SalesErrors } from "@partnerkit/crm"
import { Effect, Option } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, concurrently, failureOf, make, partition } from "../Case.js"
import { crmPorts, type StorePorts, serviceHandles, user, withServices } from "./Support.js"

const address = { street: "Kai 3", postalCode: "20457", city: "Hamburg" }

const sales = Effect.all({ leads: Leads.Leads, opportunities: Opportunities.Opportunities })

const salesConfig: CrmConfig.CrmConfigInput = {
  visibility: { rule: "own", unrestrictedUsers: ["manager"] },
  teams: { INSIDE: { members: ["ana", "bo", "cy"] } },
  territories: { DACH: { members: ["ana"] } },
  leads: {
    scoring: {
      attributes: [
        { attribute: "source", equals: "referral", points: 20 },
        { attribute: "email", points: 5 },
        { attribute: "productInterest", equals: "FLEET", points: 15 }
      ],
      activities: { call: 5, meeting: 15 },
      maxActivityPoints: 25
    },
    assignment: {
      rules: [
        { name: "Fleet specialists", productInterests: ["FLEET"], owner: "kim" },
        { name: "DACH inbound", countries: ["DE", "AT", "CH"], team: "INSIDE", territory: "DACH" }
      ]
    }
  }
}

/** A millisecond passes, so that timestamps taken before and after differ. */
const tick = Effect.sleep("3 millis")

export const cases: ReadonlyArray<Case<StorePorts>> = [
  make("Leads.create: scored by the rules; assigned by the first matching rule, round-robin in a team without shared turns", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      salesConfig,
      Effect.gen(function* () {
        const { leads } = yield* sales
        const lina = user(tenant, "li.na")
        const fleet = yield* leads.create({
          actor: lina,
          lead: { company: "Fuhrpark AG", country: "DE", source: "referral", email: "a@fuhrpark.example", productInterests: ["FLEET"] }
        })
        expect(fleet).toMatchObject({ owner: "kim", assignedBy: "Fleet specialists", status: "new", score: 40, version: 1 })
        expect(fleet.team).toBeUndefined()
        expect(fleet.scoreDetail).toEqual([
          { rule: "source=referral", points: 20 },
          { rule: "email", points: 5 },
          { rule: "productInterest=FLEET", points: 15 }
        ])
        const outcomes = yield* concurrently(
          Array.from({ length: 6 }, (_, i) =>
            leads.create({ actor: lina, lead: { company: `Inbound ${i}`, country: "AT", source: "web" } })
          )
        )
        const { successes, failures } = partition(outcomes)
        expect(failures).toEqual([])
        expect(successes.every((l) => l.team === "INSIDE" && l.territory === "DACH" && l.assignedBy === "DACH inbound")).toBe(true)
        const owners = successes.map((l) => l.owner).sort()
        expect(owners).toEqual(["ana", "ana", "bo", "bo", "cy", "cy"])
        const elsewhere = yield* leads.create({ actor: lina, lead: { company: "Paris SA", country: "FR", source: "web" } })
        expect(elsewhere).toMatchObject({ owner: "li.na", score: 0 })
        expect(elsewhere.assignedBy).toBeUndefined()
        const given = yield* leads.create({ actor: lina, lead: { company: "Wien GmbH", country: "AT", source: "web" }, owner: "zoe" })
        expect(given.owner).toBe("zoe")
        // The given owner takes no turn: the next DACH lead continues the rotation.
        const next = yield* leads.create({ actor: lina, lead: { company: "Graz GmbH", country: "AT", source: "web" } })
        expect(next.owner).toBe("ana")
        const bad = yield* failureOf(leads.create({ actor: lina, lead: { company: "X", source: "web", estimatedAmount: 10 } }))
        expect(bad).toBeInstanceOf(Errors.ValidationFailed)
        expect((bad as Errors.ValidationFailed).messages.map((m) => m.path)).toEqual(["lead.currency"])
        const unknownTeam = yield* failureOf(leads.create({ actor: lina, lead: { company: "Y", source: "web" }, team: "NOPE" }))
        expect(unknownTeam).toBeInstanceOf(Errors.ValidationFailed)
        const manager = user(tenant, "manager")
        expect((yield* leads.list({ actor: manager, limit: 100 })).items).toHaveLength(10)
      })
    )
  }),

  make("Leads: the status flow is checked, disqualifying needs a configured reason, logged activities raise the score", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      salesConfig,
      Effect.gen(function* () {
        const { leads } = yield* sales
        const lina = user(tenant, "li.na")
        const lead = yield* leads.create({ actor: lina, lead: { company: "Paris SA", country: "FR", source: "web" } })
        const working = yield* leads.changeStatus({ actor: lina, id: lead.id, version: 1, status: "working" })
        expect(working).toMatchObject({ status: "working", version: 2 })
        expect(yield* failureOf(leads.changeStatus({ actor: lina, id: lead.id, version: 2, status: "new" }))).toMatchObject({
          _tag: "StatusTransitionNotAllowed",
          from: "working",
          to: "new"
        })
        expect(yield* failureOf(leads.changeStatus({ actor: lina, id: lead.id, version: 2, status: "disqualified" }))).toBeInstanceOf(
          Errors.ValidationFailed
        )
        expect(
          yield* failureOf(leads.changeStatus({ actor: lina, id: lead.id, version: 2, status: "disqualified", reason: "bored" }))
        ).toBeInstanceOf(Errors.ValidationFailed)
        expect(yield* failureOf(leads.changeStatus({ actor: lina, id: lead.id, version: 1, status: "qualified" }))).toBeInstanceOf(
          Errors.VersionConflict
        )
        const out = yield* leads.changeStatus({ actor: lina, id: lead.id, version: 2, status: "disqualified", reason: "no_budget" })
        expect(out).toMatchObject({ status: "disqualified", disqualificationReason: "no_budget" })
        const back = yield* leads.changeStatus({ actor: lina, id: lead.id, version: 3, status: "working" })
        expect(back.disqualificationReason).toBeUndefined()
        // Behaviour: 5 per call, 15 per meeting, at most 25 in all.
        const first = yield* leads.logActivity({ actor: lina, id: lead.id, kind: "call", subject: "Intro", status: "completed" })
        expect(first.lead).toMatchObject({ score: 5, activityCounts: { call: 1 } })
        expect(first.activity).toMatchObject({ leadId: lead.id, kind: "call", owner: "li.na" })
        yield* leads.logActivity({ actor: lina, id: lead.id, kind: "meeting", subject: "Demo" })
        const third = yield* leads.logActivity({ actor: lina, id: lead.id, kind: "meeting", subject: "Workshop" })
        expect(third.lead.score).toBe(25)
        expect((yield* leads.activities({ actor: lina, id: lead.id })).map((a) => a.subject).sort()).toEqual(["Demo", "Intro", "Workshop"])
        // Concurrent logs on one lead: each is counted.
        yield* concurrently([1, 2, 3].map((i) => leads.logActivity({ actor: lina, id: lead.id, kind: "call", subject: `Call ${i}` })))
        expect((yield* leads.get({ actor: lina, id: lead.id })).activityCounts).toEqual({ call: 4, meeting: 2 })
        // Another salesperson under the `own` rule sees none of it.
        const bo = user(tenant, "bo")
        expect(yield* failureOf(leads.get({ actor: bo, id: lead.id }))).toBeInstanceOf(SalesErrors.LeadNotFound)
        expect(yield* failureOf(leads.activities({ actor: bo, id: lead.id }))).toBeInstanceOf(SalesErrors.LeadNotFound)
        expect((yield* leads.list({ actor: bo })).items).toEqual([])
      })
    )
  }),

  make("Leads.convert: customer through Customers.create, contact, ownership and opportunity in one transaction; history kept", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      salesConfig,
      Effect.gen(function* () {
        const { leads, opportunities } = yield* sales
        const { activities } = yield* serviceHandles
        const { owners } = yield* crmPorts
        const ranges = yield* NumberRangeStore
        const lina = user(tenant, "li.na")
        const lead = yield* leads.create({
          actor: lina,
          lead: {
            company: "Nordlicht Logistik GmbH",
            firstName: "Anna",
            lastName: "Berg",
            email: "anna.berg@nordlicht.example",
            country: "FR",
            source: "web",
            estimatedAmount: 25_000,
            currency: "EUR"
          }
        })
        const { activity } = yield* leads.logActivity({ actor: lina, id: lead.id, kind: "call", subject: "Qualified by phone" })
        expect(yield* failureOf(leads.convert({ actor: lina, id: lead.id, into: { kind: "prospect" } }))).toMatchObject({
          _tag: "StatusTransitionNotAllowed",
          from: "new",
          to: "converted"
        })
        const qualified = yield* leads.changeStatus({ actor: lina, id: lead.id, version: 2, status: "qualified" })
        // No address: the payer account group requires one. Nothing is written.
        expect(
          yield* failureOf(leads.convert({ actor: lina, id: lead.id, into: { kind: "customer", accountGroup: "0004" } }))
        ).toBeInstanceOf(Errors.ValidationFailed)
        // The opportunity's stage needs fields the lead does not give. Nothing is written either.
        const stage = yield* failureOf(
          leads.convert({
            actor: lina,
            id: lead.id,
            into: { kind: "customer", accountGroup: "0004", general: address },
            opportunity: { stage: "proposal" }
          })
        )
        expect(stage).toMatchObject({ _tag: "StageRequirementsMissing", stage: "proposal" })
        expect(yield* leads.get({ actor: lina, id: lead.id })).toEqual(qualified)
        expect(Option.isNone(yield* ranges.last(tenant, "F"))).toBe(true)
        expect(Option.isNone(yield* owners.get(tenant, "F0001"))).toBe(true)
        expect((yield* opportunities.list({ actor: lina })).items).toEqual([])

        const conversion = yield* leads.convert({
          actor: lina,
          id: lead.id,
          into: { kind: "customer", accountGroup: "0004", general: address }
        })
        expect(conversion).toMatchObject({ customerNumber: "F0001", contactId: "0001", activitiesLinked: 1 })
        expect(conversion.lead).toMatchObject({
          status: "converted",
          conversion: { customerNumber: "F0001", contactId: "0001", opportunityId: conversion.opportunity?.id, by: "li.na" }
        })
        expect(conversion.opportunity).toMatchObject({
          customerNumber: "F0001",
          leadId: lead.id,
          name: "Nordlicht Logistik GmbH",
          amount: 25_000,
          currency: "EUR",
          stage: "prospecting",
          probability: 10,
          owner: "li.na"
        })
        expect(Option.getOrThrow(yield* owners.get(tenant, "F0001"))).toMatchObject({ owner: "li.na" })
        const customer = yield* (yield* serviceHandles).customers.display({ actor: lina, number: "F0001" })
        expect(customer.general).toMatchObject({ name: "Nordlicht Logistik GmbH", city: "Hamburg", email: "anna.berg@nordlicht.example" })
        expect(customer.contacts).toEqual([{ id: "0001", firstName: "Anna", lastName: "Berg", email: "anna.berg@nordlicht.example" }])
        // The lead's activity now shows on the account, still linked to the lead.
        expect(yield* activities.get({ actor: lina, id: activity.id })).toMatchObject({ customerNumber: "F0001", leadId: lead.id })
        expect((yield* activities.listForAccount({ actor: lina, account: { customerNumber: "F0001" } })).items.map((a) => a.id)).toEqual([
          activity.id
        ])
        expect(yield* failureOf(leads.convert({ actor: lina, id: lead.id, into: { kind: "prospect" } }))).toMatchObject({
          _tag: "StatusTransitionNotAllowed",
          from: "converted"
        })
        expect(yield* failureOf(leads.change({ actor: lina, id: lead.id, version: 4, lead: { company: "Late" } }))).toBeInstanceOf(
          SalesErrors.StatusTransitionNotAllowed
        )
      })
    )
  }),

  make("Leads.duplicates and convert into a prospect or into an existing customer with the person added as contact", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      salesConfig,
      Effect.gen(function* () {
        const { leads } = yield* sales
        const { customers, accounts } = yield* serviceHandles
        const manager = user(tenant, "manager")
        const lina = user(tenant, "li.na")
        const { customer } = yield* customers.create({
          actor: manager,
          accountGroup: "0004",
          general: { name: "Fjord AS", ...address, country: "DE", email: "post@fjord.example" },
          contacts: [{ lastName: "Dahl", email: "dahl@fjord.example" }]
        })
        yield* accounts.assignOwner({ actor: manager, customerNumber: customer.number, owner: "li.na" })
        const lead = yield* leads.create({
          actor: lina,
          lead: { company: "FJORD AS", lastName: "Holm", email: "holm@fjord.example", country: "FR", source: "event" }
        })
        const found = yield* leads.duplicates({ actor: lina, id: lead.id })
        expect(found.exact).toEqual([{ kind: "customer", customerNumber: customer.number, name: "Fjord AS", matchedOn: ["name"] }])
        // Core's check scores and explains the same customer.
        expect(found.scored.map((c) => c.number)).toEqual([customer.number])
        expect(found.scored[0]?.score).toBeGreaterThan(0.5)
        expect(found.scored[0]?.explanation.length).toBeGreaterThan(0)
        expect(yield* leads.duplicates({ actor: lina, lead: { email: "DAHL@fjord.example" } })).toEqual({
          scored: [],
          exact: [{ kind: "contact", customerNumber: customer.number, contactId: "0001", name: "Dahl", matchedOn: ["email"] }]
        })
        // Bo (own rule) may not see Li Na's account: no candidate, scored or exact.
        expect(
          yield* leads.duplicates({
            actor: user(tenant, "bo"),
            lead: { company: "Fjord AS", street: "Kai 3", city: "Hamburg", country: "DE" }
          })
        ).toEqual({ scored: [], exact: [] })
        expect(
          (yield* leads.duplicates({ actor: manager, lead: { company: "Fjord AS", city: "Hamburg", country: "DE" } })).scored
        ).toHaveLength(1)
        yield* leads.changeStatus({ actor: lina, id: lead.id, version: 1, status: "qualified" })
        const into = yield* leads.convert({
          actor: lina,
          id: lead.id,
          into: { kind: "existing", customerNumber: customer.number },
          opportunity: false
        })
        expect(into).toMatchObject({ customerNumber: customer.number, contactId: "0002" })
        expect(into.opportunity).toBeUndefined()
        const after = yield* customers.display({ actor: lina, number: customer.number })
        expect(after.contacts.map((c) => c.lastName)).toEqual(["Dahl", "Holm"])

        const other = yield* leads.create({ actor: lina, lead: { company: "Neu GmbH", lastName: "Kern", country: "FR", source: "web" } })
        yield* leads.changeStatus({ actor: lina, id: other.id, version: 1, status: "qualified" })
        const asProspect = yield* leads.convert({ actor: lina, id: other.id, into: { kind: "prospect" } })
        expect(asProspect).toMatchObject({ contactId: "0001" })
        const prospect = yield* accounts.getProspect({ actor: lina, id: asProspect.prospectId ?? "" })
        expect(prospect).toMatchObject({ name: "Neu GmbH", owner: "li.na", contacts: [{ id: "0001", lastName: "Kern" }] })
        expect(asProspect.opportunity).toMatchObject({ prospectId: prospect.id })
        expect(asProspect.opportunity?.customerNumber).toBeUndefined()
        // When the prospect becomes a customer, its opportunities follow it.
        const converted = yield* accounts.convertProspect({ actor: lina, id: prospect.id, accountGroup: "0004", general: address })
        expect(converted.opportunitiesMoved).toBe(1)
        const { opportunities } = yield* sales
        const moved = yield* opportunities.get({ actor: lina, id: asProspect.opportunity?.id ?? "" })
        expect(moved).toMatchObject({ customerNumber: converted.customer.number, prospectId: prospect.id, version: 2 })
        expect((yield* opportunities.list({ actor: lina, account: { customerNumber: converted.customer.number } })).items).toHaveLength(1)
      })
    )
  }),

  make("Opportunities: stage requirements, moves, close with configured reasons, reopen, history; failures write nothing", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      salesConfig,
      Effect.gen(function* () {
        const { opportunities } = yield* sales
        const { customers, accounts } = yield* serviceHandles
        const lina = user(tenant, "li.na")
        const { customer } = yield* customers.create({
          actor: lina,
          accountGroup: "0004",
          general: { name: "Fjord AS", ...address, country: "DE" },
          contacts: [{ lastName: "Dahl" }]
        })
        yield* accounts.assignOwner({ actor: lina, customerNumber: customer.number, owner: "li.na", territory: "DACH" })
        const account = { customerNumber: customer.number }
        expect(yield* failureOf(opportunities.create({ actor: lina, account, name: "Too early", stage: "qualification" }))).toMatchObject({
          _tag: "StageRequirementsMissing",
          missing: ["amount", "expectedCloseDate"]
        })
        expect(yield* failureOf(opportunities.create({ actor: lina, account, name: "X", stage: "nope" }))).toBeInstanceOf(
          Errors.ValidationFailed
        )
        expect(yield* failureOf(opportunities.create({ actor: lina, account, name: "X", amount: 5 }))).toBeInstanceOf(
          Errors.ValidationFailed
        )
        const deal = yield* opportunities.create({ actor: lina, account, name: "Fleet 2027" })
        expect(deal).toMatchObject({ stage: "prospecting", probability: 10, status: "open", owner: "li.na", territory: "DACH" })
        expect(yield* failureOf(opportunities.moveStage({ actor: lina, id: deal.id, version: 1, stage: "qualification" }))).toMatchObject({
          _tag: "StageRequirementsMissing",
          missing: ["amount", "expectedCloseDate"]
        })
        const priced = yield* opportunities.change({
          actor: lina,
          id: deal.id,
          version: 1,
          amount: 80_000,
          currency: "EUR",
          expectedCloseDate: "2027-03-31",
          decisionMakers: [{ contactId: "0001", role: "economic_buyer" }]
        })
        expect(
          yield* failureOf(
            opportunities.change({ actor: lina, id: deal.id, version: 2, decisionMakers: [{ contactId: "0009", role: "user" }] })
          )
        ).toBeInstanceOf(Errors.ValidationFailed)
        const qualified = yield* opportunities.moveStage({ actor: lina, id: deal.id, version: priced.version, stage: "qualification" })
        const proposal = yield* opportunities.moveStage({
          actor: lina,
          id: deal.id,
          version: qualified.version,
          stage: "proposal",
          probability: 40
        })
        expect(proposal).toMatchObject({ stage: "proposal", probability: 40, version: 4 })
        // Clearing a field the current stage requires is refused.
        expect(yield* failureOf(opportunities.change({ actor: lina, id: deal.id, version: 4, expectedCloseDate: null }))).toMatchObject({
          _tag: "StageRequirementsMissing",
          stage: "proposal"
        })
        expect(yield* failureOf(opportunities.close({ actor: lina, id: deal.id, version: 4, outcome: "lost" }))).toBeInstanceOf(
          Errors.ValidationFailed
        )
        const lost = yield* opportunities.close({
          actor: lina,
          id: deal.id,
          version: 4,
          outcome: "lost",
          reason: "price",
          closedOn: "2027-02-01"
        })
        expect(lost).toMatchObject({ status: "lost", probability: 0, closeReason: "price", expectedCloseDate: "2027-02-01" })
        expect(yield* failureOf(opportunities.moveStage({ actor: lina, id: deal.id, version: 5, stage: "commit" }))).toBeInstanceOf(
          SalesErrors.OpportunityClosed
        )
        const reopened = yield* opportunities.reopen({ actor: lina, id: deal.id, version: 5 })
        expect(reopened).toMatchObject({ status: "open", stage: "proposal", probability: 50 })
        expect(reopened.closeReason).toBeUndefined()
        const won = yield* opportunities.close({ actor: lina, id: deal.id, version: 6, outcome: "won", amount: 75_000 })
        expect(won).toMatchObject({ status: "won", probability: 100, amount: 75_000 })
        const history = yield* opportunities.history({ actor: lina, id: deal.id })
        expect(history.map((h) => [h.seq, h.change, h.stage, h.probability])).toEqual([
          [1, "created", "prospecting", 10],
          [2, "updated", "prospecting", 10],
          [3, "stage", "qualification", 20],
          [4, "stage", "proposal", 40],
          [5, "lost", "proposal", 0],
          [6, "reopened", "proposal", 50],
          [7, "won", "proposal", 100]
        ])
        // The account's timeline shows the creation, stage changes, loss, reopening and win (not plain updates), newest first.
        const { timeline } = yield* serviceHandles
        const changesOf = (items: ReadonlyArray<{ readonly kind: string }>) =>
          items.flatMap((e) => ("entry" in e && e.kind === "opportunity" ? [(e.entry as { change: string }).change] : []))
        const expected = ["won", "reopened", "lost", "stage", "stage", "created"]
        expect(changesOf((yield* timeline.entries({ actor: lina, account, limit: 50 })).items)).toEqual(expected)
        const paged: Array<string> = []
        let cursor: string | undefined
        do {
          const page = yield* timeline.entries({ actor: lina, account, limit: 2, cursor })
          paged.push(...changesOf(page.items))
          cursor = page.nextCursor
        } while (cursor !== undefined)
        expect(paged).toEqual(expected)
        expect(yield* failureOf(opportunities.get({ actor: user(tenant, "bo"), id: deal.id }))).toBeInstanceOf(
          SalesErrors.OpportunityNotFound
        )
        expect(yield* failureOf(opportunities.history({ actor: user(tenant, "bo"), id: deal.id }))).toBeInstanceOf(
          SalesErrors.OpportunityNotFound
        )
      })
    )
  }),

  make("Opportunities.forecast: weighted pipeline by period and dimension, as of a past date; hidden accounts never counted", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      salesConfig,
      Effect.gen(function* () {
        const { opportunities } = yield* sales
        const { customers, accounts } = yield* serviceHandles
        const manager = user(tenant, "manager")
        const lina = user(tenant, "li.na")
        const restricted = Actor.make({
          userId: "li.na",
          tenant,
          authorizationGroups: [],
          companyCodes: "*",
          salesOrganizations: "*",
          activities: "*"
        })
        const account = (name: string, owner: string, authorizationGroup?: string) =>
          Effect.gen(function* () {
            const { customer } = yield* customers.create({
              actor: manager,
              accountGroup: "0004",
              general: { name, ...address, country: "DE", ...(authorizationGroup === undefined ? {} : { authorizationGroup }) }
            })
            yield* accounts.assignOwner({ actor: manager, customerNumber: customer.number, owner })
            return { customerNumber: customer.number }
          })
        const mine = yield* account("Mine GmbH", "li.na")
        const grouped = yield* account("Grouped GmbH", "li.na", "G1")
        const bos = yield* account("Bo GmbH", "bo")
        const deal = (acc: { customerNumber: string }, amount: number, expectedCloseDate: string, probability?: number) =>
          opportunities.create({
            actor: manager,
            account: acc,
            name: `Deal ${amount}`,
            amount,
            currency: "EUR",
            expectedCloseDate,
            stage: "qualification",
            probability,
            owner: "li.na"
          })
        const a = yield* deal(mine, 10_000, "2027-01-20")
        yield* deal(mine, 4_000, "2027-05-02", 90)
        yield* deal(grouped, 1_000, "2027-02-10")
        yield* deal(bos, 50_000, "2027-01-05")
        yield* tick
        const before = new Date().toISOString()
        yield* tick
        yield* opportunities.close({ actor: manager, id: a.id, version: 1, outcome: "won", closedOn: "2027-03-15" })

        const all = yield* opportunities.forecast({ actor: manager, period: "quarter" })
        expect(all.rows).toEqual([
          {
            period: "2027-Q1",
            key: "",
            currency: "EUR",
            open: { count: 2, amount: 51_000, weighted: 10_200 },
            won: { count: 1, amount: 10_000 },
            forecast: 20_200
          },
          {
            period: "2027-Q2",
            key: "",
            currency: "EUR",
            open: { count: 1, amount: 4_000, weighted: 3_600 },
            won: { count: 0, amount: 0 },
            forecast: 3_600
          }
        ])
        expect(all.totals).toEqual([
          { currency: "EUR", open: { count: 3, amount: 55_000, weighted: 13_800 }, won: { count: 1, amount: 10_000 }, forecast: 23_800 }
        ])
        // Li Na (own rule) does not see Bo's account; without group G1 she does not see "Grouped" either.
        const hers = yield* opportunities.forecast({ actor: lina, period: "year" })
        expect(hers.totals).toEqual([
          { currency: "EUR", open: { count: 2, amount: 5_000, weighted: 3_800 }, won: { count: 1, amount: 10_000 }, forecast: 13_800 }
        ])
        const narrow = yield* opportunities.forecast({ actor: restricted, period: "year" })
        expect(narrow.totals).toEqual([
          { currency: "EUR", open: { count: 1, amount: 4_000, weighted: 3_600 }, won: { count: 1, amount: 10_000 }, forecast: 13_600 }
        ])
        const byStage = yield* opportunities.forecast({ actor: manager, period: "year", by: "stage", closeFrom: "2027-02-01" })
        expect(byStage.rows.map((r) => [r.key, r.open.count, r.won.count])).toEqual([["qualification", 2, 1]])
        // As it stood before the win: the deal was open in January at 20 %.
        const then = yield* opportunities.forecast({ actor: manager, period: "month", asOf: before })
        expect(then.asOf).toBe(before)
        expect(then.rows.map((r) => [r.period, r.open.amount, r.open.weighted, r.won.amount])).toEqual([
          ["2027-01", 60_000, 12_000, 0],
          ["2027-02", 1_000, 200, 0],
          ["2027-05", 4_000, 3_600, 0]
        ])
        expect((yield* opportunities.forecast({ actor: manager, asOf: "2020-01-01T00:00:00Z" })).rows).toEqual([])
        expect((yield* opportunities.list({ actor: lina })).items.map((o) => o.customerNumber).sort()).toEqual(
          [grouped.customerNumber, mine.customerNumber, mine.customerNumber].sort()
        )
        expect(yield* failureOf(opportunities.create({ actor: lina, account: bos, name: "Sneaky" }))).toMatchObject({
          _tag: "AccountNotFound"
        })
      })
    )
  })
]
