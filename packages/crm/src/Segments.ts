/**
 * Segments as an Effect service: save a rule under a name (`create`, `change`), evaluate a saved
 * segment or an ad-hoc rule on demand (`members`, `count` — dynamic: pushed into the store's
 * query engine, paged with a keyset cursor on the customer number), and freeze one as a snapshot
 * (`freeze`): the member list at that moment, stored, which later evaluations do not change
 * (`snapshots`, `snapshotMembers`).
 *
 * Visibility: members are the accounts the actor may see (core's authorization group AND the CRM
 * rule); a hidden account is never a member and never counted — also when reading a snapshot
 * someone else froze. A bad rule fails with `InvalidSegmentRule` (every problem with its path)
 * and writes nothing.
 *
 * @example
 * ```ts
 * import { Actor } from "@partnerkit/core"
 * import { Segments } from "@partnerkit/crm"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const segments = yield* Segments.Segments
 *   const actor = Actor.superUser("acme", "li.na")
 *   const segment = yield* segments.create({
 *     actor,
 *     name: "Top customers in DE",
 *     rule: { all: [{ field: "country", op: "in", values: ["DE"] }, { field: "monetaryScore", op: "gte", value: 4 }] }
 *   })
 *   const page = yield* segments.members({ actor, id: segment.id, limit: 100 })
 *   const frozen = yield* segments.freeze({ actor, id: segment.id })
 *   return `${page.items.length} now, ${frozen.memberCount} frozen`
 * })
 * ```
 * @module
 */
import { Errors, StoreTransaction } from "@partnerkit/core"
import { Context, Effect, Either, Layer, Option } from "effect"
import { AccountBehaviourStore } from "./AccountBehaviourStore.js"
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
  ChangeSegmentInput,
  CreateSegmentInput,
  EvaluateInput,
  FreezeInput,
  GetSegmentInput,
  ListInput,
  ListSnapshotsInput,
  type Member,
  type Segment,
  type Snapshot,
  SnapshotMembersInput
} from "./Segment.js"
import { type InvalidSegmentRule, SegmentNotFound, SnapshotNotFound } from "./SegmentErrors.js"
import { parse as parseRule, plan, type Rule } from "./SegmentRule.js"
import { SegmentStore } from "./SegmentStore.js"

export type Common = Errors.NotAuthorized | Errors.ValidationFailed | Errors.StorageError

export interface SegmentsShape {
  /** Saves a segment; a bad rule fails with `InvalidSegmentRule`. */
  readonly create: (input: CreateSegmentInput & WithActor) => Effect.Effect<Segment, Common | InvalidSegmentRule>
  /** Changes name, description or rule; `version` must be the current one. */
  readonly change: (
    input: ChangeSegmentInput & WithActor
  ) => Effect.Effect<Segment, Common | InvalidSegmentRule | SegmentNotFound | Errors.VersionConflict>
  readonly get: (input: GetSegmentInput & WithActor) => Effect.Effect<Segment, Common | SegmentNotFound>
  readonly list: (input: ListInput & WithActor) => Effect.Effect<Page<Segment>, Common>
  /** The accounts a saved segment or an ad-hoc rule selects now (or at `asOf`), ascending by customer number. */
  readonly members: (
    input: EvaluateInput & WithActor
  ) => Effect.Effect<Page<Member> & { readonly asOf: string }, Common | InvalidSegmentRule | SegmentNotFound>
  /** How many accounts it selects. */
  readonly count: (
    input: Omit<EvaluateInput, "cursor" | "limit"> & WithActor
  ) => Effect.Effect<{ readonly asOf: string; readonly count: number }, Common | InvalidSegmentRule | SegmentNotFound>
  /** Freezes the members as a snapshot (one transaction). */
  readonly freeze: (input: FreezeInput & WithActor) => Effect.Effect<Snapshot, Common | InvalidSegmentRule | SegmentNotFound>
  readonly getSnapshot: (input: GetSegmentInput & WithActor) => Effect.Effect<Snapshot, Common | SnapshotNotFound>
  readonly snapshots: (input: ListSnapshotsInput & WithActor) => Effect.Effect<Page<Snapshot>, Common>
  /** The snapshot's members the actor may see, ascending by customer number. */
  readonly snapshotMembers: (
    input: SnapshotMembersInput & WithActor
  ) => Effect.Effect<Page<{ readonly customerNumber: string }>, Common | SnapshotNotFound>
}

