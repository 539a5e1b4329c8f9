/**
 * Lifecycle scenarios of `@partnerkit/core` run through the Promise API on the store under test:
 * create (internal and external numbers), warnings and acknowledgement, field status, views,
 * extend, change, blocks, deletion flags, create with reference, authorization, pagination,
 * change documents, and property-based checks that every input ends in a result or a typed error
 * and that a failure writes nothing. The same answers are expected from every store.
 *
 * @module
 */
import {
  Actor,
  Customer,
  Customizing,
  createPartnerKit,
  Errors,
  type PartnerKit,
  Presets,
  type Storage
} from "@partnerkit/core"
import { Effect, Layer, ManagedRuntime } from "effect"
import * as fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { tenantId } from "./Fixtures.js"

type Patch = Parameters<typeof Customizing.merge>[1]

const munich = { name: "Müller Maschinenbau GmbH", street: "Hauptstraße 1", postalCode: "80331", city: "München", country: "DE", language: "de" }
const area = (salesOrganization: string, distributionChannel: string, division = "00"): Customer.SalesArea => ({
  salesOrganization,
  distributionChannel,
  division
})

/** A sold-to (0001) of the standard preset that passes every check. */
export const soldTo = (extra: Partial<Customer.CreateCustomerInput> = {}): Customer.CreateCustomerInput => ({
  accountGroup: "0001",
  general: { ...munich, phone: "+49 89 1234567" },
  companyCodes: [{ companyCode: "1000", reconciliationAccount: "140000", paymentTerms: "Z030" }],
  salesAreas: [{ salesArea: area("1000", "10"), currency: "EUR" }, { salesArea: area("1000", "20"), currency: "EUR" }],
  contacts: [{ firstName: "Anna", lastName: "Berg", function: "Purchasing", email: "anna.berg@mueller.de" }],
  ...extra
})

const failureOf = async (promise: Promise<unknown>): Promise<Errors.PartnerKitError> => {
  try {
    await promise
  } catch (error) {
    return error as Errors.PartnerKitError
  }
  throw new Error("expected the operation to fail")
}

const messageIds = (error: Errors.PartnerKitError) =>
  error instanceof Errors.ValidationFailed ? error.messages.map((m) => `${m.id} ${m.path}`) : [`${error._tag}`]

