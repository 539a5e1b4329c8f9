/**
 * The CRM services of `@partnerkit/crm` on the store under test: conversion through core,
 * follow-ups, the timeline, the 360° view, and the authorization test over every read path.
 *
 * @internal
 */
import { Actor, CustomerStore, Errors, NumberRangeStore } from "@partnerkit/core"
import { type Activity, ContactPreference, CrmErrors } from "@partnerkit/crm"
import { Effect, Option } from "effect"
import { expect } from "vitest"
import * as F from "../../Fixtures.js"
import { type Case, failureOf, make } from "../Case.js"
import { all, crmPorts, hoursLater, type StorePorts, serviceHandles, user, withServices } from "./Support.js"

const address = { street: "Kai 3", postalCode: "20457", city: "Hamburg", country: "DE" }

export const cases: ReadonlyArray<Case<StorePorts>> = [
  make("Accounts.convertProspect: a customer through Customers.create, ownership, prospect linked, activities moved", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      { visibility: { rule: "team" }, teams: { NORTH: { members: ["li.na", "bo"] } } },
      Effect.gen(function* () {
        const { customers, accounts, activities } = yield* serviceHandles
        const lina = user(tenant, "li.na")
        const prospect = yield* accounts.createProspect({
          actor: lina,
          prospect: { name: "Nordlicht Logistik GmbH", ...address, contacts: [{ lastName: "Berg", firstName: "Anna" }] },
          team: "NORTH"
        })
        expect(prospect).toMatchObject({ status: "open", owner: "li.na", team: "NORTH", version: 1 })
        expect(prospect.contacts).toEqual([{ id: "0001", lastName: "Berg", firstName: "Anna" }])
        const call = yield* activities.create({
          actor: lina,
          account: { prospectId: prospect.id },
          kind: "call",
          subject: "First call",
          contactId: "0001"
        })
        expect(call).toMatchObject({ prospectId: prospect.id, status: "open" })
        expect(call.customerNumber).toBeUndefined()

        const conversion = yield* accounts.convertProspect({
          actor: lina,
          id: prospect.id,
          accountGroup: "0004",
          general: { language: "de" }
        })
        expect(conversion.customer.number).toBe("F0001")
        expect(conversion.customer.general).toMatchObject({ name: "Nordlicht Logistik GmbH", city: "Hamburg", language: "de" })
        expect(conversion.customer.contacts).toEqual([{ id: "0001", lastName: "Berg", firstName: "Anna" }])
        expect(conversion.prospect).toMatchObject({ status: "converted", convertedTo: "F0001", convertedBy: "li.na", version: 2 })
        expect(conversion.ownership).toMatchObject({ customerNumber: "F0001", owner: "li.na", team: "NORTH", version: 1 })
        expect(conversion.activitiesMoved).toBe(1)
        const docs = yield* customers.changeDocuments({ actor: lina, number: "F0001" })
        expect(docs.items.map((d) => d.operation)).toEqual(["create"])
        const moved = yield* activities.get({ actor: lina, id: call.id })
        expect(moved).toMatchObject({ customerNumber: "F0001", prospectId: prospect.id })
        // The prospect stays, as history.
        expect(yield* accounts.getProspect({ actor: lina, id: prospect.id })).toEqual(conversion.prospect)
        const again = yield* failureOf(accounts.convertProspect({ actor: lina, id: prospect.id, accountGroup: "0004" }))
        expect(again).toBeInstanceOf(CrmErrors.ProspectAlreadyConverted)
        // Activities logged on the converted prospect go to the customer.
        const later = yield* activities.create({ actor: lina, account: { prospectId: prospect.id }, kind: "note", subject: "Converted" })
        expect(later).toMatchObject({ customerNumber: "F0001", status: "completed" })
      })
    )
  }),

  make("Accounts.convertProspect: a failed conversion writes nothing (no customer, number, ownership, link)", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      {},
      Effect.gen(function* () {
        const { accounts, activities } = yield* serviceHandles
        const { owners } = yield* crmPorts
        const ranges = yield* NumberRangeStore
        const actor = user(tenant, "li.na")
        // No street, postal code or city: the payer account group requires them.
        const prospect = yield* accounts.createProspect({ actor, prospect: { name: "Halbfertig GmbH", country: "DE" } })
        const call = yield* activities.create({ actor, account: { prospectId: prospect.id }, kind: "call", subject: "Hello" })
        const failure = yield* failureOf(accounts.convertProspect({ actor, id: prospect.id, accountGroup: "0004" }))
        expect(failure).toBeInstanceOf(Errors.ValidationFailed)
        expect(yield* accounts.getProspect({ actor, id: prospect.id })).toEqual(prospect)
        expect((yield* activities.get({ actor, id: call.id })).customerNumber).toBeUndefined()
        expect(Option.isNone(yield* owners.get(tenant, "F0001"))).toBe(true)
        expect(Option.isNone(yield* ranges.last(tenant, "F"))).toBe(true)
        const unknown = yield* failureOf(accounts.convertProspect({ actor, id: "P-none", accountGroup: "0004" }))
        expect(unknown).toBeInstanceOf(CrmErrors.AccountNotFound)
      })
    )
  }),

  make("Accounts: ownership claims, scope checks, versions; contact preferences per account and contact person", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      { visibility: { rule: "own" }, teams: { NORTH: { members: ["li.na"] } } },
      Effect.gen(function* () {
        const { customers, accounts } = yield* serviceHandles
        const admin = Actor.superUser(tenant, "admin")
        const lina = user(tenant, "li.na")
        const bo = user(tenant, "bo")
        const { customer } = yield* customers.create({
          actor: admin,
          accountGroup: "0004",
          general: { name: "Fjord AS", ...address },
          contacts: [{ lastName: "Dahl" }]
        })
        expect(yield* failureOf(accounts.getAccount({ actor: lina, customerNumber: customer.number }))).toBeInstanceOf(
          CrmErrors.AccountNotFound
        )
        const claimed = yield* accounts.assignOwner({ actor: lina, customerNumber: customer.number, owner: "li.na", team: "NORTH" })
        expect(claimed).toMatchObject({ owner: "li.na", team: "NORTH", version: 1 })
        expect((yield* accounts.getAccount({ actor: lina, customerNumber: customer.number })).ownership).toEqual(claimed)
        // Bo may not take an account outside his scope.
        expect(yield* failureOf(accounts.assignOwner({ actor: bo, customerNumber: customer.number, owner: "bo" }))).toBeInstanceOf(
          CrmErrors.AccountNotFound
        )
        expect(
          yield* failureOf(accounts.assignOwner({ actor: lina, customerNumber: customer.number, owner: "bo", version: 7 }))
        ).toBeInstanceOf(Errors.VersionConflict)
        expect(
          yield* failureOf(accounts.assignOwner({ actor: lina, customerNumber: customer.number, owner: "bo", team: "SOUTH" }))
        ).toBeInstanceOf(Errors.ValidationFailed)
        yield* accounts.setContactPreference({
          actor: lina,
          customerNumber: customer.number,
          channel: "email",
          consent: "granted",
          since: "2024-03-01"
        })
        yield* accounts.setContactPreference({
          actor: lina,
          customerNumber: customer.number,
          contactId: "0001",
          channel: "email",
          consent: "denied"
        })
        expect(
          yield* failureOf(
            accounts.setContactPreference({
              actor: lina,
              customerNumber: customer.number,
              contactId: "0009",
              channel: "phone",
              consent: "granted"
            })
          )
        ).toBeInstanceOf(Errors.ValidationFailed)
        const prefs = yield* accounts.contactPreferences({ actor: lina, customerNumber: customer.number })
        expect(prefs.map((p) => `${p.contactId ?? "-"} ${p.channel} ${p.consent}`)).toEqual(["- email granted", "0001 email denied"])
        expect(ContactPreference.consentFor(prefs, "email")).toBe("granted")
        expect(ContactPreference.consentFor(prefs, "email", "0001")).toBe("denied")
        expect(ContactPreference.consentFor(prefs, "phone", "0001")).toBe("unknown")
        expect(yield* failureOf(accounts.contactPreferences({ actor: bo, customerNumber: customer.number }))).toBeInstanceOf(
          CrmErrors.AccountNotFound
        )
        const handed = yield* accounts.assignOwner({ actor: lina, customerNumber: customer.number, owner: "bo", version: 1 })
        expect(handed).toMatchObject({ owner: "bo", version: 2 })
        expect(yield* failureOf(accounts.getAccount({ actor: lina, customerNumber: customer.number }))).toBeInstanceOf(
          CrmErrors.AccountNotFound
        )
        expect((yield* accounts.listAccounts({ actor: bo })).items.map((a) => a.customer.number)).toEqual([customer.number])
      })
    )
  }),

  make("Activities.followUps: overdue and due soon by due time, for the actor's open activities; window configurable", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      { visibility: { rule: "all" }, followUps: { dueSoonHours: 24 } },
      Effect.gen(function* () {
        const { customers, activities } = yield* serviceHandles
        const actor = user(tenant, "li.na")
        const { customer } = yield* customers.create({ actor, accountGroup: "0004", general: { name: "Fjord AS", ...address } })
        const account = { customerNumber: customer.number }
        const asOf = hoursLater(100)
        const log = (subject: string, dueInHours: number | undefined, extra: Partial<Activity.CreateActivityInput> = {}) =>
          activities.create({
            actor,
            account,
            kind: "task",
            subject,
            dueAt: dueInHours === undefined ? undefined : hoursLater(100 + dueInHours),
            ...extra
          })
        yield* log("overdue 2", -2)
        yield* log("overdue 30", -30)
        yield* log("soon 5", 5)
        yield* log("soon 23", 23)
        yield* log("later 25", 25)
        yield* log("undated", undefined)
        yield* log("someone else's", 1, { owner: "bo" })
        const done = yield* log("done", -1)
        yield* activities.complete({ actor, id: done.id, outcome: "sent" })
        const cancelled = yield* log("cancelled", 1)
        yield* activities.cancel({ actor, id: cancelled.id })

        const mine = yield* activities.followUps({ actor, asOf })
        expect(mine.overdue.map((a) => a.subject)).toEqual(["overdue 30", "overdue 2"])
        expect(mine.dueSoon.map((a) => a.subject)).toEqual(["soon 5", "soon 23"])
        expect(mine).toMatchObject({ asOf, dueSoonUntil: hoursLater(124), truncated: false })
        const wider = yield* activities.followUps({ actor, asOf, dueSoonHours: 48 })
        expect(wider.dueSoon.map((a) => a.subject)).toEqual(["soon 5", "soon 23", "later 25"])
        const everyone = yield* activities.followUps({ actor, asOf, owner: "any" })
        expect(everyone.dueSoon.map((a) => a.subject)).toEqual(["someone else's", "soon 5", "soon 23"])
        const bos = yield* activities.followUps({ actor, asOf, owner: "bo" })
        expect(bos.dueSoon.map((a) => a.subject)).toEqual(["someone else's"])
        const capped = yield* activities.followUps({ actor, asOf, limit: 3 })
        expect([...capped.overdue, ...capped.dueSoon].map((a) => a.subject)).toEqual(["overdue 30", "overdue 2", "soon 5"])
        expect(capped.truncated).toBe(true)
        expect(yield* failureOf(activities.complete({ actor, id: done.id }))).toBeInstanceOf(CrmErrors.ActivityClosed)
      })
    )
  }),

  make("Timeline: activities and change documents merged newest first; pages cover every entry exactly once", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      { visibility: { rule: "all" } },
      Effect.gen(function* () {
        const { customers, activities, timeline } = yield* serviceHandles
        const actor = user(tenant, "li.na")
        const created = yield* customers.create({ actor, accountGroup: "0004", general: { name: "Fjord AS", ...address } })
        let version = created.customer.version
        for (let i = 0; i < 4; i++) {
          version = (yield* customers.change({ actor, number: created.customer.number, version, general: { phone: `+49 40 1234560${i}` } }))
            .customer.version
        }
        const account = { customerNumber: created.customer.number }
        // Activities around and between the change documents (now) and far in the past and future.
        for (let i = 0; i < 5; i++) {
          yield* activities.create({ actor, account, kind: "call", subject: `past ${i}`, status: "completed", completedAt: hoursLater(i) })
        }
        yield* activities.create({ actor, account, kind: "meeting", subject: "future", dueAt: "2999-01-01T00:00:00Z" })
        const first = yield* timeline.entries({ actor, account, limit: 100 })
        expect(first.nextCursor).toBeUndefined()
        expect(first.items.length).toBe(11)
        const ats = first.items.map((e) => e.at)
        expect(ats).toEqual([...ats].sort().reverse())
        expect(first.items[0]).toMatchObject({ kind: "activity", activity: { subject: "future" } })
        expect(first.items.filter((e) => e.kind === "change").map((e) => (e.kind === "change" ? e.document.changeNumber : 0))).toEqual([
          5, 4, 3, 2, 1
        ])
        expect(first.items.at(-1)).toMatchObject({ kind: "activity", activity: { subject: "past 0" } })
        for (const size of [1, 2, 3, 4]) {
          const seen: Array<string> = []
          let cursor: string | undefined
          do {
            const page = yield* timeline.entries({ actor, account, limit: size, cursor })
            expect(page.items.length).toBeLessThanOrEqual(size)
            for (const e of page.items)
              seen.push(
                e.kind === "activity"
                  ? e.activity.id
                  : e.kind === "change"
                    ? `doc ${e.document.changeNumber}`
                    : e.kind === "ticket"
                      ? `event ${e.event.ticketId}`
                      : `opportunity ${e.entry.opportunityId} ${e.entry.seq}`
              )
            cursor = page.nextCursor
          } while (cursor !== undefined)
          expect(seen).toEqual(
            first.items.map((e) =>
              e.kind === "activity"
                ? e.activity.id
                : e.kind === "change"
                  ? `doc ${e.document.changeNumber}`
                  : e.kind === "ticket"
                    ? `event ${e.event.ticketId}`
                    : `opportunity ${e.entry.opportunityId} ${e.entry.seq}`
            )
          )
        }
        expect(yield* failureOf(timeline.entries({ actor, account, cursor: "not-a-cursor" }))).toBeInstanceOf(Errors.ValidationFailed)
      })
    )
  }),

  make("Account360.view: visible master data, contacts with preferences, open activities, follow-ups, timeline, key figures", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      { visibility: { rule: "own" } },
      Effect.gen(function* () {
        const { customers, accounts, activities, views } = yield* serviceHandles
        const admin = Actor.superUser(tenant, "admin")
        const lina = user(tenant, "li.na", ["G1"])
        const { customer } = yield* customers.create({
          actor: admin,
          accountGroup: "0004",
          general: { name: "Fjord AS", ...address },
          companyCodes: [
            { companyCode: "1000", reconciliationAccount: "140000", paymentTerms: "Z030" },
            { companyCode: "2000", reconciliationAccount: "140000", paymentTerms: "Z030", authorizationGroup: "G2" }
          ],
          contacts: [{ lastName: "Dahl" }, { lastName: "Berg" }]
        })
        yield* accounts.assignOwner({ actor: admin, customerNumber: customer.number, owner: "li.na" })
        yield* accounts.setContactPreference({
          actor: lina,
          customerNumber: customer.number,
          contactId: "0002",
          channel: "visit",
          consent: "granted"
        })
        const account = { customerNumber: customer.number }
        const asOf = hoursLater(240)
        yield* activities.create({ actor: lina, account, kind: "visit", subject: "Visit", status: "completed", completedAt: hoursLater(0) })
        yield* activities.create({ actor: lina, account, kind: "note", subject: "Note", completedAt: hoursLater(200) })
        yield* activities.create({ actor: lina, account, kind: "call", subject: "Overdue call", dueAt: hoursLater(230) })
        yield* activities.create({ actor: lina, account, kind: "task", subject: "Soon", dueAt: hoursLater(250), owner: "bo" })
        yield* activities.create({ actor: lina, account, kind: "task", subject: "Someday" })
        const view = yield* views.view({ actor: lina, customerNumber: customer.number, asOf, timelineLimit: 3 })
        expect(view.customer.companyCodes.map((c) => c.companyCode)).toEqual(["1000"])
        expect(view.ownership).toMatchObject({ owner: "li.na" })
        expect(view.contacts.map((c) => [c.contact.lastName, c.preferences.map((p) => p.channel)])).toEqual([
          ["Dahl", []],
          ["Berg", ["visit"]]
        ])
        expect(view.preferences).toEqual([])
        expect(view.openActivities.map((a) => a.subject)).toEqual(["Overdue call", "Soon", "Someday"])
        expect(view.followUps.overdue.map((a) => a.subject)).toEqual(["Overdue call"])
        expect(view.followUps.dueSoon.map((a) => a.subject)).toEqual(["Soon"])
        expect(view.timeline.items.length).toBe(3)
        expect(view.timeline.nextCursor).toBeDefined()
        expect(view.keyFigures).toEqual({
          daysSinceLastContact: 10,
          lastContactAt: hoursLater(0),
          activities: { total: 5, open: 3, overdue: 1, completed: 2, cancelled: 0, lastContactAt: hoursLater(0) },
          pipeline: [],
          year: 2024,
          wonThisYear: [],
          // Nothing won: the lowest score on every dimension; contacted 10 days ago: no churn rule fires.
          rfm: { recency: 1, frequency: 1, monetary: 1, class: "R1F1M1", lastWonOn: null },
          churnRisk: { flagged: false, rules: [] }
        })
        expect(view.openOpportunities).toEqual([])
        const fresh = yield* customers.create({ actor: admin, accountGroup: "0004", general: { name: "Neu AS", ...address } })
        yield* accounts.assignOwner({ actor: admin, customerNumber: fresh.customer.number, owner: "li.na" })
        expect((yield* views.view({ actor: lina, customerNumber: fresh.customer.number })).keyFigures.daysSinceLastContact).toBeNull()
      })
    )
  }),

  make("Authorization: no read path shows or counts an account hidden by authorization group or by the CRM rule", () => {
    const tenant = F.tenantId()
    return withServices(
      tenant,
      {
        visibility: { rule: "team", unrestrictedUsers: ["admin"] },
        teams: { NORTH: { members: ["li.na", "bo"] }, SOUTH: { members: ["eva"] } }
      },
      Effect.gen(function* () {
        const { customers, accounts, activities, timeline, views } = yield* serviceHandles
        const store = yield* CustomerStore
        const admin = Actor.superUser(tenant, "admin")
        const lina = user(tenant, "li.na", ["G1"])
        const create = (name: string, group?: string) =>
          Effect.map(
            customers.create({
              actor: admin,
              accountGroup: "0004",
              general: { name, ...address, ...(group === undefined ? {} : { authorizationGroup: group }) }
            }),
            (r) => r.customer.number
          )
        const mine = yield* create("Mine")
        const team = yield* create("Team's")
        const otherTeam = yield* create("Other team's")
        const secret = yield* create("Secret", "G2") // Li Na's own, but group G2
        const unowned = yield* create("Unowned")
        yield* accounts.assignOwner({ actor: admin, customerNumber: mine, owner: "li.na" })
        yield* accounts.assignOwner({ actor: admin, customerNumber: team, owner: "bo", team: "NORTH" })
        yield* accounts.assignOwner({ actor: admin, customerNumber: otherTeam, owner: "eva", team: "SOUTH" })
        yield* accounts.assignOwner({ actor: admin, customerNumber: secret, owner: "li.na" })
        const visible = [mine, team]
        const hidden = [otherTeam, secret, unowned]
        const ids: Record<string, string> = {}
        for (const number of [...visible, ...hidden]) {
          const a = yield* activities.create({
            actor: admin,
            account: { customerNumber: number },
            kind: "call",
            subject: `call ${number}`,
            owner: "li.na",
            dueAt: hoursLater(1)
          })
          yield* activities.create({
            actor: admin,
            account: { customerNumber: number },
            kind: "visit",
            subject: "visit",
            owner: "li.na",
            status: "completed",
            completedAt: hoursLater(0)
          })
          ids[number] = a.id
        }
        const hiddenProspect = yield* accounts.createProspect({ actor: admin, prospect: { name: "Eva's lead" }, owner: "eva" })
        const secretProspect = yield* accounts.createProspect({
          actor: admin,
          prospect: { name: "Secret lead", authorizationGroup: "G2" },
          owner: "li.na"
        })
        const ownProspect = yield* accounts.createProspect({ actor: lina, prospect: { name: "Own lead" } })
        for (const p of [hiddenProspect, secretProspect, ownProspect]) {
          yield* activities.create({
            actor: admin,
            account: { prospectId: p.id },
            kind: "task",
            subject: `task ${p.name}`,
            owner: "li.na",
            dueAt: hoursLater(2)
          })
        }

        // Follow-ups: only the visible accounts' activities, counted and listed.
        const followUps = yield* activities.followUps({ actor: lina, asOf: hoursLater(0.5), owner: "any" })
        expect(followUps.dueSoon.map((a) => a.subject).sort()).toEqual([`call ${mine}`, `call ${team}`, "task Own lead"].sort())
        expect(followUps.overdue).toEqual([])
        // Lists.
        expect((yield* accounts.listAccounts({ actor: lina })).items.map((a) => a.customer.number)).toEqual(visible)
        expect((yield* accounts.listProspects({ actor: lina })).items.map((p) => p.name)).toEqual(["Own lead"])
        for (const number of hidden) {
          const account = { customerNumber: number }
          // 360°, timeline, activity lists, single reads, preferences: all "not found".
          expect(yield* failureOf(views.view({ actor: lina, customerNumber: number }))).toBeInstanceOf(CrmErrors.AccountNotFound)
          expect(yield* failureOf(timeline.entries({ actor: lina, account }))).toBeInstanceOf(CrmErrors.AccountNotFound)
          expect(yield* failureOf(activities.listForAccount({ actor: lina, account }))).toBeInstanceOf(CrmErrors.AccountNotFound)
          expect(yield* failureOf(activities.get({ actor: lina, id: ids[number]! }))).toBeInstanceOf(CrmErrors.ActivityNotFound)
          expect(yield* failureOf(accounts.getAccount({ actor: lina, customerNumber: number }))).toBeInstanceOf(CrmErrors.AccountNotFound)
          expect(yield* failureOf(accounts.contactPreferences({ actor: lina, customerNumber: number }))).toBeInstanceOf(
            CrmErrors.AccountNotFound
          )
          expect(yield* failureOf(activities.create({ actor: lina, account, kind: "note", subject: "sneaky" }))).toBeInstanceOf(
            CrmErrors.AccountNotFound
          )
        }
        for (const p of [hiddenProspect, secretProspect]) {
          expect(yield* failureOf(accounts.getProspect({ actor: lina, id: p.id }))).toBeInstanceOf(CrmErrors.AccountNotFound)
          expect(yield* failureOf(timeline.entries({ actor: lina, account: { prospectId: p.id } }))).toBeInstanceOf(
            CrmErrors.AccountNotFound
          )
          expect(yield* failureOf(accounts.convertProspect({ actor: lina, id: p.id, accountGroup: "0004" }))).toBeInstanceOf(
            CrmErrors.AccountNotFound
          )
        }
        // What she sees, she sees whole, and counts include only her accounts' activities.
        for (const number of visible) {
          const view = yield* views.view({ actor: lina, customerNumber: number, asOf: hoursLater(0.5) })
          expect(view.keyFigures.activities).toMatchObject({ total: 2, open: 1, completed: 1 })
          expect(view.followUps.dueSoon.map((a) => a.subject)).toEqual([`call ${number}`])
          const entries = yield* timeline.entries({ actor: lina, account: { customerNumber: number } })
          expect(entries.items.filter((e) => e.kind === "activity").length).toBe(2)
          expect((yield* activities.listForAccount({ actor: lina, account: { customerNumber: number } })).items.length).toBe(2)
        }
        // Core's own view agrees: the secret customer is hidden by its group.
        expect(Option.isNone(yield* store.get(tenant, secret, Actor.visibility(lina)))).toBe(true)
        // Admin (no restriction) sees everything.
        expect((yield* accounts.listAccounts({ actor: admin })).items.length).toBe(4)
        expect((yield* activities.followUps({ actor: admin, asOf: hoursLater(0.5), owner: "any" })).dueSoon.length).toBe(8)
        const ports = yield* crmPorts
        expect((yield* ports.activities.open({ tenant, visibility: all, limit: 100 })).length).toBe(8)
      })
    )
  })
]
