/**
 * The customer lifecycle as an Effect service: create (internal or external number), create with
 * reference, extend, change, display, list, block / unblock, set / clear the deletion flag, and
 * read change documents. Every operation takes an `actor` and is authorized, validated against
 * the customizing, and written atomically with its change document.
 *
 * Errors per operation (all typed, all in the error channel):
 * - every operation: `NotAuthorized` (tenant, activity, company code, sales organisation,
 *   authorization group), `ValidationFailed` (malformed input: message `INPUT_INVALID`),
 *   `StorageError`;
 * - `create`, `createWithReference`: `ValidationFailed` (blocking messages),
 *   `NumberRangeExhausted`, `CustomerNumberTaken` (external number in use);
 *   `createWithReference` also `CustomerNotFound` / `ViewNotFound` for the reference;
 * - `change`, `extend`, `block`, `unblock`, `setDeletionFlag`, `clearDeletionFlag`:
 *   `CustomerNotFound`, `ViewNotFound`, `VersionConflict`, and for change / extend
 *   `ValidationFailed`;
 * - `display`, `changeDocuments`: `CustomerNotFound`.
 *
 * A failed operation writes nothing: no customer, no change document, no drawn number.
 *
 * Data quality (`dataQuality` in the customizing, see `Standardisation` and `DuplicateCheck`):
 * create, create with reference and change standardise the general data before validating it
 * (a change only the fields it touches); create runs the duplicate check, whose
 * `DUPLICATE_SUSPECTED` / `DUPLICATE_OUTSIDE_AUTHORIZATION` messages block or not by their
 * severity like any other (with both set to `off` the check does not run); every write of
 * general data (bulk import included) updates the `MatchIndexStore` in the write's transaction.
 *
 * @example
 * ```ts
 * import { Actor, Customers, PartnerKit, Presets, type Storage } from "@partnerkit/core"
 * import { Effect } from "effect"
 *
 * declare const storage: Storage.Layer // e.g. SqliteStore.layer({ filename: "customers.db" })
 * const program = Effect.gen(function* () {
 *   const customers = yield* Customers.Customers
 *   const { customer } = yield* customers.create({
 *     actor: Actor.superUser("acme"),
 *     accountGroup: "0004",
 *     general: { name: "Acme Pay GmbH", street: "Ring 1", postalCode: "10115", city: "Berlin", country: "DE" }
 *   })
 *   return customer.number // "F0001"
 * })
 * const number = await Effect.runPromise(Effect.provide(program, PartnerKit.layer({ customizing: Presets.standard("acme"), storage })))
 * ```
 * @module
 */
import { Chunk, Context, Effect, Either, Layer, Option, Stream } from "effect"
import type { z } from "zod"
import * as Actor from "./Actor.js"
import type { ChangeDocument, Operation } from "./ChangeDocument.js"
import { diff } from "./ChangeDocument.js"
import { ChangeDocumentStore } from "./ChangeDocumentStore.js"
import {
  BlockInput,
  ChangeDocumentsInput,
  DisplayInput,
  type BlockTarget,
  type Block,
  ChangeCustomerInput,
  type CompanyCodeView,
  type CompanyCodeViewInput,
  CompanyCodeData,
  type ContactPerson,
  CreateCustomerInput,
  CreateWithReferenceInput,
  type CustomerRecord,
  DeletionFlagInput,
  ExtendInput,
  ListInput,
  type SalesAreaView,
  type SalesAreaViewInput,
  SalesAreaData,
  GeneralData,
  salesAreaKey,
  UnblockInput,
  visibleTo
} from "./Customer.js"
import { Current, formatNumber } from "./Customizing.js"
import { CustomerStore } from "./CustomerStore.js"
import {
  CustomerNotFound,
  type CustomerNumberTaken,
  ImportSourceFailed,
  NotAuthorized,
  NumberRangeExhausted,
  type StorageError,
  ValidationFailed,
  VersionConflict,
  ViewNotFound
} from "./Errors.js"
import { type ImportFailure, type ImportOptions, ImportRecord, type ImportResult, ImportSettings } from "./Import.js"
import * as cursor from "./internal/cursor.js"
import * as Numbers from "./internal/numbers.js"
import * as Partners from "./internal/partners.js"
import { inputInvalid, notAuthorized, now, parse, requireActivity, type WithActor } from "./internal/service.js"
import { blocking, factory, type Message, type MessageId } from "./Messages.js"
import { KeyMappingStore } from "./KeyMappingStore.js"
import { NumberRangeStore } from "./NumberRangeStore.js"
import { SalesEmployeeStore } from "./SalesForceStore.js"
import { StoreTransaction } from "./Storage.js"
import * as Validation from "./Validation.js"
import * as DuplicateCheck from "./DuplicateCheck.js"
import { MatchIndexStore } from "./MatchIndexStore.js"
import * as Standardisation from "./Standardisation.js"

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export type { WithActor } from "./internal/service.js"

/** A write's result: the record as the actor may see it, and the messages that did not block. */
export interface Result {
  readonly customer: CustomerRecord
  readonly messages: ReadonlyArray<Message>
}

/** A page of results; pass `nextCursor` back as `cursor` for the next page (absent on the last one). */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly nextCursor?: string
}


/** The errors every operation can fail with. */
export type Common = NotAuthorized | ValidationFailed | StorageError
export type CreateError = Common | NumberRangeExhausted | CustomerNumberTaken
export type CreateWithReferenceError = CreateError | CustomerNotFound | ViewNotFound
export type UpdateError = Common | CustomerNotFound | ViewNotFound | VersionConflict
export type ReadError = Common | CustomerNotFound

