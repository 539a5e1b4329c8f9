/**
 * The behaviour and segment ports of the memory store (`AccountBehaviourStore`, `SegmentStore`)
 * over the CRM state of `MemoryCrmStore`, in its transactions. Aggregates are computed in plain
 * JavaScript with `SegmentRule.metricOf` / `SegmentRule.evaluate` (the definitions the SQL stores
 * implement), over the tenant's customers the reader may see.
 *
 * @internal
 */
import { Actor, type Customer, type CustomerStoreShape, Errors } from "@partnerkit/core"
import {
  type AccountBehaviourStoreShape,
  type Activity,
  type BehaviourRow,
  type Campaign,
  compareKeys,
  type Opportunity,
  Ownership,
  type Segment,
  SegmentRule,
  type SegmentStoreShape
} from "@partnerkit/crm"
import { Effect, Either, HashMap, Option } from "effect"
import * as State from "./CrmState.js"
import type { StateAccess } from "./MemorySalesStore.js"

type AccountVisibility = Ownership.AccountVisibility

/** Segments, snapshots and campaigns of the memory store, each keyed by `key(tenant, id)`. */
export interface MarketingState {
  readonly segments: HashMap.HashMap<string, Segment.Segment>
  readonly snapshots: HashMap.HashMap<string, Segment.Snapshot>
  /** Member customer numbers, ascending, by `key(tenant, snapshotId)`. */
  readonly snapshotMembers: HashMap.HashMap<string, ReadonlyArray<string>>
  readonly campaigns: HashMap.HashMap<string, Campaign.Campaign>
  /** Members ascending by customer number, by `key(tenant, campaignId)`. */
  readonly campaignMembers: HashMap.HashMap<string, ReadonlyArray<Campaign.CampaignMember>>
  /** Responses by `key(tenant, campaignId)`. */
  readonly responses: HashMap.HashMap<string, ReadonlyArray<Campaign.CampaignResponse>>
}

const copy = <A>(operation: string, value: A): Effect.Effect<A, Errors.StorageError> =>
  Effect.try({ try: () => structuredClone(value), catch: (cause) => new Errors.StorageError({ operation, cause }) })

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

const salesAreaKey = (area: Customer.SalesArea) => `${area.salesOrganization}/${area.distributionChannel}/${area.division}`

