import { Effect, Option } from "effect"
import { type CustomerRecord, type PartnerAssignment, type SalesAreaView, salesAreaKey } from "../Customer.js"
import type { Customizing } from "../Customizing.js"
import type { StorageError } from "../Errors.js"
import type { Message, MessageFactory } from "../Messages.js"
import type { SalesEmployee } from "../SalesForce.js"

export interface Lookups {
  /** Any customer of the tenant, unrestricted. */
  readonly customer: (number: string) => Effect.Effect<Option.Option<CustomerRecord>, StorageError>
  readonly employee: (id: string) => Effect.Effect<Option.Option<SalesEmployee>, StorageError>
}

/** Why a customer may not play a function in a sales area, or `undefined` when it may. */
export const blockOf = (
  customer: CustomerRecord,
  view: SalesAreaView | undefined,
  blockedBy: ReadonlyArray<"order" | "delivery" | "billing">
): string | undefined => {
  if (customer.centralBlock !== null) return `central block: ${customer.centralBlock.reason}`
  if (customer.deletionFlag) return "deletion flag"
  if (view === undefined) return undefined
  if (view.deletionFlag) return `deletion flag in ${salesAreaKey(view.salesArea)}`
  for (const kind of blockedBy) {
    const block = view[`${kind}Block`]
    if (block !== null) return `${kind} block in ${salesAreaKey(view.salesArea)}: ${block.reason}`
  }
  return undefined
}

/**
 * Adds, to each sales area in `areas`, the functions its procedure fills with the customer itself
 * (unless the caller gave partners for that function).
 */
export const withSelfPartners = (customizing: Customizing, record: CustomerRecord, areas: ReadonlySet<string>): CustomerRecord => {
  const procedureId = customizing.accountGroups[record.accountGroup]?.partnerProcedure
  const procedure = procedureId === undefined ? undefined : customizing.partnerProcedures[procedureId]
  if (procedure === undefined) return record
  const selfFunctions = Object.entries(procedure.functions).filter(([, e]) => e.self).map(([fn]) => fn)
  if (selfFunctions.length === 0) return record
  return {
    ...record,
    salesAreas: record.salesAreas.map((v) => {
      if (!areas.has(salesAreaKey(v.salesArea))) return v
      const given = new Set((v.partners ?? []).map((p) => p.function))
      const added: Array<PartnerAssignment> = selfFunctions.filter((fn) => !given.has(fn)).map((fn) => ({ function: fn, partner: record.number }))
      return added.length === 0 ? v : { ...v, partners: [...(v.partners ?? []), ...added] }
    })
  }
}

/** Same partners and the same effective default (a lone partner is the default whatever its flag). */
const same = (a: ReadonlyArray<PartnerAssignment>, b: ReadonlyArray<PartnerAssignment>) =>
  JSON.stringify(a.map((p) => p.partner).sort()) === JSON.stringify(b.map((p) => p.partner).sort()) &&
  defaultOf(a)?.partner === defaultOf(b)?.partner

/** The default partner of a function: the one marked default, else the only one. */
export const defaultOf = (partners: ReadonlyArray<PartnerAssignment>): PartnerAssignment | undefined =>
  partners.find((p) => p.default === true) ?? (partners.length === 1 ? partners[0] : undefined)

/**
 * Checks the partners of the sales areas in `areas` against the account group's procedure, the
 * partner functions and the partner rules of the customizing.
 */
