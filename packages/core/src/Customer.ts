/**
 * The customer master record (SAP: KNA1 / KNB1 / KNVV / KNVK): one number, a general view, any
 * number of company-code views and sales-area views, and contact persons. The zod schemas here
 * are the data contract; reuse them for forms, HTTP validation or JSON Schema
 * (`z.toJSONSchema(Customer.CreateCustomerInput)`).
 *
 * @example
 * ```ts
 * import { Customer } from "@partnerkit/core"
 *
 * const input: Customer.CreateCustomerInput = {
 *   accountGroup: "0001",
 *   general: { name: "Müller Maschinenbau GmbH", street: "Hauptstraße 1", postalCode: "80331", city: "München", country: "DE" }
 * }
 * const key = Customer.salesAreaKey({ salesOrganization: "1000", distributionChannel: "10", division: "00" }) // "1000/10/00"
 * ```
 * @module
 */
import { z } from "zod"
import { canSeeGroup, type Visibility } from "./Actor.js"
import { MessageId } from "./Messages.js"

const text = (max: number) => z.string().trim().min(1).max(max)
const code = (max: number) => z.string().trim().min(1).max(max)

// ---------------------------------------------------------------------------------------------
// Sales areas
// ---------------------------------------------------------------------------------------------

export const SalesArea = z.object({
  salesOrganization: code(4),
  distributionChannel: code(2),
  division: code(2)
})
/** Sales organisation + distribution channel + division (SAP: VKORG/VTWEG/SPART). */
export type SalesArea = z.infer<typeof SalesArea>

/** The canonical key of a sales area: `1000/10/00`. */
export const salesAreaKey = (area: SalesArea): string =>
  `${area.salesOrganization}/${area.distributionChannel}/${area.division}`

/** Parses `1000/10/00` into a sales area, or `undefined` when the key is malformed. */
export const parseSalesAreaKey = (key: string): SalesArea | undefined => {
  const parts = key.split("/")
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) return undefined
  const [salesOrganization, distributionChannel, division] = parts as [string, string, string]
  return { salesOrganization, distributionChannel, division }
}

// ---------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------

export const Block = z.object({
  reason: text(120),
  blockedBy: z.string(),
  blockedAt: z.string()
})
/** A block with its reason, who set it and when (ISO 8601). */
export type Block = z.infer<typeof Block>

// ---------------------------------------------------------------------------------------------
// Views: maintainable data fields (subject to field status) separate from system fields
// ---------------------------------------------------------------------------------------------

export const TaxNumber = z.object({
  /** e.g. `VAT`, `USCC` (China unified social credit code), `TAX1`. */
  kind: code(10),
  value: text(40)
})
export type TaxNumber = z.infer<typeof TaxNumber>

export const GeneralData = z.object({
  title: z.enum(["company", "mr", "ms"]).optional(),
  /** Business-partner category (S/4HANA): a person, an organisation or a group. */
  category: z.enum(["person", "organization", "group"]).optional(),
  /** The business-partner number when a grouping draws it from a range of its own; absent when it equals the customer number. */
  businessPartnerNumber: code(16).optional(),
  name: text(80),
  name2: text(80).optional(),
  name3: text(80).optional(),
  name4: text(80).optional(),
  searchTerm: text(40).optional(),
  street: text(80).optional(),
  houseNumber: text(20).optional(),
  postalCode: text(20).optional(),
  city: text(60).optional(),
  region: code(10).optional(),
  country: z.string().trim().length(2).optional(),
  language: z.string().trim().length(2).optional(),
  phone: text(40).optional(),
  mobile: text(40).optional(),
  fax: text(40).optional(),
  email: text(120).optional(),
  notes: text(2000).optional(),
  industry: code(10).optional(),
  taxNumbers: z.array(TaxNumber).max(10).optional(),
  authorizationGroup: code(4).optional()
})
/** General data (client level). Only `name` is structurally required; the account group's field status says the rest. */
export type GeneralData = z.infer<typeof GeneralData>

export const CompanyCodeData = z.object({
  reconciliationAccount: code(10).optional(),
  paymentTerms: code(4).optional(),
  sortKey: code(3).optional(),
  headOffice: code(16).optional(),
  dunningProcedure: code(4).optional(),
  previousAccountNumber: code(16).optional(),
  authorizationGroup: code(4).optional()
})
export type CompanyCodeData = z.infer<typeof CompanyCodeData>

