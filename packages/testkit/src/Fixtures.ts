/**
 * Builders for valid test data: customer records with their views and contacts, change documents,
 * number-range intervals, visibilities, sales employees, territories and assignment changes, and
 * tenant ids unique to the run. Every builder returns a
 * value that passes the matching zod schema of `@partnerkit/core`; `overrides` replace fields.
 *
 * Adapter authors can use them in their own store-specific tests.
 *
 * @example
 * ```ts
 * import { Fixtures } from "@partnerkit/testkit"
 *
 * const tenant = Fixtures.tenantId()
 * const record = Fixtures.customer(tenant, "C0001", {
 *   companyCodes: [Fixtures.companyCodeView("1000", { authorizationGroup: "G1" })],
 *   salesAreas: [Fixtures.salesAreaView("1000/10/00")]
 * })
 * const changed = Fixtures.nextVersion(record, { general: { ...record.general, name: "Renamed" } })
 * const document = Fixtures.changeDocument(tenant, "C0001", 1)
 * ```
 * @module
 */
import { type Actor, type ChangeDocument, Customer, type Interval, type SalesForce } from "@partnerkit/core"

/** A fixed timestamp, so records compare equal across stores. */
export const timestamp = "2024-01-15T08:30:00.000Z"

const run = Math.random().toString(36).slice(2, 8)
let sequence = 0

/**
 * A tenant id no other call in this process returns, and unlikely to exist in a database another
 * run left behind: `<label>-<run>-<n>`. Give each test its own tenant and tests never see each
 * other's data.
 */
export const tenantId = (label = "t"): string => `${label}-${run}-${++sequence}`

/** Every authorization group: what `Actor.unrestricted` is. */
export const unrestricted: Actor.Visibility = { authorizationGroups: "all" }

/** Visibility of an actor who holds only `groups`. */
export const visibleGroups = (...groups: ReadonlyArray<string>): Actor.Visibility => ({ authorizationGroups: groups })

/** General data with a name and a plausible address. */
export const general = (overrides: Partial<Customer.GeneralData> = {}): Customer.GeneralData => ({
  name: "Müller Maschinenbau GmbH",
  street: "Hauptstraße 1",
  postalCode: "80331",
  city: "München",
  country: "DE",
  language: "DE",
  ...overrides
})

/** A company-code view without blocks. */
export const companyCodeView = (companyCode: string, overrides: Partial<Customer.CompanyCodeView> = {}): Customer.CompanyCodeView => ({
  companyCode,
  reconciliationAccount: "140000",
  paymentTerms: "Z030",
  postingBlock: null,
  deletionFlag: false,
  ...overrides
})

/** A sales area from `1000/10/00` (or a sales area as it is). */
export const salesArea = (area: string | Customer.SalesArea): Customer.SalesArea => {
  if (typeof area !== "string") return area
  const parsed = Customer.parseSalesAreaKey(area)
  if (parsed === undefined) throw new Error(`"${area}" is not a sales-area key like 1000/10/00`)
  return parsed
}

/** A sales-area view without blocks, for `1000/10/00` or a `SalesArea`. */
export const salesAreaView = (
  area: string | Customer.SalesArea,
  overrides: Partial<Customer.SalesAreaView> = {}
): Customer.SalesAreaView => ({
  salesArea: salesArea(area),
  currency: "EUR",
  customerGroup: "01",
  orderBlock: null,
  deliveryBlock: null,
  billingBlock: null,
  deletionFlag: false,
  ...overrides
})

/** A contact person with id `0001`, `0002`, … */
export const contact = (id: string, overrides: Partial<Customer.ContactPerson> = {}): Customer.ContactPerson => ({
  id,
  firstName: "Anna",
  lastName: `Schmidt ${id}`,
  function: "Purchasing",
  email: `anna.${id}@example.com`,
  ...overrides
})

/** A block set by `tester` at `timestamp`. */
export const block = (reason = "overdue payments"): Customer.Block => ({ reason, blockedBy: "tester", blockedAt: timestamp })

/** A customer record at version 1 with general data only, unless `overrides` add views and contacts. */
export const customer = (tenant: string, number: string, overrides: Partial<Customer.CustomerRecord> = {}): Customer.CustomerRecord => ({
  tenant,
  number,
  accountGroup: "0001",
  general: general(),
  companyCodes: [],
  salesAreas: [],
  contacts: [],
  centralBlock: null,
  deletionFlag: false,
  version: 1,
  createdBy: "tester",
  createdAt: timestamp,
  changedBy: "tester",
  changedAt: timestamp,
  ...overrides
})

