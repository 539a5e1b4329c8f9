/**
 * Activities and follow-ups as an Effect service: log calls, meetings, visits, e-mails, tasks and
 * notes on an account (customer or prospect), change, complete or cancel them, list an account's
 * activities newest first, and `followUps`: what is overdue and what is due soon for the
 * actor — the CRM's promise to a salesperson never to forget a follow-up.
 *
 * Every read sees only activities of accounts the actor may see (core's authorization group AND
 * the CRM rule); a hidden activity is `ActivityNotFound`, a hidden account `AccountNotFound`.
 * Activities: `create` to log one, `change` to change, complete or cancel, `display` to read.
 *
 * @example
 * ```ts
 * import { Actor } from "@partnerkit/core"
 * import { Activities } from "@partnerkit/crm"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const activities = yield* Activities.Activities
 *   const actor = Actor.superUser("acme", "li.na")
 *   yield* activities.create({
 *     actor,
 *     account: { customerNumber: "C0001" },
 *     kind: "call",
 *     subject: "Call back about the offer",
 *     dueAt: "2026-03-02T09:00:00Z"
 *   })
 *   const { overdue, dueSoon } = yield* activities.followUps({ actor })
 *   return [...overdue, ...dueSoon].map((a) => `${a.dueAt} ${a.subject}`)
 * })
 * ```
 * @module
 */
import { Errors, StoreTransaction } from "@partnerkit/core"
import { Context, Effect, Layer, Option } from "effect"
import {
  type Activity,
  CancelActivityInput,
  ChangeActivityInput,
  CompleteActivityInput,
  CreateActivityInput,
  type FollowUps,
  FollowUpsInput,
  GetActivityInput,
  ListActivitiesInput,
  timelineAt
} from "./Activity.js"
import { ActivityStore } from "./ActivityStore.js"
import { type AccountNotFound, ActivityClosed, ActivityNotFound } from "./CrmErrors.js"
import * as Access from "./internal/access.js"
import {
  compact,
  decodeCursor,
  inputInvalid,
  newId,
  now,
  type Page,
  pageOf,
  parse,
  requireActivity,
  type WithActor
} from "./internal/service.js"

export type Common = Errors.NotAuthorized | Errors.ValidationFailed | Errors.StorageError
export type WriteError = Common | ActivityNotFound | ActivityClosed | Errors.VersionConflict

export interface ActivitiesShape {
  /** Logs an activity on an account the actor may see (a converted prospect's go to its customer). */
  readonly create: (input: CreateActivityInput & WithActor) => Effect.Effect<Activity, Common | AccountNotFound>
  /**
   * Changes subject, notes, contact, owner or due date; `version` must be the current one. Owner
   * and due date of a completed or cancelled activity cannot change (`ActivityClosed`).
   */
  readonly change: (input: ChangeActivityInput & WithActor) => Effect.Effect<Activity, WriteError>
  /** Completes an open activity with an outcome. */
  readonly complete: (input: CompleteActivityInput & WithActor) => Effect.Effect<Activity, WriteError>
  /** Cancels an open activity. */
  readonly cancel: (input: CancelActivityInput & WithActor) => Effect.Effect<Activity, WriteError>
  readonly get: (input: GetActivityInput & WithActor) => Effect.Effect<Activity, Common | ActivityNotFound>
  /** The account's activities, newest first (`at` descending). */
  readonly listForAccount: (input: ListActivitiesInput & WithActor) => Effect.Effect<Page<Activity>, Common | AccountNotFound>
  /**
   * Open activities of accounts the actor may see, owned by the actor (or `owner`, or any owner
   * with `"any"`): those due before `asOf` (overdue) and those due before `asOf` plus the
   * follow-up window (due soon), each ordered by due time.
   */
  readonly followUps: (input: FollowUpsInput & WithActor) => Effect.Effect<FollowUps, Common>
}

/** The activities service. */
export class Activities extends Context.Tag("@partnerkit/crm/Activities")<Activities, ActivitiesShape>() {}

const hours = (iso: string, h: number) => new Date(new Date(iso).getTime() + h * 3_600_000).toISOString()

