/**
 * Accounts as an Effect service: prospects (create, change, read, list), the conversion of a
 * prospect into a customer through core's `Customers.create`, ownership (owner, team, territory),
 * the list of owned accounts, and contact preferences. Every operation takes an `actor`; reads
 * and writes see only accounts the actor may see (core's authorization group AND the CRM rule of
 * `CrmConfig`), and a hidden account is `AccountNotFound`, exactly like a missing one.
 *
 * Activities: `create` for creating and converting prospects (conversion also needs what
 * `Customers.create` needs), `change` for changing prospects, ownership and preferences,
 * `display` for reads.
 *
 * A conversion is one transaction: the customer (number drawn from the account group's range,
 * validated, with its create change document), its ownership (the prospect's owner, team and
 * territory), the prospect marked `converted` with the customer number, and the prospect's
 * activities and opportunities linked to the customer. When any step fails, nothing is written.
 *
 * @example
 * ```ts
 * import { Actor } from "@partnerkit/core"
 * import { Accounts } from "@partnerkit/crm"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const accounts = yield* Accounts.Accounts
 *   const actor = Actor.superUser("acme", "li.na")
 *   const prospect = yield* accounts.createProspect({
 *     actor,
 *     prospect: { name: "Nordlicht Logistik GmbH", street: "Kai 3", postalCode: "20457", city: "Hamburg", country: "DE" }
 *   })
 *   const { customer } = yield* accounts.convertProspect({ actor, id: prospect.id, accountGroup: "0001" })
 *   return customer.number
 * })
 * ```
 * @module
 */
import { Customer, CustomerStore, Customers, Errors, Messages, StoreTransaction } from "@partnerkit/core"
import { Context, Effect, Layer, Option } from "effect"
import { z } from "zod"
import { AccountOwnershipStore } from "./AccountOwnershipStore.js"
import { ActivityStore } from "./ActivityStore.js"
import type * as ContactPreference from "./ContactPreference.js"
import { ContactPreferencesInput, SetContactPreferenceInput } from "./ContactPreference.js"
import { ContactPreferenceStore } from "./ContactPreferenceStore.js"
import { AccountNotFound, ProspectAlreadyConverted } from "./CrmErrors.js"
import * as Access from "./internal/access.js"
import {
  compact,
  decodeAfter,
  encodeCursor,
  inputInvalid,
  newId,
  now,
  type Page,
  pageOf,
  parse,
  requireActivity,
  requireGroup,
  type WithActor
} from "./internal/service.js"
import { OpportunityStore } from "./OpportunityStore.js"
import { inScope, type Ownership } from "./Ownership.js"
import {
  ChangeProspectInput,
  CreateProspectInput,
  GetProspectInput,
  ListProspectsInput,
  type Prospect,
  type ProspectContact,
  type ProspectContactData
} from "./Prospect.js"
import { ProspectStore } from "./ProspectStore.js"
import { ReadConcurrency } from "./ReadConcurrency.js"

export type { Page, WithActor } from "./internal/service.js"

const code = (max: number) => z.string().trim().min(1).max(max)

export const ConvertProspectInput = z
  .object({
    id: code(24),
    /** The version you read; omit to convert whatever is current. */
    version: z.number().int().positive().optional(),
    /** The account group of the new customer: its number range, field status and checks apply. */
    accountGroup: code(4),
    /** Only for account groups with external numbering. */
    number: code(16).optional(),
    /** Values that replace or add to the general data taken from the prospect. */
    general: Customer.GeneralData.partial().strict().optional(),
    companyCodes: z.array(Customer.CompanyCodeViewInput).optional(),
    salesAreas: z.array(Customer.SalesAreaViewInput).optional(),
    /** Warning ids the caller has seen and accepts (as for `Customers.create`). */
    acknowledge: z.array(Messages.MessageId).optional()
  })
  .strict()
export type ConvertProspectInput = z.input<typeof ConvertProspectInput>

export const AssignOwnerInput = z
  .object({
    customerNumber: code(16),
    /** The current ownership's version; omit to replace whatever is current. */
    version: z.number().int().positive().optional(),
    owner: code(64),
    /** A team of `CrmConfig.teams`; `null` or absent: none. */
    team: code(20).nullable().optional(),
    /** A territory of `CrmConfig.territories`; `null` or absent: none. */
    territory: code(20).nullable().optional()
  })
  .strict()
export type AssignOwnerInput = z.input<typeof AssignOwnerInput>

export const ListAccountsInput = z
  .object({
    owner: code(64).optional(),
    team: code(20).optional(),
    territory: code(20).optional(),
    cursor: z.string().optional(),
    /** Default 50. */
    limit: z.number().int().min(1).max(500).optional()
  })
  .strict()
