/**
 * Test data for the SQL store tests: complete customer records (every field of every view set)
 * and change documents, with tenant ids unique to the run.
 */
import type { ChangeDocument, Customer } from "@partnerkit/core"

const run = Math.random().toString(36).slice(2, 8)
let sequence = 0

/** A tenant id no other call of this run returns. */
export const tenant = (label = "sql"): string => `${label}-${run}-${++sequence}`

export const at = "2024-03-01T09:00:00.000Z"

const block = (reason: string): Customer.Block => ({ reason, blockedBy: "tester", blockedAt: at })

/** General data with every field set. */
export const fullGeneral = (overrides: Partial<Customer.GeneralData> = {}): Customer.GeneralData => ({
  title: "company",
  category: "organization",
  businessPartnerNumber: "BP100042",
  name: "Müller Maschinenbau GmbH",
  name2: "Werk Süd",
  name3: "Abteilung 3",
  name4: "Halle 4",
  searchTerm: "MUELLER",
  street: "Hauptstraße",
  houseNumber: "1a",
  postalCode: "80331",
  city: "München",
  region: "BY",
  country: "DE",
  language: "de",
  phone: "+49 89 1234567",
  mobile: "+49 171 1234567",
  fax: "+49 89 1234568",
  email: "info@mueller.example",
  notes: "Key account — 'quotes' \"and\" unicode ✓ 客户",
  industry: "MECH",
  taxNumbers: [
    { kind: "VAT", value: "DE123456789" },
    { kind: "USCC", value: "91310000MA1FL0000X" }
  ],
  authorizationGroup: "G1",
  ...overrides
})

export const companyCodeView = (companyCode: string, overrides: Partial<Customer.CompanyCodeView> = {}): Customer.CompanyCodeView => ({
  companyCode,
  reconciliationAccount: "140000",
  paymentTerms: "Z030",
  sortKey: "001",
  headOffice: "C0001",
  dunningProcedure: "0001",
  previousAccountNumber: "OLD-42",
  authorizationGroup: "G1",
  postingBlock: null,
  deletionFlag: false,
  ...overrides
})

export const salesAreaView = (key: string, overrides: Partial<Customer.SalesAreaView> = {}): Customer.SalesAreaView => {
  const [salesOrganization = "", distributionChannel = "", division = ""] = key.split("/")
  return {
    salesArea: { salesOrganization, distributionChannel, division },
    salesDistrict: "D1",
    salesOffice: "O1",
    salesGroup: "G01",
    customerGroup: "01",
    currency: "EUR",
    priceGroup: "P1",
    customerPricingProcedure: "1",
    deliveringPlant: "1000",
    shippingConditions: "01",
    incoterms: "FOB",
    incotermsLocation: "Hamburg",
    paymentTerms: "Z030",
    creditControlArea: "1000",
    accountAssignmentGroup: "01",
    taxClassification: "1",
    authorizationGroup: "G1",
    orderBlock: null,
    deliveryBlock: null,
    billingBlock: null,
    deletionFlag: false,
    ...overrides
  }
}

export const contact = (id: string, overrides: Partial<Customer.ContactPerson> = {}): Customer.ContactPerson => ({
  id,
  firstName: "Anna",
  lastName: `Berg ${id}`,
  function: "Purchasing",
  department: "Procurement",
  phone: "+49 89 555",
  email: `anna.${id}@mueller.example`,
  notes: "prefers e-mail",
  ...overrides
})

const withoutFirstName = ({ firstName: _, ...rest }: Customer.ContactPerson): Customer.ContactPerson => rest

/** A minimal record: general data with a name only. */
export const minimal = (tenantId: string, number: string, overrides: Partial<Customer.CustomerRecord> = {}): Customer.CustomerRecord => ({
  tenant: tenantId,
  number,
  accountGroup: "0001",
  general: { name: `Customer ${number}` },
  companyCodes: [],
  salesAreas: [],
  contacts: [],
  centralBlock: null,
  deletionFlag: false,
  version: 1,
  createdBy: "tester",
  createdAt: at,
  changedBy: "tester",
  changedAt: at,
  ...overrides
})

/** A record with every field of every view set, blocks and flags included. */
export const full = (tenantId: string, number: string, overrides: Partial<Customer.CustomerRecord> = {}): Customer.CustomerRecord =>
  minimal(tenantId, number, {
    general: fullGeneral(),
    companyCodes: [
      companyCodeView("1000"),
      companyCodeView("2000", { postingBlock: block("dunning"), deletionFlag: true, authorizationGroup: "G2" })
    ],
    salesAreas: [
      salesAreaView("1000/10/00", {
        partners: [
          { function: "AG", partner: number },
          { function: "WE", partner: number, default: true },
          { function: "WE", partner: "C0099", default: false },
          { function: "RE", partner: "C0042" }
        ]
      }),
      salesAreaView("1000/20/00", {
        orderBlock: block("credit"),
        deliveryBlock: block("address"),
        billingBlock: block("dispute"),
        deletionFlag: true,
        authorizationGroup: "G2"
      })
    ],
    contacts: [contact("0001"), withoutFirstName(contact("0002"))],
    centralBlock: block("insolvency"),
    deletionFlag: true,
    ...overrides
  })

export const item = (overrides: Partial<ChangeDocument.ChangeItem> = {}): ChangeDocument.ChangeItem => ({
  viewKind: "general",
  viewId: "",
  path: "general.phone",
  oldValue: null,
  newValue: "+49 89 1",
  ...overrides
})

export const document = (
  tenantId: string,
  customerNumber: string,
  changeNumber: number,
  items: ReadonlyArray<ChangeDocument.ChangeItem> = [item()]
): ChangeDocument.ChangeDocument => ({
  tenant: tenantId,
  customerNumber,
  changeNumber,
  operation: changeNumber === 1 ? "create" : "change",
  changedBy: "tester",
  changedAt: at,
  items: [...items]
})