/** Builds the service from the customizing, the CRM configuration, core's `Customers` and the store's ports. */
export const make = Effect.gen(function* () {
  const access = yield* Access.make
  const store = yield* ActivityStore
  const tx = yield* StoreTransaction
  const { tenant, config } = access

  const create: ActivitiesShape["create"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(CreateActivityInput, input)
      yield* requireActivity(tenant, actor, "create")
      const account = yield* access.account(actor, data.account)
      // A converted prospect's activities belong to its customer: the actor must see that one too.
      if (account.kind === "prospect" && account.prospect.convertedTo !== undefined) {
        yield* access.customerAccount(actor, account.prospect.convertedTo)
      }
      const contacts = account.kind === "customer" ? account.customer.contacts : account.prospect.contacts
      if (data.contactId !== undefined && !contacts.some((c) => c.id === data.contactId)) {
        return yield* Effect.fail(inputInvalid([{ path: "contactId", detail: `the account has no contact person ${data.contactId}` }]))
      }
      const at = yield* now
      const status = data.status ?? (data.kind === "note" ? "completed" : "open")
      const completedAt = status === "completed" ? (data.completedAt ?? at) : undefined
      const link =
        account.kind === "customer"
          ? { customerNumber: account.customer.number }
          : { prospectId: account.prospect.id, customerNumber: account.prospect.convertedTo }
      const base = compact({
        tenant,
        id: yield* newId("A"),
        kind: data.kind,
        subject: data.subject,
        notes: data.notes,
        ...link,
        contactId: data.contactId,
        leadId: data.leadId,
        opportunityId: data.opportunityId,
        ticketId: data.ticketId,
        owner: data.owner ?? actor.userId,
        dueAt: data.dueAt,
        status,
        outcome: data.outcome,
        completedAt,
        version: 1,
        createdBy: actor.userId,
        createdAt: at,
        changedBy: actor.userId,
        changedAt: at
      })
      const activity: Activity = { ...base, at: timelineAt(base) }
      yield* store.put(activity, null).pipe(Effect.catchTag("VersionConflict", (e) => Effect.die(e)))
      return activity
    })

  /** Reads for a write, failing when missing or hidden, or (with `version`) stale. */
  const readForUpdate = (actor: WithActor["actor"], id: string, version: number | undefined) =>
    Effect.gen(function* () {
      const found = yield* store.get(tenant, id, access.visibility(actor))
      if (Option.isNone(found)) return yield* Effect.fail(new ActivityNotFound({ tenant, id }))
      if (version !== undefined && found.value.version !== version) {
        return yield* Effect.fail(new Errors.VersionConflict({ number: id, expected: version, actual: found.value.version }))
      }
      return found.value
    })

  const write = (actor: WithActor["actor"], before: Activity, patch: Partial<Activity>) =>
    Effect.gen(function* () {
      const merged = { ...before, ...patch }
      const cleaned = compact(merged) as Activity
      const next: Activity = {
        ...cleaned,
        at: timelineAt(cleaned),
        version: before.version + 1,
        changedBy: actor.userId,
        changedAt: yield* now
      }
      yield* store.put(next, before.version)
      return next
    })

  const change: ActivitiesShape["change"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ChangeActivityInput, input)
      yield* requireActivity(tenant, actor, "change")
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.id, data.version)
          if (before.status !== "open" && (data.owner !== undefined || data.dueAt !== undefined)) {
            return yield* Effect.fail(new ActivityClosed({ id: before.id, status: before.status }))
          }
          return yield* write(actor, before, {
            subject: data.subject ?? before.subject,
            notes: data.notes === null ? undefined : (data.notes ?? before.notes),
            contactId: data.contactId === null ? undefined : (data.contactId ?? before.contactId),
            owner: data.owner ?? before.owner,
            dueAt: data.dueAt === null ? undefined : (data.dueAt ?? before.dueAt)
          })
        })
      )
    })

  /** Completes or cancels an open activity. */
  const close = (
    actor: WithActor["actor"],
    data: { readonly id: string; readonly version?: number | undefined; readonly outcome?: string | undefined },
    status: "completed" | "cancelled",
    completedAt: string | undefined
  ) =>
    Effect.gen(function* () {
      yield* requireActivity(tenant, actor, "change")
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readForUpdate(actor, data.id, data.version)
          if (before.status !== "open") return yield* Effect.fail(new ActivityClosed({ id: before.id, status: before.status }))
          const at = yield* now
          return yield* write(actor, before, {
            status,
            outcome: data.outcome ?? before.outcome,
            completedAt: status === "completed" ? (completedAt ?? at) : undefined
          })
        })
      )
    })

  const complete: ActivitiesShape["complete"] = (input) =>
    Effect.flatMap(parse(CompleteActivityInput, input), ({ actor, data }) => close(actor, data, "completed", data.completedAt))

  const cancel: ActivitiesShape["cancel"] = (input) =>
    Effect.flatMap(parse(CancelActivityInput, input), ({ actor, data }) => close(actor, data, "cancelled", undefined))

  const get: ActivitiesShape["get"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(GetActivityInput, input)
      yield* requireActivity(tenant, actor, "display")
      const found = yield* store.get(tenant, data.id, access.visibility(actor))
      return yield* Option.match(found, {
        onNone: () => Effect.fail(new ActivityNotFound({ tenant, id: data.id })),
        onSome: Effect.succeed
      })
    })

  const listForAccount: ActivitiesShape["listForAccount"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ListActivitiesInput, input)
      yield* requireActivity(tenant, actor, "display")
      yield* access.account(actor, data.account)
      const before = yield* decodeCursor(data.cursor, (v) =>
        typeof v.at === "string" && typeof v.id === "string" ? { at: v.at, id: v.id } : undefined
      )
      const limit = data.limit ?? 50
      const rows = yield* store.listByAccount({
        tenant,
        account: data.account,
        visibility: access.visibility(actor),
        status: data.status,
        before: Option.getOrUndefined(before),
        limit: limit + 1
      })
      return pageOf(rows, limit, (l) => ({ at: l.at, id: l.id }))
    })

  const followUps: ActivitiesShape["followUps"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(FollowUpsInput, input)
      yield* requireActivity(tenant, actor, "display")
      const asOf = data.asOf ?? (yield* now)
      const dueSoonUntil = hours(asOf, data.dueSoonHours ?? config.followUps.dueSoonHours)
      const limit = data.limit ?? 200
      const owner = data.owner === "any" ? undefined : (data.owner ?? actor.userId)
      const rows = yield* store.open({ tenant, visibility: access.visibility(actor), owner, dueBefore: dueSoonUntil, limit: limit + 1 })
      const due = rows.slice(0, limit)
      return {
        asOf,
        dueSoonUntil,
        overdue: due.filter((a) => a.dueAt! < asOf),
        dueSoon: due.filter((a) => a.dueAt! >= asOf),
        truncated: rows.length > limit
      }
    })

  return Activities.of({
    create,
    change,
    complete,
    cancel,
    get,
    listForAccount,
    followUps
  })
})

/** The service, from the customizing, the CRM configuration, core's `Customers` and a CRM store's ports. */
export const layer: Layer.Layer<Activities, never, Effect.Effect.Context<typeof make>> = Layer.effect(Activities, make)
