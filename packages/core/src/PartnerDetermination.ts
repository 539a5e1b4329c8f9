/**
 * Partner determination (SAP SD): for a sold-to party in a sales area, propose the partners of an
 * order — ship-to (default and alternatives), bill-to, payer, contact persons, sales employee and
 * any custom function of the sold-to's partner procedure — each with where it came from, or a
 * typed failure per function (missing, blocked for orders / delivery / billing, not allowed, not
 * visible to the actor, not found, not in the sales area).
 *
 * The sales employee comes from the sold-to's `ER` partners in the sales area or, when there is
 * none, from the territory the customer falls in (its responsible employee).
 *
 * One-time (CPD) sold-tos need the buyer's name and address with the call; they are validated
 * with the account group's `oneTimeAddress` field status and the usual format checks, and come back
 * on every proposal of a one-time account.
 *
 * @example
 * ```ts
 * import { Actor, PartnerDetermination } from "@partnerkit/core"
 * import { Effect } from "effect"
 *
 * const proposeShipTo = Effect.gen(function* () {
 *   const determination = yield* PartnerDetermination.PartnerDetermination
 *   const result = yield* determination.determinePartners({
 *     actor: Actor.superUser("acme"),
 *     soldTo: "C0001",
 *     salesArea: { salesOrganization: "1000", distributionChannel: "10", division: "00" }
 *   })
 *   const shipTo = result.functions.SH
 *   return shipTo?.status === "determined" ? shipTo.proposal.partner : undefined
 * })
 * ```
 * @module
 */
import { Context, Effect, Layer, Option } from "effect"
import { z } from "zod"
import * as Actor from "./Actor.js"
import { type CustomerRecord, GeneralData, type PartnerAssignment, SalesArea, type SalesAreaView, salesAreaKey } from "./Customer.js"
import { CustomerStore } from "./CustomerStore.js"
import { Current, type PartnerFunction } from "./Customizing.js"
import { CustomerNotFound, type NotAuthorized, type StorageError, ValidationFailed, ViewNotFound } from "./Errors.js"
import { blockOf, defaultOf } from "./internal/partners.js"
import { parse, requireActivity, type WithActor } from "./internal/service.js"
import { blocking, factory } from "./Messages.js"
import { type SalesEmployee, territoryOf } from "./SalesForce.js"
import { SalesEmployeeStore, TerritoryStore } from "./SalesForceStore.js"
import * as Validation from "./Validation.js"

export const OneTimeAddress = GeneralData.pick({
  title: true,
  name: true,
  name2: true,
  street: true,
  houseNumber: true,
  postalCode: true,
  city: true,
  region: true,
  country: true,
  phone: true,
  email: true,
  taxNumbers: true
}).strict()
/** The occasional buyer's name and address, carried by the business document (SAP: BSEC / one-time data). */
export type OneTimeAddress = z.infer<typeof OneTimeAddress>

export const DetermineInput = z
  .object({
    soldTo: z.string().min(1),
    salesArea: SalesArea,
    /** Required when the sold-to is a one-time account. */
    oneTimeAddress: OneTimeAddress.optional()
  })
  .strict()
export type DetermineInput = z.input<typeof DetermineInput>

/** Where a proposal came from. */
export type Source = "masterData" | "self" | "territory"

export interface Proposal {
  /** Customer number, contact-person id or sales-employee id. */
  readonly partner: string
  readonly kind: PartnerFunction["kind"]
  readonly name: string
  readonly source: Source
  /** Human-readable origin, e.g. `partner function SH of C0001 in 1000/10/00`. */
  readonly detail: string
  /** For one-time accounts: the buyer's data from the call. */
  readonly address?: OneTimeAddress
}

export type FailureReason =
  | "missing"
  | "blockedForOrders"
  | "blockedForDelivery"
  | "blockedForBilling"
  | "blocked"
  | "notAllowed"
  | "notVisible"
  | "notFound"
  | "notInSalesArea"

export type FunctionResult =
  | { readonly status: "determined"; readonly proposal: Proposal; readonly alternatives: ReadonlyArray<Proposal> }
  | {
      readonly status: "failed"
      readonly reason: FailureReason
      readonly detail: string
      /** Usable partners other than the failed default, if any. */
      readonly alternatives: ReadonlyArray<Proposal>
    }

export interface Determination {
  readonly soldTo: Proposal
  readonly salesArea: SalesArea
  /** By partner function code (`SP`, `SH`, `BP`, `PY`, `CP`, `ER`, custom codes). Functions without partners that are not mandatory are absent. */
  readonly functions: Readonly<Record<string, FunctionResult>>
  /** True when no function failed. */
  readonly complete: boolean
}

export interface PartnerDeterminationShape {
  readonly determinePartners: (
    input: DetermineInput & WithActor
  ) => Effect.Effect<Determination, NotAuthorized | ValidationFailed | CustomerNotFound | ViewNotFound | StorageError>
}

