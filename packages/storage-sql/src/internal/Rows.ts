/**
 * Customer records and change documents ⇄ table rows. Every field has an explicit column, checked
 * by the compiler against core's types: a field added to a view in core fails to compile here
 * until it has a column (and a migration). Views, contacts, partners and change items keep the
 * order they were given in (`position`): a record reads back exactly as it was written.
 */
import type { ChangeDocument, Customer, SalesForce } from "@partnerkit/core"
import type { Dialect } from "../Dialect.js"

export type Row = Record<string, unknown>

// ---------------------------------------------------------------------------------------------
// Column maps: field → column
// ---------------------------------------------------------------------------------------------

export const generalColumns = {
  title: "title",
  category: "category",
  businessPartnerNumber: "business_partner_number",
  name: "name",
  name2: "name2",
  name3: "name3",
  name4: "name4",
  searchTerm: "search_term",
  street: "street",
  houseNumber: "house_number",
  postalCode: "postal_code",
  city: "city",
  region: "region",
  country: "country",
  language: "language",
  phone: "phone",
  mobile: "mobile",
  fax: "fax",
  email: "email",
  notes: "notes",
  industry: "industry",
  authorizationGroup: "authorization_group"
} as const satisfies Record<Exclude<Customer.GeneralField, "taxNumbers">, string>

export const companyCodeColumns = {
  reconciliationAccount: "reconciliation_account",
  paymentTerms: "payment_terms",
  sortKey: "sort_key",
  headOffice: "head_office",
  dunningProcedure: "dunning_procedure",
  previousAccountNumber: "previous_account_number",
  authorizationGroup: "authorization_group"
} as const satisfies Record<Customer.CompanyCodeField, string>

export const salesAreaColumns = {
  salesDistrict: "sales_district",
  salesOffice: "sales_office",
  salesGroup: "sales_group",
  customerGroup: "customer_group",
  currency: "currency",
  priceGroup: "price_group",
  customerPricingProcedure: "customer_pricing_procedure",
  deliveringPlant: "delivering_plant",
  shippingConditions: "shipping_conditions",
  incoterms: "incoterms",
  incotermsLocation: "incoterms_location",
  paymentTerms: "payment_terms",
  creditControlArea: "credit_control_area",
  accountAssignmentGroup: "account_assignment_group",
  taxClassification: "tax_classification",
  authorizationGroup: "authorization_group"
} as const satisfies Record<Customer.SalesAreaField, string>

export const contactColumns = {
  firstName: "first_name",
  lastName: "last_name",
  function: "job_function",
  department: "department",
  phone: "phone",
  email: "email",
  notes: "notes"
} as const satisfies Record<Customer.ContactField, string>

/** Each column map's `[field, column]` pairs, listed once (the mapping runs for every row). */
const pairs = new Map<Readonly<Record<string, string>>, ReadonlyArray<readonly [string, string]>>()
const pairsOf = (columns: Readonly<Record<string, string>>) => {
  let found = pairs.get(columns)
  if (found === undefined) {
    found = Object.entries(columns)
    pairs.set(columns, found)
  }
  return found
}

const encodeFields = (columns: Readonly<Record<string, string>>, data: object, row: Row): void => {
  const values = data as Record<string, unknown>
  for (const [field, column] of pairsOf(columns)) row[column] = values[field] ?? null
}

const decodeFields = (columns: Readonly<Record<string, string>>, row: Row, out: Record<string, unknown>): void => {
  for (const [field, column] of pairsOf(columns)) {
    const value = row[column]
    if (value !== null && value !== undefined) out[field] = value
  }
}

const encodeBlock = (prefix: string, block: Customer.Block | null, row: Row): void => {
  row[`${prefix}_reason`] = block?.reason ?? null
  row[`${prefix}_by`] = block?.blockedBy ?? null
  row[`${prefix}_at`] = block?.blockedAt ?? null
}

const decodeBlock = (prefix: string, row: Row): Customer.Block | null => {
  const reason = row[`${prefix}_reason`]
  if (reason === null || reason === undefined) return null
  return { reason: String(reason), blockedBy: String(row[`${prefix}_by`]), blockedAt: String(row[`${prefix}_at`]) }
}

// ---------------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------------

/** The `customers` row of a record (general data, central block and flags, system fields). */
export const customerRow = (d: Dialect, c: Customer.CustomerRecord): Row => {
  const row: Row = { tenant: c.tenant, number: c.number, account_group: c.accountGroup, version: c.version }
  encodeFields(generalColumns, c.general, row)
  row.tax_numbers = c.general.taxNumbers === undefined ? null : d.encodeJson(c.general.taxNumbers)
  encodeBlock("central_block", c.centralBlock, row)
  row.deletion_flag = d.encodeBoolean(c.deletionFlag)
  row.created_by = c.createdBy
  row.created_at = c.createdAt
  row.changed_by = c.changedBy
  row.changed_at = c.changedAt
  return row
}

