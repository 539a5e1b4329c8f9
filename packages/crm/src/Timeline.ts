/**
 * The timeline of an account as an Effect service: its activities and its master-data change
 * documents (read through core's `Customers.changeDocuments`, which shows only the items of views
 * the actor may see) merged newest first, paginated with an opaque cursor. A prospect's timeline
 * holds its activities; a customer's also those logged while it was a prospect.
 *
 * Ordering: by time descending (an activity's `at`, a change document's `changedAt`), a change
 * document before an activity at the same instant. Each page continues both streams exactly where
 * the previous page left them, so no entry is skipped; while the account changes during paging,
 * an entry may appear on two pages.
 *
 * @example
 * ```ts
 * import { Actor } from "@partnerkit/core"
 * import { Timeline } from "@partnerkit/crm"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const timeline = yield* Timeline.Timeline
 *   const actor = Actor.superUser("acme", "li.na")
 *   const first = yield* timeline.entries({ actor, account: { customerNumber: "C0001" }, limit: 20 })
 *   const next = first.nextCursor === undefined ? undefined : yield* timeline.entries({ actor, account: { customerNumber: "C0001" }, cursor: first.nextCursor })
 *   return first.items.map((e) => (e.kind === "activity" ? e.activity.subject : e.document.operation))
 * })
 * ```
 * @module
 */
import { type ChangeDocument, Customers, type Errors } from "@partnerkit/core"
import { Context, Effect, Layer, Option } from "effect"
import { z } from "zod"
import { AccountRef, type Activity } from "./Activity.js"
import { ActivityStore } from "./ActivityStore.js"
import type { AccountNotFound } from "./CrmErrors.js"
import * as Access from "./internal/access.js"
import { decodeCursor, encodeCursor, type Page, parse, requireActivity, type WithActor } from "./internal/service.js"

export const TimelineInput = z
  .object({
    account: AccountRef,
    cursor: z.string().optional(),
    /** Default 20. */
    limit: z.number().int().min(1).max(200).optional()
  })
  .strict()
export type TimelineInput = z.input<typeof TimelineInput>

/** One entry of the timeline. */
export type Entry =
  | { readonly kind: "activity"; readonly at: string; readonly activity: Activity }
  | { readonly kind: "change"; readonly at: string; readonly document: ChangeDocument.ChangeDocument }

export interface TimelineShape {
  /** One page of the account's timeline, newest first. */
  readonly entries: (
    input: TimelineInput & WithActor
  ) => Effect.Effect<Page<Entry>, Errors.NotAuthorized | Errors.ValidationFailed | Errors.StorageError | AccountNotFound>
}

/** The timeline service. */
export class Timeline extends Context.Tag("@partnerkit/crm/Timeline")<Timeline, TimelineShape>() {}

/** Where each stream stands: the last activity given out, core's cursor for the documents, and which streams ended. */
interface Position {
  readonly activity?: { readonly at: string; readonly id: string } | undefined
  readonly documents?: string | undefined
  readonly activitiesDone: boolean
  readonly documentsDone: boolean
}

const checkPosition = (v: Record<string, unknown>): Position | undefined => {
  const a = v.a
  const activity =
    a === undefined ? undefined : Array.isArray(a) && typeof a[0] === "string" && typeof a[1] === "string" ? { at: a[0], id: a[1] } : null
  if (activity === null || (v.d !== undefined && typeof v.d !== "string")) return undefined
  return { activity, documents: v.d as string | undefined, activitiesDone: v.ae === 1, documentsDone: v.de === 1 }
}

const newer = (a: Entry, b: Entry) => a.at > b.at || (a.at === b.at && a.kind === "change" && b.kind === "activity")

export const make = Effect.gen(function* () {
  const access = yield* Access.make
  const customers = yield* Customers.Customers
  const store = yield* ActivityStore
  const { tenant } = access

  const entries: TimelineShape["entries"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(TimelineInput, input)
      yield* requireActivity(tenant, actor, "display")
      const account = yield* access.account(actor, data.account)
      const limit = data.limit ?? 20
      const position = Option.getOrElse(
        yield* decodeCursor(data.cursor, checkPosition),
        (): Position => ({
          activitiesDone: false,
          documentsDone: account.kind === "prospect"
        })
      )

      const activities = position.activitiesDone
        ? []
        : yield* store.listByAccount({
            tenant,
            account: data.account,
            visibility: access.visibility(actor),
            before: position.activity,
            limit: limit + 1
          })
      const number = account.kind === "customer" ? account.customer.number : undefined
      const readDocuments = (n: number) =>
        number === undefined
          ? Effect.succeed({ items: [] as ReadonlyArray<ChangeDocument.ChangeDocument>, nextCursor: undefined as string | undefined })
          : customers
              .changeDocuments({ actor, number, cursor: position.documents, limit: n })
              .pipe(Effect.catchTag("CustomerNotFound", () => Effect.succeed({ items: [], nextCursor: undefined })))
      const documents = position.documentsDone ? { items: [], nextCursor: undefined } : yield* readDocuments(limit + 1)

      // Merge the two newest-first streams.
      const items: Array<Entry> = []
      let ai = 0
      let di = 0
      while (items.length < limit) {
        const a = activities[ai]
        const d = documents.items[di]
        const ea: Entry | undefined = a === undefined ? undefined : { kind: "activity", at: a.at, activity: a }
        const ed: Entry | undefined = d === undefined ? undefined : { kind: "change", at: d.changedAt, document: d }
        if (ea === undefined && ed === undefined) break
        if (ed !== undefined && (ea === undefined || newer(ed, ea))) {
          items.push(ed)
          di++
        } else if (ea !== undefined) {
          items.push(ea)
          ai++
        }
      }

      const activitiesDone = position.activitiesDone || activities.length === ai
      const documentsDone = position.documentsDone || (di === documents.items.length && documents.nextCursor === undefined)
      if (activitiesDone && documentsDone) return { items }
      // Core's cursor after exactly the `di` documents given out (its format is its own).
      const documentsCursor =
        di === 0 ? position.documents : di === documents.items.length ? documents.nextCursor : (yield* readDocuments(di)).nextCursor
      const lastActivity = ai === 0 ? position.activity : activities[ai - 1]
      const next: Record<string, unknown> = {}
      if (lastActivity !== undefined) next.a = [lastActivity.at, lastActivity.id]
      if (documentsCursor !== undefined) next.d = documentsCursor
      if (activitiesDone) next.ae = 1
      if (documentsDone || (di > 0 && documentsCursor === undefined)) next.de = 1
      return { items, nextCursor: encodeCursor(next) }
    })

  return Timeline.of({ entries })
})

/** The service, from the customizing, the CRM configuration, core's `Customers` and a CRM store's ports. */
export const layer: Layer.Layer<Timeline, never, Effect.Effect.Context<typeof make>> = Layer.effect(Timeline, make)
