/**
 * The rows both sides of the store benchmark write: a realistic sold-to customer (general data,
 * one company-code view, one sales-area view, two contact persons), generated deterministically
 * from a seed, and — for the raw drivers — the same record mapped to table rows by hand, the way
 * an application that bypasses partnerkit would have to write it (the four self partners of the
 * sold-to procedure and the change document of the create included).
 */
import { type Customer, Customizing, Matching, Presets, SearchText } from "@partnerkit/core"
import { seeded } from "../Figures.js"

export const tenant = "bench"
export const user = "bench"
/** The range of account group 0001 (sold-to), widened so that a million customers fit. */
export const rangeId = "C"
export const digits = 8
export const accountGroup = "0001"
export const salesArea = { salesOrganization: "1000", distributionChannel: "10", division: "00" } as const
export const salesAreaKey = "1000/10/00"
/** The self partner functions the SOLD_TO procedure fills with the customer itself, in its order. */
export const selfFunctions = ["SP", "SH", "BP", "PY"] as const

/** The standard preset with range C widened to 8 digits; `buffer` turns on buffered numbering. */
export const customizing = (buffer?: number) =>
  Customizing.merge(Presets.standard(tenant), {
    numberRanges: { C: { digits, to: 99_999_999, ...(buffer === undefined ? {} : { buffer }) } }
  })

export const formatNumber = (position: number) => `${rangeId}${String(position).padStart(digits, "0")}`

// ---------------------------------------------------------------------------------------------
// The generated customer
// ---------------------------------------------------------------------------------------------

const cities = [
  { city: "München", postal: "803", area: "89" },
  { city: "Berlin", postal: "101", area: "30" },
  { city: "Hamburg", postal: "200", area: "40" },
  { city: "Köln", postal: "506", area: "221" },
  { city: "Frankfurt am Main", postal: "603", area: "69" },
  { city: "Stuttgart", postal: "701", area: "711" },
  { city: "Düsseldorf", postal: "402", area: "211" },
  { city: "Leipzig", postal: "041", area: "341" },
  { city: "Hannover", postal: "301", area: "511" },
  { city: "Nürnberg", postal: "904", area: "911" }
] as const
const surnames = [
  "Müller",
  "Schmidt",
  "Schneider",
  "Fischer",
  "Weber",
  "Meyer",
  "Wagner",
  "Becker",
  "Schulz",
  "Hoffmann",
  "Koch",
  "Richter"
]
const firstNames = ["Anna", "Lukas", "Marie", "Felix", "Sophie", "Jonas", "Laura", "Paul", "Lea", "Maximilian", "Emma", "Leon"]
const trades = ["Maschinenbau", "Elektrotechnik", "Logistik", "Metallbau", "Kunststofftechnik", "Anlagenbau", "Fördertechnik"]
const forms = ["GmbH", "GmbH & Co. KG", "AG", "KG", "e.K."]
const streets = ["Hauptstraße", "Industriestraße", "Bahnhofstraße", "Gewerbepark", "Am Hafen", "Lindenallee", "Ringstraße"]
const functions = ["Einkauf", "Buchhaltung", "Geschäftsführung", "Logistik"]

/** A create input as `kit.customers.create` takes it (without the actor). */
export type Input = Customer.CreateCustomerInput

