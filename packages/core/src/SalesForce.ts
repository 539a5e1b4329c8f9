/**
 * Sales employees and territories (domain.md §2, §5): employees act as the partner function
 * "sales employee"; each territory is defined by criteria over the customer's data and has one
 * responsible employee. A change of that assignment is a request that a named approver (e.g. the
 * branch manager) accepts or rejects — only an accepted change takes effect.
 *
 * @example
 * ```ts
 * import { SalesForce } from "@partnerkit/core"
 *
 * const south: SalesForce.TerritoryInput = {
 *   id: "DE-SOUTH",
 *   name: "Bavaria",
 *   priority: 10,
 *   criteria: { countries: ["DE"], postalCodes: [{ from: "80000", to: "87999" }] }
 * }
 * ```
 * @module
 */
import { Context, Effect, Layer, Option, Random } from "effect"
import { z } from "zod"
import { type CustomerRecord, type SalesArea, type SalesAreaView, salesAreaKey } from "./Customer.js"
import { Current } from "./Customizing.js"
import {
  ChangeAlreadyDecided,
  type NotAuthorized,
  RecordNotFound,
  type StorageError,
  type ValidationFailed,
  type VersionConflict
} from "./Errors.js"
import { notAuthorized, now, parse, requireActivity, type WithActor } from "./internal/service.js"
import { SalesEmployeeStore, TerritoryStore } from "./SalesForceStore.js"
import { StoreTransaction } from "./Storage.js"

const id = z.string().trim().min(1).max(16)

export const SalesEmployeeInput = z
  .object({
    id,
    name: z.string().trim().min(1).max(80),
    email: z.email().optional(),
    phone: z.string().trim().min(1).max(40).optional(),
    /** Inactive employees are not proposed and cannot be assigned. */
    active: z.boolean().default(true)
  })
  .strict()
export type SalesEmployeeInput = z.input<typeof SalesEmployeeInput>

export const SalesEmployee = SalesEmployeeInput.extend({ tenant: z.string(), version: z.number().int().positive() })
/** A sales employee (SAP: personnel number in partner function ER / VE). */
export type SalesEmployee = z.infer<typeof SalesEmployee>

export const PostalCodeRange = z.object({ from: z.string().min(1), to: z.string().min(1) }).strict()

export const TerritoryCriteria = z
  .object({
    countries: z.array(z.string().length(2)).optional(),
    regions: z.array(z.string().min(1)).optional(),
    /** Inclusive ranges, compared as text of equal length (`80000`–`87999`). */
    postalCodes: z.array(PostalCodeRange).optional(),
    customerGroups: z.array(z.string().min(1)).optional(),
    /** Sales-area keys, `1000/10/00`. */
    salesAreas: z.array(z.string().min(1)).optional()
  })
  .strict()
/** Every criterion given must match (one of its values); an empty criteria object matches everything. */
export type TerritoryCriteria = z.infer<typeof TerritoryCriteria>

export const TerritoryInput = z
  .object({
    id,
    name: z.string().trim().min(1).max(80),
    /** Lower wins when several territories match a customer. */
    priority: z.number().int().min(0).default(100),
    criteria: TerritoryCriteria
  })
  .strict()
export type TerritoryInput = z.input<typeof TerritoryInput>

export const Territory = TerritoryInput.extend({
  tenant: z.string(),
  /** The responsible sales employee: set only through an accepted assignment change. */
  salesEmployee: z.string().nullable(),
  version: z.number().int().positive()
})
export type Territory = z.infer<typeof Territory>