/** The columns `update` rewrites: everything but the key. */
export const customerUpdate = (d: Dialect, c: Customer.CustomerRecord): Row => {
  const { tenant: _tenant, number: _number, ...rest } = customerRow(d, c)
  return rest
}

export const companyCodeRows = (d: Dialect, c: Customer.CustomerRecord): Array<Row> =>
  c.companyCodes.map((v, position) => {
    const row: Row = { tenant: c.tenant, customer_number: c.number, company_code: v.companyCode, position }
    encodeFields(companyCodeColumns, v, row)
    encodeBlock("posting_block", v.postingBlock, row)
    row.deletion_flag = d.encodeBoolean(v.deletionFlag)
    return row
  })

export const salesAreaRows = (d: Dialect, c: Customer.CustomerRecord): Array<Row> =>
  c.salesAreas.map((v, position) => {
    const row: Row = {
      tenant: c.tenant,
      customer_number: c.number,
      sales_organization: v.salesArea.salesOrganization,
      distribution_channel: v.salesArea.distributionChannel,
      division: v.salesArea.division,
      position
    }
    encodeFields(salesAreaColumns, v, row)
    encodeBlock("order_block", v.orderBlock, row)
    encodeBlock("delivery_block", v.deliveryBlock, row)
    encodeBlock("billing_block", v.billingBlock, row)
    row.deletion_flag = d.encodeBoolean(v.deletionFlag)
    return row
  })

/** The partners of every sales-area view, `position` keeping their order within the view. */
export const partnerRows = (d: Dialect, c: Customer.CustomerRecord): Array<Row> =>
  c.salesAreas.flatMap((v) =>
    (v.partners ?? []).map((p, position) => ({
      tenant: c.tenant,
      customer_number: c.number,
      sales_organization: v.salesArea.salesOrganization,
      distribution_channel: v.salesArea.distributionChannel,
      division: v.salesArea.division,
      position,
      partner_function: p.function,
      partner: p.partner,
      is_default: p.default === undefined ? null : d.encodeBoolean(p.default)
    }))
  )

export const contactRows = (c: Customer.CustomerRecord): Array<Row> =>
  c.contacts.map((p, position) => {
    const row: Row = { tenant: c.tenant, customer_number: c.number, id: p.id, position }
    encodeFields(contactColumns, p, row)
    return row
  })

export const decodeCompanyCode = (d: Dialect, row: Row): Customer.CompanyCodeView => {
  const out: Record<string, unknown> = { companyCode: String(row.company_code) }
  decodeFields(companyCodeColumns, row, out)
  out.postingBlock = decodeBlock("posting_block", row)
  out.deletionFlag = d.decodeBoolean(row.deletion_flag)
  return out as Customer.CompanyCodeView
}

export const decodeSalesArea = (d: Dialect, row: Row): Customer.SalesAreaView => {
  const out: Record<string, unknown> = {
    salesArea: {
      salesOrganization: String(row.sales_organization),
      distributionChannel: String(row.distribution_channel),
      division: String(row.division)
    }
  }
  decodeFields(salesAreaColumns, row, out)
  out.orderBlock = decodeBlock("order_block", row)
  out.deliveryBlock = decodeBlock("delivery_block", row)
  out.billingBlock = decodeBlock("billing_block", row)
  out.deletionFlag = d.decodeBoolean(row.deletion_flag)
  return out as Customer.SalesAreaView
}

export const decodePartner = (d: Dialect, row: Row): Customer.PartnerAssignment => {
  const out: Customer.PartnerAssignment = { function: String(row.partner_function), partner: String(row.partner) }
  return row.is_default === null || row.is_default === undefined ? out : { ...out, default: d.decodeBoolean(row.is_default) }
}

/** The key of the sales-area view a view or partner row belongs to. */
export const salesAreaRowKey = (row: Row): string =>
  `${String(row.customer_number)}\u0000${String(row.sales_organization)}/${String(row.distribution_channel)}/${String(row.division)}`

export const decodeContact = (row: Row): Customer.ContactPerson => {
  const out: Record<string, unknown> = { id: String(row.id) }
  decodeFields(contactColumns, row, out)
  return out as Customer.ContactPerson
}

/** The views and contacts of one customer, as read from the child tables (in their stored order). */
export interface Children {
  readonly companyCodes: Array<Customer.CompanyCodeView>
  readonly salesAreas: Array<Customer.SalesAreaView>
  readonly contacts: Array<Customer.ContactPerson>
}

export const emptyChildren = (): Children => ({ companyCodes: [], salesAreas: [], contacts: [] })

/** The general data of a `customers` row (its general columns and `tax_numbers`). */
export const decodeGeneral = (d: Dialect, row: Row): Customer.GeneralData => {
  const general: Record<string, unknown> = {}
  decodeFields(generalColumns, row, general)
  if (row.tax_numbers !== null && row.tax_numbers !== undefined) general.taxNumbers = d.decodeJson(row.tax_numbers)
  return general as Customer.GeneralData
}