/** The partner-determination service. */
export class PartnerDetermination extends Context.Tag("@partnerkit/core/PartnerDetermination")<
  PartnerDetermination,
  PartnerDeterminationShape
>() {}

const blockReason = (kind: "order" | "delivery" | "billing" | undefined): FailureReason =>
  kind === "order" ? "blockedForOrders" : kind === "delivery" ? "blockedForDelivery" : kind === "billing" ? "blockedForBilling" : "blocked"

type Resolved =
  | { readonly ok: true; readonly proposal: Proposal }
  | { readonly ok: false; readonly reason: FailureReason; readonly detail: string }

export const make = Effect.gen(function* () {
  const customizing = yield* Current
  const customers = yield* CustomerStore
  const employees = yield* SalesEmployeeStore
  const territories = yield* TerritoryStore
  const tenant = customizing.tenant
  const messages = factory(customizing.messages)

  const nameOf = (c: CustomerRecord) => c.general.name

  const determinePartners: PartnerDeterminationShape["determinePartners"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(DetermineInput, input)
      yield* requireActivity(customizing, actor, "display")
      const visibility = Actor.visibility(actor)
      const area = salesAreaKey(data.salesArea)
      const found = yield* customers.get(tenant, data.soldTo, visibility)
      if (Option.isNone(found)) return yield* Effect.fail(new CustomerNotFound({ tenant, number: data.soldTo }))
      const soldTo = found.value
      const view = soldTo.salesAreas.find((v) => salesAreaKey(v.salesArea) === area)
      if (view === undefined) return yield* Effect.fail(new ViewNotFound({ number: soldTo.number, view: `salesArea:${area}` }))
      const group = customizing.accountGroups[soldTo.accountGroup]
      const procedure = group?.partnerProcedure === undefined ? undefined : customizing.partnerProcedures[group.partnerProcedure]

      let address: OneTimeAddress | undefined
      const oneTime = (c: CustomerRecord) => customizing.accountGroups[c.accountGroup]?.oneTime === true
      if (group !== undefined && group.oneTime) {
        if (data.oneTimeAddress === undefined) {
          const m = messages.make("ONE_TIME_ADDRESS_REQUIRED", "oneTimeAddress", { number: soldTo.number })!
          return yield* Effect.fail(new ValidationFailed({ messages: [m], all: [m] }))
        }
        const ctx: Validation.Context = {
          customizing,
          accountGroupId: soldTo.accountGroup,
          accountGroup: { ...group, fieldStatus: { ...group.fieldStatus, general: group.oneTimeAddress } },
          messages
        }
        const all = Validation.general(ctx, data.oneTimeAddress, "all", "oneTimeAddress")
        const stop = blocking(all)
        if (stop.length > 0) return yield* Effect.fail(new ValidationFailed({ messages: stop, all }))
        address = data.oneTimeAddress
      }
      const withAddress = (c: CustomerRecord, p: Omit<Proposal, "address">): Proposal =>
        oneTime(c) && address !== undefined ? { ...p, address } : p

      const functions = Object.entries(procedure?.functions ?? {})
      const byFunction = new Map<string, Array<PartnerAssignment>>()
      for (const p of view.partners ?? []) {
        const list = byFunction.get(p.function)
        if (list === undefined) byFunction.set(p.function, [p])
        else list.push(p)
      }

      // Every record the proposal needs is read once, before anything is resolved: the partner
      // customers (unrestricted: visibility is checked per function below) and sales employees
      // of the procedure's functions, and the territory data when a sales-employee function has
      // no partner.
      const partners = new Map<string, CustomerRecord | undefined>()
      const staff = new Map<string, SalesEmployee | undefined>()
      let territoryNeeded = false
      for (const [fn] of functions) {
        const kind = customizing.partnerFunctions[fn]!.kind
        const assignments = byFunction.get(fn)
        if (assignments === undefined) {
          if (kind === "salesEmployee") territoryNeeded = true
          continue
        }
        for (const a of assignments) {
          if (kind === "customer" && a.partner !== soldTo.number && !partners.has(a.partner)) {
            partners.set(a.partner, Option.getOrUndefined(yield* customers.get(tenant, a.partner, Actor.unrestricted)))
          } else if (kind === "salesEmployee" && !staff.has(a.partner)) {
            staff.set(a.partner, Option.getOrUndefined(yield* employees.get(tenant, a.partner)))
          }
        }
      }
      let fromTerritory: Proposal | undefined
      if (territoryNeeded) {
        const territory = territoryOf(yield* territories.list(tenant), soldTo, data.salesArea)
        if (territory !== undefined && territory.salesEmployee !== null) {
          const id = territory.salesEmployee
          const employee = staff.has(id) ? staff.get(id) : Option.getOrUndefined(yield* employees.get(tenant, id))
          if (employee?.active) {
            fromTerritory = {
              partner: employee.id,
              kind: "salesEmployee",
              name: employee.name,
              source: "territory",
              detail: `responsible for territory ${territory.id} (${territory.name})`
            }
          }
        }
      }

      const resolveCustomer = (fn: string, definition: PartnerFunction, assignment: PartnerAssignment): Resolved => {
        const entry = procedure?.functions[fn]
        const self = assignment.partner === soldTo.number
        const partner = self ? soldTo : partners.get(assignment.partner)
        if (partner === undefined) return { ok: false, reason: "notFound", detail: `customer ${assignment.partner} does not exist` }
        if (Actor.canSeeGroup(visibility, partner.general.authorizationGroup) === false) {
          return { ok: false, reason: "notVisible", detail: `the ${definition.name.toLowerCase()} is outside your authorization` }
        }
        if (entry?.accountGroups !== undefined && !entry.accountGroups.includes(partner.accountGroup)) {
          return {
            ok: false,
            reason: "notAllowed",
            detail: `${partner.number} (account group ${partner.accountGroup}) may not be ${definition.name.toLowerCase()}`
          }
        }
        const partnerView: SalesAreaView | undefined = partner.salesAreas.find((v) => salesAreaKey(v.salesArea) === area)
        if (partnerView === undefined) {
          return { ok: false, reason: "notInSalesArea", detail: `${partner.number} is not extended to sales area ${area}` }
        }
        const blocked = blockOf(partner, partnerView, definition.blockedBy)
        if (blocked !== undefined) {
          const kind = definition.blockedBy.find((k) => partnerView[`${k}Block`] !== null)
          const central = partner.centralBlock !== null || partner.deletionFlag || partnerView.deletionFlag
          return { ok: false, reason: central ? "blocked" : blockReason(kind), detail: `${partner.number}: ${blocked}` }
        }
        return {
          ok: true,
          proposal: withAddress(partner, {
            partner: partner.number,
            kind: "customer",
            name: nameOf(partner),
            source: self ? "self" : "masterData",
            detail: `partner function ${fn} of ${soldTo.number} in ${area}`
          })
        }
      }

      const resolve = (fn: string, definition: PartnerFunction, assignment: PartnerAssignment): Resolved => {
        switch (definition.kind) {
          case "customer":
            return resolveCustomer(fn, definition, assignment)
          case "contactPerson": {
            const contact = soldTo.contacts.find((c) => c.id === assignment.partner)
            return contact === undefined
              ? { ok: false, reason: "notFound", detail: `contact person ${assignment.partner} of ${soldTo.number} does not exist` }
              : {
                  ok: true,
                  proposal: {
                    partner: contact.id,
                    kind: "contactPerson",
                    name: [contact.firstName, contact.lastName].filter(Boolean).join(" "),
                    source: "masterData",
                    detail: `partner function ${fn} of ${soldTo.number} in ${area}`
                  }
                }
          }
          case "salesEmployee": {
            const employee = staff.get(assignment.partner)
            return employee === undefined || !employee.active
              ? { ok: false, reason: "notFound", detail: `sales employee ${assignment.partner} does not exist or is inactive` }
              : {
                  ok: true,
                  proposal: {
                    partner: employee.id,
                    kind: "salesEmployee",
                    name: employee.name,
                    source: "masterData",
                    detail: `partner function ${fn} of ${soldTo.number} in ${area}`
                  }
                }
          }
        }
      }

      const results: Record<string, FunctionResult> = {}
      let complete = true
      for (const [fn, entry] of functions) {
        const definition = customizing.partnerFunctions[fn]!
        const assignments = byFunction.get(fn)
        if (assignments === undefined) {
          const fallback = definition.kind === "salesEmployee" ? fromTerritory : undefined
          if (fallback !== undefined) results[fn] = { status: "determined", proposal: fallback, alternatives: [] }
          else if (entry.mandatory) {
            results[fn] = {
              status: "failed",
              reason: "missing",
              detail: `no ${definition.name.toLowerCase()} in ${area} for ${soldTo.number}`,
              alternatives: []
            }
            complete = false
          }
          continue
        }
        const chosen = defaultOf(assignments) ?? assignments[0]!
        const main = resolve(fn, definition, chosen)
        const alternatives: Array<Proposal> = []
        for (const other of assignments) {
          if (other === chosen) continue
          const r = resolve(fn, definition, other)
          if (r.ok) alternatives.push(r.proposal)
        }
        if (main.ok) results[fn] = { status: "determined", proposal: main.proposal, alternatives }
        else {
          results[fn] = { status: "failed", reason: main.reason, detail: main.detail, alternatives }
          complete = false
        }
      }

      const soldToProposal = withAddress(soldTo, {
        partner: soldTo.number,
        kind: "customer",
        name: nameOf(soldTo),
        source: "self",
        detail: `sold-to party of the order`
      })
      return { soldTo: soldToProposal, salesArea: data.salesArea, functions: results, complete }
    })

  return PartnerDetermination.of({ determinePartners })
})

/** The service, from `Customizing.Current` and the customer and sales-force ports. */
export const layer: Layer.Layer<PartnerDetermination, never, Current | CustomerStore | SalesEmployeeStore | TerritoryStore> = Layer.effect(
  PartnerDetermination,
  make
)