export const SalesAreaData = z.object({
  salesDistrict: code(6).optional(),
  salesOffice: code(4).optional(),
  salesGroup: code(3).optional(),
  customerGroup: code(2).optional(),
  currency: z.string().trim().length(3).optional(),
  priceGroup: code(2).optional(),
  customerPricingProcedure: code(2).optional(),
  deliveringPlant: code(4).optional(),
  shippingConditions: code(2).optional(),
  incoterms: code(3).optional(),
  incotermsLocation: text(70).optional(),
  paymentTerms: code(4).optional(),
  creditControlArea: code(4).optional(),
  accountAssignmentGroup: code(2).optional(),
  taxClassification: code(1).optional(),
  authorizationGroup: code(4).optional()
})
export type SalesAreaData = z.infer<typeof SalesAreaData>

export const ContactData = z.object({
  firstName: text(40).optional(),
  lastName: text(40),
  function: text(40).optional(),
  department: text(40).optional(),
  phone: text(40).optional(),
  email: text(120).optional(),
  notes: text(2000).optional()
})
export type ContactData = z.infer<typeof ContactData>

/** The fields of each view that field status governs. */
export const fields = {
  general: GeneralData.keyof().options,
  companyCode: CompanyCodeData.keyof().options,
  salesArea: SalesAreaData.keyof().options,
  contact: ContactData.keyof().options
} as const

export type ViewKind = keyof typeof fields
export type GeneralField = keyof GeneralData
export type CompanyCodeField = keyof CompanyCodeData
export type SalesAreaField = keyof SalesAreaData
export type ContactField = keyof ContactData

// ---------------------------------------------------------------------------------------------
// The record
// ---------------------------------------------------------------------------------------------

export const CompanyCodeView = CompanyCodeData.extend({
  companyCode: code(4),
  postingBlock: Block.nullable(),
  deletionFlag: z.boolean()
})
/** A company-code view (SAP: KNB1): finance data of one legal entity. */
export type CompanyCodeView = z.infer<typeof CompanyCodeView>

export const PartnerAssignment = z
  .object({
    /** Partner function code, e.g. `SH`. */
    function: code(4),
    /** Customer number, contact-person id or sales-employee id, by the function's kind. */
    partner: code(16),
    /** The default among several partners of one function (e.g. the usual ship-to). */
    default: z.boolean().optional()
  })
  .strict()
/** One partner of a sales-area view (SAP: KNVP). */
export type PartnerAssignment = z.infer<typeof PartnerAssignment>

export const SalesAreaView = SalesAreaData.extend({
  salesArea: SalesArea,
  /** Partner functions of this sales area; absent means none. */
  partners: z.array(PartnerAssignment).optional(),
  orderBlock: Block.nullable(),
  deliveryBlock: Block.nullable(),
  billingBlock: Block.nullable(),
  deletionFlag: z.boolean()
})
/** A sales-area view (SAP: KNVV): sales data of one sales area. */
export type SalesAreaView = z.infer<typeof SalesAreaView>

export const ContactPerson = ContactData.extend({
  /** Unique within the customer, assigned on save: `0001`, `0002`, … */
  id: z.string()
})
/** A contact person of the customer (SAP: KNVK). */
export type ContactPerson = z.infer<typeof ContactPerson>

export const CustomerRecord = z.object({
  tenant: z.string(),
  number: z.string(),
  accountGroup: z.string(),
  general: GeneralData,
  companyCodes: z.array(CompanyCodeView),
  salesAreas: z.array(SalesAreaView),
  contacts: z.array(ContactPerson),
  /** Central block: blocks posting in every company code and orders, deliveries and billing in every sales area. */
  centralBlock: Block.nullable(),
  /** Central deletion flag (SAP: LOEVM), the step before archiving. */
  deletionFlag: z.boolean(),
  /** Incremented by every write; pass it back to `change` for optimistic concurrency. */
  version: z.number().int().positive(),
  createdBy: z.string(),
  createdAt: z.string(),
  changedBy: z.string(),
  changedAt: z.string()
})
/** The whole customer master record. The service keeps company-code views ordered by code, sales-area views by key, contacts by id. */
export type CustomerRecord = z.infer<typeof CustomerRecord>

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

