import { describe, expect, it } from "vitest"
import { ChangeDocument, type Customer } from "@partnerkit/core"

const base: Customer.CustomerRecord = {
  tenant: "t",
  number: "C0001",
  accountGroup: "0001",
  general: { name: "Acme", phone: "+49 89 1", authorizationGroup: "G1" },
  companyCodes: [{ companyCode: "1000", paymentTerms: "Z030", postingBlock: null, deletionFlag: false }],
  salesAreas: [
    {
      salesArea: { salesOrganization: "1000", distributionChannel: "10", division: "00" },
      currency: "EUR",
      orderBlock: null,
      deliveryBlock: null,
      billingBlock: null,
      deletionFlag: false
    }
  ],
  contacts: [{ id: "0001", lastName: "Li", email: "li@acme.de" }],
  centralBlock: null,
  deletionFlag: false,
  version: 1,
  createdBy: "u",
  createdAt: "2026-01-01T00:00:00.000Z",
  changedBy: "u",
  changedAt: "2026-01-01T00:00:00.000Z"
}

describe("ChangeDocument.diff", () => {
  it("lists every set field of a new record, with its view", () => {
    const items = ChangeDocument.diff(undefined, base)
    expect(items.map((i) => [i.path, i.viewKind, i.viewId, i.oldValue, i.newValue])).toEqual([
      ["companyCodes.1000.paymentTerms", "companyCode", "1000", null, "Z030"],
      ["contacts.0001.email", "general", "", null, "li@acme.de"],
      ["contacts.0001.lastName", "general", "", null, "Li"],
      ["customer.accountGroup", "general", "", null, "0001"],
      ["general.authorizationGroup", "general", "", null, "G1"],
      ["general.name", "general", "", null, "Acme"],
      ["general.phone", "general", "", null, "+49 89 1"],
      ["salesAreas.1000/10/00.currency", "salesArea", "1000/10/00", null, "EUR"]
    ])
  })

  it("records changed, cleared and blocked fields with old and new values, and nothing else", () => {
    const after: Customer.CustomerRecord = {
      ...base,
      version: 2,
      changedAt: "later",
      general: { name: "Acme", authorizationGroup: "G1", email: "a@acme.de" },
      salesAreas: [{ ...base.salesAreas[0]!, orderBlock: { reason: "credit check", blockedBy: "u", blockedAt: "now" } }],
      contacts: []
    }
    expect(ChangeDocument.diff(base, after).map((i) => [i.path, i.oldValue, i.newValue])).toEqual([
      ["contacts.0001.email", "li@acme.de", null],
      ["contacts.0001.lastName", "Li", null],
      ["general.email", null, "a@acme.de"],
      ["general.phone", "+49 89 1", null],
      ["salesAreas.1000/10/00.orderBlock", null, "credit check"]
    ])
    expect(ChangeDocument.diff(base, { ...base, version: 9, changedBy: "x" })).toEqual([])
  })

  it("records the deletion flag only when it is set or cleared", () => {
    const flagged = { ...base, deletionFlag: true }
    expect(ChangeDocument.diff(base, flagged).map((i) => [i.path, i.oldValue, i.newValue])).toEqual([["customer.deletionFlag", null, "true"]])
    expect(ChangeDocument.diff(flagged, base).map((i) => [i.path, i.oldValue, i.newValue])).toEqual([["customer.deletionFlag", "true", null]])
  })
})
