/**
 * The S/4HANA business-partner view of the customer master, for people who come from S/4: a
 * business partner has a category (person, organisation, group), a grouping that chooses its
 * number range, roles — `FLCU01` customer (general + sales-area data) and `FLCU00` FI customer
 * (company-code data) — and relationships ("is contact person of", "has employee responsible").
 *
 * It is a view and a thin service over `Customers`, not a second model: a business partner *is*
 * a customer record. ECC-style users never need this module.
 *
 * Numbering: a grouping without a number range of its own gives the business partner the customer
 * number ("BP number = customer number"). A grouping with one draws the BP number from it before
 * the customer is created, in a transaction of its own — a create that fails afterwards leaves a
 * gap in the BP range (never a duplicate).
 *
 * @example
 * ```ts
 * import { BusinessPartner, Customizing, Presets } from "@partnerkit/core"
 *
 * const customizing = Customizing.makeOrThrow(
 *   Customizing.merge(Presets.standard("acme"), {
 *     businessPartner: { groupings: { BP01: { name: "Customers (BP number = customer number)", accountGroup: "0001" } } }
 *   })
 * )
 * declare const record: Parameters<typeof BusinessPartner.view>[0]
 * const partner = BusinessPartner.view(record, customizing)
 * partner.roles // e.g. ["FLCU00", "FLCU01"]
 * ```
 * @module
 */
import { Context, Effect, Layer } from "effect"
import { z } from "zod"
import {
  CompanyCodeViewInput,
  ContactData,
  type CustomerRecord,
  GeneralData,
  type SalesArea,
  SalesAreaViewInput
} from "./Customer.js"
import { type CreateError, Customers, type UpdateError, type ReadError } from "./Customers.js"
import { Current, type Customizing, formatNumber } from "./Customizing.js"
import { NumberRangeExhausted, ValidationFailed } from "./Errors.js"
import { inputInvalid, parse, requireActivity, type WithActor } from "./internal/service.js"
import { factory, MessageId, type Message } from "./Messages.js"
import { NumberRangeStore } from "./NumberRangeStore.js"

export const Role = z.enum(["FLCU00", "FLCU01"])
/** `FLCU01` customer: general + sales-area data. `FLCU00` FI customer: company-code data. */
export type Role = z.infer<typeof Role>

export const Category = z.enum(["person", "organization", "group"])
export type Category = z.infer<typeof Category>

export interface Relationship {
  /** `contactPersonOf` (S/4: BUR001 "is contact person of"), `employeeResponsible` ("has employee responsible"). */
  readonly type: "contactPersonOf" | "employeeResponsible"
  /** Contact-person id or sales-employee id. */
  readonly partner: string
  readonly name?: string
  /** For an employee responsible: the sales area of the partner function. */
  readonly salesArea?: SalesArea
}

/** A customer as an S/4 business partner. */
export interface BusinessPartnerView {
  /** The BP number: the customer number, unless the grouping has a range of its own. */
  readonly number: string
  readonly customerNumber: string
  readonly category: Category
  /** The grouping the record belongs to (by account group and numbering), if the customizing defines one. */
  readonly grouping: string | undefined
  readonly roles: ReadonlyArray<Role>
  readonly relationships: ReadonlyArray<Relationship>
  readonly customer: CustomerRecord
}

/** The business-partner view of a customer record. */
export const view = (record: CustomerRecord, customizing: Customizing): BusinessPartnerView => {
  const ownNumber = record.general.businessPartnerNumber !== undefined
  const grouping = Object.entries(customizing.businessPartner?.groupings ?? {}).find(
    ([, g]) => g.accountGroup === record.accountGroup && (g.numberRange !== undefined) === ownNumber
  )?.[0]
  const category: Category =
    record.general.category ?? (record.general.title === "mr" || record.general.title === "ms" ? "person" : "organization")
  const roles: Array<Role> = []
  if (record.companyCodes.length > 0) roles.push("FLCU00")
  if (record.salesAreas.length > 0) roles.push("FLCU01")
  const employeeFunctions = new Set(
    Object.entries(customizing.partnerFunctions)
      .filter(([, f]) => f.kind === "salesEmployee")
      .map(([code]) => code)
  )
  const relationships: Array<Relationship> = [
    ...record.contacts.map((c) => ({
      type: "contactPersonOf" as const,
      partner: c.id,
      name: [c.firstName, c.lastName].filter(Boolean).join(" ")
    })),
    ...record.salesAreas.flatMap((v) =>
      (v.partners ?? [])
        .filter((p) => employeeFunctions.has(p.function))
        .map((p) => ({ type: "employeeResponsible" as const, partner: p.partner, salesArea: v.salesArea }))
    )
  ]
  return {
    number: record.general.businessPartnerNumber ?? record.number,
    customerNumber: record.number,
    category,
    grouping,
    roles,
    relationships,
    customer: record
  }
}

export const CreateBusinessPartnerInput = z
  .object({
    grouping: z.string().min(1),
    category: Category,
    roles: z.array(Role).min(1),
    general: GeneralData.omit({ category: true, businessPartnerNumber: true }).strict(),
    companyCodes: z.array(CompanyCodeViewInput).optional(),
    salesAreas: z.array(SalesAreaViewInput).optional(),
    contacts: z.array(ContactData.strict()).optional(),
    acknowledge: z.array(MessageId).optional()
  })
  .strict()
export type CreateBusinessPartnerInput = z.input<typeof CreateBusinessPartnerInput>

