/**
 * Partner scenarios run through the Promise API on the store under test: automatic partners of a
 * sold-to, partner rules (bill-to = payer, blocked partners, same sales area, account groups per
 * function), partner change documents, determination with its typed failures, the private bus
 * buyer whose invoice goes to the transport company, head office and branch, sales employees and
 * territories with approval of assignment changes, and one-time customers.
 *
 * @module
 */
import {
  Actor,
  type Customer,
  CustomerStore,
  Customizing,
  createPartnerKit,
  Errors,
  type PartnerDetermination,
  type PartnerKit,
  Presets,
  SalesEmployeeStore,
  type Storage,
  TerritoryStore
} from "@partnerkit/core"
import { Context, Effect, Layer, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { tenantId } from "./Fixtures.js"

type Patch = Parameters<typeof Customizing.merge>[1]

const area = (salesOrganization: string, distributionChannel: string, division = "00"): Customer.SalesArea => ({
  salesOrganization,
  distributionChannel,
  division
})
const a1000 = area("1000", "10")

const address = { street: "Hauptstraße 1", postalCode: "80331", city: "München", country: "DE" }

const failureOf = async (promise: Promise<unknown>): Promise<Errors.PartnerKitError> => {
  try {
    await promise
  } catch (error) {
    return error as Errors.PartnerKitError
  }
  throw new Error("expected the operation to fail")
}
const ids = (error: Errors.PartnerKitError) =>
  error instanceof Errors.ValidationFailed ? error.messages.map((m) => `${m.id} ${m.path}`) : [error._tag]

const determined = (result: PartnerDetermination.FunctionResult | undefined) => {
  if (result?.status !== "determined") throw new Error(`expected a determined function, got ${JSON.stringify(result)}`)
  return result
}

/** Registers the partner scenarios against `layer`. */
export const partnerSuite = (layer: Storage.Layer): void => {
  let runtime: ManagedRuntime.ManagedRuntime<Storage.Ports, unknown>
  let shared: Storage.Layer
  const kits: Array<PartnerKit.PartnerKit> = []

  beforeAll(async () => {
    runtime = ManagedRuntime.make(layer)
    shared = Layer.succeedContext(await runtime.runPromise(Effect.context<Storage.Ports>()))
  })
  afterAll(async () => {
    await Promise.all(kits.map((k) => k.close()))
    await runtime.dispose()
  })

  const open = async (patch: Patch = {}, preset: (tenant: string) => Customizing.CustomizingInput = Presets.standard) => {
    const tenant = tenantId("partners")
    const kit = await createPartnerKit({ customizing: Customizing.merge(preset(tenant), patch), storage: shared })
    kits.push(kit)
    return { kit, tenant, admin: Actor.superUser(tenant, "admin") }
  }

  const soldTo = (kit: PartnerKit.PartnerKit, actor: Actor.Actor, name: string, extra: Partial<Customer.CreateCustomerInput> = {}) =>
    kit.customers
      .create({
        actor,
        accountGroup: "0001",
        general: { name, ...address, language: "de" },
        salesAreas: [{ salesArea: a1000, currency: "EUR" }],
        ...extra
      })
      .then((r) => r.customer)

  const simple = (kit: PartnerKit.PartnerKit, actor: Actor.Actor, accountGroup: string, name: string, areas = [a1000]) =>
    kit.customers
      .create({ actor, accountGroup, general: { name, ...address }, salesAreas: areas.map((salesArea) => ({ salesArea })) })
      .then((r) => r.customer)

  describe("partners on the customer", () => {
    it("makes a new 0001 sold-to its own sold-to, ship-to, bill-to and payer in every sales area", async () => {
      const { kit, admin } = await open()
      const c = await soldTo(kit, admin, "Acme", {
        salesAreas: [
          { salesArea: a1000, currency: "EUR" },
          { salesArea: area("1000", "20"), currency: "EUR" }
        ]
      })
      for (const view of c.salesAreas) {
        expect(view.partners?.map((p) => [p.function, p.partner]).sort()).toEqual([
          ["BP", "C0001"],
          ["PY", "C0001"],
          ["SH", "C0001"],
          ["SP", "C0001"]
        ])
      }
      const created = (await kit.customers.changeDocuments({ actor: admin, number: c.number })).items[0]
      expect(created?.items.find((i) => i.path === "salesAreas.1000/10/00.partners.SH")?.newValue).toBe("C0001")
    })

    it("keeps several ship-tos with one default and records partner changes like any field", async () => {
      const { kit, admin } = await open()
      const c = await soldTo(kit, admin, "Acme")
      const dock = await simple(kit, admin, "0002", "Acme Dock")
      const { customer } = await kit.customers.change({
        actor: admin,
        number: c.number,
        version: c.version,
        salesAreas: {
          "1000/10/00": {
            partners: [
              { function: "SP", partner: c.number },
              { function: "SH", partner: c.number },
              { function: "SH", partner: dock.number, default: true },
              { function: "BP", partner: c.number },
              { function: "PY", partner: c.number }
            ]
          }
        }
      })
      expect(customer.salesAreas[0]?.partners?.filter((p) => p.function === "SH")).toHaveLength(2)
      const [doc] = (await kit.customers.changeDocuments({ actor: admin, number: c.number })).items
      expect(doc?.items.map((i) => [i.path, i.oldValue, i.newValue])).toEqual([
        ["salesAreas.1000/10/00.partners.SH", "C0001", "C0001, D0001*"]
      ])
    })

    it("applies the procedure: allowed, mandatory, unique, changeable, one default, and the account groups per function", async () => {
      const { kit, admin } = await open()
      const c = await soldTo(kit, admin, "Acme")
      const shipTo = await simple(kit, admin, "0002", "Acme Dock")
      const other = await simple(kit, admin, "0002", "Acme Yard")
      const error = await failureOf(
        kit.customers.change({
          actor: admin,
          number: c.number,
          version: c.version,
          salesAreas: {
            "1000/10/00": {
              partners: [
                { function: "SP", partner: shipTo.number },
                { function: "SH", partner: shipTo.number },
                { function: "SH", partner: other.number },
                { function: "BP", partner: shipTo.number },
                { function: "XX", partner: c.number }
              ]
            }
          }
        })
      )
      expect(ids(error)).toEqual([
        "PARTNER_MISSING salesAreas.1000/10/00.partners.PY",
        "PARTNER_NOT_CHANGEABLE salesAreas.1000/10/00.partners.SP",
        "PARTNER_ACCOUNT_GROUP_NOT_ALLOWED salesAreas.1000/10/00.partners.SP",
        "PARTNER_DEFAULT_INVALID salesAreas.1000/10/00.partners.SH",
        "PARTNER_ACCOUNT_GROUP_NOT_ALLOWED salesAreas.1000/10/00.partners.BP",
        "PARTNER_FUNCTION_UNKNOWN salesAreas.1000/10/00.partners.XX"
      ])
      // A ship-to's own procedure allows only SH.
      const notAllowed = await failureOf(
        kit.customers.change({
          actor: admin,
          number: shipTo.number,
          version: 1,
          salesAreas: {
            "1000/10/00": {
              partners: [
                { function: "SH", partner: shipTo.number },
                { function: "BP", partner: c.number }
              ]
            }
          }
        })
      )
      expect(ids(notAllowed)).toEqual(["PARTNER_FUNCTION_NOT_ALLOWED salesAreas.1000/10/00.partners.BP"])
      expect((await kit.customers.display({ actor: admin, number: c.number })).version).toBe(1)
    })

    it("refuses a blocked partner and a partner not extended to the sales area", async () => {
      const { kit, admin } = await open()
      const c = await soldTo(kit, admin, "Acme")
      const blocked = await simple(kit, admin, "0002", "Blocked Dock")
      await kit.customers.block({
        actor: admin,
        number: blocked.number,
        target: { scope: "salesArea", salesArea: a1000, blocks: ["delivery"] },
        reason: "closed for renovation"
      })
      const elsewhere = await simple(kit, admin, "0002", "Dock in France", [area("2000", "10")])
      const error = await failureOf(
        kit.customers.change({
          actor: admin,
          number: c.number,
          version: c.version,
          salesAreas: {
            "1000/10/00": {
              partners: [
                { function: "SP", partner: c.number },
                { function: "SH", partner: blocked.number, default: true },
                { function: "SH", partner: elsewhere.number },
                { function: "BP", partner: c.number },
                { function: "PY", partner: c.number }
              ]
            }
          }
        })
      )
      expect(ids(error)).toEqual([
        "PARTNER_BLOCKED salesAreas.1000/10/00.partners.SH",
        "PARTNER_NOT_IN_SALES_AREA salesAreas.1000/10/00.partners.SH"
      ])
      expect((error as Errors.ValidationFailed).messages[0]?.text).toContain("delivery block in 1000/10/00: closed for renovation")
      // Partners of a sales area the customer is not extended to are refused.
      expect(
        await failureOf(
          kit.customers.change({ actor: admin, number: c.number, version: c.version, salesAreas: { "2000/10/00": { partners: [] } } })
        )
      ).toBeInstanceOf(Errors.ViewNotFound)
    })

    it("enforces bill-to = payer as configuration with a configurable severity", async () => {
      const rule = { partnerRules: { samePartner: [["BP", "PY"]] as Array<[string, string]> } }
      for (const [severity, outcome] of [
        ["error", "refused"],
        ["warning", "acknowledged"],
        ["off", "accepted"]
      ] as const) {
        const { kit, admin } = await open({ ...rule, messages: { PARTNER_FUNCTIONS_DIFFER: severity } })
        const company = await soldTo(kit, admin, "Transport GmbH")
        const payer = await simple(kit, admin, "0004", "Transport Finance")
        const c = await soldTo(kit, admin, "Acme")
        const partners = [
          { function: "SP", partner: c.number },
          { function: "SH", partner: c.number },
          { function: "BP", partner: company.number },
          { function: "PY", partner: payer.number }
        ]
        const change = (acknowledge?: Array<"PARTNER_FUNCTIONS_DIFFER">) =>
          kit.customers.change({
            actor: admin,
            number: c.number,
            version: c.version,
            salesAreas: { "1000/10/00": { partners } },
            ...(acknowledge ? { acknowledge } : {})
          })
        if (outcome === "accepted") {
          expect((await change()).messages).toEqual([])
        } else {
          const error = await failureOf(change())
          expect(ids(error)).toEqual(["PARTNER_FUNCTIONS_DIFFER salesAreas.1000/10/00.partners.PY"])
          if (outcome === "acknowledged")
            expect((await change(["PARTNER_FUNCTIONS_DIFFER"])).messages.map((m) => m.id)).toEqual(["PARTNER_FUNCTIONS_DIFFER"])
        }
      }
    })
  })

  describe("determination", () => {
    it("proposes the sold-to's own partners, with their source", async () => {
      const { kit, admin } = await open()
      const c = await soldTo(kit, admin, "Acme")
      const result = await kit.partners.determinePartners({ actor: admin, soldTo: c.number, salesArea: a1000 })
      expect(result.complete).toBe(true)
      expect(Object.keys(result.functions).sort()).toEqual(["BP", "PY", "SH", "SP"])
      expect(determined(result.functions.SH).proposal).toMatchObject({ partner: "C0001", source: "self", name: "Acme" })
    })

    it("sends the private bus buyer's invoice to the transport company: bill-to and payer are the company", async () => {
      const { kit, admin } = await open()
      const company = await soldTo(kit, admin, "Stadtbus Verkehrsbetriebe GmbH")
      const buyer = await soldTo(kit, admin, "Max Mustermann", {
        general: { title: "mr", name: "Max Mustermann", ...address, language: "de" }
      })
      await kit.customers.change({
        actor: admin,
        number: buyer.number,
        version: buyer.version,
        salesAreas: {
          "1000/10/00": {
            partners: [
              { function: "SP", partner: buyer.number },
              { function: "SH", partner: buyer.number },
              { function: "BP", partner: company.number },
              { function: "PY", partner: company.number }
            ]
          }
        }
      })
      const result = await kit.partners.determinePartners({ actor: admin, soldTo: buyer.number, salesArea: a1000 })
      expect(result.soldTo.partner).toBe(buyer.number)
      expect(determined(result.functions.SH).proposal.partner).toBe(buyer.number)
      expect(determined(result.functions.BP).proposal).toMatchObject({
        partner: company.number,
        name: "Stadtbus Verkehrsbetriebe GmbH",
        source: "masterData"
      })
      expect(determined(result.functions.PY).proposal.partner).toBe(company.number)
    })

    it("returns the default ship-to with its alternatives, and a typed failure per function", async () => {
      const { kit, tenant, admin } = await open()
      const c = await soldTo(kit, admin, "Acme")
      const dock = await simple(kit, admin, "0002", "Acme Dock")
      const payer = await simple(kit, admin, "0004", "Acme Finance")
      await kit.customers.change({
        actor: admin,
        number: c.number,
        version: c.version,
        salesAreas: {
          "1000/10/00": {
            partners: [
              { function: "SP", partner: c.number },
              { function: "SH", partner: c.number },
              { function: "SH", partner: dock.number, default: true },
              { function: "BP", partner: c.number },
              { function: "PY", partner: payer.number }
            ]
          }
        }
      })
      const first = await kit.partners.determinePartners({ actor: admin, soldTo: c.number, salesArea: a1000 })
      const shipTo = determined(first.functions.SH)
      expect([shipTo.proposal.partner, shipTo.alternatives.map((p) => p.partner)]).toEqual([dock.number, [c.number]])

      await kit.customers.block({
        actor: admin,
        number: dock.number,
        target: { scope: "salesArea", salesArea: a1000, blocks: ["delivery"] },
        reason: "strike"
      })
      await kit.customers.block({
        actor: admin,
        number: payer.number,
        target: { scope: "salesArea", salesArea: a1000, blocks: ["billing"] },
        reason: "dunning"
      })
      const second = await kit.partners.determinePartners({ actor: admin, soldTo: c.number, salesArea: a1000 })
      expect(second.complete).toBe(false)
      expect(second.functions.SH).toMatchObject({ status: "failed", reason: "blockedForDelivery", alternatives: [{ partner: c.number }] })
      expect(second.functions.PY).toMatchObject({ status: "failed", reason: "blockedForBilling" })
      expect(second.functions.BP?.status).toBe("determined")

      await kit.customers.block({
        actor: admin,
        number: c.number,
        target: { scope: "salesArea", salesArea: a1000, blocks: ["order"] },
        reason: "credit"
      })
      expect((await kit.partners.determinePartners({ actor: admin, soldTo: c.number, salesArea: a1000 })).functions.SP).toMatchObject({
        status: "failed",
        reason: "blockedForOrders"
      })

      // A payer outside the actor's authorization groups is reported without its number.
      await kit.customers.unblock({ actor: admin, number: payer.number, target: { scope: "salesArea", salesArea: a1000 } })
      const p = await kit.customers.display({ actor: admin, number: payer.number })
      await kit.customers.change({ actor: admin, number: payer.number, version: p.version, general: { authorizationGroup: "FIN" } })
      const clerk = Actor.make({ ...Actor.superUser(tenant, "clerk"), authorizationGroups: ["SALES"] })
      const hidden = await kit.partners.determinePartners({ actor: clerk, soldTo: c.number, salesArea: a1000 })
      expect(hidden.functions.PY).toMatchObject({ status: "failed", reason: "notVisible" })
      expect(JSON.stringify(hidden.functions.PY)).not.toContain(payer.number)
    })

    it("reads each record once per determination: the sold-to, each partner customer and employee, the territories", async () => {
      const { kit, tenant, admin } = await open()
      const company = await soldTo(kit, admin, "Stadtbus Verkehrsbetriebe GmbH")
      const dock = await simple(kit, admin, "0002", "Stadtbus Depot")
      const buyer = await soldTo(kit, admin, "Max Mustermann")
      await kit.salesForce.saveEmployee({ actor: admin, employee: { id: "E1", name: "Eva Seller" } })
      await kit.salesForce.saveTerritory({
        actor: admin,
        territory: { id: "DE", name: "Germany", priority: 50, criteria: { countries: ["DE"] } }
      })
      const request = await kit.salesForce.requestAssignment({ actor: admin, territory: "DE", salesEmployee: "E1", approver: "manager" })
      await kit.salesForce.decideAssignment({ actor: Actor.superUser(tenant, "manager"), change: request.id, decision: "accept" })
      await kit.customers.change({
        actor: admin,
        number: buyer.number,
        version: buyer.version,
        salesAreas: {
          "1000/10/00": {
            partners: [
              { function: "SP", partner: buyer.number },
              { function: "SH", partner: buyer.number },
              { function: "SH", partner: dock.number, default: true },
              { function: "SH", partner: company.number },
              { function: "BP", partner: company.number },
              { function: "PY", partner: company.number }
            ]
          }
        }
      })
      // The same store, with every read partner determination makes counted.
      const reads: Array<string> = []
      const read = (what: string) => Effect.sync(() => reads.push(what))
      const ports = await runtime.runPromise(Effect.context<Storage.Ports>())
      const customers = Context.get(ports, CustomerStore)
      const employees = Context.get(ports, SalesEmployeeStore)
      const territories = Context.get(ports, TerritoryStore)
      const counted = Layer.succeedContext(
        ports.pipe(
          Context.add(CustomerStore, {
            ...customers,
            get: (t, number, v) => Effect.zipRight(read(`customer ${number}`), customers.get(t, number, v))
          }),
          Context.add(SalesEmployeeStore, { ...employees, get: (t, id) => Effect.zipRight(read(`employee ${id}`), employees.get(t, id)) }),
          Context.add(TerritoryStore, { ...territories, list: (t) => Effect.zipRight(read("territories"), territories.list(t)) })
        )
      )
      const counting = await createPartnerKit({ customizing: kit.customizing, storage: counted })
      kits.push(counting)
      const result = await counting.partners.determinePartners({ actor: admin, soldTo: buyer.number, salesArea: a1000 })
      expect(result.complete).toBe(true)
      const shipTo = determined(result.functions.SH)
      expect([shipTo.proposal.partner, shipTo.alternatives.map((p) => p.partner)]).toEqual([dock.number, [buyer.number, company.number]])
      expect([determined(result.functions.BP).proposal.partner, determined(result.functions.PY).proposal.partner]).toEqual([
        company.number,
        company.number
      ])
      expect(determined(result.functions.ER).proposal).toMatchObject({ partner: "E1", source: "territory" })
      expect(reads.sort()).toEqual(
        [`customer ${buyer.number}`, `customer ${company.number}`, `customer ${dock.number}`, "employee E1", "territories"].sort()
      )
    })

    it("reports a mandatory function without partner as missing, and unknown sold-tos and sales areas as errors", async () => {
      const { kit, admin } = await open({ partnerProcedures: { SOLD_TO: { functions: { ER: { mandatory: true, unique: true } } } } })
      const error = await failureOf(soldTo(kit, admin, "Acme"))
      expect(ids(error)).toEqual(["PARTNER_MISSING salesAreas.1000/10/00.partners.ER"])
      const employee = await kit.salesForce.saveEmployee({ actor: admin, employee: { id: "E1", name: "Eva Seller" } })
      const c = await soldTo(kit, admin, "Acme", {
        salesAreas: [{ salesArea: a1000, currency: "EUR", partners: [{ function: "ER", partner: employee.id }] }]
      })
      const result = await kit.partners.determinePartners({ actor: admin, soldTo: c.number, salesArea: a1000 })
      expect(determined(result.functions.ER).proposal).toMatchObject({ partner: "E1", name: "Eva Seller", source: "masterData" })
      await kit.salesForce.saveEmployee({
        actor: admin,
        employee: { id: "E1", name: "Eva Seller", active: false },
        version: employee.version
      })
      expect((await kit.partners.determinePartners({ actor: admin, soldTo: c.number, salesArea: a1000 })).functions.ER).toMatchObject({
        status: "failed",
        reason: "notFound"
      })
      expect(await failureOf(kit.partners.determinePartners({ actor: admin, soldTo: "C9999", salesArea: a1000 }))).toBeInstanceOf(
        Errors.CustomerNotFound
      )
      expect(
        await failureOf(kit.partners.determinePartners({ actor: admin, soldTo: c.number, salesArea: area("2000", "10") }))
      ).toBeInstanceOf(Errors.ViewNotFound)
    })

    it("proposes contact persons by their names", async () => {
      const { kit, admin } = await open()
      const c = await soldTo(kit, admin, "Acme", { contacts: [{ firstName: "Anna", lastName: "Berg" }, { lastName: "Wu" }] })
      const withContacts = await kit.customers.change({
        actor: admin,
        number: c.number,
        version: c.version,
        salesAreas: {
          "1000/10/00": {
            partners: [
              ...(c.salesAreas[0]?.partners ?? []),
              { function: "CP", partner: "0002" },
              { function: "CP", partner: "0001", default: true }
            ]
          }
        }
      })
      const result = await kit.partners.determinePartners({ actor: admin, soldTo: c.number, salesArea: a1000 })
      const cp = determined(result.functions.CP)
      expect([cp.proposal.name, cp.alternatives.map((p) => p.name)]).toEqual(["Anna Berg", ["Wu"]])
      expect(
        ids(
          await failureOf(
            kit.customers.change({
              actor: admin,
              number: c.number,
              version: withContacts.customer.version,
              salesAreas: { "1000/10/00": { partners: [...(c.salesAreas[0]?.partners ?? []), { function: "CP", partner: "0009" }] } }
            })
          )
        )
      ).toEqual(["PARTNER_NOT_FOUND salesAreas.1000/10/00.partners.CP"])
    })
  })

  describe("head office and branch", () => {
    const domestic = (number: string, companyCode: string) => ({
      accountGroup: "1110",
      number,
      general: {
        name: "上海巴士",
        street: "延安路 1 号",
        postalCode: "200000",
        city: "上海",
        country: "CN",
        phone: "+86 21 6123 4567",
        fax: "+86 21 6123 4568",
        notes: "fleet"
      },
      companyCodes: [{ companyCode, reconciliationAccount: "1122000000", paymentTerms: "Z030" }],
      salesAreas: [{ salesArea: area(companyCode, "10"), currency: "CNY", customerGroup: "01" }]
    })

    it("copies a branch's customer into the head-office sales organisation under the same number; a head-office order has the branch as sold-to and the end customer as ship-to", async () => {
      const { kit, admin } = await open({}, Presets.manufacturer)
      // The Puxi branch creates its customer...
      const end = (await kit.customers.create({ actor: admin, ...domestic("2110010001", "F011") })).customer
      // ...which is also created in the head-office sales organisation, same number (copy with reference).
      const copied = await kit.customers.extend({
        actor: admin,
        number: end.number,
        salesAreas: [{ salesArea: area("F001", "40"), copyFrom: area("F011", "10") }]
      })
      expect(copied.customer.number).toBe("2110010001")
      expect(copied.customer.salesAreas.find((v) => v.salesArea.salesOrganization === "F001")).toMatchObject({
        currency: "CNY",
        customerGroup: "01"
      })
      // The branch itself is a customer of the head office (account group 1410).
      const branch = (
        await kit.customers.create({
          actor: admin,
          accountGroup: "1410",
          general: {
            name: "浦西分公司",
            street: "淮海路 2 号",
            postalCode: "200001",
            city: "上海",
            country: "CN",
            phone: "+86 21 6123 4000",
            fax: "+86 21 6123 4001",
            notes: "branch"
          },
          companyCodes: [{ companyCode: "F001", reconciliationAccount: "1122200000", paymentTerms: "Z030" }],
          salesAreas: [{ salesArea: area("F001", "40"), currency: "CNY", customerGroup: "04" }]
        })
      ).customer
      await kit.customers.change({
        actor: admin,
        number: branch.number,
        version: branch.version,
        salesAreas: {
          "F001/40/00": {
            partners: [
              { function: "SP", partner: branch.number },
              { function: "SH", partner: branch.number },
              { function: "SH", partner: end.number, default: true },
              { function: "BP", partner: branch.number },
              { function: "PY", partner: branch.number }
            ]
          }
        }
      })
      const order = await kit.partners.determinePartners({ actor: admin, soldTo: branch.number, salesArea: area("F001", "40") })
      expect(order.soldTo.partner).toBe(branch.number)
      expect(determined(order.functions.SH).proposal).toMatchObject({ partner: "2110010001", name: "上海巴士" })
      expect(determined(order.functions.BP).proposal.partner).toBe(branch.number)
      // The finance rule of this installation: bill-to and payer must be the same party.
      const breaking = await failureOf(
        kit.customers.change({
          actor: admin,
          number: branch.number,
          version: branch.version + 1,
          salesAreas: {
            "F001/40/00": {
              partners: [
                { function: "SP", partner: branch.number },
                { function: "SH", partner: branch.number },
                { function: "BP", partner: branch.number },
                { function: "PY", partner: end.number }
              ]
            }
          }
        })
      )
      expect(ids(breaking)).toEqual([
        "PARTNER_ACCOUNT_GROUP_NOT_ALLOWED salesAreas.F001/40/00.partners.PY",
        "PARTNER_FUNCTIONS_DIFFER salesAreas.F001/40/00.partners.PY"
      ])
    })
  })

  describe("sales employees and territories", () => {
    it("proposes the territory's employee, and a reassignment takes effect only when the named approver accepts it", async () => {
      const { kit, tenant, admin } = await open()
      await kit.salesForce.saveEmployee({ actor: admin, employee: { id: "E1", name: "Eva Seller" } })
      await kit.salesForce.saveEmployee({ actor: admin, employee: { id: "E2", name: "Erik Seller" } })
      await kit.salesForce.saveTerritory({
        actor: admin,
        territory: {
          id: "SOUTH",
          name: "Bavaria",
          priority: 10,
          criteria: { countries: ["DE"], postalCodes: [{ from: "80000", to: "87999" }] }
        }
      })
      await kit.salesForce.saveTerritory({
        actor: admin,
        territory: { id: "DE", name: "Germany", priority: 50, criteria: { countries: ["DE"] } }
      })
      const c = await soldTo(kit, admin, "Acme")
      expect((await kit.partners.determinePartners({ actor: admin, soldTo: c.number, salesArea: a1000 })).functions.ER).toBeUndefined()

      const request = await kit.salesForce.requestAssignment({ actor: admin, territory: "SOUTH", salesEmployee: "E1", approver: "manager" })
      expect(request).toMatchObject({ status: "pending", previous: null })
      // Pending: no effect yet.
      expect((await kit.partners.determinePartners({ actor: admin, soldTo: c.number, salesArea: a1000 })).functions.ER).toBeUndefined()
      expect(await failureOf(kit.salesForce.decideAssignment({ actor: admin, change: request.id, decision: "accept" }))).toMatchObject({
        reason: "approver"
      })
      const manager = Actor.superUser(tenant, "manager")
      const decided = await kit.salesForce.decideAssignment({ actor: manager, change: request.id, decision: "accept" })
      expect([decided.change.status, decided.territory.salesEmployee]).toEqual(["accepted", "E1"])
      expect(await failureOf(kit.salesForce.decideAssignment({ actor: manager, change: request.id, decision: "reject" }))).toBeInstanceOf(
        Errors.ChangeAlreadyDecided
      )
      const er = determined((await kit.partners.determinePartners({ actor: admin, soldTo: c.number, salesArea: a1000 })).functions.ER)
      expect(er.proposal).toMatchObject({ partner: "E1", source: "territory", detail: "responsible for territory SOUTH (Bavaria)" })

      const second = await kit.salesForce.requestAssignment({ actor: admin, territory: "SOUTH", salesEmployee: "E2", approver: "manager" })
      await kit.salesForce.decideAssignment({ actor: manager, change: second.id, decision: "reject", comment: "E1 keeps Bavaria" })
      expect(
        determined((await kit.partners.determinePartners({ actor: admin, soldTo: c.number, salesArea: a1000 })).functions.ER).proposal
          .partner
      ).toBe("E1")
      expect((await kit.salesForce.assignmentChanges({ actor: admin, territory: "SOUTH" })).map((x) => x.status)).toEqual([
        "accepted",
        "rejected"
      ])
      expect(
        await failureOf(kit.salesForce.requestAssignment({ actor: admin, territory: "SOUTH", salesEmployee: "E9", approver: "manager" }))
      ).toBeInstanceOf(Errors.RecordNotFound)

      // A sales employee in the master data wins over the territory.
      const d = await kit.customers.display({ actor: admin, number: c.number })
      await kit.customers.change({
        actor: admin,
        number: c.number,
        version: d.version,
        salesAreas: { "1000/10/00": { partners: [...(d.salesAreas[0]?.partners ?? []), { function: "ER", partner: "E2" }] } }
      })
      expect(
        determined((await kit.partners.determinePartners({ actor: admin, soldTo: c.number, salesArea: a1000 })).functions.ER).proposal
      ).toMatchObject({ partner: "E2", source: "masterData" })
    })

    it("refuses a stale territory or employee version", async () => {
      const { kit, admin } = await open()
      const e = await kit.salesForce.saveEmployee({ actor: admin, employee: { id: "E1", name: "Eva" } })
      await kit.salesForce.saveEmployee({ actor: admin, employee: { id: "E1", name: "Eva S." }, version: e.version })
      expect(
        await failureOf(kit.salesForce.saveEmployee({ actor: admin, employee: { id: "E1", name: "Eva X." }, version: e.version }))
      ).toBeInstanceOf(Errors.VersionConflict)
      expect(await failureOf(kit.salesForce.saveEmployee({ actor: admin, employee: { id: "E1", name: "again" } }))).toBeInstanceOf(
        Errors.VersionConflict
      )
      expect((await kit.salesForce.employee({ actor: admin, id: "E1" })).name).toBe("Eva S.")
    })
  })

  describe("business partners (S/4HANA view)", () => {
    const bp = {
      numberRanges: { BPR: { kind: "internal" as const, prefix: "B", digits: 9, from: 1, to: 999999999 } },
      businessPartner: {
        groupings: {
          BP01: { name: "Customers, BP number = customer number", accountGroup: "0001" },
          BP02: { name: "Ship-tos with own BP numbers", accountGroup: "0002", numberRange: "BPR", categories: ["organization" as const] }
        }
      }
    }

    it("creates a business partner in a grouping with roles, category and relationships", async () => {
      const { kit, admin } = await open(bp)
      await kit.salesForce.saveEmployee({ actor: admin, employee: { id: "E1", name: "Eva Seller" } })
      const partner = await kit.businessPartners.create({
        actor: admin,
        grouping: "BP01",
        category: "organization",
        roles: ["FLCU01", "FLCU00"],
        general: { name: "Acme", ...address, language: "de" },
        companyCodes: [{ companyCode: "1000", reconciliationAccount: "140000", paymentTerms: "Z030" }],
        salesAreas: [{ salesArea: a1000, currency: "EUR", partners: [{ function: "ER", partner: "E1" }] }],
        contacts: [{ firstName: "Anna", lastName: "Berg" }]
      })
      expect([partner.number, partner.customerNumber, partner.grouping, partner.category, partner.roles]).toEqual([
        "C0001",
        "C0001",
        "BP01",
        "organization",
        ["FLCU00", "FLCU01"]
      ])
      expect(partner.relationships).toEqual([
        { type: "contactPersonOf", partner: "0001", name: "Anna Berg" },
        { type: "employeeResponsible", partner: "E1", salesArea: a1000 }
      ])
      // The same record through the ECC door.
      expect((await kit.customers.display({ actor: admin, number: "C0001" })).general.category).toBe("organization")
    })

    it("draws the BP number from the grouping's own range, checks roles against data and categories against the grouping", async () => {
      const { kit, admin } = await open(bp)
      const shipTo = await kit.businessPartners.create({
        actor: admin,
        grouping: "BP02",
        category: "organization",
        roles: ["FLCU01"],
        general: { name: "Dock", ...address },
        salesAreas: [{ salesArea: a1000 }]
      })
      expect([shipTo.number, shipTo.customerNumber, shipTo.grouping]).toEqual(["B000000001", "D0001", "BP02"])
      expect(
        ids(
          await failureOf(
            kit.businessPartners.create({
              actor: admin,
              grouping: "BP02",
              category: "person",
              roles: ["FLCU01"],
              general: { name: "Dock", ...address },
              salesAreas: [{ salesArea: a1000 }]
            })
          )
        )
      ).toEqual(["BP_CATEGORY_NOT_ALLOWED category"])
      expect(
        ids(
          await failureOf(
            kit.businessPartners.create({
              actor: admin,
              grouping: "BP01",
              category: "organization",
              roles: ["FLCU00"],
              general: { name: "Acme", ...address, language: "de" }
            })
          )
        )
      ).toEqual(["BP_ROLE_DATA_MISSING companyCodes"])
      const sales = await kit.businessPartners.create({
        actor: admin,
        grouping: "BP01",
        category: "person",
        roles: ["FLCU01"],
        general: { name: "Max", ...address, language: "de" },
        salesAreas: [{ salesArea: a1000, currency: "EUR" }]
      })
      expect(sales.roles).toEqual(["FLCU01"])
      const withFinance = await kit.businessPartners.addRole({
        actor: admin,
        number: sales.customerNumber,
        role: "FLCU00",
        companyCodes: [{ companyCode: "1000", reconciliationAccount: "140000", paymentTerms: "Z030" }]
      })
      expect(withFinance.roles).toEqual(["FLCU00", "FLCU01"])
      expect((await kit.businessPartners.display({ actor: admin, number: sales.customerNumber })).category).toBe("person")
    })
  })

  describe("one-time customers", () => {
    it("carries the buyer's name and address with the document, validated with the same field rules", async () => {
      const { kit, admin } = await open()
      const cpd = (
        await kit.customers.create({
          actor: admin,
          accountGroup: "CPD",
          general: { name: "One-time customers Bavaria", country: "DE" },
          salesAreas: [{ salesArea: a1000 }]
        })
      ).customer
      expect(ids(await failureOf(kit.partners.determinePartners({ actor: admin, soldTo: cpd.number, salesArea: a1000 })))).toEqual([
        "ONE_TIME_ADDRESS_REQUIRED oneTimeAddress"
      ])
      const invalid = await failureOf(
        kit.partners.determinePartners({
          actor: admin,
          soldTo: cpd.number,
          salesArea: a1000,
          oneTimeAddress: { name: "Bauer Huber", postalCode: "8033", city: "Freising", country: "DE" }
        })
      )
      expect(ids(invalid)).toEqual(["POSTAL_CODE_INVALID oneTimeAddress.postalCode"])
      const buyer = { name: "Bauer Huber", street: "Feldweg 3", postalCode: "85354", city: "Freising", country: "DE" }
      const result = await kit.partners.determinePartners({ actor: admin, soldTo: cpd.number, salesArea: a1000, oneTimeAddress: buyer })
      expect(result.soldTo.address).toEqual(buyer)
      expect(determined(result.functions.SH).proposal.address).toEqual(buyer)
      expect(determined(result.functions.PY).proposal).toMatchObject({ partner: cpd.number, address: buyer })
    })
  })
}
