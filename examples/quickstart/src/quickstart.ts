/**
 * The quickstart flow: the `standard` preset, one sold-to with two sales areas and a contact
 * person, extended to a second company code, a phone change, an order block in one sales area, a
 * refused placeholder postal code — then the customer and its change documents as tables.
 */
import { Actor, type ChangeDocument, type Customer, createPartnerKit, Errors, Messages, Presets, type Storage } from "@partnerkit/core"
import Table from "cli-table3"

export interface QuickstartOptions {
  readonly storage: Storage.Layer
  /** Where to write; defaults to the console. */
  readonly print?: (line: string) => void
}

const salesArea = (salesOrganization: string, distributionChannel: string): Customer.SalesArea => ({
  salesOrganization,
  distributionChannel,
  division: "00"
})

const table = (head: Array<string>, rows: Array<Array<string>>): string => {
  const t = new Table({ head, style: { head: [], border: [] }, wordWrap: true })
  t.push(...rows)
  return t.toString()
}

const show = (value: string | null | undefined) => value ?? "—"

/** Runs the flow against `storage` and returns the number of the customer it created. */
export const runQuickstart = async ({ storage, print = console.log }: QuickstartOptions): Promise<string> => {
  const kit = await createPartnerKit({ customizing: Presets.standard("acme"), storage })
  try {
    // A clerk of the German company: maintains company codes 1000 and 2000, sales organisation 1000.
    const actor = Actor.make({
      userId: "jane.doe",
      tenant: "acme",
      authorizationGroups: "*",
      companyCodes: ["1000", "2000"],
      salesOrganizations: ["1000"],
      activities: ["create", "change", "display", "block"]
    })

    const earlier = await kit.customers.list({ actor, accountGroup: "0001", limit: 1000 })
    print(
      earlier.items.length === 0
        ? "No customers yet: this is a fresh store."
        : `Found ${earlier.items.length} sold-to part${earlier.items.length === 1 ? "y" : "ies"} from earlier runs: ${earlier.items.map((c) => c.number).join(", ")}`
    )

    // 1. Create a sold-to party with two sales areas and a contact person.
    const created = await kit.customers.create({
      actor,
      accountGroup: "0001",
      general: {
        name: "Müller Maschinenbau GmbH",
        searchTerm: "MUELLER",
        street: "Hauptstraße",
        houseNumber: "12",
        postalCode: "80331",
        city: "München",
        country: "DE",
        language: "de",
        phone: "+49 89 1234567",
        email: "einkauf@mueller-maschinenbau.de"
      },
      companyCodes: [{ companyCode: "1000", reconciliationAccount: "140000", paymentTerms: "Z030" }],
      salesAreas: [
        { salesArea: salesArea("1000", "10"), currency: "EUR", incoterms: "FCA", shippingConditions: "01" },
        { salesArea: salesArea("1000", "20"), currency: "EUR" }
      ],
      contacts: [{ firstName: "Anna", lastName: "Berg", function: "Head of purchasing", phone: "+49 89 1234568", email: "anna.berg@mueller-maschinenbau.de" }]
    })
    const number = created.customer.number
    print(`\nCreated sold-to party ${number} (account group 0001, number range C0001–C9999).`)

    // 2. Extend it to the French company code.
    const extended = await kit.customers.extend({
      actor,
      number,
      version: created.customer.version,
      companyCodes: [{ companyCode: "2000", reconciliationAccount: "140100", paymentTerms: "Z060" }]
    })
    print(`Extended ${number} to company code 2000.`)

    // 3. Change its phone number (optimistic concurrency: pass the version you read).
    const changed = await kit.customers.change({
      actor,
      number,
      version: extended.customer.version,
      general: { phone: "+49 89 7654321" }
    })
    print(`Changed the phone number of ${number}.`)

    // 4. Block it for orders in sales area 1000/20/00 only.
    const blocked = await kit.customers.block({
      actor,
      number,
      version: changed.customer.version,
      target: { scope: "salesArea", salesArea: salesArea("1000", "20"), blocks: ["order"] },
      reason: "Credit limit exceeded"
    })
    print(`Blocked ${number} for orders in sales area 1000/20/00.`)

    // 5. A placeholder postal code ("enter zeros if unknown") is caught, not stored.
    try {
      await kit.customers.change({ actor, number, version: blocked.customer.version, general: { postalCode: "00000" } })
    } catch (error) {
      if (!(error instanceof Errors.ValidationFailed)) throw error
      print(`\nRefused as expected — ${error._tag} (a warning stops a change until the caller acknowledges its id):`)
      print(Messages.format(error.messages))
    }

    const customer = await kit.customers.display({ actor, number })
    print(`\nCustomer ${customer.number} — ${customer.general.name}, version ${customer.version}`)
    print(
      table(
        ["view", "field", "value"],
        [
          ["general", "address", `${show(customer.general.street)} ${show(customer.general.houseNumber)}, ${show(customer.general.postalCode)} ${show(customer.general.city)}, ${show(customer.general.country)}`],
          ["general", "phone", show(customer.general.phone)],
          ...customer.companyCodes.map((v) => [`company code ${v.companyCode}`, "payment terms / posting block", `${show(v.paymentTerms)} / ${v.postingBlock?.reason ?? "none"}`]),
          ...customer.salesAreas.map((v) => {
            const key = `${v.salesArea.salesOrganization}/${v.salesArea.distributionChannel}/${v.salesArea.division}`
            return [`sales area ${key}`, "currency / order block", `${show(v.currency)} / ${v.orderBlock?.reason ?? "none"}`]
          }),
          ...customer.contacts.map((c) => [`contact ${c.id}`, show(c.function), `${show(c.firstName)} ${c.lastName}, ${show(c.email)}`])
        ]
      )
    )

    const documents = await kit.customers.changeDocuments({ actor, number })
    print(`\nChange documents of ${number}, newest first:`)
    print(
      table(
        ["#", "operation", "by", "field", "old", "new"],
        documents.items.flatMap((d: ChangeDocument.ChangeDocument) =>
          d.items.map((i, n) => [n === 0 ? String(d.changeNumber) : "", n === 0 ? d.operation : "", n === 0 ? d.changedBy : "", i.path, show(i.oldValue), show(i.newValue)])
        )
      )
    )
    return number
  } finally {
    await kit.close()
  }
}