export const AddRoleInput = z
  .object({
    number: z.string().min(1),
    role: Role,
    companyCodes: z.array(CompanyCodeViewInput).optional(),
    salesAreas: z.array(SalesAreaViewInput).optional(),
    acknowledge: z.array(MessageId).optional()
  })
  .strict()
export type AddRoleInput = z.input<typeof AddRoleInput>

export interface BusinessPartnersShape {
  /** Creates a business partner in a grouping with roles; the data each role needs must come with it. */
  readonly create: (input: CreateBusinessPartnerInput & WithActor) => Effect.Effect<BusinessPartnerView, CreateError>
  /** Adds a role: `FLCU00` with company-code data, `FLCU01` with sales-area data (an extend of the customer). */
  readonly addRole: (input: AddRoleInput & WithActor) => Effect.Effect<BusinessPartnerView, UpdateError>
  /** The business partner, with the views the actor may see. */
  readonly display: (input: { readonly number: string } & WithActor) => Effect.Effect<BusinessPartnerView, ReadError>
}

/** The S/4-style door to the customer master. */
export class BusinessPartners extends Context.Tag("@partnerkit/core/BusinessPartners")<BusinessPartners, BusinessPartnersShape>() {}

const roleData = (
  messages: ReturnType<typeof factory>,
  roles: ReadonlyArray<Role>,
  companyCodes: number,
  salesAreas: number
): Array<Message> => {
  const out: Array<Message> = []
  const add = (m: Message | undefined) => m !== undefined && out.push(m)
  if (roles.includes("FLCU00") && companyCodes === 0) add(messages.make("BP_ROLE_DATA_MISSING", "companyCodes", { role: "FLCU00", needs: "company-code data" }))
  if (roles.includes("FLCU01") && salesAreas === 0) add(messages.make("BP_ROLE_DATA_MISSING", "salesAreas", { role: "FLCU01", needs: "sales-area data" }))
  if (!roles.includes("FLCU00") && companyCodes > 0) add(messages.make("BP_ROLE_DATA_MISSING", "roles", { role: "FLCU00", needs: "to be given with company-code data" }))
  if (!roles.includes("FLCU01") && salesAreas > 0) add(messages.make("BP_ROLE_DATA_MISSING", "roles", { role: "FLCU01", needs: "to be given with sales-area data" }))
  return out
}

export const make = Effect.gen(function* () {
  const customizing = yield* Current
  const customers = yield* Customers
  const ranges = yield* NumberRangeStore
  const messages = factory(customizing.messages)
  const fail = (found: Array<Message>) => Effect.fail(new ValidationFailed({ messages: found, all: found }))

  const create: BusinessPartnersShape["create"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(CreateBusinessPartnerInput, input)
      yield* requireActivity(customizing, actor, "create")
      const grouping = customizing.businessPartner?.groupings[data.grouping]
      if (grouping === undefined) return yield* Effect.fail(inputInvalid([{ path: "grouping", detail: `unknown grouping "${data.grouping}"` }]))
      const found = roleData(messages, data.roles, data.companyCodes?.length ?? 0, data.salesAreas?.length ?? 0)
      if (grouping.categories !== undefined && !grouping.categories.includes(data.category)) {
        found.push(messages.make("BP_CATEGORY_NOT_ALLOWED", "category", { grouping: data.grouping, category: data.category })!)
      }
      if (found.length > 0) return yield* fail(found)
      let businessPartnerNumber: string | undefined
      if (grouping.numberRange !== undefined) {
        const range = customizing.numberRanges[grouping.numberRange]!
        const drawn = yield* ranges.draw(customizing.tenant, grouping.numberRange, range).pipe(
          Effect.catchTag("NumberRangeExhausted", () =>
            Effect.fail(new NumberRangeExhausted({ tenant: customizing.tenant, range: grouping.numberRange!, last: formatNumber(range, range.to) }))
          )
        )
        businessPartnerNumber = formatNumber(range, drawn.first)
      }
      const { customer } = yield* customers.create({
        actor,
        accountGroup: grouping.accountGroup,
        general: { ...data.general, category: data.category, ...(businessPartnerNumber === undefined ? {} : { businessPartnerNumber }) },
        ...(data.companyCodes === undefined ? {} : { companyCodes: data.companyCodes }),
        ...(data.salesAreas === undefined ? {} : { salesAreas: data.salesAreas }),
        ...(data.contacts === undefined ? {} : { contacts: data.contacts }),
        ...(data.acknowledge === undefined ? {} : { acknowledge: data.acknowledge })
      })
      return view(customer, customizing)
    })

  const addRole: BusinessPartnersShape["addRole"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(AddRoleInput, input)
      const companyCodes = data.companyCodes?.length ?? 0
      const salesAreas = data.salesAreas?.length ?? 0
      const found = roleData(messages, [data.role], companyCodes, salesAreas)
      if (found.length > 0) return yield* fail(found)
      const { customer } = yield* customers.extend({
        actor,
        number: data.number,
        ...(data.companyCodes === undefined ? {} : { companyCodes: data.companyCodes }),
        ...(data.salesAreas === undefined ? {} : { salesAreas: data.salesAreas }),
        ...(data.acknowledge === undefined ? {} : { acknowledge: data.acknowledge })
      })
      return view(customer, customizing)
    })

  const display: BusinessPartnersShape["display"] = (input) =>
    customers.display(input).pipe(Effect.map((customer) => view(customer, customizing)))

  return BusinessPartners.of({ create, addRole, display })
})

/** The service, on top of `Customers`. */
export const layer: Layer.Layer<BusinessPartners, never, Current | Customers | NumberRangeStore> = Layer.effect(BusinessPartners, make)
