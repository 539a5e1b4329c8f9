/**
 * Opportunities and the forecast as an Effect service. Every operation takes an `actor` and sees
 * only opportunities of accounts the actor may see (core's authorization group AND the CRM rule);
 * a hidden one is `OpportunityNotFound`, exactly like a missing one, and the forecast never
 * counts it.
 *
 * - `create` opens an opportunity on an account, in the methodology's first stage (or the one
 *   given) with that stage's probability; the stage's required fields must be there
 *   (`StageRequirementsMissing`).
 * - `moveStage` moves an open opportunity to any stage of the methodology whose required fields it
 *   has; `close` marks it won (100 %) or lost (0 %) with a configured reason; `reopen` takes it
 *   back into an open stage. `change` sets its other fields.
 * - Every write appends a history entry (`history`); stage changes, wins, losses and reopenings
 *   show on the account's timeline.
 * - `forecast` aggregates in the store: by month, quarter or year of the expected close date,
 *   optionally by stage, owner, territory or sales area, per currency: the open pipeline, its
 *   probability-weighted value, what was won, and `won + weighted`. With `asOf` it is the
 *   forecast as it stood then, rebuilt from the history.
 *
 * Activities: `create` for create, `change` for the writes, `display` for reads.
 *
 * @example
 * ```ts
 * import { Actor } from "@partnerkit/core"
 * import { Opportunities } from "@partnerkit/crm"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const opportunities = yield* Opportunities.Opportunities
 *   const actor = Actor.superUser("acme", "li.na")
 *   const deal = yield* opportunities.create({
 *     actor,
 *     account: { customerNumber: "C0001" },
 *     name: "Fleet telematics 2027",
 *     amount: 120_000,
 *     currency: "EUR",
 *     expectedCloseDate: "2027-03-31"
 *   })
 *   yield* opportunities.moveStage({ actor, id: deal.id, version: deal.version, stage: "qualification" })
 *   return yield* opportunities.forecast({ actor, period: "quarter", by: "owner" })
 * })
 * ```
 * @module
 */
import { Errors, StoreTransaction } from "@partnerkit/core"
import { Context, Effect, Layer, Option } from "effect"
import type { z } from "zod"
import type { AccountNotFound } from "./CrmErrors.js"
import * as Access from "./internal/access.js"
import {
  compact,
  decodeAfter,
  inputInvalid,
  newId,
  now,
  type Page,
  pageOf,
  parse,
  requireActivity,
  type WithActor
} from "./internal/service.js"
import {
  ChangeOpportunityInput,
  CloseOpportunityInput,
  CreateOpportunityInput,
  type DecisionMaker,
  type Forecast,
  ForecastInput,
  type ForecastRow,
  GetOpportunityInput,
  type HistoryEntry,
  historyEntry,
  ListOpportunitiesInput,
  MoveStageInput,
  missingFor,
  type Opportunity,
  periodOfMonth,
  ReopenOpportunityInput,
  stageOf
} from "./Opportunity.js"
import { OpportunityStore } from "./OpportunityStore.js"
import { OpportunityClosed, OpportunityNotFound, StageRequirementsMissing, StatusTransitionNotAllowed } from "./SalesErrors.js"

export type { Page, WithActor } from "./internal/service.js"

export type Common = Errors.NotAuthorized | Errors.ValidationFailed | Errors.StorageError
export type CreateError = Common | AccountNotFound | StageRequirementsMissing
export type WriteError =
  | Common
  | AccountNotFound
  | OpportunityNotFound
  | OpportunityClosed
  | StageRequirementsMissing
  | Errors.VersionConflict

export interface OpportunitiesShape {
  /** Opens an opportunity on an account the actor may see. */
  readonly create: (input: CreateOpportunityInput & WithActor) => Effect.Effect<Opportunity, CreateError>
  /** Sets fields of an open opportunity; the current stage's required fields must stay filled. */
  readonly change: (input: ChangeOpportunityInput & WithActor) => Effect.Effect<Opportunity, WriteError>
  /** Moves an open opportunity to a stage of the methodology (forward or back). */
  readonly moveStage: (input: MoveStageInput & WithActor) => Effect.Effect<Opportunity, WriteError>
  /** Marks an open opportunity won or lost, with a reason. */
  readonly close: (input: CloseOpportunityInput & WithActor) => Effect.Effect<Opportunity, WriteError>
  /** Takes a won or lost opportunity back into an open stage (default: the stage it was closed in). */
  readonly reopen: (
    input: z.input<typeof ReopenOpportunityInput> & WithActor
  ) => Effect.Effect<Opportunity, WriteError | StatusTransitionNotAllowed>
  readonly get: (input: z.input<typeof GetOpportunityInput> & WithActor) => Effect.Effect<Opportunity, Common | OpportunityNotFound>
  /** Visible opportunities, ascending by id. */
  readonly list: (input: z.input<typeof ListOpportunitiesInput> & WithActor) => Effect.Effect<Page<Opportunity>, Common>
  /** Every recorded write of the opportunity, oldest first. */
  readonly history: (
    input: z.input<typeof GetOpportunityInput> & WithActor
  ) => Effect.Effect<ReadonlyArray<HistoryEntry>, Common | OpportunityNotFound>
  /** The weighted pipeline and forecast, now or as it stood at `asOf`. */
  readonly forecast: (input: z.input<typeof ForecastInput> & WithActor) => Effect.Effect<Forecast, Common>
}