export type ListAccountsInput = z.input<typeof ListAccountsInput>

export const GetAccountInput = z.object({ customerNumber: code(16) }).strict()
export type GetAccountInput = z.input<typeof GetAccountInput>

/** A customer account: the record as the actor may see it, and its ownership (absent when it has none). */
export interface Account {
  readonly customer: Customer.CustomerRecord
  readonly ownership?: Ownership | undefined
}

/** What a conversion returns. */
export interface Conversion {
  /** The new customer, as the actor may see it. */
  readonly customer: Customer.CustomerRecord
  /** Messages of `Customers.create` that did not block. */
  readonly messages: ReadonlyArray<Messages.Message>
  /** The prospect, now `converted` and linked to the customer. */
  readonly prospect: Prospect
  readonly ownership: Ownership
  /** How many of the prospect's activities now belong to the customer. */
  readonly activitiesMoved: number
  /** How many of the prospect's opportunities now belong to the customer. */
  readonly opportunitiesMoved: number
}

export type Common = Errors.NotAuthorized | Errors.ValidationFailed | Errors.StorageError
export type ReadError = Common | AccountNotFound
export type WriteError = ReadError | Errors.VersionConflict
export type ConvertError = WriteError | ProspectAlreadyConverted | Customers.CreateError

export interface AccountsShape {
  /** Creates a prospect owned by `owner` (default: the actor). */
  readonly createProspect: (input: z.input<typeof CreateProspectInput> & WithActor) => Effect.Effect<Prospect, Common>
  /** Changes an open prospect's data; `version` must be the current one. */
  readonly changeProspect: (
    input: z.input<typeof ChangeProspectInput> & WithActor
  ) => Effect.Effect<Prospect, WriteError | ProspectAlreadyConverted>
  readonly getProspect: (input: z.input<typeof GetProspectInput> & WithActor) => Effect.Effect<Prospect, ReadError>
  /** Prospects the actor may see, ascending by id. */
  readonly listProspects: (input: z.input<typeof ListProspectsInput> & WithActor) => Effect.Effect<Page<Prospect>, Common>
  /** Turns a prospect into a customer of `accountGroup` through `Customers.create`, in one transaction. */
  readonly convertProspect: (input: ConvertProspectInput & WithActor) => Effect.Effect<Conversion, ConvertError>
  /**
   * Sets the owner, team and territory of a customer account. An account that has an ownership
   * must be in the actor's CRM scope; one without may be claimed by any actor who may see the
   * customer and change.
   */
  readonly assignOwner: (input: AssignOwnerInput & WithActor) => Effect.Effect<Ownership, WriteError>
  /** The customer account as the actor may see it. */
  readonly getAccount: (input: GetAccountInput & WithActor) => Effect.Effect<Account, ReadError>
  /** Owned accounts the actor may see, ascending by customer number, filtered by owner / team / territory. */
  readonly listAccounts: (input: ListAccountsInput & WithActor) => Effect.Effect<Page<Account>, Common>
  /** Records the consent for one channel of the account or of one of its contact persons. */
  readonly setContactPreference: (
    input: SetContactPreferenceInput & WithActor
  ) => Effect.Effect<ContactPreference.ContactPreference, ReadError>
  /** Every contact preference of the account (account first, then by contact, each by channel). */
  readonly contactPreferences: (
    input: ContactPreferencesInput & WithActor
  ) => Effect.Effect<ReadonlyArray<ContactPreference.ContactPreference>, ReadError>
}

/** The accounts service. */
export class Accounts extends Context.Tag("@partnerkit/crm/Accounts")<Accounts, AccountsShape>() {}

const contactIds = (contacts: ReadonlyArray<ProspectContactData>): Array<ProspectContact> =>
  contacts.map((c, i) => ({ ...compact(c), id: String(i + 1).padStart(4, "0") }))

const requireKnown = (kind: "team" | "territory", value: string | null | undefined, known: Readonly<Record<string, unknown>>) =>
  value === undefined || value === null || Object.hasOwn(known, value)
    ? Effect.void
    : Effect.fail(inputInvalid([{ path: kind, detail: `unknown ${kind} "${value}" (not in the CRM configuration)` }]))

