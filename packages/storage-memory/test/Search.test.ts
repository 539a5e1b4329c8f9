import { Actor, createPartnerKit, Errors, Presets } from "@partnerkit/core"
import { MemoryStore } from "@partnerkit/storage-memory"
import { expect, it } from "vitest"

it("kit.customers.search: the Promise door finds, pages and rejects with the typed error", async () => {
  const kit = await createPartnerKit({ customizing: Presets.standard("acme"), storage: MemoryStore.layer() })
  try {
    const actor = Actor.superUser("acme", "jane")
    const address = { street: "Hauptstraße 1", postalCode: "80331", city: "München", country: "DE" }
    await kit.customers.create({ actor, accountGroup: "0004", general: { name: "Müller Maschinenbau GmbH", ...address } })
    await kit.customers.create({
      actor,
      accountGroup: "0004",
      general: { name: "华为技术有限公司", ...address, postalCode: "518000", city: "深圳", country: "CN" }
    })
    await kit.customers.create({ actor, accountGroup: "0004", general: { name: "Mueller Logistik AG", ...address } })

    const latin = await kit.customers.search({ actor, text: "MÜL münchen" })
    expect(latin.items.map((hit) => hit.general.name)).toEqual(["Müller Maschinenbau GmbH"])
    expect(latin.total).toBe(1)
    const cjk = await kit.customers.search({ actor, text: "技术", country: "CN" })
    expect(cjk.items.map((hit) => hit.number)).toEqual(["F0002"])

    const first = await kit.customers.search({ actor, country: "DE", limit: 1 })
    expect(first).toMatchObject({ total: 2, items: [{ number: "F0001" }] })
    const second = await kit.customers.search({ actor, country: "DE", limit: 1, cursor: first.nextCursor })
    expect(second.items.map((hit) => hit.number)).toEqual(["F0003"])
    expect(second.nextCursor).toBeUndefined()

    const refused = await kit.customers.search({ actor, text: "%%" }).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(Errors.ValidationFailed)
    expect((refused as Errors.ValidationFailed).messages.map((m) => [m.id, m.path])).toEqual([["INPUT_INVALID", "text"]])
  } finally {
    await kit.close()
  }
})