/** The customers of a run: `next()` returns the n-th customer of the seed's sequence. */
export const generator = (seed: number) => {
  const random = seeded(seed)
  const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)]!
  const digitsOf = (n: number) => String(Math.floor(random() * 10 ** n)).padStart(n, "0")
  let index = 0
  return (): Input => {
    index += 1
    const place = pick(cities)
    const surname = pick(surnames)
    const trade = pick(trades)
    const slug = `${surname}-${trade}-${index}`.toLowerCase().replace(/ü/g, "ue").replace(/ö/g, "oe").replace(/ä/g, "ae")
    const postalCode = `${place.postal}${String(10 + Math.floor(random() * 89))}`
    const contact = (n: number): Customer.ContactData => {
      const first = pick(firstNames)
      const last = pick(surnames)
      return {
        firstName: first,
        lastName: last,
        function: functions[(index + n) % functions.length]!,
        phone: `+49${place.area}${digitsOf(7).replace(/^0/, "4")}`, // E.164, as standardisation stores it
        email: `${first}.${last}@${slug}.example`.toLowerCase().replace(/ü/g, "ue").replace(/ö/g, "oe").replace(/ä/g, "ae")
      }
    }
    return {
      accountGroup,
      general: {
        name: `${surname} ${trade} ${pick(forms)}`,
        searchTerm: surname.toUpperCase(),
        street: pick(streets),
        houseNumber: String(1 + Math.floor(random() * 180)),
        postalCode,
        city: place.city,
        country: "DE",
        language: "de",
        phone: `+49${place.area}${digitsOf(7).replace(/^0/, "2")}`, // E.164, as standardisation stores it
        email: `info@${slug}.example`
      },
      companyCodes: [{ companyCode: "1000", reconciliationAccount: "140000", paymentTerms: "ZB30", sortKey: "001" }],
      salesAreas: [
        {
          salesArea: { ...salesArea },
          customerGroup: "01",
          currency: "EUR",
          priceGroup: "01",
          deliveringPlant: "1000",
          shippingConditions: "01",
          incoterms: "FCA",
          incotermsLocation: place.city,
          paymentTerms: "ZB30"
        }
      ],
      contacts: [contact(0), contact(1)]
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The same customer as rows, written by hand (the raw drivers' side)
// ---------------------------------------------------------------------------------------------

/** Column lists of the raw INSERTs: the columns a hand-written writer sets (the rest stay NULL). */
export const columns = {
  customers: [
    "tenant",
    "number",
    "account_group",
    "version",
    "name",
    "search_term",
    "street",
    "house_number",
    "postal_code",
    "city",
    "country",
    "language",
    "phone",
    "email",
    "deletion_flag",
    "created_by",
    "created_at",
    "changed_by",
    "changed_at"
  ],
  company_code_views: [
    "tenant",
    "customer_number",
    "company_code",
    "position",
    "reconciliation_account",
    "payment_terms",
    "sort_key",
    "deletion_flag"
  ],
  sales_area_views: [
    "tenant",
    "customer_number",
    "sales_organization",
    "distribution_channel",
    "division",
    "position",
    "customer_group",
    "currency",
    "price_group",
    "delivering_plant",
    "shipping_conditions",
    "incoterms",
    "incoterms_location",
    "payment_terms",
    "deletion_flag"
  ],
  sales_area_partners: [
    "tenant",
    "customer_number",
    "sales_organization",
    "distribution_channel",
    "division",
    "position",
    "partner_function",
    "partner"
  ],
  contact_persons: ["tenant", "customer_number", "id", "position", "first_name", "last_name", "job_function", "phone", "email"],
  change_documents: ["tenant", "customer_number", "change_number", "operation", "changed_by", "changed_at"],
  change_document_items: ["tenant", "customer_number", "change_number", "position", "view_kind", "view_id", "path", "new_value"],
  match_index_keys: ["tenant", "match_key", "customer_number"],
  match_index_entries: ["tenant", "customer_number", "match_keys"],
  customer_search_tokens: ["tenant", "token", "customer_number"],
  customer_search_cjk: ["tenant", "customer_number", "cjk_text"],
  key_mappings: ["tenant", "system", "external_key", "customer_number"]
} as const

export type Table = keyof typeof columns
/**
 * The tables a create writes, in foreign-key order (key mappings only for imports): the record,
 * its change document, the duplicate check's match index and the search index.
 */
export const tables: ReadonlyArray<Table> = [
  "customers",
  "company_code_views",
  "sales_area_views",
  "sales_area_partners",
  "contact_persons",
  "change_documents",
  "change_document_items",
  "match_index_keys",
  "match_index_entries",
  "customer_search_tokens",
  "customer_search_cjk"
]

export type Rows = Record<Table, Array<Array<unknown>>>

export const emptyRows = (): Rows => ({
  customers: [],
  company_code_views: [],
  sales_area_views: [],
  sales_area_partners: [],
  contact_persons: [],
  change_documents: [],
  change_document_items: [],
  match_index_keys: [],
  match_index_entries: [],
  customer_search_tokens: [],
  customer_search_cjk: [],
  key_mappings: []
})

/** The matching configuration of the bench's customizing (the defaults of `dataQuality`). */
const matching = Customizing.makeOrThrow(customizing()).dataQuality.matching

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Appends the rows of customer `number` (created at `at`) to `out`. `no` is how the engine spells
 * `false` (SQLite `0`, PostgreSQL `false`). The change-document items are those of a create: every
 * field that has a value, by path — what an auditor expects and what partnerkit writes. The index
 * rows are what an application that keeps its own duplicate and search indexes would compute and
 * write: the blocking keys of the general data (`Matching.blockingKeys`; one row per key and the
 * customer's sorted key list) and its search tokens (`SearchText.indexTokens`, and its CJK text
 * when it has any).
 */
export const appendRows = (out: Rows, input: Input, number: string, at: string, no: unknown): void => {
  const g = input.general
  out.customers.push([
    tenant,
    number,
    input.accountGroup,
    1,
    g.name,
    g.searchTerm,
    g.street,
    g.houseNumber,
    g.postalCode,
    g.city,
    g.country,
    g.language,
    g.phone,
    g.email,
    no,
    user,
    at,
    user,
    at
  ])
  const cc = input.companyCodes![0]!
  out.company_code_views.push([tenant, number, cc.companyCode, 0, cc.reconciliationAccount, cc.paymentTerms, cc.sortKey, no])
  const sa = input.salesAreas![0]!
  const area = sa.salesArea
  out.sales_area_views.push([
    tenant,
    number,
    area.salesOrganization,
    area.distributionChannel,
    area.division,
    0,
    sa.customerGroup,
    sa.currency,
    sa.priceGroup,
    sa.deliveringPlant,
    sa.shippingConditions,
    sa.incoterms,
    sa.incotermsLocation,
    sa.paymentTerms,
    no
  ])
  selfFunctions.forEach((fn, position) =>
    out.sales_area_partners.push([tenant, number, area.salesOrganization, area.distributionChannel, area.division, position, fn, number])
  )
  const contacts = input.contacts ?? []
  contacts.forEach((c, position) =>
    out.contact_persons.push([tenant, number, contactId(position), position, c.firstName, c.lastName, c.function, c.phone, c.email])
  )
  out.change_documents.push([tenant, number, 1, "create", user, at])
  const items: Array<[string, string, string, string]> = []
  for (const [field, value] of Object.entries(g)) items.push(["general", "", `general.${field}`, String(value)])
  items.push(["general", "", "customer.accountGroup", input.accountGroup])
  const { companyCode, ...ccData } = cc
  for (const [field, value] of Object.entries(ccData))
    items.push(["companyCode", companyCode, `companyCodes.${companyCode}.${field}`, String(value)])
  const { salesArea: _area, ...saData } = sa
  for (const [field, value] of Object.entries(saData))
    items.push(["salesArea", salesAreaKey, `salesAreas.${salesAreaKey}.${field}`, String(value)])
  for (const fn of selfFunctions) items.push(["salesArea", salesAreaKey, `salesAreas.${salesAreaKey}.partners.${fn}`, number])
  contacts.forEach((c, position) => {
    for (const [field, value] of Object.entries(c)) items.push(["general", "", `contacts.${contactId(position)}.${field}`, String(value)])
  })
  items.sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0))
  items.forEach(([kind, id, path, value], position) => out.change_document_items.push([tenant, number, 1, position, kind, id, path, value]))
  const keys = [...new Set(Matching.blockingKeys(Matching.profile(matching, g)))].sort(byCodeUnit)
  for (const key of keys) out.match_index_keys.push([tenant, key, number])
  if (keys.length > 0) out.match_index_entries.push([tenant, number, JSON.stringify(keys)])
  for (const token of SearchText.indexTokens(g)) out.customer_search_tokens.push([tenant, token, number])
  const cjk = SearchText.cjkText(g)
  if (cjk !== undefined) out.customer_search_cjk.push([tenant, number, cjk])
}

const contactId = (position: number) => String(position + 1).padStart(4, "0")

/** Rows per customer in each table (for reports: "a customer is N rows"). */
export const rowsPerCustomer = (input: Input): Record<Table, number> => {
  const rows = emptyRows()
  appendRows(rows, input, formatNumber(1), "", 0)
  return Object.fromEntries(Object.entries(rows).map(([t, r]) => [t, r.length])) as Record<Table, number>
}