/** Builds the service from the customizing, the CRM configuration, core's `Customers` and the store's ports. */
export const make = Effect.gen(function* () {
  const access = yield* Access.make
  const customers = yield* Customers.Customers
  const customerStore = yield* CustomerStore
  const concurrency = yield* ReadConcurrency
  const prospects = yield* ProspectStore
  const owners = yield* AccountOwnershipStore
  const activities = yield* ActivityStore
  const opportunities = yield* OpportunityStore
  const preferences = yield* ContactPreferenceStore
  const tx = yield* StoreTransaction
  const { tenant, config } = access

  const createProspect: AccountsShape["createProspect"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(CreateProspectInput, input)
      yield* requireActivity(tenant, actor, "create")
      yield* requireGroup(actor, data.prospect.authorizationGroup)
      yield* requireKnown("team", data.team, config.teams)
      yield* requireKnown("territory", data.territory, config.territories)
      const at = yield* now
      const { contacts, ...rest } = data.prospect
      const prospect: Prospect = compact({
        ...compact(rest),
        tenant,
        id: yield* newId("P"),
        contacts: contactIds(contacts ?? []),
        owner: data.owner ?? actor.userId,
        team: data.team,
        territory: data.territory,
        status: "open" as const,
        version: 1,
        createdBy: actor.userId,
        createdAt: at,
        changedBy: actor.userId,
        changedAt: at
      })
      yield* prospects.put(prospect, null).pipe(Effect.catchTag("VersionConflict", (e) => Effect.die(e)))
      return prospect
    })

  const getProspect: AccountsShape["getProspect"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(GetProspectInput, input)
      yield* requireActivity(tenant, actor, "display")
      return (yield* access.prospectAccount(actor, data.id)).prospect
    })

  const changeProspect: AccountsShape["changeProspect"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ChangeProspectInput, input)
      yield* requireActivity(tenant, actor, "change")
      yield* requireGroup(actor, data.prospect.authorizationGroup)
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const { prospect } = yield* access.prospectAccount(actor, data.id)
          if (prospect.status === "converted") {
            return yield* Effect.fail(new ProspectAlreadyConverted({ id: prospect.id, customerNumber: prospect.convertedTo ?? "" }))
          }
          if (prospect.version !== data.version) {
            return yield* Effect.fail(new Errors.VersionConflict({ number: prospect.id, expected: data.version, actual: prospect.version }))
          }
          const { contacts, ...rest } = data.prospect
          const next: Prospect = compact({
            ...prospect,
            ...compact(rest),
            contacts: contacts === undefined ? prospect.contacts : contactIds(contacts),
            version: prospect.version + 1,
            changedBy: actor.userId,
            changedAt: yield* now
          })
          yield* prospects.put(next, prospect.version)
          return next
        })
      )
    })

  const listProspects: AccountsShape["listProspects"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ListProspectsInput, input)
      yield* requireActivity(tenant, actor, "display")
      const after = yield* decodeAfter(data.cursor)
      const limit = data.limit ?? 50
      const rows = yield* prospects.list({
        tenant,
        visibility: access.visibility(actor),
        status: data.status,
        owner: data.owner,
        after: Option.getOrUndefined(after),
        limit: limit + 1
      })
      return pageOf(rows, limit, (l) => ({ after: l.id }))
    })

  const convertProspect: AccountsShape["convertProspect"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ConvertProspectInput, input)
      yield* requireActivity(tenant, actor, "create")
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const { prospect } = yield* access.prospectAccount(actor, data.id)
          if (prospect.status === "converted") {
            return yield* Effect.fail(new ProspectAlreadyConverted({ id: prospect.id, customerNumber: prospect.convertedTo ?? "" }))
          }
          if (data.version !== undefined && prospect.version !== data.version) {
            return yield* Effect.fail(new Errors.VersionConflict({ number: prospect.id, expected: data.version, actual: prospect.version }))
          }
          const general: Customer.GeneralData = compact({
            name: prospect.name,
            name2: prospect.name2,
            street: prospect.street,
            houseNumber: prospect.houseNumber,
            postalCode: prospect.postalCode,
            city: prospect.city,
            region: prospect.region,
            country: prospect.country,
            language: prospect.language,
            phone: prospect.phone,
            email: prospect.email,
            industry: prospect.industry,
            authorizationGroup: prospect.authorizationGroup,
            ...compact(data.general ?? {})
          })
          const created = yield* customers.create({
            actor,
            accountGroup: data.accountGroup,
            number: data.number,
            general,
            companyCodes: data.companyCodes,
            salesAreas: data.salesAreas,
            contacts: prospect.contacts.map(({ id: _id, ...contact }) => contact),
            acknowledge: data.acknowledge
          })
          const at = yield* now
          const customerNumber = created.customer.number
          const ownership: Ownership = compact({
            tenant,
            customerNumber,
            owner: prospect.owner,
            team: prospect.team,
            territory: prospect.territory,
            version: 1,
            changedBy: actor.userId,
            changedAt: at
          })
          yield* owners.put(ownership, null)
          const converted: Prospect = {
            ...prospect,
            status: "converted",
            convertedTo: customerNumber,
            convertedAt: at,
            convertedBy: actor.userId,
            version: prospect.version + 1,
            changedBy: actor.userId,
            changedAt: at
          }
          yield* prospects.put(converted, prospect.version)
          const activitiesMoved = yield* activities.relink(tenant, prospect.id, customerNumber, actor.userId, at)
          const opportunitiesMoved = yield* opportunities.linkProspect(tenant, prospect.id, customerNumber, actor.userId, at)
          return {
            customer: created.customer,
            messages: created.messages,
            prospect: converted,
            ownership,
            activitiesMoved,
            opportunitiesMoved
          }
        })
      )
    })

  const assignOwner: AccountsShape["assignOwner"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(AssignOwnerInput, input)
      yield* requireActivity(tenant, actor, "change")
      yield* requireKnown("team", data.team, config.teams)
      yield* requireKnown("territory", data.territory, config.territories)
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const notFound = new AccountNotFound({ tenant, account: { customerNumber: data.customerNumber } })
          yield* customers
            .display({ actor, number: data.customerNumber })
            .pipe(Effect.catchTag("CustomerNotFound", () => Effect.fail(notFound)))
          const current = Option.getOrUndefined(yield* owners.get(tenant, data.customerNumber))
          if (current !== undefined && !inScope(access.visibility(actor).scope, current)) return yield* Effect.fail(notFound)
          const actual = current?.version ?? 0
          if (data.version !== undefined && data.version !== actual) {
            return yield* Effect.fail(new Errors.VersionConflict({ number: data.customerNumber, expected: data.version, actual }))
          }
          const next: Ownership = compact({
            tenant,
            customerNumber: data.customerNumber,
            owner: data.owner,
            team: data.team ?? undefined,
            territory: data.territory ?? undefined,
            version: actual + 1,
            changedBy: actor.userId,
            changedAt: yield* now
          })
          yield* owners.put(next, current === undefined ? null : current.version)
          return next
        })
      )
    })

  const getAccount: AccountsShape["getAccount"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(GetAccountInput, input)
      const account = yield* access.customerAccount(actor, data.customerNumber)
      return compact({ customer: account.customer, ownership: Option.getOrUndefined(account.ownership) })
    })

  const listAccounts: AccountsShape["listAccounts"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ListAccountsInput, input)
      yield* requireActivity(tenant, actor, "display")
      const after = yield* decodeAfter(data.cursor)
      const limit = data.limit ?? 50
      const visibility = access.visibility(actor)
      const rows = yield* owners.list({
        tenant,
        visibility,
        owner: data.owner,
        team: data.team,
        territory: data.territory,
        after: Option.getOrUndefined(after),
        limit: limit + 1
      })
      const page = rows.slice(0, limit)
      // As many at once as the store benefits from: on PostgreSQL the reads of a page overlap their round trips.
      const customers = yield* Effect.forEach(page, (ownership) => customerStore.get(tenant, ownership.customerNumber, visibility.groups), {
        concurrency
      })
      const items: Array<Account> = []
      page.forEach((ownership, i) => {
        const customer = customers[i]!
        if (Option.isSome(customer)) items.push({ customer: customer.value, ownership })
      })
      const last = page.at(-1)
      return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor({ after: last.customerNumber }) } : { items }
    })

  const setContactPreference: AccountsShape["setContactPreference"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(SetContactPreferenceInput, input)
      yield* requireActivity(tenant, actor, "change")
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const { customer } = yield* access.customerAccount(actor, data.customerNumber)
          if (data.contactId !== undefined && !customer.contacts.some((c) => c.id === data.contactId)) {
            return yield* Effect.fail(
              inputInvalid([{ path: "contactId", detail: `customer ${customer.number} has no contact person ${data.contactId}` }])
            )
          }
          const at = yield* now
          const preference: ContactPreference.ContactPreference = compact({
            tenant,
            customerNumber: customer.number,
            contactId: data.contactId,
            channel: data.channel,
            consent: data.consent,
            since: data.since ?? at,
            source: data.source,
            changedBy: actor.userId,
            changedAt: at
          })
          yield* preferences.put(preference)
          return preference
        })
      )
    })

  const contactPreferences: AccountsShape["contactPreferences"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ContactPreferencesInput, input)
      const { customer } = yield* access.customerAccount(actor, data.customerNumber)
      return yield* preferences.list(tenant, customer.number)
    })

  return Accounts.of({
    createProspect,
    changeProspect,
    getProspect,
    listProspects,
    convertProspect,
    assignOwner,
    getAccount,
    listAccounts,
    setContactPreference,
    contactPreferences
  })
})

/** The service, from the customizing, the CRM configuration, core's `Customers` and a CRM store's ports. */
export const layer: Layer.Layer<Accounts, never, Effect.Effect.Context<typeof make>> = Layer.effect(Accounts, make)