export const CompanyCodeViewInput = CompanyCodeData.extend({ companyCode: code(4) }).strict()
export type CompanyCodeViewInput = z.infer<typeof CompanyCodeViewInput>

export const SalesAreaViewInput = SalesAreaData.extend({
  salesArea: SalesArea,
  /** Partners of this sales area; functions the procedure fills with the customer itself are added unless given here. */
  partners: z.array(PartnerAssignment).optional(),
  /** On extend: copy the data and partners of this existing sales area of the same customer (e.g. a branch customer into the head-office sales organisation). Fields given here win. */
  copyFrom: SalesArea.optional()
}).strict()
export type SalesAreaViewInput = z.infer<typeof SalesAreaViewInput>

const acknowledge = z.array(MessageId).optional()

export const CreateCustomerInput = z
  .object({
    accountGroup: code(4),
    /** Only for account groups with external numbering; internal ranges draw the number. */
    number: code(16).optional(),
    general: GeneralData.strict(),
    companyCodes: z.array(CompanyCodeViewInput).optional(),
    salesAreas: z.array(SalesAreaViewInput).optional(),
    contacts: z.array(ContactData.strict()).optional(),
    /** Warning ids the caller has seen and accepts. */
    acknowledge
  })
  .strict()
/** What `create` takes. */
export type CreateCustomerInput = z.infer<typeof CreateCustomerInput>

export const CreateWithReferenceInput = z
  .object({
    /** The customer to copy from. */
    reference: code(16),
    /** Account group of the new customer; defaults to the reference's. */
    accountGroup: code(4).optional(),
    number: code(16).optional(),
    /** Which views to copy. General data is always copied; contacts are not unless asked. */
    copy: z
      .object({
        companyCodes: z.union([z.literal("all"), z.array(code(4))]).optional(),
        salesAreas: z.union([z.literal("all"), z.array(SalesArea)]).optional(),
        contacts: z.boolean().optional()
      })
      .strict()
      .optional(),
    /** Values that replace the copied general data (e.g. a new name and address). */
    general: GeneralData.partial().strict().optional(),
    acknowledge
  })
  .strict()
export type CreateWithReferenceInput = z.infer<typeof CreateWithReferenceInput>

export const ExtendInput = z
  .object({
    number: code(16),
    /** The version you read; omit to extend whatever is current (still atomic). */
    version: z.number().int().positive().optional(),
    companyCodes: z.array(CompanyCodeViewInput).optional(),
    salesAreas: z.array(SalesAreaViewInput).optional(),
    acknowledge
  })
  .strict()
export type ExtendInput = z.infer<typeof ExtendInput>

/** A patch: a value sets the field, `null` clears it, an absent key leaves it as it is. */
const patchOf = <T extends z.ZodRawShape>(shape: z.ZodObject<T>) =>
  z
    .object(
      Object.fromEntries(Object.entries(shape.shape).map(([k, v]) => [k, (v as z.ZodType).nullable().optional()])) as unknown as {
        [K in keyof T]: z.ZodOptional<z.ZodNullable<T[K]>>
      }
    )
    .strict()

export const GeneralPatch = patchOf(GeneralData.extend({ name: text(80) }))
export type GeneralPatch = z.infer<typeof GeneralPatch>
export const CompanyCodePatch = patchOf(CompanyCodeData)
export type CompanyCodePatch = z.infer<typeof CompanyCodePatch>
export const SalesAreaPatch = patchOf(SalesAreaData).extend({
  /** Replaces the sales area's partner list. */
  partners: z.array(PartnerAssignment).optional()
})
export type SalesAreaPatch = z.infer<typeof SalesAreaPatch>
export const ContactPatch = patchOf(ContactData)
export type ContactPatch = z.infer<typeof ContactPatch>

