import { ChangeDocument, Customer, SalesForce } from "@partnerkit/core"
import { Fixtures as F } from "@partnerkit/testkit"
import { describe, expect, it } from "vitest"

describe("Fixtures", () => {
  it("builds records that pass the core schemas", () => {
    const tenant = F.tenantId()
    for (const record of [F.customer(tenant, "C0001"), F.fullCustomer(tenant, "C0002"), F.nextVersion(F.fullCustomer(tenant, "C0003"))]) {
      expect(Customer.CustomerRecord.parse(record)).toEqual(record)
    }
    const document = F.changeDocument(tenant, "C0001", 1, {
      items: [F.changeItem(), F.companyCodeItem("1000"), F.salesAreaItem("1000/10/00")]
    })
    expect(ChangeDocument.ChangeDocumentSchema.parse(document)).toEqual(document)
    expect(SalesForce.SalesEmployee.parse(F.salesEmployee(tenant, "E01"))).toEqual(F.salesEmployee(tenant, "E01"))
    expect(SalesForce.Territory.parse(F.territory(tenant, "T1"))).toEqual(F.territory(tenant, "T1"))
    expect(SalesForce.AssignmentChange.parse(F.assignmentChange(tenant, "A1"))).toEqual(F.assignmentChange(tenant, "A1"))
  })

  it("gives every call a new tenant id that fits the customizing's 64 characters", () => {
    const ids = Array.from({ length: 1000 }, () => F.tenantId("conformance"))
    expect(new Set(ids).size).toBe(1000)
    expect(ids.every((id) => id.length <= 64)).toBe(true)
  })

  it("reads sales areas from their keys and refuses malformed ones", () => {
    expect(F.salesArea("1000/10/00")).toEqual({ salesOrganization: "1000", distributionChannel: "10", division: "00" })
    expect(() => F.salesArea("1000-10-00")).toThrow(/sales-area key/)
  })
})