/** Registers the lifecycle scenarios against `layer`. */
export const lifecycleSuite = (layer: Storage.Layer): void => {
  let runtime: ManagedRuntime.ManagedRuntime<Storage.Ports, unknown>
  let shared: Storage.Layer
  const kits: Array<PartnerKit.PartnerKit> = []

  beforeAll(async () => {
    runtime = ManagedRuntime.make(layer)
    const context = await runtime.runPromise(Effect.context<Storage.Ports>())
    shared = Layer.succeedContext(context)
  })
  afterAll(async () => {
    await Promise.all(kits.map((k) => k.close()))
    await runtime.dispose()
  })

  /** A kit on the shared store with a fresh tenant; `preset` picks the customizing. */
  const open = async (
    patch: Patch = {},
    preset: (tenant: string) => Customizing.CustomizingInput = Presets.standard,
    tenant = tenantId("life")
  ) => {
    const kit = await createPartnerKit({ customizing: Customizing.merge(preset(tenant), patch), storage: shared })
    kits.push(kit)
    return { kit, tenant, admin: Actor.superUser(tenant, "admin") }
  }

  const countAll = async (kit: PartnerKit.PartnerKit, actor: Actor.Actor) => {
    let n = 0
    let cursor: string | undefined
    do {
      const page = await kit.customers.list({ actor, limit: 1000, ...(cursor ? { cursor } : {}) })
      n += page.items.length
      cursor = page.nextCursor
    } while (cursor !== undefined)
    return n
  }

  describe("create", () => {
    it("draws the first number of the group's range and stores every view, contact and a change document", async () => {
      const { kit, admin } = await open()
      const { customer, messages } = await kit.customers.create({ actor: admin, ...soldTo() })
      expect(messages).toEqual([])
      expect(customer.number).toBe("C0001")
      expect(customer.version).toBe(1)
      expect(customer.companyCodes.map((v) => v.companyCode)).toEqual(["1000"])
      expect(customer.salesAreas.map((v) => v.salesArea.distributionChannel)).toEqual(["10", "20"])
      expect(customer.contacts).toEqual([{ id: "0001", firstName: "Anna", lastName: "Berg", function: "Purchasing", email: "anna.berg@mueller.de" }])
      expect(await kit.customers.display({ actor: admin, number: "C0001" })).toEqual(customer)
      const docs = await kit.customers.changeDocuments({ actor: admin, number: "C0001" })
      expect(docs.items).toHaveLength(1)
      expect(docs.items[0]?.operation).toBe("create")
      expect(docs.items[0]?.items.find((i) => i.path === "general.name")?.newValue).toBe("Müller Maschinenbau GmbH")
    })

    it("numbers each account group from its own range, consecutively", async () => {
      const { kit, admin } = await open()
      const a = await kit.customers.create({ actor: admin, ...soldTo() })
      const b = await kit.customers.create({ actor: admin, ...soldTo() })
      const shipTo = await kit.customers.create({ actor: admin, accountGroup: "0002", general: munich, salesAreas: [{ salesArea: area("1000", "10") }] })
      expect([a.customer.number, b.customer.number, shipTo.customer.number]).toEqual(["C0001", "C0002", "D0001"])
    })

    it("refuses invalid input with every blocking message and writes nothing", async () => {
      const { kit, admin } = await open()
      const error = await failureOf(
        kit.customers.create({ actor: admin, ...soldTo({ general: { name: "X", postalCode: "123", country: "DE", email: "nope" } }) })
      )
      expect(error).toBeInstanceOf(Errors.ValidationFailed)
      expect(messageIds(error)).toEqual([
        "NAME_PLACEHOLDER general.name",
        "FIELD_REQUIRED general.street",
        "FIELD_REQUIRED general.city",
        "FIELD_REQUIRED general.language",
        "POSTAL_CODE_INVALID general.postalCode",
        "EMAIL_INVALID general.email"
      ])
      expect(await countAll(kit, admin)).toBe(0)
      // The failed create consumed no number.
      expect((await kit.customers.create({ actor: admin, ...soldTo() })).customer.number).toBe("C0001")
    })

    it("stops on a warning until the caller acknowledges it, then reports it", async () => {
      const { kit, admin } = await open()
      const input = soldTo({ general: { ...munich, postalCode: "00000" } })
      const error = await failureOf(kit.customers.create({ actor: admin, ...input }))
      expect(error).toBeInstanceOf(Errors.ValidationFailed)
      expect((error as Errors.ValidationFailed).messages.map((m) => [m.id, m.severity])).toEqual([["POSTAL_CODE_PLACEHOLDER", "warning"]])
      const { customer, messages } = await kit.customers.create({ actor: admin, ...input, acknowledge: ["POSTAL_CODE_PLACEHOLDER"] })
      expect(customer.number).toBe("C0001")
      expect(messages.map((m) => m.id)).toEqual(["POSTAL_CODE_PLACEHOLDER"])
    })

    it("makes the same check an error in another installation", async () => {
      const { kit, admin } = await open({ messages: { POSTAL_CODE_PLACEHOLDER: "error" } })
      const error = await failureOf(
        kit.customers.create({ actor: admin, ...soldTo({ general: { ...munich, postalCode: "00000" } }), acknowledge: ["POSTAL_CODE_PLACEHOLDER"] })
      )
      expect((error as Errors.ValidationFailed).messages.map((m) => [m.id, m.severity])).toEqual([["POSTAL_CODE_PLACEHOLDER", "error"]])
    })

    it("refuses views the account group forbids and org units the customizing does not know", async () => {
      const { kit, admin } = await open()
      const error = await failureOf(
        kit.customers.create({
          actor: admin,
          accountGroup: "0002",
          general: munich,
          companyCodes: [{ companyCode: "1000" }],
          salesAreas: [{ salesArea: area("1000", "99") }]
        })
      )
      expect(messageIds(error)).toEqual(["VIEW_NOT_ALLOWED companyCodes", "VIEW_UNKNOWN_ORG_UNIT salesAreas.1000/99/00"])
    })

    it("refuses suppressed fields", async () => {
      const { kit, admin } = await open()
      const error = await failureOf(
        kit.customers.create({ actor: admin, accountGroup: "0002", general: munich, salesAreas: [{ salesArea: area("1000", "10"), currency: "EUR" }] })
      )
      expect(messageIds(error)).toEqual(["FIELD_SUPPRESSED salesAreas.1000/10/00.currency"])
    })

    it("reports malformed input as INPUT_INVALID with the path, never as an untyped exception", async () => {
      const { kit, admin } = await open()
      const error = await failureOf(
        kit.customers.create({ actor: admin, accountGroup: "0001", general: { name: 42 }, surprise: true } as never)
      )
      expect(error).toBeInstanceOf(Errors.ValidationFailed)
      expect(messageIds(error)).toEqual(["INPUT_INVALID general.name", "INPUT_INVALID (input)"])
      const unknownGroup = await failureOf(kit.customers.create({ actor: admin, ...soldTo({ accountGroup: "9999" }) }))
      expect(messageIds(unknownGroup)).toEqual(["INPUT_INVALID accountGroup"])
    })

    it("fails with NumberRangeExhausted when the interval is used up, and reuses nothing", async () => {
      const { kit, admin } = await open({ numberRanges: { C: { to: 2 } } })
      await kit.customers.create({ actor: admin, ...soldTo() })
      await kit.customers.create({ actor: admin, ...soldTo() })
      const error = await failureOf(kit.customers.create({ actor: admin, ...soldTo() }))
      expect(error).toBeInstanceOf(Errors.NumberRangeExhausted)
      expect(error.message).toContain("C0002")
      expect(await countAll(kit, admin)).toBe(2)
    })

    it("gives 8 concurrent creates 8 distinct consecutive numbers", async () => {
      const { kit, admin } = await open()
      const results = await Promise.all(Array.from({ length: 8 }, () => kit.customers.create({ actor: admin, ...soldTo() })))
      expect(results.map((r) => r.customer.number).sort()).toEqual(["C0001", "C0002", "C0003", "C0004", "C0005", "C0006", "C0007", "C0008"])
    })
  })

  describe("buffered number ranges", () => {
    it("serves each instance from its own reserved block, never twice, and validation failures consume nothing", async () => {
      const buffered = { numberRanges: { C: { buffer: 5 } } }
      const a = await open(buffered)
      const b = await open(buffered, Presets.standard, a.tenant)
      const numbers = [
        (await a.kit.customers.create({ actor: a.admin, ...soldTo() })).customer.number,
        (await b.kit.customers.create({ actor: b.admin, ...soldTo() })).customer.number,
        (await a.kit.customers.create({ actor: a.admin, ...soldTo() })).customer.number
      ]
      expect(numbers).toEqual(["C0001", "C0006", "C0002"])
      // Input is validated before a number is taken from the block.
      const taken = await failureOf(a.kit.customers.create({ actor: a.admin, ...soldTo({ contacts: [{ lastName: "x".repeat(41) }] }) }))
      expect(taken).toBeInstanceOf(Errors.ValidationFailed)
      const concurrent = await Promise.all(Array.from({ length: 6 }, () => a.kit.customers.create({ actor: a.admin, ...soldTo() })))
      expect(concurrent.map((r) => r.customer.number).sort()).toEqual(["C0003", "C0004", "C0005", "C0011", "C0012", "C0013"])
    })
  })

  describe("external numbers", () => {
    const domestic = (number: string | undefined, companyCode = "F011"): Customer.CreateCustomerInput => ({
      accountGroup: "1110",
      ...(number === undefined ? {} : { number }),
      general: { name: "上海巴士", street: "延安路 1 号", postalCode: "200000", city: "上海", country: "CN", phone: "+86 21 6123 4567", fax: "+86 21 6123 4568", notes: "key account" },
      companyCodes: [{ companyCode, reconciliationAccount: "1122000000", paymentTerms: "Z030" }],
      salesAreas: [{ salesArea: area(companyCode, "10"), currency: "CNY", customerGroup: "01" }]
    })

    it("requires a number that lies in the interval and follows the pattern, and refuses a used one", async () => {
      const { kit, admin } = await open({}, Presets.manufacturer)
      expect(messageIds(await failureOf(kit.customers.create({ actor: admin, ...domestic(undefined) })))).toEqual(["NUMBER_REQUIRED number"])
      expect(messageIds(await failureOf(kit.customers.create({ actor: admin, ...domestic("2150010001") })))).toEqual([
        "NUMBER_PATTERN_MISMATCH number"
      ])
      const { customer } = await kit.customers.create({ actor: admin, ...domestic("2110010001") })
      expect(customer.number).toBe("2110010001")
      expect(await failureOf(kit.customers.create({ actor: admin, ...domestic("2110010001") }))).toBeInstanceOf(Errors.CustomerNumberTaken)
      // Same rule, Guangzhou branch F015.
      expect((await kit.customers.create({ actor: admin, ...domestic("2151010001", "F015") })).customer.number).toBe("2151010001")
    })

    it("refuses a number for an internally numbered group", async () => {
      const { kit, admin } = await open()
      expect(messageIds(await failureOf(kit.customers.create({ actor: admin, ...soldTo({ number: "C0500" }) })))).toEqual(["NUMBER_NOT_ALLOWED number"])
    })
  })

  describe("extend", () => {
    it("adds a company-code view under the same number and records it", async () => {
      const { kit, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      const { customer } = await kit.customers.extend({
        actor: admin,
        number: "C0001",
        version: 1,
        companyCodes: [{ companyCode: "2000", reconciliationAccount: "140100", paymentTerms: "Z060" }]
      })
      expect(customer.version).toBe(2)
      expect(customer.companyCodes.map((v) => v.companyCode)).toEqual(["1000", "2000"])
      const docs = await kit.customers.changeDocuments({ actor: admin, number: "C0001" })
      expect(docs.items.map((d) => d.operation)).toEqual(["extend", "create"])
      expect(docs.items[0]?.items.map((i) => i.path)).toEqual(["companyCodes.2000.paymentTerms", "companyCodes.2000.reconciliationAccount"])
    })

    it("refuses an existing view, an unknown org unit and missing required fields", async () => {
      const { kit, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      const error = await failureOf(
        kit.customers.extend({
          actor: admin,
          number: "C0001",
          companyCodes: [{ companyCode: "1000" }, { companyCode: "3000" }],
          salesAreas: [{ salesArea: area("2000", "10") }]
        })
      )
      expect(messageIds(error)).toEqual([
        "VIEW_EXISTS companyCodes.1000",
        "VIEW_UNKNOWN_ORG_UNIT companyCodes.3000",
        "FIELD_REQUIRED companyCodes.1000.reconciliationAccount",
        "FIELD_REQUIRED companyCodes.1000.paymentTerms",
        "FIELD_REQUIRED companyCodes.3000.reconciliationAccount",
        "FIELD_REQUIRED companyCodes.3000.paymentTerms",
        "FIELD_REQUIRED salesAreas.2000/10/00.currency"
      ])
      expect((await kit.customers.display({ actor: admin, number: "C0001" })).version).toBe(1)
    })

    it("refuses a company code the actor may not maintain (a branch assistant and the head office)", async () => {
      const { kit, tenant, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      const assistant = Actor.make({ ...Actor.superUser(tenant, "assistant"), companyCodes: ["1000"], salesOrganizations: ["1000"] })
      const error = await failureOf(
        kit.customers.extend({ actor: assistant, number: "C0001", companyCodes: [{ companyCode: "2000", reconciliationAccount: "140100", paymentTerms: "Z030" }] })
      )
      expect(error).toBeInstanceOf(Errors.NotAuthorized)
      expect((error as Errors.NotAuthorized).reason).toBe("companyCode")
      expect((await kit.customers.display({ actor: admin, number: "C0001" })).companyCodes).toHaveLength(1)
    })
  })

  describe("change", () => {
    it("applies a partial patch, clears fields with null, and records old and new values", async () => {
      const { kit, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      const { customer } = await kit.customers.change({
        actor: admin,
        number: "C0001",
        version: 1,
        general: { phone: "+49 89 7654321", searchTerm: "MUELLER" },
        salesAreas: { "1000/10/00": { customerGroup: "01" } },
        companyCodes: { "1000": { paymentTerms: "Z060" } },
        contacts: { add: [{ lastName: "Wu", email: "wu@mueller.de" }], change: { "0001": { function: null } } }
      })
      expect(customer.version).toBe(2)
      // Standardised on save: E.164 (see Standardisation).
      expect(customer.general.phone).toBe("+49897654321")
      expect(customer.contacts.map((c) => [c.id, c.lastName, c.function])).toEqual([["0001", "Berg", undefined], ["0002", "Wu", undefined]])
      const [latest] = (await kit.customers.changeDocuments({ actor: admin, number: "C0001" })).items
      expect(latest?.items.map((i) => [i.path, i.oldValue, i.newValue])).toEqual([
        ["companyCodes.1000.paymentTerms", "Z030", "Z060"],
        ["contacts.0001.function", "Purchasing", null],
        ["contacts.0002.email", null, "wu@mueller.de"],
        ["contacts.0002.lastName", null, "Wu"],
        ["general.phone", "+49891234567", "+49897654321"],
        ["general.searchTerm", null, "MUELLER"],
        ["salesAreas.1000/10/00.customerGroup", null, "01"]
      ])
    })

    it("fails a stale version with VersionConflict and writes nothing", async () => {
      const { kit, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      await kit.customers.change({ actor: admin, number: "C0001", version: 1, general: { city: "Munich" } })
      const error = await failureOf(kit.customers.change({ actor: admin, number: "C0001", version: 1, general: { city: "Berlin" } }))
      expect(error).toBeInstanceOf(Errors.VersionConflict)
      expect(error).toMatchObject({ expected: 1, actual: 2 })
      const now = await kit.customers.display({ actor: admin, number: "C0001" })
      expect([now.general.city, now.version]).toEqual(["Munich", 2])
    })

    it("lets exactly one of two concurrent changes from the same version win", async () => {
      const { kit, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      const results = await Promise.allSettled([
        kit.customers.change({ actor: admin, number: "C0001", version: 1, general: { city: "A" } }),
        kit.customers.change({ actor: admin, number: "C0001", version: 1, general: { city: "B" } })
      ])
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1)
      const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult
      expect(rejected.reason).toBeInstanceOf(Errors.VersionConflict)
      expect((await kit.customers.changeDocuments({ actor: admin, number: "C0001" })).items).toHaveLength(2)
    })

    it("writes nothing when nothing changes", async () => {
      const { kit, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      const { customer } = await kit.customers.change({ actor: admin, number: "C0001", version: 1, general: { city: "München" } })
      expect(customer.version).toBe(1)
      expect((await kit.customers.changeDocuments({ actor: admin, number: "C0001" })).items).toHaveLength(1)
    })

    it("validates the changed record: required fields, formats of touched fields, unknown views and contacts", async () => {
      const { kit, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      const error = await failureOf(kit.customers.change({ actor: admin, number: "C0001", version: 1, general: { street: null, phone: "12" } }))
      expect(messageIds(error)).toEqual(["FIELD_REQUIRED general.street", "PHONE_INVALID general.phone"])
      expect(await failureOf(kit.customers.change({ actor: admin, number: "C0001", version: 1, companyCodes: { "2000": { sortKey: "001" } } }))).toBeInstanceOf(
        Errors.ViewNotFound
      )
      expect(messageIds(await failureOf(kit.customers.change({ actor: admin, number: "C0001", version: 1, contacts: { remove: ["0009"] } })))).toEqual([
        "INPUT_INVALID contacts.remove"
      ])
      expect(await failureOf(kit.customers.change({ actor: admin, number: "C9999", version: 1, general: { city: "x" } }))).toBeInstanceOf(
        Errors.CustomerNotFound
      )
    })
  })

  describe("blocks and deletion flags", () => {
    it("blocks orders in one sales area only, with reason, and records the change", async () => {
      const { kit, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      const { customer } = await kit.customers.block({
        actor: admin,
        number: "C0001",
        target: { scope: "salesArea", salesArea: area("1000", "10"), blocks: ["order"] },
        reason: "credit limit exceeded"
      })
      const where = { salesArea: area("1000", "10") }
      expect(customer.salesAreas[0]?.orderBlock).toMatchObject({ reason: "credit limit exceeded", blockedBy: "admin" })
      expect([
        Customer.isBlocked(customer, "order", where),
        Customer.isBlocked(customer, "delivery", where),
        Customer.isBlocked(customer, "order", { salesArea: area("1000", "20") })
      ]).toEqual([true, false, false])
      const [doc] = (await kit.customers.changeDocuments({ actor: admin, number: "C0001" })).items
      expect([doc?.operation, doc?.items.map((i) => [i.path, i.newValue])]).toEqual(["block", [["salesAreas.1000/10/00.orderBlock", "credit limit exceeded"]]])
      const unblocked = await kit.customers.unblock({ actor: admin, number: "C0001", target: { scope: "salesArea", salesArea: area("1000", "10") } })
      expect(unblocked.customer.salesAreas[0]?.orderBlock).toBeNull()
      expect(unblocked.customer.version).toBe(3)
    })

    it("blocks posting in one company code without touching another, and centrally", async () => {
      const { kit, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo({ companyCodes: [{ companyCode: "1000", reconciliationAccount: "140000", paymentTerms: "Z030" }, { companyCode: "2000", reconciliationAccount: "140000", paymentTerms: "Z030" }] }) })
      const { customer } = await kit.customers.block({ actor: admin, number: "C0001", target: { scope: "companyCode", companyCode: "1000" }, reason: "dispute" })
      expect([Customer.isBlocked(customer, "posting", { companyCode: "1000" }), Customer.isBlocked(customer, "posting", { companyCode: "2000" })]).toEqual([true, false])
      const central = await kit.customers.block({ actor: admin, number: "C0001", target: { scope: "central" }, reason: "insolvency" })
      expect(Customer.isBlocked(central.customer, "billing", { salesArea: area("1000", "20") })).toBe(true)
      expect(await failureOf(kit.customers.block({ actor: admin, number: "C0001", target: { scope: "companyCode", companyCode: "3000" }, reason: "x" }))).toBeInstanceOf(
        Errors.ViewNotFound
      )
    })

    it("sets and clears the deletion flag centrally and per view", async () => {
      const { kit, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      const flagged = await kit.customers.setDeletionFlag({ actor: admin, number: "C0001", target: { scope: "salesArea", salesArea: area("1000", "20") } })
      expect(flagged.customer.salesAreas.map((v) => v.deletionFlag)).toEqual([false, true])
      const central = await kit.customers.setDeletionFlag({ actor: admin, number: "C0001" })
      expect(central.customer.deletionFlag).toBe(true)
      const cleared = await kit.customers.clearDeletionFlag({ actor: admin, number: "C0001" })
      expect(cleared.customer.deletionFlag).toBe(false)
      const ops = (await kit.customers.changeDocuments({ actor: admin, number: "C0001" })).items.map((d) => d.operation)
      expect(ops).toEqual(["clearDeletionFlag", "setDeletionFlag", "setDeletionFlag", "create"])
    })

    it("requires the block and delete activities", async () => {
      const { kit, tenant, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      const clerk = Actor.make({ ...Actor.superUser(tenant, "clerk"), activities: ["display", "change"] })
      const error = await failureOf(kit.customers.block({ actor: clerk, number: "C0001", target: { scope: "central" }, reason: "x" }))
      expect(error).toMatchObject({ _tag: "NotAuthorized", reason: "activity" })
      expect(await failureOf(kit.customers.setDeletionFlag({ actor: clerk, number: "C0001" }))).toMatchObject({ reason: "activity" })
    })
  })

  describe("create with reference", () => {
    it("copies general data and the chosen views under a new number, without blocks", async () => {
      const { kit, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      await kit.customers.block({ actor: admin, number: "C0001", target: { scope: "salesArea", salesArea: area("1000", "10") }, reason: "x" })
      const { customer } = await kit.customers.createWithReference({
        actor: admin,
        reference: "C0001",
        copy: { companyCodes: "all", salesAreas: [area("1000", "10")], contacts: true },
        general: { name: "Müller Maschinenbau Süd GmbH" }
      })
      expect(customer.number).toBe("C0002")
      expect(customer.general.name).toBe("Müller Maschinenbau Süd GmbH")
      expect(customer.general.street).toBe("Hauptstraße 1")
      expect(customer.companyCodes.map((v) => v.companyCode)).toEqual(["1000"])
      expect(customer.salesAreas.map((v) => [v.salesArea.distributionChannel, v.orderBlock])).toEqual([["10", null]])
      expect(customer.contacts.map((c) => c.lastName)).toEqual(["Berg"])
      const [doc] = (await kit.customers.changeDocuments({ actor: admin, number: "C0002" })).items
      expect(doc?.operation).toBe("createWithReference")
    })

    it("drops fields the new account group suppresses, refuses views it forbids and views the reference lacks", async () => {
      const { kit, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      const shipTo = await kit.customers.createWithReference({ actor: admin, reference: "C0001", accountGroup: "0002", copy: { salesAreas: "all" } })
      expect(shipTo.customer.number).toBe("D0001")
      expect(shipTo.customer.salesAreas.map((v) => v.currency)).toEqual([undefined, undefined])
      expect(messageIds(await failureOf(kit.customers.createWithReference({ actor: admin, reference: "C0001", accountGroup: "0002", copy: { companyCodes: ["1000"] } })))).toEqual([
        "VIEW_NOT_ALLOWED companyCodes"
      ])
      expect(await failureOf(kit.customers.createWithReference({ actor: admin, reference: "C0001", copy: { companyCodes: ["2000"] } }))).toBeInstanceOf(Errors.ViewNotFound)
      expect(await failureOf(kit.customers.createWithReference({ actor: admin, reference: "C0404" }))).toBeInstanceOf(Errors.CustomerNotFound)
    })
  })

  describe("authorization", () => {
    const restricted = (tenant: string, groups: Array<string>): Actor.Actor =>
      Actor.make({ ...Actor.superUser(tenant, "restricted"), authorizationGroups: groups })

    it("hides views of other authorization groups in display, list and change documents", async () => {
      const { kit, tenant, admin } = await open()
      await kit.customers.create({
        actor: admin,
        ...soldTo({
          companyCodes: [
            { companyCode: "1000", reconciliationAccount: "140000", paymentTerms: "Z030", authorizationGroup: "HQ" },
            { companyCode: "2000", reconciliationAccount: "140000", paymentTerms: "Z030" }
          ]
        })
      })
      await kit.customers.create({ actor: admin, ...soldTo({ general: { ...munich, authorizationGroup: "HQ" } }) })
      const actor = restricted(tenant, ["F011"])
      const seen = await kit.customers.display({ actor, number: "C0001" })
      expect(seen.companyCodes.map((v) => v.companyCode)).toEqual(["2000"])
      expect(await failureOf(kit.customers.display({ actor, number: "C0002" }))).toBeInstanceOf(Errors.CustomerNotFound)
      expect((await kit.customers.list({ actor })).items.map((c) => c.number)).toEqual(["C0001"])
      expect((await kit.customers.list({ actor, companyCode: "1000" })).items).toEqual([])
      const docs = await kit.customers.changeDocuments({ actor, number: "C0001" })
      expect(docs.items[0]?.items.some((i) => i.path.startsWith("companyCodes.1000"))).toBe(false)
      expect(docs.items[0]?.items.some((i) => i.path.startsWith("companyCodes.2000"))).toBe(true)
      expect(await failureOf(kit.customers.changeDocuments({ actor, number: "C0002" }))).toBeInstanceOf(Errors.CustomerNotFound)
      expect(await failureOf(kit.customers.change({ actor, number: "C0001", version: 1, companyCodes: { "1000": { sortKey: "009" } } }))).toBeInstanceOf(
        Errors.ViewNotFound
      )
    })

    it("refuses other tenants, missing activities and authorization groups the actor lacks, writing nothing", async () => {
      const { kit, tenant, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      expect(await failureOf(kit.customers.display({ actor: Actor.superUser("someone-else"), number: "C0001" }))).toMatchObject({ reason: "tenant" })
      const viewer = Actor.make({ ...Actor.superUser(tenant, "viewer"), activities: ["display"] })
      expect(await failureOf(kit.customers.create({ actor: viewer, ...soldTo() }))).toMatchObject({ reason: "activity" })
      const actor = restricted(tenant, ["F011"])
      expect(await failureOf(kit.customers.create({ actor, ...soldTo({ general: { ...munich, authorizationGroup: "HQ" } }) }))).toMatchObject({
        reason: "authorizationGroup"
      })
      expect(await failureOf(kit.customers.change({ actor, number: "C0001", version: 1, general: { authorizationGroup: "HQ" } }))).toMatchObject({
        reason: "authorizationGroup"
      })
      const salesOnly = Actor.make({ ...Actor.superUser(tenant, "sales"), salesOrganizations: ["2000"] })
      expect(await failureOf(kit.customers.change({ actor: salesOnly, number: "C0001", version: 1, salesAreas: { "1000/10/00": { customerGroup: "01" } } }))).toMatchObject({
        reason: "salesOrganization"
      })
      expect(await countAll(kit, admin)).toBe(1)
      expect((await kit.customers.display({ actor: admin, number: "C0001" })).version).toBe(1)
    })
  })

  describe("list and change-document pages", () => {
    it("pages through customers in number order with filters and an opaque cursor", async () => {
      const { kit, admin } = await open()
      for (let i = 0; i < 7; i++) await kit.customers.create({ actor: admin, ...soldTo(i % 2 === 0 ? {} : { salesAreas: [{ salesArea: area("2000", "10"), currency: "EUR" }] }) })
      await kit.customers.create({ actor: admin, accountGroup: "0002", general: munich })
      const first = await kit.customers.list({ actor: admin, limit: 3 })
      expect(first.items.map((c) => c.number)).toEqual(["C0001", "C0002", "C0003"])
      const second = await kit.customers.list({ actor: admin, limit: 3, cursor: first.nextCursor! })
      expect(second.items.map((c) => c.number)).toEqual(["C0004", "C0005", "C0006"])
      const third = await kit.customers.list({ actor: admin, limit: 3, cursor: second.nextCursor! })
      expect(third.items.map((c) => c.number)).toEqual(["C0007", "D0001"])
      expect(third.nextCursor).toBeUndefined()
      expect((await kit.customers.list({ actor: admin, accountGroup: "0002" })).items.map((c) => c.number)).toEqual(["D0001"])
      expect((await kit.customers.list({ actor: admin, salesArea: area("2000", "10") })).items.map((c) => c.number)).toEqual(["C0002", "C0004", "C0006"])
      expect((await kit.customers.list({ actor: admin, companyCode: "1000", limit: 2 })).items.map((c) => c.number)).toEqual(["C0001", "C0002"])
      expect(messageIds(await failureOf(kit.customers.list({ actor: admin, cursor: "garbage" })))).toEqual(["INPUT_INVALID cursor"])
    })

    it("pages change documents newest first", async () => {
      const { kit, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      for (let v = 1; v <= 4; v++) await kit.customers.change({ actor: admin, number: "C0001", version: v, general: { city: `City ${v}` } })
      const first = await kit.customers.changeDocuments({ actor: admin, number: "C0001", limit: 2 })
      expect(first.items.map((d) => d.changeNumber)).toEqual([5, 4])
      const rest = await kit.customers.changeDocuments({ actor: admin, number: "C0001", limit: 10, cursor: first.nextCursor! })
      expect(rest.items.map((d) => d.changeNumber)).toEqual([3, 2, 1])
      expect(rest.nextCursor).toBeUndefined()
    })
  })

  describe("bulk import", () => {
    const row = (i: number, extra: Record<string, unknown> = {}) => ({ key: `K-${i}`, ...soldTo({ general: { ...munich, name: `Kunde ${i}` } }), ...extra })
    async function* rows(n: number, bad: (i: number) => boolean = () => false) {
      for (let i = 1; i <= n; i++) yield bad(i) ? row(i, { general: { name: `Kunde ${i}`, postalCode: "1", country: "DE" } }) : row(i)
    }

    it("imports a stream in batches, reports failures by position and path, and numbers without gaps", async () => {
      const { kit, admin } = await open()
      const progress: Array<number> = []
      const result = await kit.customers.importCustomers({
        actor: admin,
        system: "legacy",
        source: rows(25, (i) => i % 10 === 3),
        batchSize: 10,
        onProgress: (p) => progress.push(p.read)
      })
      expect([result.read, result.created, result.skipped, result.failed]).toEqual([25, 22, 0, 3])
      expect(progress).toEqual([10, 20, 25])
      expect(result.failures.map((f) => [f.position, f.key, f.messages[0]?.id, f.messages[0]?.path])).toEqual([
        [3, "K-3", "FIELD_REQUIRED", "general.street"],
        [13, "K-13", "FIELD_REQUIRED", "general.street"],
        [23, "K-23", "FIELD_REQUIRED", "general.street"]
      ])
      const numbers = (await kit.customers.list({ actor: admin, limit: 100 })).items.map((c) => c.number)
      expect(numbers).toEqual(Array.from({ length: 22 }, (_, i) => `C${String(i + 1).padStart(4, "0")}`))
      const first = await kit.customers.display({ actor: admin, number: "C0001" })
      expect(first.salesAreas[0]?.partners?.map((p) => p.partner)).toEqual(["C0001", "C0001", "C0001", "C0001"])
      expect((await kit.customers.changeDocuments({ actor: admin, number: "C0022" })).items[0]?.operation).toBe("create")
    })

    it("is idempotent by key: a second run creates nothing; with onExisting update it changes what differs", async () => {
      const { kit, admin } = await open()
      await kit.customers.importCustomers({ actor: admin, system: "legacy", source: rows(12), batchSize: 5 })
      const again = await kit.customers.importCustomers({ actor: admin, system: "legacy", source: rows(12), batchSize: 5 })
      expect([again.created, again.skipped, again.failed]).toEqual([0, 12, 0])
      async function* changed() {
        for (let i = 1; i <= 12; i++) yield i === 4 ? row(i, { general: { ...munich, name: "Kunde 4 (renamed)", phone: "+49 89 7654321" } }) : row(i)
      }
      const update = await kit.customers.importCustomers({ actor: admin, system: "legacy", source: changed(), onExisting: "update" })
      expect([update.created, update.updated, update.skipped, update.failed]).toEqual([0, 1, 11, 0])
      const renamed = await kit.customers.display({ actor: admin, number: "C0004" })
      expect([renamed.general.name, renamed.general.phone, renamed.version]).toEqual(["Kunde 4 (renamed)", "+49897654321", 2])
      // Another source system's keys are separate.
      expect((await kit.customers.importCustomers({ actor: admin, system: "crm", source: rows(2) })).created).toBe(2)
      expect(await countAll(kit, admin)).toBe(14)
    })

    it("isolates a conflict in a batch record by record, and refuses a key twice in a batch", async () => {
      const { kit, admin } = await open({
        numberRanges: { X: { kind: "external", prefix: "X", digits: 4, from: 1, to: 9999 } },
        accountGroups: { Z001: { name: "External", numberRange: "X", fieldStatus: { general: { street: "required" } } } }
      })
      const external = (key: string, number: string) => ({ key, accountGroup: "Z001", number, general: { ...munich } })
      await kit.customers.create({ actor: admin, accountGroup: "Z001", number: "X0002", general: munich })
      const result = await kit.customers.importCustomers({
        actor: admin,
        system: "legacy",
        source: [external("A", "X0001"), external("B", "X0002"), external("C", "X0003"), external("C", "X0004")]
      })
      expect([result.created, result.failed]).toEqual([2, 2])
      expect(result.failures.map((f) => [f.position, f.messages[0]?.id])).toEqual([
        [4, "IMPORT_KEY_REPEATED"],
        [2, "NUMBER_TAKEN"]
      ])
    })

    it("reads Node streams, keeps at most keepFailures failures and stops with a typed error when the source fails", async () => {
      const { Readable } = await import("node:stream")
      const { kit, admin } = await open()
      const seen: Array<number> = []
      const capped = await kit.customers.importCustomers({
        actor: admin,
        system: "legacy",
        source: Readable.from(Array.from({ length: 6 }, (_, i) => ({ key: `bad-${i}`, accountGroup: "0001", general: { name: "x" } }))),
        keepFailures: 2,
        onFailure: (f) => seen.push(f.position)
      })
      expect([capped.failed, capped.failures.length, capped.failuresNotKept, seen]).toEqual([6, 2, 4, [1, 2, 3, 4, 5, 6]])
      async function* broken() {
        yield row(1)
        yield row(2)
        throw new Error("line 3: unterminated quote")
      }
      const error = await failureOf(kit.customers.importCustomers({ actor: admin, system: "legacy", source: broken(), batchSize: 1 }))
      expect(error).toBeInstanceOf(Errors.ImportSourceFailed)
      expect(error.message).toContain("unterminated quote")
      expect(await countAll(kit, admin)).toBe(2)
    })
  })

  describe("properties", () => {
    /** Mostly the valid value, sometimes absent, sometimes noise: both outcomes happen often. */
    const mostly = <T>(valid: T, ...noise: Array<fc.Arbitrary<T | undefined>>) =>
      fc.oneof({ weight: 30, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: fc.constant(undefined) }, ...noise.map((arbitrary) => ({ weight: 1, arbitrary })))
    const general = fc.record({
      name: mostly("Acme", fc.string({ maxLength: 90 })),
      street: mostly("Ring 1", fc.string({ maxLength: 12 })),
      postalCode: mostly("80331", fc.constantFrom("00000", "1", "ABCDE")),
      city: mostly("München", fc.string({ maxLength: 12 })),
      country: mostly("DE", fc.constantFrom("XX", "de", "")),
      language: mostly("de", fc.constantFrom("xx", "DE")),
      phone: mostly("+49 89 1234567", fc.constantFrom("12", "0000000")),
      email: mostly("a@b.de", fc.constantFrom("nope", "a@")),
      authorizationGroup: fc.option(fc.constantFrom("HQ", "F011"), { nil: undefined, freq: 6 })
    })
    const input = fc.record({
      accountGroup: fc.constantFrom("0001", "0001", "0001", "0002", "0004", "CPD", "XXXX"),
      general,
      companyCodes: fc.array(
        fc.record({
          companyCode: fc.constantFrom("1000", "1000", "2000", "9999"),
          reconciliationAccount: mostly("140000", fc.constant("999")),
          paymentTerms: mostly("Z030")
        }),
        { maxLength: 2 }
      ),
      salesAreas: fc.array(
        fc.record({
          salesArea: fc.record({ salesOrganization: fc.constantFrom("1000", "2000"), distributionChannel: fc.constantFrom("10", "10", "20", "99"), division: fc.constant("00") }),
          currency: mostly("EUR", fc.constant("XYZ"))
        }),
        { maxLength: 2 }
      ),
      acknowledge: fc.option(fc.constant(["POSTAL_CODE_PLACEHOLDER" as const]), { nil: undefined })
    })
    const strip = <T extends object>(o: T): T => JSON.parse(JSON.stringify(o)) as T

    it("every create input ends in a customer or a typed error, and a failure writes nothing", async () => {
      const { kit, tenant, admin } = await open()
      const actor = Actor.make({ ...Actor.superUser(tenant, "u"), authorizationGroups: ["F011"] })
      let created = 0
      await fc.assert(
        fc.asyncProperty(input, async (raw) => {
          const before = await countAll(kit, admin)
          try {
            await kit.customers.create({ actor, ...strip(raw) } as never)
            created += 1
            expect(await countAll(kit, admin)).toBe(before + 1)
          } catch (error) {
            expect(error).toBeInstanceOf(Error)
            expect(["ValidationFailed", "NotAuthorized"]).toContain((error as Errors.PartnerKitError)._tag)
            expect(await countAll(kit, admin)).toBe(before)
          }
        }),
        { numRuns: 60, seed: 20261123 }
      )
      // Internal numbering never skipped a number for a failed create.
      const numbers = (await kit.customers.list({ actor: admin, accountGroup: "0001", limit: 1000 })).items.map((c) => Number(c.number.slice(1)))
      expect(numbers).toEqual(numbers.map((_, i) => i + 1))
      // The generator exercises both outcomes.
      expect(created).toBeGreaterThan(5)
      expect(created).toBeLessThan(55)
    })

    it("every change input ends in a new version or a typed error, and a failure leaves the record as it was", async () => {
      const { kit, admin } = await open()
      await kit.customers.create({ actor: admin, ...soldTo() })
      const patch = fc.record({
        general: fc.option(fc.record({ city: fc.option(fc.oneof(fc.string({ maxLength: 70 }), fc.constant(null)), { nil: undefined }), phone: fc.option(fc.constantFrom("+49 89 7654321", "12", null), { nil: undefined }), postalCode: fc.option(fc.constantFrom("10115", "00000", "1"), { nil: undefined }) }), { nil: undefined }),
        salesAreas: fc.option(fc.dictionary(fc.constantFrom("1000/10/00", "1000/30/00"), fc.record({ currency: fc.option(fc.constantFrom("EUR", "XYZ", null), { nil: undefined }) })), { nil: undefined })
      })
      await fc.assert(
        fc.asyncProperty(patch, async (raw) => {
          const before = await kit.customers.display({ actor: admin, number: "C0001" })
          try {
            const { customer } = await kit.customers.change({ actor: admin, number: "C0001", version: before.version, ...strip(raw) })
            expect(customer.version === before.version || customer.version === before.version + 1).toBe(true)
          } catch (error) {
            expect(["ValidationFailed", "ViewNotFound"]).toContain((error as Errors.PartnerKitError)._tag)
            expect(await kit.customers.display({ actor: admin, number: "C0001" })).toEqual(before)
          }
        }),
        { numRuns: 40, seed: 20261123 }
      )
    })
  })
}