export interface CustomersShape {
  /** Creates a customer; internal ranges draw the number, external ones check the given one. */
  readonly create: (input: CreateCustomerInput & WithActor) => Effect.Effect<Result, CreateError>
  /** Creates a customer from a copy of an existing one's general data and chosen views (SAP: create with reference). */
  readonly createWithReference: (
    input: CreateWithReferenceInput & WithActor
  ) => Effect.Effect<Result, CreateWithReferenceError>
  /** Adds company-code and / or sales-area views under the same number. */
  readonly extend: (input: ExtendInput & WithActor) => Effect.Effect<Result, UpdateError>
  /** Applies a partial change; `version` must be the current one. A change that changes nothing writes nothing. */
  readonly change: (input: ChangeCustomerInput & WithActor) => Effect.Effect<Result, UpdateError>
  /** The customer as the actor may see it. */
  readonly display: (input: DisplayInput & WithActor) => Effect.Effect<CustomerRecord, ReadError>
  /** Customers by account group, company code or sales area, ascending by number, filtered by authorization inside the store. */
  readonly list: (input: ListInput & WithActor) => Effect.Effect<Page<CustomerRecord>, Common>
  /** Sets a block (central; posting per company code; order / delivery / billing per sales area) with a reason. */
  readonly block: (input: BlockInput & WithActor) => Effect.Effect<Result, UpdateError>
  /** Removes a block; removing one that is not set changes nothing. */
  readonly unblock: (input: UnblockInput & WithActor) => Effect.Effect<Result, UpdateError>
  /** Sets the deletion flag (central, or on one view). */
  readonly setDeletionFlag: (input: DeletionFlagInput & WithActor) => Effect.Effect<Result, UpdateError>
  readonly clearDeletionFlag: (input: DeletionFlagInput & WithActor) => Effect.Effect<Result, UpdateError>
  /**
   * Streams customer inputs into the store in batches, each record validated like a single
   * create, idempotent by `(system, key)`; see `Import`. Fails only when the source or the store
   * fails (`ImportSourceFailed`, `StorageError`) or the options or actor are refused; bad records
   * are reported in the result.
   */
  readonly importCustomers: (
    options: ImportOptions
  ) => Effect.Effect<ImportResult, NotAuthorized | ValidationFailed | ImportSourceFailed | StorageError>
  /** The customer's change documents, newest first, with only the items of views the actor may see. */
  readonly changeDocuments: (input: ChangeDocumentsInput & WithActor) => Effect.Effect<Page<ChangeDocument>, ReadError>
}

/** The customer lifecycle service. */
export class Customers extends Context.Tag("@partnerkit/core/Customers")<Customers, CustomersShape>() {}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const requireCompanyCode = (actor: Actor.Actor, code: string) =>
  Actor.mayMaintainCompanyCode(actor, code) ? Effect.void : Effect.fail(notAuthorized(actor, "companyCode", `company code ${code}`))

const requireSalesOrganization = (actor: Actor.Actor, org: string) =>
  Actor.mayMaintainSalesOrganization(actor, org)
    ? Effect.void
    : Effect.fail(notAuthorized(actor, "salesOrganization", `sales organisation ${org}`))

/** An actor may only assign authorization groups it has itself, or it would lose sight of its own data. */
const requireGroups = (actor: Actor.Actor, groups: ReadonlyArray<string | null | undefined>) =>
  Effect.forEach(groups, (group) =>
    group === undefined || group === null || Actor.mayUseGroup(actor, group)
      ? Effect.void
      : Effect.fail(notAuthorized(actor, "authorizationGroup", `authorization group ${group}`)),
    { discard: true }
  )

/** Fails with the blocking messages, or returns the rest. */
const settle = (all: ReadonlyArray<Message>, acknowledged: ReadonlyArray<MessageId> | undefined) => {
  const stop = blocking(all, acknowledged)
  return stop.length > 0 ? Effect.fail(new ValidationFailed({ messages: stop, all })) : Effect.succeed(all)
}

const byCode = (a: CompanyCodeView, b: CompanyCodeView) => (a.companyCode < b.companyCode ? -1 : a.companyCode > b.companyCode ? 1 : 0)
const byArea = (a: SalesAreaView, b: SalesAreaView) => {
  const x = salesAreaKey(a.salesArea)
  const y = salesAreaKey(b.salesArea)
  return x < y ? -1 : x > y ? 1 : 0
}

const contactId = (n: number) => String(n).padStart(4, "0")

/** Removes keys whose value is `undefined` so records compare and serialise cleanly. */
const compact = <T extends object>(value: T): T => {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key]
    if (v !== undefined) out[key] = v
  }
  return out as T
}

/** Applies a patch: `null` clears a field, `undefined` leaves it. */
const applyPatch = <T extends object>(data: T, patch: Readonly<Record<string, unknown>>): T => {
  const out = { ...data } as Record<string, unknown>
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else if (v !== undefined) out[k] = v
  }
  return out as T
}

const dropSuppressed = <T extends object>(data: T, status: Readonly<Record<string, string | undefined>>): T =>
  Object.fromEntries(Object.entries(data).filter(([k]) => status[k] !== "suppressed")) as T


const blockOf = (actor: Actor.Actor, reason: string, at: string): Block => ({ reason, blockedBy: actor.userId, blockedAt: at })

const GeneralFields: ReadonlyArray<string> = GeneralData.keyof().options
const CompanyCodeFields: ReadonlyArray<string> = CompanyCodeData.keyof().options
const SalesAreaFields: ReadonlyArray<string> = SalesAreaData.keyof().options

// ---------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------