/** The opportunities service. */
export class Opportunities extends Context.Tag("@partnerkit/crm/Opportunities")<Opportunities, OpportunitiesShape>() {}

const today = (iso: string) => iso.slice(0, 10)

/** Builds the service from the customizing, the CRM configuration, core's `Customers` and the store's ports. */
export const make = Effect.gen(function* () {
  const access = yield* Access.make
  const store = yield* OpportunityStore
  const tx = yield* StoreTransaction
  const { tenant, config } = access
  const methodology = config.sales

  const unknownStage = (stage: string) =>
    inputInvalid([
      { path: "stage", detail: `unknown stage "${stage}" (the methodology has ${methodology.stages.map((s) => s.id).join(", ")})` }
    ])

  const requireTerritory = (territory: string | null | undefined) =>
    territory === undefined || territory === null || Object.hasOwn(config.territories, territory)
      ? Effect.void
      : Effect.fail(inputInvalid([{ path: "territory", detail: `unknown territory "${territory}" (not in the CRM configuration)` }]))

  const requireCurrency = (o: Pick<Opportunity, "amount" | "currency">) =>
    o.amount !== undefined && o.currency === undefined
      ? Effect.fail(inputInvalid([{ path: "currency", detail: "an amount needs a currency" }]))
      : Effect.void

  /** Every decision maker is a contact person of the account. */
  const requireContacts = (
    contacts: ReadonlyArray<{ readonly id: string }>,
    decisionMakers: ReadonlyArray<DecisionMaker> | undefined
  ): Effect.Effect<void, Errors.ValidationFailed> => {
    const issues = (decisionMakers ?? []).flatMap((d, i) =>
      contacts.some((c) => c.id === d.contactId)
        ? []
        : [{ path: `decisionMakers.${i}.contactId`, detail: `the account has no contact person ${d.contactId}` }]
    )
    return issues.length === 0 ? Effect.void : Effect.fail(inputInvalid(issues))
  }

  const requireStage = (id: string, stageId: string, o: Opportunity | Parameters<typeof missingFor>[1]) => {
    const stage = stageOf(methodology, stageId)
    if (stage === undefined) return Effect.fail(unknownStage(stageId))
    const missing = missingFor(stage, o)
    return missing.length === 0 ? Effect.succeed(stage) : Effect.fail(new StageRequirementsMissing({ id, stage: stage.id, missing }))
  }

  const create: OpportunitiesShape["create"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(CreateOpportunityInput, input)
      yield* requireActivity(tenant, actor, "create")
      yield* requireTerritory(data.territory)
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const account = yield* access.account(actor, data.account)
          // A converted prospect's opportunities belong to its customer: the actor must see that one too.
          if (account.kind === "prospect" && account.prospect.convertedTo !== undefined) {
            yield* access.customerAccount(actor, account.prospect.convertedTo)
          }
          const contacts = account.kind === "customer" ? account.customer.contacts : account.prospect.contacts
          yield* requireContacts(contacts, data.decisionMakers)
          const { account: _ref, stage: stageId, probability, owner, leadId, ...details } = data
          yield* requireCurrency(details)
          const stage = yield* requireStage("(new)", stageId ?? methodology.stages[0]?.id ?? "", details)
          const link =
            account.kind === "customer"
              ? { customerNumber: account.customer.number, territory: Option.getOrUndefined(account.ownership)?.territory }
              : { prospectId: account.prospect.id, customerNumber: account.prospect.convertedTo, territory: account.prospect.territory }
          const at = yield* now
          const opportunity: Opportunity = compact({
            territory: link.territory,
            ...compact(details),
            tenant,
            id: yield* newId("O"),
            customerNumber: link.customerNumber,
            prospectId: "prospectId" in link ? link.prospectId : undefined,
            leadId,
            owner: owner ?? actor.userId,
            stage: stage.id,
            probability: probability ?? stage.probability,
            status: "open" as const,
            version: 1,
            createdBy: actor.userId,
            createdAt: at,
            changedBy: actor.userId,
            changedAt: at
          })
          yield* store
            .put(opportunity, null, historyEntry(opportunity, undefined))
            .pipe(Effect.catchTag("VersionConflict", (e) => Effect.die(e)))
          return opportunity
        })
      )
    })

  /** Reads an opportunity for a write: visible, at `version`, and (unless `closedToo`) open. */
  const readForUpdate = (actor: WithActor["actor"], id: string, version: number, closedToo = false) =>
    Effect.gen(function* () {
      const found = yield* store.get(tenant, id, access.visibility(actor))
      if (Option.isNone(found)) return yield* Effect.fail(new OpportunityNotFound({ tenant, id }))
      const current = found.value
      if (current.version !== version) {
        return yield* Effect.fail(new Errors.VersionConflict({ number: id, expected: version, actual: current.version }))
      }
      if (!closedToo && current.status !== "open") return yield* Effect.fail(new OpportunityClosed({ id, status: current.status }))
      return current
    })

  const write = (actor: WithActor["actor"], before: Opportunity, patch: Partial<Opportunity>) =>
    Effect.gen(function* () {
      const next: Opportunity = {
        ...(compact({ ...before, ...patch }) as Opportunity),
        version: before.version + 1,
        changedBy: actor.userId,
        changedAt: yield* now
      }
      yield* store.put(next, before.version, historyEntry(next, before))
      return next
    })

  /** Contacts of the opportunity's account, for checking decision makers. */
  const contactsOf = (actor: WithActor["actor"], o: Opportunity) =>
    Effect.map(
      access.account(actor, o.customerNumber !== undefined ? { customerNumber: o.customerNumber } : { prospectId: o.prospectId ?? "" }),
      (account) => (account.kind === "customer" ? account.customer.contacts : account.prospect.contacts)
    )

  const change: OpportunitiesShape["change"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ChangeOpportunityInput, input)
      yield* requireActivity(tenant, actor, "change")
      yield* requireTerritory(data.territory)
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.id, data.version)
          const clear = <K extends keyof Opportunity>(key: K, value: Opportunity[K] | null | undefined): Opportunity[K] | undefined =>
            value === null ? undefined : (value ?? before[key])
          const merged: Opportunity = compact({
            ...before,
            name: data.name ?? before.name,
            description: clear("description", data.description),
            amount: clear("amount", data.amount),
            currency: clear("currency", data.currency),
            expectedCloseDate: clear("expectedCloseDate", data.expectedCloseDate),
            decisionMakers: data.decisionMakers ?? before.decisionMakers,
            competitors: data.competitors ?? before.competitors,
            owner: data.owner ?? before.owner,
            territory: clear("territory", data.territory),
            salesArea: clear("salesArea", data.salesArea),
            probability: data.probability ?? before.probability
          })
          if (data.decisionMakers !== undefined) yield* requireContacts(yield* contactsOf(actor, before), data.decisionMakers)
          yield* requireCurrency(merged)
          yield* requireStage(before.id, before.stage, merged)
          return yield* write(actor, before, merged)
        })
      )
    })

  const moveStage: OpportunitiesShape["moveStage"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(MoveStageInput, input)
      yield* requireActivity(tenant, actor, "change")
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.id, data.version)
          const stage = yield* requireStage(before.id, data.stage, before)
          return yield* write(actor, before, { stage: stage.id, probability: data.probability ?? stage.probability })
        })
      )
    })

  const close: OpportunitiesShape["close"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(CloseOpportunityInput, input)
      yield* requireActivity(tenant, actor, "change")
      const reasons = data.outcome === "won" ? methodology.wonReasons : methodology.lostReasons
      if (data.reason === undefined ? data.outcome === "lost" : reasons.length > 0 && !reasons.includes(data.reason)) {
        return yield* Effect.fail(
          inputInvalid([{ path: "reason", detail: `a ${data.outcome} opportunity needs one of the reasons ${reasons.join(", ")}` }])
        )
      }
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.id, data.version)
          const at = yield* now
          return yield* write(actor, before, {
            status: data.outcome,
            probability: data.outcome === "won" ? 100 : 0,
            closeReason: data.reason,
            closedAt: at,
            expectedCloseDate: data.closedOn ?? today(at),
            amount: data.amount ?? before.amount
          })
        })
      )
    })

  const reopen: OpportunitiesShape["reopen"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ReopenOpportunityInput, input)
      yield* requireActivity(tenant, actor, "change")
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.id, data.version, true)
          if (before.status === "open") {
            return yield* Effect.fail(new StatusTransitionNotAllowed({ entity: "opportunity", id: before.id, from: "open", to: "open" }))
          }
          const stage = yield* requireStage(before.id, data.stage ?? before.stage, before)
          return yield* write(
            actor,
            { ...before },
            {
              status: "open",
              stage: stage.id,
              probability: stage.probability,
              closeReason: undefined,
              closedAt: undefined
            }
          )
        })
      )
    })

  const get: OpportunitiesShape["get"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(GetOpportunityInput, input)
      yield* requireActivity(tenant, actor, "display")
      const found = yield* store.get(tenant, data.id, access.visibility(actor))
      return yield* Option.match(found, {
        onNone: () => Effect.fail(new OpportunityNotFound({ tenant, id: data.id })),
        onSome: Effect.succeed
      })
    })

  const list: OpportunitiesShape["list"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ListOpportunitiesInput, input)
      yield* requireActivity(tenant, actor, "display")
      const after = yield* decodeAfter(data.cursor)
      const limit = data.limit ?? 50
      const rows = yield* store.list({
        tenant,
        visibility: access.visibility(actor),
        account: data.account,
        owner: data.owner,
        status: data.status,
        stage: data.stage,
        after: Option.getOrUndefined(after),
        limit: limit + 1
      })
      return pageOf(rows, limit, (l) => ({ after: l.id }))
    })

  const history: OpportunitiesShape["history"] = (input) =>
    Effect.gen(function* () {
      const opportunity = yield* get(input)
      return yield* store.history(tenant, opportunity.id)
    })

  const forecast: OpportunitiesShape["forecast"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ForecastInput, input)
      yield* requireActivity(tenant, actor, "display")
      const period = data.period ?? "month"
      const by = data.by ?? "none"
      const buckets = yield* store.pipeline({
        tenant,
        visibility: access.visibility(actor),
        by,
        closeFrom: data.closeFrom,
        closeTo: data.closeTo,
        owner: data.owner,
        territory: data.territory,
        asOf: data.asOf
      })
      // The store aggregated by month; roll the (few) month buckets up into the period, in cents.
      interface Cell {
        period: string
        key: string
        currency: string
        openCount: number
        openCents: number
        weightedCentPercents: number
        wonCount: number
        wonCents: number
      }
      const cells = new Map<string, Cell>()
      const totals = new Map<string, Cell>()
      const add = (
        map: Map<string, Cell>,
        k: string,
        base: Omit<Cell, "openCount" | "openCents" | "weightedCentPercents" | "wonCount" | "wonCents">,
        b: (typeof buckets)[number]
      ) => {
        const cell = map.get(k) ?? { ...base, openCount: 0, openCents: 0, weightedCentPercents: 0, wonCount: 0, wonCents: 0 }
        if (b.status === "open") {
          cell.openCount += b.count
          cell.openCents += b.amountCents
          cell.weightedCentPercents += b.weightedCentPercents
        } else {
          cell.wonCount += b.count
          cell.wonCents += b.amountCents
        }
        map.set(k, cell)
      }
      for (const b of buckets) {
        const p = periodOfMonth(b.month, period)
        add(cells, JSON.stringify([p, b.key, b.currency]), { period: p, key: b.key, currency: b.currency }, b)
        add(totals, b.currency, { period: "", key: "", currency: b.currency }, b)
      }
      const figures = (c: Cell): Omit<ForecastRow, "period" | "key"> => {
        const weighted = Math.round(c.weightedCentPercents / 100) / 100
        const won = c.wonCents / 100
        return {
          currency: c.currency,
          open: { count: c.openCount, amount: c.openCents / 100, weighted },
          won: { count: c.wonCount, amount: won },
          forecast: Math.round(c.wonCents + c.weightedCentPercents / 100) / 100
        }
      }
      const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
      const rows = [...cells.values()]
        .sort((a, b) => compare(a.period, b.period) || compare(a.key, b.key) || compare(a.currency, b.currency))
        .map((c) => ({ period: c.period, key: c.key, ...figures(c) }))
      const sums = [...totals.values()].sort((a, b) => compare(a.currency, b.currency)).map(figures)
      return compact({ asOf: data.asOf, period, by, rows, totals: sums })
    })

  return Opportunities.of({ create, change, moveStage, close, reopen, get, list, history, forecast })
})

/** The service, from the customizing, the CRM configuration, core's `Customers` and a CRM store's ports. */
export const layer: Layer.Layer<Opportunities, never, Effect.Effect.Context<typeof make>> = Layer.effect(Opportunities, make)