export const make = (tx: StateAccess, customers: CustomerStoreShape) => {
  const readState = tx.read((s) => s)

  const writeMarketing = <A, E>(f: (m: MarketingState) => Either.Either<readonly [A, MarketingState], E>) =>
    tx.write((state) => Either.map(f(state.marketing), ([a, marketing]) => [a, { ...state, marketing }] as const))

  /** The visible customers of the tenant, ascending by number (greater than `after`), with their facts. */
  const visibleAccounts = (state: State.CrmState, tenant: string, visibility: AccountVisibility, after?: string, only?: string) =>
    Effect.gen(function* () {
      const records: Array<Customer.CustomerRecord> = []
      if (only !== undefined) {
        const found = yield* customers.get(tenant, only, Actor.unrestricted)
        if (Option.isSome(found)) records.push(found.value)
      } else {
        let cursor = after
        for (;;) {
          const page = yield* customers.list({ tenant, visibility: Actor.unrestricted, after: cursor, limit: 1000 })
          records.push(...page)
          if (page.length < 1000) break
          cursor = page.at(-1)!.number
        }
      }
      const activities = new Map<string, Array<Activity.Activity>>()
      for (const a of State.rowsOf(state.activities, tenant)) {
        if (a.customerNumber === undefined) continue
        const list = activities.get(a.customerNumber) ?? []
        list.push(a)
        activities.set(a.customerNumber, list)
      }
      const opportunities = new Map<string, Array<Opportunity.Opportunity>>()
      for (const o of State.rowsOf(state.opportunities, tenant)) {
        if (o.customerNumber === undefined) continue
        const list = opportunities.get(o.customerNumber) ?? []
        list.push(o)
        opportunities.set(o.customerNumber, list)
      }
      return records
        .filter(
          (c) =>
            (after === undefined || c.number > after) &&
            Actor.canSeeGroup(visibility.groups, c.general.authorizationGroup) &&
            Ownership.inScope(visibility.scope, Option.getOrUndefined(HashMap.get(state.ownerships, State.key(tenant, c.number))))
        )
        .sort((a, b) => compareText(a.number, b.number))
        .map((c) => {
          const views = c.salesAreas.filter((v) => Actor.canSeeGroup(visibility.groups, v.authorizationGroup))
          const own = activities.get(c.number) ?? []
          const deals = opportunities.get(c.number) ?? []
          const facts: SegmentRule.Facts = {
            attribute: (name) => {
              switch (name) {
                case "country":
                  return c.general.country === undefined ? [] : [c.general.country]
                case "region":
                  return c.general.region === undefined ? [] : [c.general.region]
                case "industry":
                  return c.general.industry === undefined ? [] : [c.general.industry]
                case "accountGroup":
                  return [c.accountGroup]
                case "customerGroup":
                  return views.flatMap((v) => (v.customerGroup === undefined ? [] : [v.customerGroup]))
                case "salesArea":
                  return views.map((v) => salesAreaKey(v.salesArea))
              }
            },
            metric: (m) => SegmentRule.metricOf(m, own, deals)
          }
          return { customer: c, facts }
        })
    })

  const matching = (
    state: State.CrmState,
    query: { tenant: string; visibility: AccountVisibility; where?: SegmentRule.Plan | undefined },
    after?: string,
    only?: string
  ) =>
    Effect.map(visibleAccounts(state, query.tenant, query.visibility, after, only), (rows) =>
      rows.filter((r) => query.where === undefined || SegmentRule.evaluate(query.where, r.facts))
    )

  const behaviour: AccountBehaviourStoreShape = {
    accounts: (query) =>
      Effect.gen(function* () {
        if (query.limit <= 0) return []
        const state = yield* readState
        const rows = yield* matching(state, query, query.after, query.customerNumber)
        return rows.slice(0, query.limit).map(
          (r): BehaviourRow => ({
            customerNumber: r.customer.number,
            name: r.customer.general.name,
            values: query.values.map((v) => SegmentRule.valueFor(v, r.facts))
          })
        )
      }),
    count: (query) => Effect.flatMap(readState, (state) => Effect.map(matching(state, query), (rows) => rows.length)),
    distribution: (query) =>
      Effect.gen(function* () {
        const state = yield* readState
        const rows = yield* matching(state, query)
        const groups = new Map<string, { key: Array<number | string | null>; count: number }>()
        for (const r of rows) {
          const key = query.by.map((v) => SegmentRule.valueFor(v, r.facts))
          const k = JSON.stringify(key)
          const g = groups.get(k) ?? { key, count: 0 }
          g.count++
          groups.set(k, g)
        }
        return [...groups.values()].sort((a, b) => compareKeys(a.key, b.key))
      })
  }

  /** The customers among `numbers` that are visible. */
  const visibleNumbers = (state: State.CrmState, tenant: string, numbers: ReadonlyArray<string>, visibility: AccountVisibility) =>
    Effect.filter(numbers, (number) =>
      Effect.map(customers.get(tenant, number, Actor.unrestricted), (found) => {
        if (Option.isNone(found)) return false
        if (!Actor.canSeeGroup(visibility.groups, found.value.general.authorizationGroup)) return false
        return Ownership.inScope(visibility.scope, Option.getOrUndefined(HashMap.get(state.ownerships, State.key(tenant, number))))
      })
    )

  const page = <A extends { readonly id: string }>(rows: Array<A>, after: string | undefined, limit: number) =>
    rows
      .filter((r) => after === undefined || r.id > after)
      .sort((a, b) => compareText(a.id, b.id))
      .slice(0, Math.max(0, limit))

  const membersOf = (state: State.CrmState, tenant: string, campaignId: string) =>
    Option.getOrElse(
      HashMap.get(state.marketing.campaignMembers, State.key(tenant, campaignId)),
      () => [] as ReadonlyArray<Campaign.CampaignMember>
    )

  const segments: SegmentStoreShape = {
    putSegment: (segment, expected) =>
      Effect.flatMap(copy("SegmentStore.putSegment", segment), (owned) =>
        writeMarketing((m) => {
          const k = State.key(owned.tenant, owned.id)
          const actual = Option.match(HashMap.get(m.segments, k), { onNone: () => 0, onSome: (s) => s.version })
          if ((expected === null && actual !== 0) || (expected !== null && actual !== expected)) {
            return Either.left(new Errors.VersionConflict({ number: owned.id, expected: expected ?? 0, actual }))
          }
          return Either.right([undefined, { ...m, segments: HashMap.set(m.segments, k, owned) }] as const)
        })
      ),
    getSegment: (tenant, id) =>
      Effect.flatMap(readState, (state) =>
        Option.match(HashMap.get(state.marketing.segments, State.key(tenant, id)), {
          onNone: () => Effect.succeedNone,
          onSome: (s) => Effect.asSome(copy("SegmentStore.getSegment", s))
        })
      ),
    listSegments: (query) =>
      Effect.flatMap(readState, (state) =>
        copy("SegmentStore.listSegments", page(State.rowsOf(state.marketing.segments, query.tenant), query.after, query.limit))
      ),
    putSnapshot: (snapshot, members) =>
      Effect.flatMap(copy("SegmentStore.putSnapshot", { snapshot, members: [...new Set(members)].sort(compareText) }), (owned) =>
        writeMarketing((m) => {
          const k = State.key(owned.snapshot.tenant, owned.snapshot.id)
          return Either.right([
            undefined,
            {
              ...m,
              snapshots: HashMap.set(m.snapshots, k, owned.snapshot),
              snapshotMembers: HashMap.set(m.snapshotMembers, k, owned.members)
            }
          ] as const)
        })
      ),
    getSnapshot: (tenant, id) =>
      Effect.flatMap(readState, (state) =>
        Option.match(HashMap.get(state.marketing.snapshots, State.key(tenant, id)), {
          onNone: () => Effect.succeedNone,
          onSome: (s) => Effect.asSome(copy("SegmentStore.getSnapshot", s))
        })
      ),
    listSnapshots: (query) =>
      Effect.flatMap(readState, (state) =>
        copy(
          "SegmentStore.listSnapshots",
          page(
            State.rowsOf(state.marketing.snapshots, query.tenant).filter(
              (s) => query.segmentId === undefined || s.segmentId === query.segmentId
            ),
            query.after,
            query.limit
          )
        )
      ),
    snapshotMembers: (query) =>
      Effect.gen(function* () {
        if (query.limit <= 0) return []
        const state = yield* readState
        const all = Option.getOrElse(HashMap.get(state.marketing.snapshotMembers, State.key(query.tenant, query.snapshotId)), () => [])
        const out: Array<string> = []
        for (const number of all) {
          if (query.after !== undefined && number <= query.after) continue
          if ((yield* visibleNumbers(state, query.tenant, [number], query.visibility)).length === 0) continue
          out.push(number)
          if (out.length >= query.limit) break
        }
        return out
      }),
    accountConsents: (tenant, numbers) =>
      Effect.flatMap(readState, (state) => {
        const wanted = new Set(numbers)
        return copy(
          "SegmentStore.accountConsents",
          State.rowsOf(state.preferences, tenant).filter((p) => p.contactId === undefined && wanted.has(p.customerNumber))
        )
      }),
    putCampaign: (campaign, members) =>
      Effect.flatMap(
        copy("SegmentStore.putCampaign", {
          campaign,
          members: [...members].sort((a, b) => compareText(a.customerNumber, b.customerNumber))
        }),
        (owned) =>
          writeMarketing((m) => {
            const k = State.key(owned.campaign.tenant, owned.campaign.id)
            return Either.right([
              undefined,
              {
                ...m,
                campaigns: HashMap.set(m.campaigns, k, owned.campaign),
                campaignMembers: HashMap.set(m.campaignMembers, k, owned.members)
              }
            ] as const)
          })
      ),
    getCampaign: (tenant, id) =>
      Effect.flatMap(readState, (state) =>
        Option.match(HashMap.get(state.marketing.campaigns, State.key(tenant, id)), {
          onNone: () => Effect.succeedNone,
          onSome: (c) => Effect.asSome(copy("SegmentStore.getCampaign", c))
        })
      ),
    listCampaigns: (query) =>
      Effect.flatMap(readState, (state) =>
        copy("SegmentStore.listCampaigns", page(State.rowsOf(state.marketing.campaigns, query.tenant), query.after, query.limit))
      ),
    campaignMembers: (query) =>
      Effect.gen(function* () {
        if (query.limit <= 0) return []
        const state = yield* readState
        const out: Array<Campaign.CampaignMember> = []
        for (const member of membersOf(state, query.tenant, query.campaignId)) {
          if (query.after !== undefined && member.customerNumber <= query.after) continue
          if (query.group !== undefined && member.group !== query.group) continue
          if ((yield* visibleNumbers(state, query.tenant, [member.customerNumber], query.visibility)).length === 0) continue
          out.push(member)
          if (out.length >= query.limit) break
        }
        return yield* copy("SegmentStore.campaignMembers", out)
      }),
    campaignMember: (tenant, campaignId, customerNumber) =>
      Effect.flatMap(readState, (state) => {
        const found = membersOf(state, tenant, campaignId).find((m) => m.customerNumber === customerNumber)
        return found === undefined ? Effect.succeedNone : Effect.asSome(copy("SegmentStore.campaignMember", found))
      }),
    putResponse: (response) =>
      Effect.flatMap(copy("SegmentStore.putResponse", response), (owned) =>
        writeMarketing((m) => {
          const k = State.key(owned.tenant, owned.campaignId)
          const before = Option.getOrElse(HashMap.get(m.responses, k), () => [] as ReadonlyArray<Campaign.CampaignResponse>)
          return Either.right([undefined, { ...m, responses: HashMap.set(m.responses, k, [...before, owned]) }] as const)
        })
      ),
    campaignFigures: (query) =>
      Effect.gen(function* () {
        const state = yield* readState
        const all = membersOf(state, query.tenant, query.campaignId)
        const visible = new Set(
          yield* visibleNumbers(
            state,
            query.tenant,
            all.map((m) => m.customerNumber),
            query.visibility
          )
        )
        const responded = new Set(
          Option.getOrElse(HashMap.get(state.marketing.responses, State.key(query.tenant, query.campaignId)), () => []).map(
            (r) => r.customerNumber
          )
        )
        const members = { contacted: 0, control: 0, excluded: 0 }
        const responders = { contacted: 0, control: 0, excluded: 0 }
        for (const m of all) {
          if (!visible.has(m.customerNumber)) continue
          members[m.group]++
          if (responded.has(m.customerNumber)) responders[m.group]++
        }
        return { members, responders }
      }),
    campaignReturn: (query) =>
      Effect.gen(function* () {
        const state = yield* readState
        const leads = new Set(
          State.rowsOf(state.leads, query.tenant)
            .filter((l) => l.campaignId === query.campaignId)
            .map((l) => l.id)
        )
        const won = State.rowsOf(state.opportunities, query.tenant).filter(
          (o) => o.status === "won" && o.leadId !== undefined && leads.has(o.leadId) && o.amount !== undefined && o.currency !== undefined
        )
        const sums = new Map<string, { currency: string; amountCents: number; count: number }>()
        for (const o of won) {
          const visible =
            o.customerNumber !== undefined
              ? (yield* visibleNumbers(state, query.tenant, [o.customerNumber], query.visibility)).length > 0
              : (() => {
                  const p =
                    o.prospectId === undefined
                      ? undefined
                      : Option.getOrUndefined(HashMap.get(state.prospects, State.key(o.tenant, o.prospectId)))
                  return (
                    p !== undefined &&
                    Actor.canSeeGroup(query.visibility.groups, p.authorizationGroup) &&
                    Ownership.inScope(query.visibility.scope, p)
                  )
                })()
          if (!visible) continue
          const s = sums.get(o.currency!) ?? { currency: o.currency!, amountCents: 0, count: 0 }
          s.amountCents += Math.round(o.amount! * 100)
          s.count++
          sums.set(o.currency!, s)
        }
        return [...sums.values()].sort((a, b) => compareText(a.currency, b.currency))
      })
  }

  return { behaviour, segments }
}
