/**
 * The partner scenarios of domain.md §5, run end to end: a sold-to that is its own ship-to, bill-to
 * and payer; the private bus buyer whose invoice goes to the transport company; a ship-to blocked
 * for delivery; head office and branch; a territory whose sales employee changes only after the
 * branch manager approves; a one-time customer whose buyer travels with the document.
 */
import { Actor, type Customer, Customizing, createPartnerKit, Errors, Messages, type PartnerDetermination, Presets, type Storage } from "@partnerkit/core"
import Table from "cli-table3"

const area = (salesOrganization: string, distributionChannel: string): Customer.SalesArea => ({ salesOrganization, distributionChannel, division: "00" })

const describe = (result: PartnerDetermination.Determination): string => {
  const table = new Table({ head: ["function", "partner", "name", "source", "note"], style: { head: [], border: [] } })
  table.push(["SP", result.soldTo.partner, result.soldTo.name, result.soldTo.source, result.soldTo.address ? `buyer: ${result.soldTo.address.name}, ${result.soldTo.address.city}` : ""])
  for (const [fn, r] of Object.entries(result.functions)) {
    if (fn === "SP" && r.status === "determined") continue
    if (r.status === "determined") {
      const alternatives = r.alternatives.length > 0 ? `alternatives: ${r.alternatives.map((a) => a.partner).join(", ")}` : ""
      table.push([fn, r.proposal.partner, r.proposal.name, r.proposal.source, [r.proposal.detail, alternatives].filter(Boolean).join("; ")])
    } else {
      const usable = r.alternatives.length > 0 ? `; usable instead: ${r.alternatives.map((a) => a.partner).join(", ")}` : ""
      table.push([fn, "—", "—", `FAILED: ${r.reason}`, `${r.detail}${usable}`])
    }
  }
  return table.toString()
}