export const ChangeCustomerInput = z
  .object({
    number: code(16),
    /** The version you read. A stale version fails with `VersionConflict` and writes nothing. */
    version: z.number().int().positive(),
    general: GeneralPatch.optional(),
    /** Patches by company code, e.g. `{ F001: { paymentTerms: "Z030" } }`. */
    companyCodes: z.record(z.string(), CompanyCodePatch).optional(),
    /** Patches by sales-area key, e.g. `{ "1000/10/00": { currency: "EUR" } }`. */
    salesAreas: z.record(z.string(), SalesAreaPatch).optional(),
    contacts: z
      .object({
        add: z.array(ContactData.strict()).optional(),
        change: z.record(z.string(), ContactPatch).optional(),
        remove: z.array(z.string()).optional()
      })
      .strict()
      .optional(),
    acknowledge
  })
  .strict()
/** What `change` takes: a partial patch of any views. */
export type ChangeCustomerInput = z.infer<typeof ChangeCustomerInput>

export const BlockTarget = z.discriminatedUnion("scope", [
  z.object({ scope: z.literal("central") }).strict(),
  z.object({ scope: z.literal("companyCode"), companyCode: code(4) }).strict(),
  z
    .object({
      scope: z.literal("salesArea"),
      salesArea: SalesArea,
      /** Which sales blocks; all three when omitted. */
      blocks: z.array(z.enum(["order", "delivery", "billing"])).min(1).optional()
    })
    .strict()
])
/** Where a block or deletion flag applies: centrally, in one company code (posting), or in one sales area. */
export type BlockTarget = z.infer<typeof BlockTarget>

export const BlockInput = z
  .object({
    number: code(16),
    version: z.number().int().positive().optional(),
    target: BlockTarget,
    reason: text(120)
  })
  .strict()
export type BlockInput = z.infer<typeof BlockInput>

export const UnblockInput = z
  .object({ number: code(16), version: z.number().int().positive().optional(), target: BlockTarget })
  .strict()
export type UnblockInput = z.infer<typeof UnblockInput>

export const DeletionFlagInput = z
  .object({
    number: code(16),
    version: z.number().int().positive().optional(),
    /** Central when omitted. Sales-area `blocks` are ignored here. */
    target: BlockTarget.optional()
  })
  .strict()
export type DeletionFlagInput = z.infer<typeof DeletionFlagInput>

export const ListInput = z
  .object({
    accountGroup: code(4).optional(),
    companyCode: code(4).optional(),
    salesArea: SalesArea.optional(),
    /** Opaque cursor from the previous page's `nextCursor`. */
    cursor: z.string().optional(),
    limit: z.number().int().min(1).max(1000).optional()
  })
  .strict()
export type ListInput = z.infer<typeof ListInput>

export const DisplayInput = z.object({ number: code(16) }).strict()
export type DisplayInput = z.infer<typeof DisplayInput>

export const ChangeDocumentsInput = z
  .object({
    number: code(16),
    cursor: z.string().optional(),
    /** Default 50. */
    limit: z.number().int().min(1).max(500).optional()
  })
  .strict()
export type ChangeDocumentsInput = z.infer<typeof ChangeDocumentsInput>

/** Is the customer blocked for `kind` in the given company code or sales area (central blocks included)? */
export const isBlocked = (
  customer: CustomerRecord,
  kind: "posting" | "order" | "delivery" | "billing",
  where: { readonly companyCode?: string; readonly salesArea?: SalesArea }
): boolean => {
  if (customer.centralBlock !== null) return true
  if (kind === "posting") {
    return customer.companyCodes.some((v) => v.companyCode === where.companyCode && v.postingBlock !== null)
  }
  if (where.salesArea === undefined) return false
  const key = salesAreaKey(where.salesArea)
  const view = customer.salesAreas.find((v) => salesAreaKey(v.salesArea) === key)
  return view !== undefined && view[`${kind}Block`] !== null
}

/**
 * The record as `visibility` may see it: `undefined` when the general view is hidden, otherwise
 * the record without the company-code and sales-area views it may not see. Stores use it to apply
 * visibility; it never mutates its argument.
 */
export const visibleTo = (record: CustomerRecord, visibility: Visibility): CustomerRecord | undefined => {
  if (!canSeeGroup(visibility, record.general.authorizationGroup)) return undefined
  if (visibility.authorizationGroups === "all") return record
  return {
    ...record,
    companyCodes: record.companyCodes.filter((v) => canSeeGroup(visibility, v.authorizationGroup)),
    salesAreas: record.salesAreas.filter((v) => canSeeGroup(visibility, v.authorizationGroup))
  }
}