/** Builds the service from the customizing and the storage ports in context. */
export const make = Effect.gen(function* () {
  const customizing = yield* Current
  const store = yield* CustomerStore
  const documents = yield* ChangeDocumentStore
  const ranges = yield* NumberRangeStore
  const tx = yield* StoreTransaction
  const employees = yield* SalesEmployeeStore
  const keyMappings = yield* KeyMappingStore
  const tenant = customizing.tenant
  const messages = factory(customizing.messages)
  const numbers = yield* Numbers.make(ranges, tenant)
  const dataQuality = DuplicateCheck.configOf(customizing)
  // The same service `DuplicateCheck.layer` provides, built here so that the lifecycle needs only the storage ports.
  const duplicates = yield* DuplicateCheck.makeWith(dataQuality)

  /**
   * Standardises general data (`Standardisation.general`) and keeps its findings on `touched`
   * fields (all for a new record), as `Validation.general` does: a change of the phone number
   * does not report an old placeholder name.
   */
  const standardise = (general: GeneralData, touched: ReadonlySet<string> | "all") => {
    const result = Standardisation.general(dataQuality, messages, general)
    const kept = touched === "all" ? result.messages : result.messages.filter((m) => touched.has(m.path.split(".")[1] ?? ""))
    return { general: compact(result.data), messages: kept }
  }
  const lookups: Partners.Lookups = {
    customer: (number) => store.get(tenant, number, Actor.unrestricted),
    employee: (id) => employees.get(tenant, id)
  }
  const areaKeys = (views: ReadonlyArray<SalesAreaView>) => new Set(views.map((v) => salesAreaKey(v.salesArea)))

  /**
   * Checks the partners of `areas` (after filling the procedure's self functions there, for new
   * sales areas); fails (inside the transaction) on blocking findings.
   */
  const settlePartners = (
    record: CustomerRecord,
    before: CustomerRecord | undefined,
    areas: ReadonlySet<string>,
    acknowledged: ReadonlyArray<MessageId> | undefined,
    newAreas = true
  ) =>
    Effect.gen(function* () {
      const filled = newAreas ? Partners.withSelfPartners(customizing, record, areas) : record
      const found = yield* Partners.check(customizing, messages, lookups, filled, before, areas)
      const kept = yield* settle(found, acknowledged)
      return { record: filled, messages: kept }
    })

  const contextOf = (accountGroup: string) => {
    const ctx = Validation.context(customizing, accountGroup)
    return ctx === undefined
      ? Effect.fail(inputInvalid([{ path: "accountGroup", detail: `unknown account group "${accountGroup}"` }]))
      : Effect.succeed(ctx)
  }

  const record = (actor: Actor.Actor) => (c: CustomerRecord) => visibleTo(c, Actor.visibility(actor)) ?? c

  /** Reads the full record for a write, failing when it is missing or hidden from the actor. */
  const readForUpdate = (actor: Actor.Actor, number: string, version: number | undefined) =>
    Effect.gen(function* () {
      const found = yield* store.get(tenant, number, Actor.unrestricted)
      if (Option.isNone(found) || visibleTo(found.value, Actor.visibility(actor)) === undefined) {
        return yield* Effect.fail(new CustomerNotFound({ tenant, number }))
      }
      if (version !== undefined && found.value.version !== version) {
        return yield* Effect.fail(new VersionConflict({ number, expected: version, actual: found.value.version }))
      }
      return found.value
    })

  const visibleView = (actor: Actor.Actor, c: CustomerRecord, target: BlockTarget) => {
    const visibility = Actor.visibility(actor)
    if (target.scope === "companyCode") {
      const view = c.companyCodes.find((v) => v.companyCode === target.companyCode)
      return view !== undefined && Actor.canSeeGroup(visibility, view.authorizationGroup)
        ? requireCompanyCode(actor, target.companyCode)
        : Effect.fail(new ViewNotFound({ number: c.number, view: `companyCode:${target.companyCode}` }))
    }
    if (target.scope === "salesArea") {
      const key = salesAreaKey(target.salesArea)
      const view = c.salesAreas.find((v) => salesAreaKey(v.salesArea) === key)
      return view !== undefined && Actor.canSeeGroup(visibility, view.authorizationGroup)
        ? requireSalesOrganization(actor, target.salesArea.salesOrganization)
        : Effect.fail(new ViewNotFound({ number: c.number, view: `salesArea:${key}` }))
    }
    return Effect.void
  }

  /** Writes `after` over `before` with its change document, or nothing when nothing changed. */
  const commit = (actor: Actor.Actor, before: CustomerRecord, after: CustomerRecord, operation: Operation) =>
    Effect.gen(function* () {
      const items = diff(before, after)
      if (items.length === 0) return before
      const at = yield* now
      const next: CustomerRecord = { ...after, version: before.version + 1, changedBy: actor.userId, changedAt: at }
      yield* store.update(next, before.version)
      // Blocking keys come from the general data only: other changes leave the index as it is.
      if (items.some((i) => i.path.startsWith("general."))) yield* duplicates.index(next)
      yield* documents.append([
        { tenant, customerNumber: next.number, changeNumber: next.version, operation, changedBy: actor.userId, changedAt: at, items }
      ])
      return next
    })

  /**
   * Before the transaction: the number of a buffered range (reserved outside any transaction), or
   * the caller's external number. `undefined` means "draw gap-free inside the transaction".
   */
  const preassign = (accountGroup: string, given: string | undefined) => {
    const range = customizing.numberRanges[customizing.accountGroups[accountGroup]!.numberRange]!
    const rangeId = customizing.accountGroups[accountGroup]!.numberRange
    if (range.kind === "external") return Effect.succeed(given)
    return range.buffer === undefined ? Effect.succeed(undefined) : numbers.buffered(rangeId, { ...range, buffer: range.buffer })
  }

  /** Draws the number unless preassigned, inserts the record and its change document: the common end of both creates. */
  const insertNew = (
    actor: Actor.Actor,
    draft: Omit<CustomerRecord, "number" | "version" | "createdAt" | "createdBy" | "changedAt" | "changedBy" | "tenant">,
    preassigned: string | undefined,
    operation: Operation,
    acknowledged: ReadonlyArray<MessageId> | undefined
  ) =>
    Effect.gen(function* () {
      const rangeId = customizing.accountGroups[draft.accountGroup]!.numberRange
      const range = customizing.numberRanges[rangeId]!
      const number = preassigned ?? formatNumber(range, (yield* numbers.draw(rangeId, range)).first)
      const at = yield* now
      const settled = yield* settlePartners(
        { ...draft, tenant, number, version: 1, createdBy: actor.userId, createdAt: at, changedBy: actor.userId, changedAt: at },
        undefined,
        areaKeys(draft.salesAreas),
        acknowledged
      )
      const created = settled.record
      yield* store.insert(created)
      yield* duplicates.index(created)
      yield* documents.append([
        {
          tenant,
          customerNumber: number,
          changeNumber: 1,
          operation,
          changedBy: actor.userId,
          changedAt: at,
          items: diff(undefined, created)
        }
      ])
      return { created, messages: settled.messages }
    })

  /** Number checks before the transaction: given or not, in the interval, following the pattern. */
  const numberMessages = (ctx: Validation.Context, number: string | undefined, companyCodes: Array<string>, salesOrgs: Array<string>) => {
    const range = customizing.numberRanges[ctx.accountGroup.numberRange]!
    const out: Array<Message> = []
    const add = (m: Message | undefined) => m !== undefined && out.push(m)
    if (range.kind === "internal" && number !== undefined) add(messages.make("NUMBER_NOT_ALLOWED", "number", { accountGroup: ctx.accountGroupId }))
    if (range.kind === "external") {
      if (number === undefined) add(messages.make("NUMBER_REQUIRED", "number", { accountGroup: ctx.accountGroupId }))
      else out.push(...Validation.externalNumber(ctx, number, ctx.accountGroup.numberRange, range, { companyCodes, salesOrganizations: salesOrgs }))
    }
    return out
  }

  const newViewMessages = (
    ctx: Validation.Context,
    companyCodes: ReadonlyArray<CompanyCodeView>,
    salesAreas: ReadonlyArray<SalesAreaView>,
    touched: Validation.Touched
  ) => [
    ...companyCodes.flatMap((v) => Validation.companyCode(ctx, v, touched, `companyCodes.${v.companyCode}`)),
    ...salesAreas.flatMap((v) => Validation.salesArea(ctx, v, touched, `salesAreas.${salesAreaKey(v.salesArea)}`))
  ]

  const authorizeViews = (actor: Actor.Actor, general: GeneralData | undefined, companyCodes: ReadonlyArray<CompanyCodeView>, salesAreas: ReadonlyArray<SalesAreaView>) =>
    Effect.all([
      Effect.forEach(companyCodes, (v) => requireCompanyCode(actor, v.companyCode), { discard: true }),
      Effect.forEach(salesAreas, (v) => requireSalesOrganization(actor, v.salesArea.salesOrganization), { discard: true }),
      requireGroups(actor, [general?.authorizationGroup, ...companyCodes.map((v) => v.authorizationGroup), ...salesAreas.map((v) => v.authorizationGroup)])
    ], { discard: true })

  const companyCodeView = (input: object & { companyCode: string }): CompanyCodeView =>
    compact({ ...input, postingBlock: null, deletionFlag: false }) as CompanyCodeView
  const salesAreaView = (input: object & { salesArea: SalesAreaView["salesArea"] }): SalesAreaView =>
    compact({ ...input, orderBlock: null, deliveryBlock: null, billingBlock: null, deletionFlag: false }) as SalesAreaView

  /**
   * Everything a create checks before it writes: the draft record (general data standardised) and
   * the messages that did not block. `checkDuplicates` adds the duplicate check's findings
   * (`DUPLICATE_SUSPECTED`, `DUPLICATE_OUTSIDE_AUTHORIZATION`) with the installation's severities.
   */
  const prepareCreate = (actor: Actor.Actor, data: CreateCustomerInput, checkDuplicates = false) =>
    Effect.gen(function* () {
      const ctx = yield* contextOf(data.accountGroup)
      const standardised = standardise(compact(data.general), "all")
      const general = standardised.general
      const companyCodes = (data.companyCodes ?? []).map(companyCodeView).sort(byCode)
      const copied = (data.salesAreas ?? []).findIndex((v) => v.copyFrom !== undefined)
      if (copied >= 0) {
        return yield* Effect.fail(
          inputInvalid([{ path: `salesAreas.${copied}.copyFrom`, detail: "copyFrom is for extend: a new customer has no sales area to copy from" }])
        )
      }
      const salesAreas = (data.salesAreas ?? []).map(salesAreaView).sort(byArea)
      const contacts: Array<ContactPerson> = (data.contacts ?? []).map((c, i) => compact({ ...c, id: contactId(i + 1) }))
      yield* authorizeViews(actor, general, companyCodes, salesAreas)
      const all = [
        ...standardised.messages,
        ...numberMessages(ctx, data.number, companyCodes.map((v) => v.companyCode), salesAreas.map((v) => v.salesArea.salesOrganization)),
        ...Validation.general(ctx, general, "all"),
        ...Validation.views(ctx, {
          companyCodes: (data.companyCodes ?? []).map((v) => v.companyCode),
          salesAreas: (data.salesAreas ?? []).map((v) => v.salesArea)
        }),
        ...newViewMessages(ctx, companyCodes, salesAreas, "all"),
        ...contacts.flatMap((c, i) => Validation.contact(ctx, c, "all", `contacts.${i}`, general.country)),
        // One-time accounts are never indexed (one record serves many buyers): nothing to compare them with.
        ...(checkDuplicates && ctx.accountGroup.oneTime !== true ? yield* duplicates.findings({ actor, general, standardised: true }) : [])
      ]
      const messages = yield* settle(all, data.acknowledge)
      const draft = { accountGroup: data.accountGroup, general, companyCodes, salesAreas, contacts, centralBlock: null, deletionFlag: false }
      return { draft, messages }
    })

  const create: CustomersShape["create"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(CreateCustomerInput, input)
      yield* requireActivity(customizing, actor, "create")
      const { draft, messages: kept } = yield* prepareCreate(actor, data, true)
      const number = yield* preassign(data.accountGroup, data.number)
      const { created, messages: partnerMessages } = yield* tx.withTransaction(insertNew(actor, draft, number, "create", data.acknowledge))
      return { customer: record(actor)(created), messages: [...kept, ...partnerMessages] }
    })

  const createWithReference: CustomersShape["createWithReference"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(CreateWithReferenceInput, input)
      yield* requireActivity(customizing, actor, "create")
      const found = yield* store.get(tenant, data.reference, Actor.visibility(actor))
      if (Option.isNone(found)) return yield* Effect.fail(new CustomerNotFound({ tenant, number: data.reference }))
      const reference = found.value
      const accountGroup = data.accountGroup ?? reference.accountGroup
      const ctx = yield* contextOf(accountGroup)
      const status = ctx.accountGroup.fieldStatus

      const wantedCodes =
        data.copy?.companyCodes === "all" ? reference.companyCodes.map((v) => v.companyCode) : (data.copy?.companyCodes ?? [])
      const wantedAreas =
        data.copy?.salesAreas === "all" ? reference.salesAreas.map((v) => v.salesArea) : (data.copy?.salesAreas ?? [])
      const companyCodes: Array<CompanyCodeView> = []
      for (const code of wantedCodes) {
        const view = reference.companyCodes.find((v) => v.companyCode === code)
        if (view === undefined) return yield* Effect.fail(new ViewNotFound({ number: reference.number, view: `companyCode:${code}` }))
        companyCodes.push({ ...dropSuppressed(view, status.companyCode), postingBlock: null, deletionFlag: false })
      }
      const salesAreas: Array<SalesAreaView> = []
      for (const area of wantedAreas) {
        const key = salesAreaKey(area)
        const view = reference.salesAreas.find((v) => salesAreaKey(v.salesArea) === key)
        if (view === undefined) return yield* Effect.fail(new ViewNotFound({ number: reference.number, view: `salesArea:${key}` }))
        // Partners pointing to the reference itself would point to the wrong customer: the procedure's self functions are refilled for the copy.
        const partners = view.partners?.filter((p) => p.partner !== reference.number)
        salesAreas.push(
          compact({
            ...dropSuppressed(view, status.salesArea),
            partners: partners !== undefined && partners.length > 0 ? partners : undefined,
            orderBlock: null,
            deliveryBlock: null,
            billingBlock: null,
            deletionFlag: false
          })
        )
      }
      companyCodes.sort(byCode)
      salesAreas.sort(byArea)
      const overrides = data.general ?? {}
      const touched = new Set(Object.keys(overrides))
      const standardised = standardise(compact({ ...dropSuppressed(reference.general, status.general), ...overrides }) as GeneralData, touched)
      const general = standardised.general
      const contacts = data.copy?.contacts === true
        ? reference.contacts.map((c, i) => ({ ...dropSuppressed(c, status.contact), id: contactId(i + 1) }))
        : []
      yield* authorizeViews(actor, general, companyCodes, salesAreas)
      const all = [
        ...standardised.messages,
        ...numberMessages(ctx, data.number, companyCodes.map((v) => v.companyCode), salesAreas.map((v) => v.salesArea.salesOrganization)),
        ...Validation.general(ctx, general, touched),
        ...Validation.views(ctx, { companyCodes: wantedCodes, salesAreas: wantedAreas }),
        ...newViewMessages(ctx, companyCodes, salesAreas, new Set())
      ]
      const kept = yield* settle(all, data.acknowledge)
      const number = yield* preassign(accountGroup, data.number)
      const { created, messages: partnerMessages } = yield* tx.withTransaction(
        insertNew(
          actor,
          { accountGroup, general, companyCodes, salesAreas, contacts, centralBlock: null, deletionFlag: false },
          number,
          "createWithReference",
          data.acknowledge
        )
      )
      return { customer: record(actor)(created), messages: [...kept, ...partnerMessages] }
    })

  const extend: CustomersShape["extend"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ExtendInput, input)
      yield* requireActivity(customizing, actor, "change")
      const addedCodes = (data.companyCodes ?? []).map(companyCodeView)
      yield* authorizeViews(actor, undefined, addedCodes, (data.salesAreas ?? []).map(salesAreaView))
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.number, data.version)
          const addedAreas: Array<SalesAreaView> = []
          for (const input of data.salesAreas ?? []) {
            if (input.copyFrom === undefined) {
              addedAreas.push(salesAreaView(input))
              continue
            }
            const key = salesAreaKey(input.copyFrom)
            const source = before.salesAreas.find((v) => salesAreaKey(v.salesArea) === key)
            if (source === undefined || !Actor.canSeeGroup(Actor.visibility(actor), source.authorizationGroup)) {
              return yield* Effect.fail(new ViewNotFound({ number: before.number, view: `salesArea:${key}` }))
            }
            const { salesArea: _from, orderBlock: _o, deliveryBlock: _d, billingBlock: _b, deletionFlag: _f, ...copied } = source
            const { copyFrom: _c, ...given } = input
            addedAreas.push(salesAreaView({ ...copied, ...given }))
          }
          const ctx = yield* contextOf(before.accountGroup)
          const all = [
            ...Validation.views(
              ctx,
              { companyCodes: addedCodes.map((v) => v.companyCode), salesAreas: addedAreas.map((v) => v.salesArea) },
              { companyCodes: before.companyCodes.map((v) => v.companyCode), salesAreas: before.salesAreas.map((v) => v.salesArea) }
            ),
            ...newViewMessages(ctx, addedCodes, addedAreas, "all")
          ]
          const kept = yield* settle(all, data.acknowledge)
          const partners = yield* settlePartners(
            {
              ...before,
              companyCodes: [...before.companyCodes, ...addedCodes].sort(byCode),
              salesAreas: [...before.salesAreas, ...addedAreas].sort(byArea)
            },
            before,
            areaKeys(addedAreas),
            data.acknowledge
          )
          const written = yield* commit(actor, before, partners.record, "extend")
          return { customer: record(actor)(written), messages: [...kept, ...partners.messages] }
        })
      )
    })

  const change: CustomersShape["change"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ChangeCustomerInput, input)
      yield* requireActivity(customizing, actor, "change")
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.number, data.version)
          const ctx = yield* contextOf(before.accountGroup)
          const visibility = Actor.visibility(actor)
          const all: Array<Message> = []

          const generalPatch = data.general ?? {}
          let general = applyPatch(before.general, generalPatch)
          if (data.general !== undefined) {
            yield* requireGroups(actor, [generalPatch.authorizationGroup])
            const touched = new Set(Object.keys(generalPatch))
            // Only the fields the change touches take the standardised value: untouched ones stay as stored.
            const standardised = standardise(general, touched)
            general = compact({
              ...general,
              ...Object.fromEntries([...touched].map((field) => [field, (standardised.general as Record<string, unknown>)[field]]))
            }) as GeneralData
            all.push(...standardised.messages, ...Validation.general(ctx, general, touched))
          }

          const companyCodes = [...before.companyCodes]
          for (const [code, patch] of Object.entries(data.companyCodes ?? {})) {
            const index = companyCodes.findIndex((v) => v.companyCode === code)
            const view = companyCodes[index]
            if (view === undefined || !Actor.canSeeGroup(visibility, view.authorizationGroup)) {
              return yield* Effect.fail(new ViewNotFound({ number: before.number, view: `companyCode:${code}` }))
            }
            yield* requireCompanyCode(actor, code)
            yield* requireGroups(actor, [patch.authorizationGroup])
            const next = applyPatch(view, patch)
            all.push(...Validation.companyCode(ctx, next, new Set(Object.keys(patch)), `companyCodes.${code}`))
            companyCodes[index] = next
          }

          const salesAreas = [...before.salesAreas]
          const partnerAreas = new Set<string>()
          for (const [key, patch] of Object.entries(data.salesAreas ?? {})) {
            const index = salesAreas.findIndex((v) => salesAreaKey(v.salesArea) === key)
            const view = salesAreas[index]
            if (view === undefined || !Actor.canSeeGroup(visibility, view.authorizationGroup)) {
              return yield* Effect.fail(new ViewNotFound({ number: before.number, view: `salesArea:${key}` }))
            }
            yield* requireSalesOrganization(actor, view.salesArea.salesOrganization)
            yield* requireGroups(actor, [patch.authorizationGroup])
            const { partners, ...fields } = patch
            const next = applyPatch(view, fields)
            if (partners !== undefined) {
              if (partners.length > 0) next.partners = partners
              else delete next.partners
              partnerAreas.add(key)
            }
            all.push(...Validation.salesArea(ctx, next, new Set(Object.keys(fields)), `salesAreas.${key}`))
            salesAreas[index] = next
          }

          let contacts = [...before.contacts]
          const contactPatch = data.contacts
          if (contactPatch !== undefined) {
            for (const id of contactPatch.remove ?? []) {
              if (!contacts.some((c) => c.id === id)) return yield* Effect.fail(inputInvalid([{ path: `contacts.remove`, detail: `no contact person ${id}` }]))
              contacts = contacts.filter((c) => c.id !== id)
            }
            for (const [id, patch] of Object.entries(contactPatch.change ?? {})) {
              const index = contacts.findIndex((c) => c.id === id)
              if (index < 0) return yield* Effect.fail(inputInvalid([{ path: `contacts.change.${id}`, detail: `no contact person ${id}` }]))
              const next = applyPatch(contacts[index]!, patch)
              all.push(...Validation.contact(ctx, next, new Set(Object.keys(patch)), `contacts.${id}`, general.country))
              contacts[index] = next
            }
            let nextId = before.contacts.reduce((max, c) => Math.max(max, Number(c.id)), 0)
            for (const [i, added] of (contactPatch.add ?? []).entries()) {
              const person = compact({ ...added, id: contactId(++nextId) })
              all.push(...Validation.contact(ctx, person, "all", `contacts.add.${i}`, general.country))
              contacts.push(person)
            }
          }

          const kept = yield* settle(all, data.acknowledge)
          const after = { ...before, general, companyCodes, salesAreas, contacts }
          const partners = partnerAreas.size === 0 ? { record: after, messages: [] } : yield* settlePartners(after, before, partnerAreas, data.acknowledge, false)
          const written = yield* commit(actor, before, partners.record, "change")
          return { customer: record(actor)(written), messages: [...kept, ...partners.messages] }
        })
      )
    })

  const display: CustomersShape["display"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(DisplayInput, input)
      yield* requireActivity(customizing, actor, "display")
      const found = yield* store.get(tenant, data.number, Actor.visibility(actor))
      return yield* Option.match(found, {
        onNone: () => Effect.fail(new CustomerNotFound({ tenant, number: data.number })),
        onSome: Effect.succeed
      })
    })

  const list: CustomersShape["list"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ListInput, input)
      yield* requireActivity(customizing, actor, "display")
      const after = yield* cursor.decode(data.cursor, "after", "string")
      const limit = data.limit ?? 50
      const rows = yield* store.list({
        tenant,
        visibility: Actor.visibility(actor),
        accountGroup: data.accountGroup,
        companyCode: data.companyCode,
        salesArea: data.salesArea,
        after: Option.getOrUndefined(after),
        limit: limit + 1
      })
      const items = rows.slice(0, limit)
      const last = items.at(-1)
      return rows.length > limit && last !== undefined ? { items, nextCursor: cursor.encode({ after: last.number }) } : { items }
    })

  /** Shared by block, unblock and the deletion flags: authorize, read, modify, commit. */
  const update = <I extends { number: string; version?: number | undefined; target?: BlockTarget | undefined }>(
    schema: z.ZodType<I>,
    activity: Actor.Activity,
    operation: Operation,
    modify: (c: CustomerRecord, data: I, actor: Actor.Actor, at: string) => CustomerRecord
  ) =>
  (input: I & WithActor) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(schema, input)
      yield* requireActivity(customizing, actor, activity)
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.number, data.version)
          yield* visibleView(actor, before, data.target ?? { scope: "central" })
          const at = yield* now
          const written = yield* commit(actor, before, modify(before, data, actor, at), operation)
          return { customer: record(actor)(written), messages: [] as ReadonlyArray<Message> }
        })
      )
    })

  const setBlocks = (c: CustomerRecord, target: BlockTarget, value: (current: Block | null) => Block | null): CustomerRecord => {
    switch (target.scope) {
      case "central":
        return { ...c, centralBlock: value(c.centralBlock) }
      case "companyCode":
        return {
          ...c,
          companyCodes: c.companyCodes.map((v) => (v.companyCode === target.companyCode ? { ...v, postingBlock: value(v.postingBlock) } : v))
        }
      case "salesArea": {
        const key = salesAreaKey(target.salesArea)
        const kinds = target.blocks ?? ["order", "delivery", "billing"]
        return {
          ...c,
          salesAreas: c.salesAreas.map((v) =>
            salesAreaKey(v.salesArea) !== key
              ? v
              : {
                  ...v,
                  orderBlock: kinds.includes("order") ? value(v.orderBlock) : v.orderBlock,
                  deliveryBlock: kinds.includes("delivery") ? value(v.deliveryBlock) : v.deliveryBlock,
                  billingBlock: kinds.includes("billing") ? value(v.billingBlock) : v.billingBlock
                }
          )
        }
      }
    }
  }

  const setDeletion = (c: CustomerRecord, target: BlockTarget | undefined, flag: boolean): CustomerRecord => {
    const t = target ?? { scope: "central" as const }
    switch (t.scope) {
      case "central":
        return { ...c, deletionFlag: flag }
      case "companyCode":
        return { ...c, companyCodes: c.companyCodes.map((v) => (v.companyCode === t.companyCode ? { ...v, deletionFlag: flag } : v)) }
      case "salesArea": {
        const key = salesAreaKey(t.salesArea)
        return { ...c, salesAreas: c.salesAreas.map((v) => (salesAreaKey(v.salesArea) === key ? { ...v, deletionFlag: flag } : v)) }
      }
    }
  }

  const changeDocuments: CustomersShape["changeDocuments"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ChangeDocumentsInput, input)
      yield* requireActivity(customizing, actor, "display")
      const visibility = Actor.visibility(actor)
      const found = yield* store.get(tenant, data.number, visibility)
      if (Option.isNone(found)) return yield* Effect.fail(new CustomerNotFound({ tenant, number: data.number }))
      const before = yield* cursor.decode(data.cursor, "before", "number")
      const limit = data.limit ?? 50
      const rows = yield* documents.list({
        tenant,
        customerNumber: data.number,
        visibility,
        before: Option.getOrUndefined(before),
        limit: limit + 1
      })
      const items = rows.slice(0, limit)
      const last = items.at(-1)
      return rows.length > limit && last !== undefined ? { items, nextCursor: cursor.encode({ before: last.changeNumber }) } : { items }
    })

  // -------------------------------------------------------------------------------------------
  // Bulk import
  // -------------------------------------------------------------------------------------------

  /** What a failed record reports: its blocking messages, or the refusal as a message. */
  const failureMessages = (error: { readonly _tag: string }): ReadonlyArray<Message> => {
    const make = (id: MessageId, params: Record<string, string>) => messages.make(id, "(record)", params)!
    switch (error._tag) {
      case "ValidationFailed":
        return (error as ValidationFailed).messages
      case "NotAuthorized":
        return [make("RECORD_NOT_AUTHORIZED", { detail: (error as NotAuthorized).detail })]
      case "CustomerNumberTaken":
        return [{ ...make("NUMBER_TAKEN", { value: (error as CustomerNumberTaken).number }), path: "number" }]
      case "NumberRangeExhausted":
        return [make("NUMBER_RANGE_EXHAUSTED", { range: (error as NumberRangeExhausted).range })]
      default:
        return [make("INPUT_INVALID", { detail: String((error as { message?: string }).message ?? error._tag) })]
    }
  }

  /** A patch that makes `current` equal to `desired` on `fields`; empty when they are equal. */
  const patchTo = (current: object, desired: object, fields: ReadonlyArray<string>): Record<string, unknown> => {
    const patch: Record<string, unknown> = {}
    for (const field of fields) {
      const was = (current as Record<string, unknown>)[field]
      const want = (desired as Record<string, unknown>)[field]
      if (JSON.stringify(was) !== JSON.stringify(want)) patch[field] = want ?? null
    }
    return patch
  }

  /** Brings an imported customer in line with a later run's record; `false` when nothing differed. */
  const updateFrom = (actor: Actor.Actor, number: string, data: CreateCustomerInput) =>
    Effect.gen(function* () {
      const found = yield* store.get(tenant, number, Actor.unrestricted)
      if (Option.isNone(found)) return yield* Effect.fail(new CustomerNotFound({ tenant, number }))
      const current = found.value
      // Compared in standardised form: a source that writes "+49 89 1234567" for a stored "+49891234567" changes nothing.
      const general = patchTo(current.general, standardise(compact(data.general), "all").general, GeneralFields)
      const companyCodes: Record<string, Record<string, unknown>> = {}
      const newCodes: Array<CompanyCodeViewInput> = []
      for (const view of data.companyCodes ?? []) {
        const existing = current.companyCodes.find((v) => v.companyCode === view.companyCode)
        if (existing === undefined) newCodes.push(view)
        else {
          const patch = patchTo(existing, compact(view), CompanyCodeFields)
          if (Object.keys(patch).length > 0) companyCodes[view.companyCode] = patch
        }
      }
      const salesAreas: Record<string, Record<string, unknown>> = {}
      const newAreas: Array<SalesAreaViewInput> = []
      for (const view of data.salesAreas ?? []) {
        const key = salesAreaKey(view.salesArea)
        const existing = current.salesAreas.find((v) => salesAreaKey(v.salesArea) === key)
        if (existing === undefined) newAreas.push(view)
        else {
          const patch = patchTo(existing, compact(view), view.partners === undefined ? SalesAreaFields : [...SalesAreaFields, "partners"])
          if (Object.keys(patch).length > 0) salesAreas[key] = patch
        }
      }
      const changes = Object.keys(general).length + Object.keys(companyCodes).length + Object.keys(salesAreas).length
      if (changes === 0 && newCodes.length === 0 && newAreas.length === 0) return false
      const acknowledge = data.acknowledge === undefined ? {} : { acknowledge: data.acknowledge }
      if (changes > 0) {
        yield* change({
          actor,
          number,
          version: current.version,
          ...(Object.keys(general).length > 0 ? { general } : {}),
          ...(Object.keys(companyCodes).length > 0 ? { companyCodes } : {}),
          ...(Object.keys(salesAreas).length > 0 ? { salesAreas } : {}),
          ...acknowledge
        } as ChangeCustomerInput & WithActor)
      }
      if (newCodes.length > 0 || newAreas.length > 0) {
        yield* extend({ actor, number, companyCodes: newCodes, salesAreas: newAreas, ...acknowledge })
      }
      return true
    })

  interface Ready {
    readonly position: number
    readonly key: string
    readonly data: CreateCustomerInput
    readonly draft: Omit<CustomerRecord, "number" | "version" | "createdAt" | "createdBy" | "changedAt" | "changedBy" | "tenant">
    /** With self partners filled, still under the placeholder number. */
    readonly record: CustomerRecord
    readonly preassigned: string | undefined
  }

  // Stands for the number of a record that has none yet, while its partners are checked.
  const placeholder = "\u0000new"

  const importBatch = (
    actor: Actor.Actor,
    settings: z.infer<typeof ImportSettings>,
    items: ReadonlyArray<{ readonly position: number; readonly raw: unknown }>,
    fail: (failure: ImportFailure) => void,
    count: (outcome: "created" | "updated" | "skipped", n?: number) => void
  ) =>
    Effect.gen(function* () {
      const parsed: Array<{ position: number; key: string; data: CreateCustomerInput }> = []
      const seen = new Set<string>()
      for (const { position, raw } of items) {
        const rawKey = typeof raw === "object" && raw !== null ? (raw as { key?: unknown }).key : undefined
        const key = typeof rawKey === "string" ? rawKey : undefined
        const result = ImportRecord.safeParse(raw)
        if (!result.success) {
          fail({ position, key, messages: inputInvalid(result.error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(record)", detail: i.message }))).messages })
          continue
        }
        const { key: recordKey, ...data } = result.data
        if (seen.has(recordKey)) {
          fail({ position, key: recordKey, messages: [messages.make("IMPORT_KEY_REPEATED", "key", { key: recordKey })!] })
          continue
        }
        seen.add(recordKey)
        parsed.push({ position, key: recordKey, data })
      }

      const existing = yield* keyMappings.find(tenant, settings.system, parsed.map((p) => p.key))
      const ready: Array<Ready> = []
      for (const p of parsed) {
        const number = existing.get(p.key)
        if (number !== undefined) {
          if (settings.onExisting === "skip") count("skipped")
          else {
            const outcome = yield* Effect.either(updateFrom(actor, number, p.data))
            if (Either.isLeft(outcome)) {
              if (outcome.left._tag === "StorageError") return yield* Effect.fail(outcome.left)
              fail({ position: p.position, key: p.key, messages: failureMessages(outcome.left) })
            } else count(outcome.right ? "updated" : "skipped")
          }
          continue
        }
        const checked = yield* Effect.either(
          Effect.gen(function* () {
            const { draft } = yield* prepareCreate(actor, p.data)
            const provisional: CustomerRecord = { ...draft, tenant, number: placeholder, version: 1, createdBy: actor.userId, createdAt: "", changedBy: actor.userId, changedAt: "" }
            const { record } = yield* settlePartners(provisional, undefined, areaKeys(draft.salesAreas), p.data.acknowledge)
            const preassigned = yield* preassign(p.data.accountGroup, p.data.number)
            return { ...p, draft, record, preassigned }
          })
        )
        if (Either.isLeft(checked)) {
          if (checked.left._tag === "StorageError") return yield* Effect.fail(checked.left)
          fail({ position: p.position, key: p.key, messages: failureMessages(checked.left) })
        } else ready.push(checked.right)
      }
      if (ready.length === 0) return

      // One transaction for the batch: gap-free numbers drawn as one block per range.
      const writeBatch = tx.withTransaction(
        Effect.gen(function* () {
          const at = yield* now
          const wanted = new Map<string, number>()
          for (const r of ready) {
            if (r.preassigned === undefined) {
              const rangeId = customizing.accountGroups[r.data.accountGroup]!.numberRange
              wanted.set(rangeId, (wanted.get(rangeId) ?? 0) + 1)
            }
          }
          const next = new Map<string, number>()
          for (const [rangeId, n] of wanted) {
            const range = customizing.numberRanges[rangeId]!
            const drawn = yield* numbers.draw(rangeId, range, n)
            if (drawn.last - drawn.first + 1 < n) {
              return yield* Effect.fail(new NumberRangeExhausted({ tenant, range: rangeId, last: formatNumber(range, drawn.last) }))
            }
            next.set(rangeId, drawn.first)
          }
          const records = ready.map((r): CustomerRecord => {
            let number = r.preassigned
            if (number === undefined) {
              const rangeId = customizing.accountGroups[r.data.accountGroup]!.numberRange
              const position = next.get(rangeId)!
              next.set(rangeId, position + 1)
              number = formatNumber(customizing.numberRanges[rangeId]!, position)
            }
            const final = number
            return {
              ...r.record,
              number: final,
              createdAt: at,
              changedAt: at,
              salesAreas: r.record.salesAreas.map((v) =>
                v.partners === undefined ? v : { ...v, partners: v.partners.map((x) => (x.partner === placeholder ? { ...x, partner: final } : x)) }
              )
            }
          })
          yield* store.insertMany(records)
          yield* duplicates.indexMany(records)
          yield* documents.append(
            records.map((c) => ({ tenant, customerNumber: c.number, changeNumber: 1, operation: "create" as const, changedBy: actor.userId, changedAt: at, items: diff(undefined, c) }))
          )
          yield* keyMappings.put(tenant, settings.system, records.map((c, i) => ({ key: ready[i]!.key, number: c.number })))
          return records.length
        })
      )
      const written = yield* Effect.either(writeBatch)
      if (Either.isRight(written)) return count("created", written.right)
      if (written.left._tag === "StorageError") return yield* Effect.fail(written.left)
      // A conflict somewhere in the batch (a taken external number, the end of a range): find it record by record.
      for (const r of ready) {
        const one = yield* Effect.either(
          tx.withTransaction(
            Effect.gen(function* () {
              const { created } = yield* insertNew(actor, r.draft, r.preassigned, "create", r.data.acknowledge)
              yield* keyMappings.put(tenant, settings.system, [{ key: r.key, number: created.number }])
            })
          )
        )
        if (Either.isRight(one)) count("created")
        else if (one.left._tag === "StorageError") return yield* Effect.fail(one.left)
        else fail({ position: r.position, key: r.key, messages: failureMessages(one.left) })
      }
    })

  const importCustomers: CustomersShape["importCustomers"] = (options) =>
    Effect.gen(function* () {
      const { actor, data: settings } = yield* parse(
        ImportSettings,
        compact({
          actor: options.actor,
          system: options.system,
          batchSize: options.batchSize,
          onExisting: options.onExisting,
          keepFailures: options.keepFailures
        })
      )
      yield* requireActivity(customizing, actor, "create")
      if (settings.onExisting === "update") yield* requireActivity(customizing, actor, "change")
      const progress = { read: 0, created: 0, updated: 0, skipped: 0, failed: 0 }
      const failures: Array<ImportFailure> = []
      let failuresNotKept = 0
      const fail = (failure: ImportFailure) => {
        progress.failed += 1
        options.onFailure?.(failure)
        if (failures.length < settings.keepFailures) failures.push(failure)
        else failuresNotKept += 1
      }
      const count = (outcome: "created" | "updated" | "skipped", n = 1) => {
        progress[outcome] += n
      }
      const source = options.source
      const iterable: AsyncIterable<unknown> =
        Symbol.asyncIterator in source
          ? (source as AsyncIterable<unknown>)
          : (async function* () {
              yield* source as Iterable<unknown>
            })()
      yield* Stream.fromAsyncIterable(iterable, (cause) => new ImportSourceFailed({ position: progress.read, cause })).pipe(
        Stream.grouped(settings.batchSize),
        Stream.runForEach((chunk) =>
          Effect.gen(function* () {
            const items = Chunk.toReadonlyArray(chunk).map((raw) => {
              progress.read += 1
              return { position: progress.read, raw }
            })
            yield* importBatch(actor, settings, items, fail, count)
            options.onProgress?.({ ...progress })
          })
        )
      )
      return { ...progress, failures, failuresNotKept }
    })

  return Customers.of({
    create,
    createWithReference,
    extend,
    change,
    display,
    list,
    block: update(BlockInput, "block", "block", (c, data, actor, at) =>
      setBlocks(c, data.target, (current) =>
        current !== null && current.reason === data.reason ? current : blockOf(actor, data.reason, at)
      )
    ),
    unblock: update(UnblockInput, "block", "unblock", (c, data) => setBlocks(c, data.target, () => null)),
    setDeletionFlag: update(DeletionFlagInput, "delete", "setDeletionFlag", (c, data) => setDeletion(c, data.target, true)),
    clearDeletionFlag: update(DeletionFlagInput, "delete", "clearDeletionFlag", (c, data) => setDeletion(c, data.target, false)),
    changeDocuments,
    importCustomers
  })
})

/** The service, from `Customizing.Current` and a store's ports. */
export const layer: Layer.Layer<
  Customers,
  never,
  Current | CustomerStore | ChangeDocumentStore | NumberRangeStore | SalesEmployeeStore | KeyMappingStore | MatchIndexStore | StoreTransaction
> = Layer.effect(Customers, make)