/** A record with every kind of part: two views of each kind, two contacts, a sales block. */
export const fullCustomer = (tenant: string, number: string): Customer.CustomerRecord =>
  customer(tenant, number, {
    general: general({ searchTerm: "MUELLER", phone: "+49 89 1234567", taxNumbers: [{ kind: "VAT", value: "DE123456789" }] }),
    companyCodes: [companyCodeView("1000"), companyCodeView("2000", { paymentTerms: "Z014", postingBlock: block() })],
    salesAreas: [salesAreaView("1000/10/00"), salesAreaView("2000/10/00", { currency: "CHF", orderBlock: block("credit check") })],
    contacts: [contact("0001"), contact("0002", { firstName: "Jonas", department: "Finance" })]
  })

/** The record as the next write would store it: version + 1, with `changes` applied. */
export const nextVersion = (record: Customer.CustomerRecord, changes: Partial<Customer.CustomerRecord> = {}): Customer.CustomerRecord => ({
  ...record,
  version: record.version + 1,
  changedBy: "tester",
  changedAt: timestamp,
  ...changes
})

/** A change item of the general view (`viewKind` / `viewId` / `path` can be overridden). */
export const changeItem = (overrides: Partial<ChangeDocument.ChangeItem> = {}): ChangeDocument.ChangeItem => ({
  viewKind: "general",
  viewId: "",
  path: "general.phone",
  oldValue: null,
  newValue: "+49 89 1234567",
  ...overrides
})

/** A change item of a company-code view. */
export const companyCodeItem = (companyCode: string, field = "paymentTerms", newValue: string | null = "Z030"): ChangeDocument.ChangeItem =>
  changeItem({ viewKind: "companyCode", viewId: companyCode, path: `companyCodes.${companyCode}.${field}`, newValue })

/** A change item of a sales-area view (`area` as `1000/10/00`). */
export const salesAreaItem = (area: string, field = "currency", newValue: string | null = "EUR"): ChangeDocument.ChangeItem =>
  changeItem({ viewKind: "salesArea", viewId: area, path: `salesAreas.${area}.${field}`, newValue })

/** A change document with one general item, unless `overrides` give others. */
export const changeDocument = (
  tenant: string,
  customerNumber: string,
  changeNumber: number,
  overrides: Partial<ChangeDocument.ChangeDocument> = {}
): ChangeDocument.ChangeDocument => ({
  tenant,
  customerNumber,
  changeNumber,
  operation: changeNumber === 1 ? "create" : "change",
  changedBy: "tester",
  changedAt: timestamp,
  items: [changeItem({ newValue: `value ${changeNumber}` })],
  ...overrides
})

/** A number-range interval. */
export const interval = (from = 1, to = 9999): Interval => ({ from, to })

/** A number-range id unique to the run, for tests that want a range nobody else draws from. */
export const rangeId = (label = "R"): string => `${label}${++sequence}`

/** An active sales employee at version 1. */
export const salesEmployee = (tenant: string, id: string, overrides: Partial<SalesForce.SalesEmployee> = {}): SalesForce.SalesEmployee => ({
  tenant,
  id,
  name: `Employee ${id}`,
  email: `${id.toLowerCase()}@example.com`,
  active: true,
  version: 1,
  ...overrides
})

/** A territory at version 1 (priority 100, Germany), without a responsible employee. */
export const territory = (tenant: string, id: string, overrides: Partial<SalesForce.Territory> = {}): SalesForce.Territory => ({
  tenant,
  id,
  name: `Territory ${id}`,
  priority: 100,
  criteria: { countries: ["DE"], postalCodes: [{ from: "80000", to: "87999" }] },
  salesEmployee: null,
  version: 1,
  ...overrides
})

/** A pending assignment change at version 1. */
export const assignmentChange = (
  tenant: string,
  id: string,
  overrides: Partial<SalesForce.AssignmentChange> = {}
): SalesForce.AssignmentChange => ({
  tenant,
  id,
  territory: "DE-SOUTH",
  salesEmployee: "E001",
  previous: null,
  requestedBy: "tester",
  requestedAt: timestamp,
  approver: "branch.manager",
  status: "pending",
  decidedAt: null,
  comment: null,
  version: 1,
  ...overrides
})