export const check = (
  customizing: Customizing,
  messages: MessageFactory,
  lookups: Lookups,
  record: CustomerRecord,
  before: CustomerRecord | undefined,
  areas: ReadonlySet<string>
): Effect.Effect<Array<Message>, StorageError> =>
  Effect.gen(function* () {
    const out: Array<Message> = []
    const add = (m: Message | undefined) => {
      if (m !== undefined) out.push(m)
    }
    const group = customizing.accountGroups[record.accountGroup]!
    const procedure = group.partnerProcedure === undefined ? undefined : customizing.partnerProcedures[group.partnerProcedure]
    for (const view of record.salesAreas) {
      const area = salesAreaKey(view.salesArea)
      if (!areas.has(area)) continue
      const path = `salesAreas.${area}.partners`
      const byFunction = new Map<string, Array<PartnerAssignment>>()
      for (const p of view.partners ?? []) byFunction.set(p.function, [...(byFunction.get(p.function) ?? []), p])

      for (const [fn, entry] of Object.entries(procedure?.functions ?? {})) {
        if (entry.mandatory && !byFunction.has(fn)) {
          add(messages.make("PARTNER_MISSING", `${path}.${fn}`, { function: fn, accountGroup: record.accountGroup, salesArea: area }))
        }
      }
      for (const [fn, partners] of byFunction) {
        const at = `${path}.${fn}`
        const definition = customizing.partnerFunctions[fn]
        if (definition === undefined) {
          add(messages.make("PARTNER_FUNCTION_UNKNOWN", at, { function: fn }))
          continue
        }
        const entry = procedure?.functions[fn]
        if (entry === undefined) {
          add(messages.make("PARTNER_FUNCTION_NOT_ALLOWED", at, { function: fn, accountGroup: record.accountGroup }))
          continue
        }
        if (entry.unique && partners.length > 1) add(messages.make("PARTNER_NOT_UNIQUE", at, { function: fn }))
        const seen = new Set<string>()
        for (const p of partners) {
          if (seen.has(p.partner)) add(messages.make("PARTNER_DUPLICATED", at, { function: fn, partner: p.partner }))
          seen.add(p.partner)
        }
        const defaults = partners.filter((p) => p.default === true).length
        if (partners.length > 1 ? defaults !== 1 : defaults > 1) {
          add(messages.make("PARTNER_DEFAULT_INVALID", at, { function: fn, count: String(defaults) }))
        }
        const previous = before?.salesAreas.find((v) => salesAreaKey(v.salesArea) === area)?.partners?.filter((p) => p.function === fn)
        if (!entry.changeable && previous !== undefined && previous.length > 0 && !same(previous, partners)) {
          add(messages.make("PARTNER_NOT_CHANGEABLE", at, { function: fn }))
        }
        for (const p of partners) {
          switch (definition.kind) {
            case "contactPerson":
              if (!record.contacts.some((c) => c.id === p.partner)) {
                add(messages.make("PARTNER_NOT_FOUND", at, { kind: "contact person", partner: p.partner, function: fn }))
              }
              break
            case "salesEmployee": {
              const employee = yield* lookups.employee(p.partner)
              if (Option.isNone(employee) || !employee.value.active) {
                add(messages.make("PARTNER_NOT_FOUND", at, { kind: "active sales employee", partner: p.partner, function: fn }))
              }
              break
            }
            case "customer": {
              const partner = p.partner === record.number ? record : Option.getOrUndefined(yield* lookups.customer(p.partner))
              if (partner === undefined) {
                add(messages.make("PARTNER_NOT_FOUND", at, { kind: "customer", partner: p.partner, function: fn }))
                break
              }
              if (entry.accountGroups !== undefined && !entry.accountGroups.includes(partner.accountGroup)) {
                add(
                  messages.make("PARTNER_ACCOUNT_GROUP_NOT_ALLOWED", at, {
                    partner: p.partner,
                    partnerGroup: partner.accountGroup,
                    function: fn,
                    allowed: entry.accountGroups.join(", ")
                  })
                )
              }
              const partnerView = partner.salesAreas.find((v) => salesAreaKey(v.salesArea) === area)
              if (partnerView === undefined) {
                add(messages.make("PARTNER_NOT_IN_SALES_AREA", at, { partner: p.partner, salesArea: area, function: fn }))
              }
              const blocked = partner === record ? undefined : blockOf(partner, partnerView, definition.blockedBy)
              if (blocked !== undefined) add(messages.make("PARTNER_BLOCKED", at, { partner: p.partner, detail: blocked, function: fn }))
              break
            }
          }
        }
      }
      for (const [first, second] of customizing.partnerRules.samePartner) {
        const a = defaultOf(byFunction.get(first) ?? [])
        const b = defaultOf(byFunction.get(second) ?? [])
        if (a !== undefined && b !== undefined && a.partner !== b.partner) {
          add(
            messages.make("PARTNER_FUNCTIONS_DIFFER", `${path}.${second}`, {
              first,
              second,
              firstPartner: a.partner,
              secondPartner: b.partner
            })
          )
        }
      }
    }
    return out
  })