export const AssignmentChange = z.object({
  tenant: z.string(),
  id: z.string(),
  territory: z.string(),
  /** The employee to become responsible; `null` removes the assignment. */
  salesEmployee: z.string().nullable(),
  previous: z.string().nullable(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  /** The user who must decide. */
  approver: z.string(),
  status: z.enum(["pending", "accepted", "rejected"]),
  decidedAt: z.string().nullable(),
  comment: z.string().nullable(),
  version: z.number().int().positive()
})
/** A requested change of a territory's responsible employee. */
export type AssignmentChange = z.infer<typeof AssignmentChange>

const inRange = (value: string, range: { from: string; to: string }) =>
  value.length === range.from.length && value.length === range.to.length && value >= range.from && value <= range.to

/** `matches` with the sales area's key and the customer's view in it worked out once. */
const matchesIn = (c: TerritoryCriteria, g: CustomerRecord["general"], key: string, view: SalesAreaView | undefined): boolean => {
  if (c.countries !== undefined && (g.country === undefined || !c.countries.includes(g.country))) return false
  if (c.regions !== undefined && (g.region === undefined || !c.regions.includes(g.region))) return false
  if (c.postalCodes !== undefined && (g.postalCode === undefined || !c.postalCodes.some((r) => inRange(g.postalCode!, r)))) return false
  if (c.customerGroups !== undefined && (view?.customerGroup === undefined || !c.customerGroups.includes(view.customerGroup))) return false
  if (c.salesAreas !== undefined && !c.salesAreas.includes(key)) return false
  return true
}

const viewIn = (customer: CustomerRecord, key: string) => customer.salesAreas.find((v) => salesAreaKey(v.salesArea) === key)

/** Does the customer, in `salesArea`, fall in the territory? */
export const matches = (territory: Pick<Territory, "criteria">, customer: CustomerRecord, salesArea: SalesArea): boolean => {
  const key = salesAreaKey(salesArea)
  return matchesIn(territory.criteria, customer.general, key, viewIn(customer, key))
}

/** The territory of the customer in a sales area: the matching one with the lowest priority, then id. */
export const territoryOf = (
  territories: ReadonlyArray<Territory>,
  customer: CustomerRecord,
  salesArea: SalesArea
): Territory | undefined => {
  if (territories.length === 0) return undefined
  const key = salesAreaKey(salesArea)
  const view = viewIn(customer, key)
  // The first of the lowest (priority, id) among the matching ones, without sorting a copy.
  let found: Territory | undefined
  for (const t of territories) {
    if (found !== undefined && (t.priority > found.priority || (t.priority === found.priority && t.id >= found.id))) continue
    if (matchesIn(t.criteria, customer.general, key, view)) found = t
  }
  return found
}

// ---------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------

export const SaveEmployeeInput = z
  .object({
    employee: SalesEmployeeInput,
    /** Omit to create; the version you read to update. */
    version: z.number().int().positive().optional()
  })
  .strict()
export type SaveEmployeeInput = z.input<typeof SaveEmployeeInput>

export const SaveTerritoryInput = z.object({ territory: TerritoryInput, version: z.number().int().positive().optional() }).strict()
export type SaveTerritoryInput = z.input<typeof SaveTerritoryInput>

export const RequestAssignmentInput = z
  .object({
    territory: id,
    /** The employee to become responsible, or `null` to leave the territory without one. */
    salesEmployee: id.nullable(),
    /** The user who must accept or reject the change (e.g. the branch manager). */
    approver: z.string().min(1),
    comment: z.string().max(500).optional()
  })
  .strict()
export type RequestAssignmentInput = z.input<typeof RequestAssignmentInput>

export const DecideAssignmentInput = z
  .object({ change: z.string().min(1), decision: z.enum(["accept", "reject"]), comment: z.string().max(500).optional() })
  .strict()
export type DecideAssignmentInput = z.input<typeof DecideAssignmentInput>

export const ListChangesInput = z
  .object({ status: z.enum(["pending", "accepted", "rejected"]).optional(), approver: z.string().optional(), territory: id.optional() })
  .strict()
export type ListChangesInput = z.input<typeof ListChangesInput>

/** The errors every operation can fail with. */
export type Common = NotAuthorized | ValidationFailed | StorageError

export interface SalesForceShape {
  /** Creates (no `version`) or replaces (`version` = the one you read) a sales employee. */
  readonly saveEmployee: (input: SaveEmployeeInput & WithActor) => Effect.Effect<SalesEmployee, Common | VersionConflict>
  readonly employee: (input: { readonly id: string } & WithActor) => Effect.Effect<SalesEmployee, Common | RecordNotFound>
  readonly employees: (input: WithActor) => Effect.Effect<ReadonlyArray<SalesEmployee>, Common>
  /** Creates or replaces a territory's name, priority and criteria; its employee changes only through an accepted request. */
  readonly saveTerritory: (input: SaveTerritoryInput & WithActor) => Effect.Effect<Territory, Common | VersionConflict>
  readonly territories: (input: WithActor) => Effect.Effect<ReadonlyArray<Territory>, Common>
  /** Requests a change of the territory's responsible employee; it takes effect only when `approver` accepts it. */
  readonly requestAssignment: (
    input: RequestAssignmentInput & WithActor
  ) => Effect.Effect<AssignmentChange, Common | RecordNotFound | VersionConflict>
  /** The named approver accepts (the assignment takes effect) or rejects the change. Anyone else: `NotAuthorized` (reason `approver`). */
  readonly decideAssignment: (
    input: DecideAssignmentInput & WithActor
  ) => Effect.Effect<
    { readonly change: AssignmentChange; readonly territory: Territory },
    Common | RecordNotFound | ChangeAlreadyDecided | VersionConflict
  >
  readonly assignmentChanges: (input: ListChangesInput & WithActor) => Effect.Effect<ReadonlyArray<AssignmentChange>, Common>
}

/** Sales employees, territories and the approval of assignment changes. */
export class SalesForce extends Context.Tag("@partnerkit/core/SalesForce")<SalesForce, SalesForceShape>() {}

export const make = Effect.gen(function* () {
  const customizing = yield* Current
  const employeesStore = yield* SalesEmployeeStore
  const territoriesStore = yield* TerritoryStore
  const tx = yield* StoreTransaction
  const tenant = customizing.tenant

  const saveEmployee: SalesForceShape["saveEmployee"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(SaveEmployeeInput, input)
      yield* requireActivity(customizing, actor, "change")
      const version = data.version === undefined ? 1 : data.version + 1
      const employee: SalesEmployee = { ...data.employee, tenant, version }
      yield* employeesStore.put(employee, data.version ?? null)
      return employee
    })

  const saveTerritory: SalesForceShape["saveTerritory"] = (input) =>
    tx.withTransaction(
      Effect.gen(function* () {
        const { actor, data } = yield* parse(SaveTerritoryInput, input)
        yield* requireActivity(customizing, actor, "change")
        const current = Option.getOrUndefined(yield* territoriesStore.get(tenant, data.territory.id))
        const territory: Territory = {
          ...data.territory,
          tenant,
          salesEmployee: current?.salesEmployee ?? null,
          version: data.version === undefined ? 1 : data.version + 1
        }
        yield* territoriesStore.put(territory, data.version ?? null)
        return territory
      })
    )

  const requestAssignment: SalesForceShape["requestAssignment"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(RequestAssignmentInput, input)
      yield* requireActivity(customizing, actor, "change")
      const territory = yield* territoriesStore.get(tenant, data.territory)
      if (Option.isNone(territory)) return yield* Effect.fail(new RecordNotFound({ kind: "territory", id: data.territory }))
      if (data.salesEmployee !== null) {
        const employee = yield* employeesStore.get(tenant, data.salesEmployee)
        if (Option.isNone(employee) || !employee.value.active) {
          return yield* Effect.fail(new RecordNotFound({ kind: "salesEmployee", id: data.salesEmployee }))
        }
      }
      const at = yield* now
      const suffix = yield* Random.nextIntBetween(0, 36 ** 4)
      const change: AssignmentChange = {
        tenant,
        id: `${data.territory}-${Date.parse(at).toString(36)}-${suffix.toString(36).padStart(4, "0")}`,
        territory: data.territory,
        salesEmployee: data.salesEmployee,
        previous: territory.value.salesEmployee,
        requestedBy: actor.userId,
        requestedAt: at,
        approver: data.approver,
        status: "pending",
        decidedAt: null,
        comment: data.comment ?? null,
        version: 1
      }
      yield* territoriesStore.putChange(change, null)
      return change
    })

  const decideAssignment: SalesForceShape["decideAssignment"] = (input) =>
    tx.withTransaction(
      Effect.gen(function* () {
        const { actor, data } = yield* parse(DecideAssignmentInput, input)
        if (actor.tenant !== tenant) return yield* Effect.fail(notAuthorized(actor, "tenant", `tenant ${actor.tenant}`))
        const found = yield* territoriesStore.getChange(tenant, data.change)
        if (Option.isNone(found)) return yield* Effect.fail(new RecordNotFound({ kind: "assignmentChange", id: data.change }))
        const change = found.value
        if (change.approver !== actor.userId) {
          return yield* Effect.fail(notAuthorized(actor, "approver", `only ${change.approver} may decide assignment change ${change.id}`))
        }
        if (change.status !== "pending") return yield* Effect.fail(new ChangeAlreadyDecided({ id: change.id, status: change.status }))
        const at = yield* now
        const decided: AssignmentChange = {
          ...change,
          status: data.decision === "accept" ? "accepted" : "rejected",
          decidedAt: at,
          comment: data.comment ?? change.comment,
          version: change.version + 1
        }
        yield* territoriesStore.putChange(decided, change.version)
        const territory = yield* territoriesStore.get(tenant, change.territory)
        if (Option.isNone(territory)) return yield* Effect.fail(new RecordNotFound({ kind: "territory", id: change.territory }))
        if (decided.status === "rejected") return { change: decided, territory: territory.value }
        const updated: Territory = { ...territory.value, salesEmployee: change.salesEmployee, version: territory.value.version + 1 }
        yield* territoriesStore.put(updated, territory.value.version)
        return { change: decided, territory: updated }
      })
    )

  const display = <A>(input: WithActor, read: Effect.Effect<A, StorageError>) =>
    Effect.gen(function* () {
      const { actor } = yield* parse(z.object({}).strict(), input)
      yield* requireActivity(customizing, actor, "display")
      return yield* read
    })

  return SalesForce.of({
    saveEmployee,
    employee: (input) =>
      Effect.gen(function* () {
        const { actor, data } = yield* parse(z.object({ id }).strict(), input)
        yield* requireActivity(customizing, actor, "display")
        const found = yield* employeesStore.get(tenant, data.id)
        return yield* Option.match(found, {
          onNone: () => Effect.fail(new RecordNotFound({ kind: "salesEmployee", id: data.id })),
          onSome: Effect.succeed
        })
      }),
    employees: (input) => display(input, employeesStore.list(tenant)),
    saveTerritory,
    territories: (input) => display(input, territoriesStore.list(tenant)),
    requestAssignment,
    decideAssignment,
    assignmentChanges: (input) =>
      Effect.gen(function* () {
        const { actor, data } = yield* parse(ListChangesInput, input)
        yield* requireActivity(customizing, actor, "display")
        return yield* territoriesStore.listChanges(tenant, data)
      })
  })
})

/** The service, from `Customizing.Current` and the sales-force ports. */
export const layer: Layer.Layer<SalesForce, never, Current | SalesEmployeeStore | TerritoryStore | StoreTransaction> = Layer.effect(
  SalesForce,
  make
)