export const runScenarios = async ({ storage, print = console.log }: { storage: () => Storage.Layer; print?: (line: string) => void }) => {
  // --- Standard preset: sold-to, bus buyer, blocked ship-to, territory approval ---------------
  const standard = await createPartnerKit({ customizing: Presets.standard("acme"), storage: storage() })
  try {
    const admin = Actor.superUser("acme", "admin")
    const a = area("1000", "10")
    const base = { street: "Hauptstraße 1", postalCode: "80331", city: "München", country: "DE", language: "de" }
    const createSoldTo = async (name: string, title?: "mr" | "ms") =>
      (await standard.customers.create({ actor: admin, accountGroup: "0001", general: { name, ...(title ? { title } : {}), ...base }, salesAreas: [{ salesArea: a, currency: "EUR" }] })).customer

    print("1. A new sold-to party (0001) is its own sold-to, ship-to, bill-to and payer:")
    const acme = await createSoldTo("Acme Maschinenbau GmbH")
    print(describe(await standard.partners.determinePartners({ actor: admin, soldTo: acme.number, salesArea: a })))

    print("\n2. A private buyer orders a bus; the invoice goes to the transport company he is registered with:")
    const company = await createSoldTo("Stadtbus Verkehrsbetriebe GmbH")
    const buyer = await createSoldTo("Max Mustermann", "mr")
    await standard.customers.change({
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
    print(describe(await standard.partners.determinePartners({ actor: admin, soldTo: buyer.number, salesArea: a })))

    print("\n3. A second ship-to becomes the default, then is blocked for delivery:")
    const dock = (await standard.customers.create({ actor: admin, accountGroup: "0002", general: { name: "Acme Dock 4", ...base, street: "Hafenstraße 4" }, salesAreas: [{ salesArea: a }] })).customer
    const current = await standard.customers.display({ actor: admin, number: acme.number })
    await standard.customers.change({
      actor: admin,
      number: acme.number,
      version: current.version,
      salesAreas: { "1000/10/00": { partners: [...(current.salesAreas[0]?.partners ?? []).filter((p) => p.function !== "SH"), { function: "SH", partner: acme.number }, { function: "SH", partner: dock.number, default: true }] } }
    })
    await standard.customers.block({ actor: admin, number: dock.number, target: { scope: "salesArea", salesArea: a, blocks: ["delivery"] }, reason: "Dock closed for renovation" })
    print(describe(await standard.partners.determinePartners({ actor: admin, soldTo: acme.number, salesArea: a })))

    print("\n4. The sales employee comes from the territory, once the branch manager approves the assignment:")
    await standard.salesForce.saveEmployee({ actor: admin, employee: { id: "E100", name: "Eva Seller" } })
    await standard.salesForce.saveTerritory({ actor: admin, territory: { id: "BY", name: "Bavaria", priority: 10, criteria: { countries: ["DE"], postalCodes: [{ from: "80000", to: "87999" }] } } })
    const request = await standard.salesForce.requestAssignment({ actor: admin, territory: "BY", salesEmployee: "E100", approver: "branch.manager" })
    print(`   requested ${request.id}: E100 for territory BY, status ${request.status}`)
    const decided = await standard.salesForce.decideAssignment({ actor: Actor.superUser("acme", "branch.manager"), change: request.id, decision: "accept" })
    print(`   branch.manager ${decided.change.status} it; territory BY → ${decided.territory.salesEmployee}`)
    const withEmployee = await standard.partners.determinePartners({ actor: admin, soldTo: buyer.number, salesArea: a })
    const er = withEmployee.functions.ER
    print(`   sales employee for ${buyer.number}: ${er?.status === "determined" ? `${er.proposal.name} (${er.proposal.detail})` : "none"}`)

    print("\n5. A one-time customer (CPD): the buyer's name and address travel with the order:")
    const cpd = (await standard.customers.create({ actor: admin, accountGroup: "CPD", general: { name: "One-time customers Bavaria", country: "DE" }, salesAreas: [{ salesArea: a }] })).customer
    try {
      await standard.partners.determinePartners({ actor: admin, soldTo: cpd.number, salesArea: a, oneTimeAddress: { name: "Bauer Huber", postalCode: "8535", city: "Freising", country: "DE" } })
    } catch (error) {
      if (!(error instanceof Errors.ValidationFailed)) throw error
      print(`   refused: ${Messages.format(error.messages)}`)
    }
    print(describe(await standard.partners.determinePartners({ actor: admin, soldTo: cpd.number, salesArea: a, oneTimeAddress: { name: "Bauer Huber", street: "Feldweg 3", postalCode: "85354", city: "Freising", country: "DE" } })))
  } finally {
    await standard.close()
  }

  // --- Manufacturer preset: head office and branch; bill-to = payer -------------------------
  const manufacturer = await createPartnerKit({ customizing: Customizing.merge(Presets.manufacturer("bus"), {}), storage: storage() })
  try {
    const admin = Actor.superUser("bus", "admin")
    print("\n6. Head office and branch: the Puxi branch's customer is copied into the head-office sales organisation under the same number;")
    print("   a head-office order has the branch (1410) as sold-to and the end customer as ship-to.")
    const end = (
      await manufacturer.customers.create({
        actor: admin,
        accountGroup: "1110",
        number: "2110010001",
        general: { name: "上海巴士公交有限公司", street: "延安路 1 号", postalCode: "200000", city: "上海", country: "CN", phone: "+86 21 6123 4567", fax: "+86 21 6123 4568", notes: "fleet customer" },
        companyCodes: [{ companyCode: "F011", reconciliationAccount: "1122000000", paymentTerms: "Z030" }],
        salesAreas: [{ salesArea: area("F011", "10"), currency: "CNY", customerGroup: "01" }]
      })
    ).customer
    await manufacturer.customers.extend({ actor: admin, number: end.number, salesAreas: [{ salesArea: area("F001", "40"), copyFrom: area("F011", "10") }] })
    const branch = (
      await manufacturer.customers.create({
        actor: admin,
        accountGroup: "1410",
        general: { name: "浦西分公司", street: "淮海路 2 号", postalCode: "200001", city: "上海", country: "CN", phone: "+86 21 6123 4000", fax: "+86 21 6123 4001", notes: "branch office" },
        companyCodes: [{ companyCode: "F001", reconciliationAccount: "1122200000", paymentTerms: "Z030" }],
        salesAreas: [{ salesArea: area("F001", "40"), currency: "CNY", customerGroup: "04" }]
      })
    ).customer
    const partners = [
      { function: "SP", partner: branch.number },
      { function: "SH", partner: branch.number },
      { function: "SH", partner: end.number, default: true },
      { function: "BP", partner: branch.number }
    ]
    try {
      await manufacturer.customers.change({ actor: admin, number: branch.number, version: branch.version, salesAreas: { "F001/40/00": { partners: [...partners, { function: "PY", partner: end.number }] } } })
    } catch (error) {
      if (!(error instanceof Errors.ValidationFailed)) throw error
      print("   the finance rule 'bill-to = payer' refuses a different payer:")
      print(Messages.format(error.messages).replace(/^/gm, "   "))
    }
    await manufacturer.customers.change({ actor: admin, number: branch.number, version: branch.version, salesAreas: { "F001/40/00": { partners: [...partners, { function: "PY", partner: branch.number }] } } })
    print(describe(await manufacturer.partners.determinePartners({ actor: admin, soldTo: branch.number, salesArea: area("F001", "40") })))
  } finally {
    await manufacturer.close()
  }
}