/** The segments service. */
export class Segments extends Context.Tag("@partnerkit/crm/Segments")<Segments, SegmentsShape>() {}

/** Accounts read per statement when a whole segment is read (freezing). */
const batch = 1000

export const make = Effect.gen(function* () {
  const access = yield* Access.make
  const behaviour = yield* AccountBehaviourStore
  const store = yield* SegmentStore
  const tx = yield* StoreTransaction
  const { tenant, config } = access

  const ruleOf = (input: unknown, prefix = "rule") =>
    Either.match(parseRule(input, prefix), { onLeft: Effect.fail, onRight: Effect.succeed })

  const readSegment = (id: string) =>
    Effect.flatMap(store.getSegment(tenant, id), (found) =>
      Option.isSome(found) ? Effect.succeed(found.value) : Effect.fail(new SegmentNotFound({ tenant, id }))
    )

  /** The rule of a saved segment (`id`) or the ad-hoc `rule`: exactly one of them. */
  const target = (id: string | undefined, rule: unknown) =>
    Effect.gen(function* () {
      if ((id === undefined) === (rule === undefined)) {
        return yield* Effect.fail(inputInvalid([{ path: "id", detail: "give either a segment id or a rule" }]))
      }
      if (id !== undefined) {
        const segment = yield* readSegment(id)
        return { segment: segment as Segment | undefined, rule: segment.rule }
      }
      return { segment: undefined, rule: yield* ruleOf(rule) }
    })

  const create: SegmentsShape["create"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(CreateSegmentInput, input)
      yield* requireActivity(tenant, actor, "create")
      const rule = yield* ruleOf(data.rule)
      const at = yield* now
      const segment: Segment = compact({
        tenant,
        id: yield* newId("S"),
        name: data.name,
        description: data.description,
        rule,
        version: 1,
        createdBy: actor.userId,
        createdAt: at,
        changedBy: actor.userId,
        changedAt: at
      })
      yield* store.putSegment(segment, null).pipe(Effect.catchTag("VersionConflict", (e) => Effect.die(e)))
      return segment
    })

  const change: SegmentsShape["change"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ChangeSegmentInput, input)
      yield* requireActivity(tenant, actor, "change")
      const rule = data.rule === undefined ? undefined : yield* ruleOf(data.rule)
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const before = yield* readSegment(data.id)
          if (before.version !== data.version) {
            return yield* Effect.fail(new Errors.VersionConflict({ number: data.id, expected: data.version, actual: before.version }))
          }
          const next: Segment = compact({
            ...before,
            name: data.name ?? before.name,
            description: data.description === null ? undefined : (data.description ?? before.description),
            rule: (rule as Rule | undefined) ?? before.rule,
            version: before.version + 1,
            changedBy: actor.userId,
            changedAt: yield* now
          })
          yield* store.putSegment(next, before.version)
          return next
        })
      )
    })

  const get: SegmentsShape["get"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(GetSegmentInput, input)
      yield* requireActivity(tenant, actor, "display")
      return yield* readSegment(data.id)
    })

  const list: SegmentsShape["list"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ListInput, input)
      yield* requireActivity(tenant, actor, "display")
      const after = yield* decodeAfter(data.cursor)
      const limit = data.limit ?? 50
      const rows = yield* store.listSegments({ tenant, after: Option.getOrUndefined(after), limit: limit + 1 })
      return pageOf(rows, limit, (last) => ({ after: last.id }))
    })

  const members: SegmentsShape["members"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(EvaluateInput, input)
      yield* requireActivity(tenant, actor, "display")
      const after = yield* decodeAfter(data.cursor)
      const { rule } = yield* target(data.id, data.rule)
      const asOf = data.asOf ?? (yield* now)
      const limit = data.limit ?? 100
      const rows = yield* behaviour.accounts({
        tenant,
        visibility: access.visibility(actor),
        where: plan(rule, { asOf, rfm: config.rfm }),
        after: Option.getOrUndefined(after),
        limit: limit + 1,
        values: []
      })
      const items = rows.map((r) => ({ customerNumber: r.customerNumber, name: r.name }))
      return { asOf, ...pageOf(items, limit, (last) => ({ after: last.customerNumber })) }
    })

  const count: SegmentsShape["count"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(EvaluateInput.omit({ cursor: true, limit: true }), input)
      yield* requireActivity(tenant, actor, "display")
      const { rule } = yield* target(data.id, data.rule)
      const asOf = data.asOf ?? (yield* now)
      const n = yield* behaviour.count({ tenant, visibility: access.visibility(actor), where: plan(rule, { asOf, rfm: config.rfm }) })
      return { asOf, count: n }
    })

  const freeze: SegmentsShape["freeze"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(FreezeInput, input)
      yield* requireActivity(tenant, actor, "create")
      const { segment, rule } = yield* target(data.id, data.rule)
      const name = data.name ?? segment?.name
      if (name === undefined)
        return yield* Effect.fail(inputInvalid([{ path: "name", detail: "a snapshot of an ad-hoc rule needs a name" }]))
      const asOf = data.asOf ?? (yield* now)
      const where = plan(rule, { asOf, rfm: config.rfm })
      const visibility = access.visibility(actor)
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const numbers: Array<string> = []
          let after: string | undefined
          for (;;) {
            const rows = yield* behaviour.accounts({ tenant, visibility, where, after, limit: batch, values: [] })
            for (const r of rows) numbers.push(r.customerNumber)
            if (rows.length < batch) break
            after = rows.at(-1)!.customerNumber
          }
          const snapshot: Snapshot = compact({
            tenant,
            id: yield* newId("F"),
            segmentId: segment?.id,
            name,
            rule,
            asOf,
            memberCount: numbers.length,
            takenBy: actor.userId,
            takenAt: yield* now
          })
          yield* store.putSnapshot(snapshot, numbers)
          return snapshot
        })
      )
    })

  const readSnapshot = (id: string) =>
    Effect.flatMap(store.getSnapshot(tenant, id), (found) =>
      Option.isSome(found) ? Effect.succeed(found.value) : Effect.fail(new SnapshotNotFound({ tenant, id }))
    )

  const getSnapshot: SegmentsShape["getSnapshot"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(GetSegmentInput, input)
      yield* requireActivity(tenant, actor, "display")
      return yield* readSnapshot(data.id)
    })

  const snapshots: SegmentsShape["snapshots"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ListSnapshotsInput, input)
      yield* requireActivity(tenant, actor, "display")
      const after = yield* decodeAfter(data.cursor)
      const limit = data.limit ?? 50
      const rows = yield* store.listSnapshots({ tenant, segmentId: data.segmentId, after: Option.getOrUndefined(after), limit: limit + 1 })
      return pageOf(rows, limit, (last) => ({ after: last.id }))
    })

  const snapshotMembers: SegmentsShape["snapshotMembers"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(SnapshotMembersInput, input)
      yield* requireActivity(tenant, actor, "display")
      const after = yield* decodeAfter(data.cursor)
      yield* readSnapshot(data.id)
      const limit = data.limit ?? 100
      const rows = yield* store.snapshotMembers({
        tenant,
        snapshotId: data.id,
        visibility: access.visibility(actor),
        after: Option.getOrUndefined(after),
        limit: limit + 1
      })
      return pageOf(
        rows.map((customerNumber) => ({ customerNumber })),
        limit,
        (last) => ({ after: last.customerNumber })
      )
    })

  return Segments.of({ create, change, get, list, members, count, freeze, getSnapshot, snapshots, snapshotMembers })
})

/** The service, from the CRM configuration, core's `Customers` and a CRM store's ports. */
export const layer: Layer.Layer<Segments, never, Effect.Effect.Context<typeof make>> = Layer.effect(Segments, make)