export const decodeCustomer = (d: Dialect, row: Row, children: Children): Customer.CustomerRecord => {
  return {
    tenant: String(row.tenant),
    number: String(row.number),
    accountGroup: String(row.account_group),
    general: decodeGeneral(d, row),
    companyCodes: children.companyCodes,
    salesAreas: children.salesAreas,
    contacts: children.contacts,
    centralBlock: decodeBlock("central_block", row),
    deletionFlag: d.decodeBoolean(row.deletion_flag),
    version: Number(row.version),
    createdBy: String(row.created_by),
    createdAt: String(row.created_at),
    changedBy: String(row.changed_by),
    changedAt: String(row.changed_at)
  }
}

// ---------------------------------------------------------------------------------------------
// Change documents
// ---------------------------------------------------------------------------------------------

export const documentRow = (doc: ChangeDocument.ChangeDocument): Row => ({
  tenant: doc.tenant,
  customer_number: doc.customerNumber,
  change_number: doc.changeNumber,
  operation: doc.operation,
  changed_by: doc.changedBy,
  changed_at: doc.changedAt
})

export const itemRows = (doc: ChangeDocument.ChangeDocument): Array<Row> =>
  doc.items.map((item, position) => ({
    tenant: doc.tenant,
    customer_number: doc.customerNumber,
    change_number: doc.changeNumber,
    position,
    view_kind: item.viewKind,
    view_id: item.viewId,
    path: item.path,
    old_value: item.oldValue,
    new_value: item.newValue
  }))

export const decodeItem = (row: Row): ChangeDocument.ChangeItem => ({
  viewKind: String(row.view_kind) as ChangeDocument.ViewKind,
  viewId: String(row.view_id),
  path: String(row.path),
  oldValue: row.old_value === null || row.old_value === undefined ? null : String(row.old_value),
  newValue: row.new_value === null || row.new_value === undefined ? null : String(row.new_value)
})

export const decodeDocument = (
  tenant: string,
  customerNumber: string,
  row: Row,
  items: Array<ChangeDocument.ChangeItem>
): ChangeDocument.ChangeDocument => ({
  tenant,
  customerNumber,
  changeNumber: Number(row.change_number),
  operation: String(row.operation) as ChangeDocument.Operation,
  changedBy: String(row.changed_by),
  changedAt: String(row.changed_at),
  items
})

// ---------------------------------------------------------------------------------------------
// Sales force: employees, territories, assignment changes
// ---------------------------------------------------------------------------------------------

const optional = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : String(value))
const nullable = (value: unknown): string | null => (value === null || value === undefined ? null : String(value))

export const salesEmployeeRow = (d: Dialect, e: SalesForce.SalesEmployee): Row => ({
  tenant: e.tenant,
  id: e.id,
  name: e.name,
  email: e.email ?? null,
  phone: e.phone ?? null,
  active: d.encodeBoolean(e.active),
  version: e.version
})

export const decodeSalesEmployee = (d: Dialect, row: Row): SalesForce.SalesEmployee => {
  const email = optional(row.email)
  const phone = optional(row.phone)
  return {
    tenant: String(row.tenant),
    id: String(row.id),
    name: String(row.name),
    ...(email === undefined ? {} : { email }),
    ...(phone === undefined ? {} : { phone }),
    active: d.decodeBoolean(row.active),
    version: Number(row.version)
  }
}

export const territoryRow = (d: Dialect, t: SalesForce.Territory): Row => ({
  tenant: t.tenant,
  id: t.id,
  name: t.name,
  priority: t.priority,
  criteria: d.encodeJson(t.criteria),
  sales_employee: t.salesEmployee,
  version: t.version
})

export const decodeTerritory = (d: Dialect, row: Row): SalesForce.Territory => ({
  tenant: String(row.tenant),
  id: String(row.id),
  name: String(row.name),
  priority: Number(row.priority),
  criteria: d.decodeJson(row.criteria) as SalesForce.TerritoryCriteria,
  salesEmployee: nullable(row.sales_employee),
  version: Number(row.version)
})

export const assignmentChangeRow = (c: SalesForce.AssignmentChange): Row => ({
  tenant: c.tenant,
  id: c.id,
  territory: c.territory,
  sales_employee: c.salesEmployee,
  previous: c.previous,
  requested_by: c.requestedBy,
  requested_at: c.requestedAt,
  approver: c.approver,
  status: c.status,
  decided_at: c.decidedAt,
  comment: c.comment,
  version: c.version
})

export const decodeAssignmentChange = (row: Row): SalesForce.AssignmentChange => ({
  tenant: String(row.tenant),
  id: String(row.id),
  territory: String(row.territory),
  salesEmployee: nullable(row.sales_employee),
  previous: nullable(row.previous),
  requestedBy: String(row.requested_by),
  requestedAt: String(row.requested_at),
  approver: String(row.approver),
  status: String(row.status) as SalesForce.AssignmentChange["status"],
  decidedAt: nullable(row.decided_at),
  comment: nullable(row.comment),
  version: Number(row.version)
})
