import { Actor, Errors, Presets } from "@partnerkit/core"
import { ContactPreference, CrmErrors, createCrm } from "@partnerkit/crm"
import { MemoryCrmStore } from "@partnerkit/storage-memory"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

describe("createCrm: the Promise door", () => {
  let crm: Awaited<ReturnType<typeof createCrm>>
  const admin = Actor.superUser("acme", "admin")
  const lina = Actor.make({
    userId: "li.na",
    tenant: "acme",
    authorizationGroups: ["G1"],
    companyCodes: "*",
    salesOrganizations: "*",
    activities: "*"
  })

  beforeAll(async () => {
    crm = await createCrm({
      customizing: Presets.standard("acme"),
      storage: MemoryCrmStore.layer(),
      config: { visibility: { rule: "own", unrestrictedUsers: ["admin"] } }
    })
  })
  afterAll(() => crm.close())

  it("runs a prospect through conversion, activities, follow-ups, timeline and the 360° view", async () => {
    const prospect = await crm.accounts.createProspect({
      actor: lina,
      prospect: { name: "Nordlicht Logistik GmbH", street: "Kai 3", postalCode: "20457", city: "Hamburg", country: "DE" }
    })
    await crm.activities.create({
      actor: lina,
      account: { prospectId: prospect.id },
      kind: "call",
      subject: "Intro call",
      status: "completed"
    })
    const { customer, activitiesMoved } = await crm.accounts.convertProspect({ actor: lina, id: prospect.id, accountGroup: "0004" })
    expect(activitiesMoved).toBe(1)
    await crm.activities.create({
      actor: lina,
      account: { customerNumber: customer.number },
      kind: "task",
      subject: "Send offer",
      dueAt: "2020-01-01T00:00:00Z"
    })
    const followUps = await crm.activities.followUps({ actor: lina })
    expect(followUps.overdue.map((a) => a.subject)).toEqual(["Send offer"])
    const view = await crm.account360.view({ actor: lina, customerNumber: customer.number })
    expect(view.keyFigures.activities).toMatchObject({ total: 2, open: 1, overdue: 1 })
    expect(view.keyFigures.daysSinceLastContact).toBe(0)
    const timeline = await crm.timeline.entries({ actor: lina, account: { customerNumber: customer.number } })
    expect(timeline.items.map((e) => e.kind).sort()).toEqual(["activity", "activity", "change"])
    // Core's door on the same store sees the customer.
    expect((await crm.customers.display({ actor: admin, number: customer.number })).general.name).toBe("Nordlicht Logistik GmbH")
  })

  it("rejects with the typed errors", async () => {
    await expect(crm.accounts.getProspect({ actor: lina, id: "P-missing" })).rejects.toBeInstanceOf(CrmErrors.AccountNotFound)
    await expect(crm.activities.get({ actor: lina, id: "A-missing" })).rejects.toBeInstanceOf(CrmErrors.ActivityNotFound)
    await expect(crm.accounts.createProspect({ actor: lina, prospect: { name: "" } })).rejects.toBeInstanceOf(Errors.ValidationFailed)
    await expect(crm.accounts.createProspect({ actor: { ...lina, tenant: "other" }, prospect: { name: "X" } })).rejects.toMatchObject({
      _tag: "NotAuthorized",
      reason: "tenant"
    })
    await expect(
      crm.accounts.createProspect({ actor: { ...lina, activities: ["display"] }, prospect: { name: "X" } })
    ).rejects.toMatchObject({ _tag: "NotAuthorized", reason: "activity" })
    await expect(crm.accounts.createProspect({ actor: lina, prospect: { name: "X", authorizationGroup: "G9" } })).rejects.toMatchObject({
      _tag: "NotAuthorized",
      reason: "authorizationGroup"
    })
    await expect(crm.accounts.listProspects({ actor: lina, cursor: "garbage" })).rejects.toBeInstanceOf(Errors.ValidationFailed)
  })

  it("changes prospects with optimistic versions and refuses converted ones", async () => {
    const p = await crm.accounts.createProspect({ actor: lina, prospect: { name: "Fjord AS", contacts: [{ lastName: "Dahl" }] } })
    const changed = await crm.accounts.changeProspect({
      actor: lina,
      id: p.id,
      version: 1,
      prospect: { city: "Bergen", contacts: [{ lastName: "Dahl" }, { lastName: "Berg" }] }
    })
    expect(changed).toMatchObject({ city: "Bergen", version: 2 })
    expect(changed.contacts.map((c) => c.id)).toEqual(["0001", "0002"])
    await expect(crm.accounts.changeProspect({ actor: lina, id: p.id, version: 1, prospect: { city: "Oslo" } })).rejects.toBeInstanceOf(
      Errors.VersionConflict
    )
    const listed = await crm.accounts.listProspects({ actor: lina, limit: 1 })
    expect(listed.items.length).toBe(1)
    expect(listed.nextCursor).toBeDefined()
  })

  it("activities: change, complete, cancel with versions and closed checks", async () => {
    const p = await crm.accounts.createProspect({ actor: lina, prospect: { name: "Kiel GmbH" } })
    const a = await crm.activities.create({
      actor: lina,
      account: { prospectId: p.id },
      kind: "meeting",
      subject: "Demo",
      dueAt: "2030-05-01T10:00:00+02:00"
    })
    expect(a.dueAt).toBe("2030-05-01T08:00:00.000Z")
    expect(a.at).toBe(a.dueAt)
    const moved = await crm.activities.change({ actor: lina, id: a.id, version: 1, dueAt: "2030-05-02T08:00:00Z", notes: "bring samples" })
    expect(moved).toMatchObject({ version: 2, dueAt: "2030-05-02T08:00:00.000Z", notes: "bring samples" })
    await expect(crm.activities.change({ actor: lina, id: a.id, version: 1, subject: "x" })).rejects.toBeInstanceOf(Errors.VersionConflict)
    const done = await crm.activities.complete({ actor: lina, id: a.id, outcome: "Interested", completedAt: "2030-05-02T09:00:00Z" })
    expect(done).toMatchObject({ status: "completed", outcome: "Interested", at: "2030-05-02T09:00:00.000Z" })
    await expect(crm.activities.cancel({ actor: lina, id: a.id })).rejects.toBeInstanceOf(CrmErrors.ActivityClosed)
    await expect(crm.activities.change({ actor: lina, id: a.id, version: 3, dueAt: null })).rejects.toBeInstanceOf(CrmErrors.ActivityClosed)
    const renamed = await crm.activities.change({ actor: lina, id: a.id, version: 3, notes: null })
    expect(renamed.notes).toBeUndefined()
    const page = await crm.activities.listForAccount({ actor: lina, account: { prospectId: p.id } })
    expect(page.items.map((x) => x.id)).toEqual([a.id])
  })

  it("ContactPreference.consentFor: the contact's own, else the account's, else unknown", () => {
    const base = { tenant: "acme", customerNumber: "C1", since: "2024-01-01", changedBy: "x", changedAt: "2024-01-01T00:00:00Z" }
    const prefs: Array<ContactPreference.ContactPreference> = [
      { ...base, channel: "email", consent: "granted" },
      { ...base, channel: "email", contactId: "0001", consent: "withdrawn" }
    ]
    expect(ContactPreference.consentFor(prefs, "email", "0001")).toBe("withdrawn")
    expect(ContactPreference.consentFor(prefs, "email", "0002")).toBe("granted")
    expect(ContactPreference.consentFor(prefs, "mail")).toBe("unknown")
  })

  it("refuses an invalid configuration at start", async () => {
    await expect(
      createCrm({ customizing: Presets.standard("acme"), storage: MemoryCrmStore.layer(), config: { followUps: { dueSoonHours: -1 } } })
    ).rejects.toBeInstanceOf(CrmErrors.InvalidCrmConfig)
  })
})

describe("converted prospects", () => {
  it("refuse changes after conversion", async () => {
    const crm = await createCrm({ customizing: Presets.standard("acme"), storage: MemoryCrmStore.layer() })
    try {
      const actor = Actor.superUser("acme", "li.na")
      const p = await crm.accounts.createProspect({
        actor,
        prospect: { name: "Nordlicht Logistik GmbH", street: "Kai 3", postalCode: "20457", city: "Hamburg", country: "DE" }
      })
      await crm.accounts.convertProspect({ actor, id: p.id, version: 1, accountGroup: "0004" })
      await expect(crm.accounts.changeProspect({ actor, id: p.id, version: 2, prospect: { city: "Kiel" } })).rejects.toBeInstanceOf(
        CrmErrors.ProspectAlreadyConverted
      )
      const open = await crm.accounts.listProspects({ actor, status: "open" })
      expect(open.items).toEqual([])
    } finally {
      await crm.close()
    }
  })
})
