/**
 * Campaigns as an Effect service: `launch` a campaign on a segment (a saved segment is frozen at
 * launch; a snapshot is used as it is) over channels, excluding members without consent and
 * holding out a seeded random control group (see `Campaign` for the rules and the PRNG);
 * `recordResponse` per member with channel and time, optionally creating a lead through `Leads`
 * (source `campaign`, the campaign's id); `report`: targeted, contacted, control, response rate
 * of the contacted group against the control group, the uplift, and the return on the cost from
 * won opportunities attributed to the campaign (those opened from its leads).
 *
 * Visibility: members, figures and the return count only accounts the actor may see.
 *
 * @example
 * ```ts
 * import { Actor } from "@partnerkit/core"
 * import { Campaigns } from "@partnerkit/crm"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const campaigns = yield* Campaigns.Campaigns
 *   const actor = Actor.superUser("acme", "li.na")
 *   const campaign = yield* campaigns.launch({
 *     actor,
 *     name: "Spring service check",
 *     segment: { segmentId: "S0000000001a2b3c4d" },
 *     channels: ["email"],
 *     holdout: 0.1,
 *     seed: 42,
 *     cost: { amount: 2_500, currency: "EUR" }
 *   })
 *   const report = yield* campaigns.report({ actor, id: campaign.id })
 *   return `${report.contacted} contacted, uplift ${report.uplift}`
 * })
 * ```
 * @module
 */
import type { Errors } from "@partnerkit/core"
import { StoreTransaction } from "@partnerkit/core"
import { Context, Effect, Layer, Option } from "effect"
import {
  type Campaign,
  type CampaignMember,
  CampaignMembersInput,
  type CampaignResponse,
  controlGroup,
  GetCampaignInput,
  LaunchCampaignInput,
  RecordResponseInput,
  type Report
} from "./Campaign.js"
import { consentFor } from "./ContactPreference.js"
import type { AccountNotFound } from "./CrmErrors.js"
import * as Access from "./internal/access.js"
import { compact, decodeAfter, newId, now, type Page, pageOf, parse, requireActivity, type WithActor } from "./internal/service.js"
import type { Lead } from "./Lead.js"
import { Leads } from "./Leads.js"
import { ListInput, type Snapshot } from "./Segment.js"
import { CampaignNotFound, type InvalidSegmentRule, NotACampaignMember, type SegmentNotFound, SnapshotNotFound } from "./SegmentErrors.js"
import { SegmentStore } from "./SegmentStore.js"
import { Segments } from "./Segments.js"

export type Common = Errors.NotAuthorized | Errors.ValidationFailed | Errors.StorageError

export interface CampaignsShape {
  /** Launches a campaign: freezes the segment, excludes members without consent, draws the control group — one transaction. */
  readonly launch: (
    input: LaunchCampaignInput & WithActor
  ) => Effect.Effect<Campaign, Common | InvalidSegmentRule | SegmentNotFound | SnapshotNotFound>
  readonly get: (input: GetCampaignInput & WithActor) => Effect.Effect<Campaign, Common | CampaignNotFound>
  readonly list: (input: ListInput & WithActor) => Effect.Effect<Page<Campaign>, Common>
  /** The members the actor may see, ascending by customer number, with the `group` filter. */
  readonly members: (input: CampaignMembersInput & WithActor) => Effect.Effect<Page<CampaignMember>, Common | CampaignNotFound>
  /** Records a member's response; with `lead`, creates a lead of the campaign in the same transaction. */
  readonly recordResponse: (
    input: RecordResponseInput & WithActor
  ) => Effect.Effect<
    { readonly response: CampaignResponse; readonly lead?: Lead | undefined },
    Common | CampaignNotFound | NotACampaignMember | AccountNotFound
  >
  readonly report: (input: GetCampaignInput & WithActor) => Effect.Effect<Report, Common | CampaignNotFound>
}

/** The campaigns service. */
export class Campaigns extends Context.Tag("@partnerkit/crm/Campaigns")<Campaigns, CampaignsShape>() {}

const batch = 1000

export const make = Effect.gen(function* () {
  const access = yield* Access.make
  const store = yield* SegmentStore
  const segments = yield* Segments
  const leads = yield* Leads
  const tx = yield* StoreTransaction
  const { tenant } = access

  const readCampaign = (id: string) =>
    Effect.flatMap(store.getCampaign(tenant, id), (found) =>
      Option.isSome(found) ? Effect.succeed(found.value) : Effect.fail(new CampaignNotFound({ tenant, id }))
    )

  const launch: CampaignsShape["launch"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(LaunchCampaignInput, input)
      yield* requireActivity(tenant, actor, "create")
      const visibility = access.visibility(actor)
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const snapshot: Snapshot =
            "segmentId" in data.segment
              ? yield* segments.freeze({ actor, id: data.segment.segmentId, asOf: data.asOf })
              : yield* Effect.flatMap(store.getSnapshot(tenant, data.segment.snapshotId), (found) =>
                  Option.isSome(found)
                    ? Effect.succeed(found.value)
                    : Effect.fail(new SnapshotNotFound({ tenant, id: (data.segment as { snapshotId: string }).snapshotId }))
                )
          const numbers: Array<string> = []
          let after: string | undefined
          for (;;) {
            const rows = yield* store.snapshotMembers({ tenant, snapshotId: snapshot.id, visibility, after, limit: batch })
            numbers.push(...rows)
            if (rows.length < batch) break
            after = rows.at(-1)
          }
          const channelsOf = new Map<string, Array<(typeof data.channels)[number]>>()
          for (let i = 0; i < numbers.length; i += 500) {
            const chunk = numbers.slice(i, i + 500)
            const preferences = yield* store.accountConsents(tenant, chunk)
            for (const number of chunk) {
              const own = preferences.filter((p) => p.customerNumber === number)
              channelsOf.set(
                number,
                data.channels.filter((c) => consentFor(own, c) === "granted")
              )
            }
          }
          const eligible = numbers.filter((n) => (channelsOf.get(n) ?? []).length > 0)
          const control = controlGroup(eligible, data.holdout, data.seed)
          const id = yield* newId("K")
          const members: Array<CampaignMember> = numbers.map((customerNumber) => {
            const channels = channelsOf.get(customerNumber) ?? []
            return {
              tenant,
              campaignId: id,
              customerNumber,
              group: channels.length === 0 ? "excluded" : control.has(customerNumber) ? "control" : "contacted",
              channels
            }
          })
          const campaign: Campaign = compact({
            tenant,
            id,
            name: data.name,
            segmentId: snapshot.segmentId,
            snapshotId: snapshot.id,
            channels: data.channels,
            holdout: data.holdout,
            seed: String(data.seed),
            cost: data.cost,
            counts: {
              targeted: numbers.length,
              excluded: numbers.length - eligible.length,
              control: control.size,
              contacted: eligible.length - control.size
            },
            launchedBy: actor.userId,
            launchedAt: yield* now
          })
          yield* store.putCampaign(campaign, members)
          return campaign
        })
      )
    })

  const get: CampaignsShape["get"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(GetCampaignInput, input)
      yield* requireActivity(tenant, actor, "display")
      return yield* readCampaign(data.id)
    })

  const list: CampaignsShape["list"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(ListInput, input)
      yield* requireActivity(tenant, actor, "display")
      const after = yield* decodeAfter(data.cursor)
      const limit = data.limit ?? 50
      const rows = yield* store.listCampaigns({ tenant, after: Option.getOrUndefined(after), limit: limit + 1 })
      return pageOf(rows, limit, (last) => ({ after: last.id }))
    })

  const members: CampaignsShape["members"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(CampaignMembersInput, input)
      yield* requireActivity(tenant, actor, "display")
      const after = yield* decodeAfter(data.cursor)
      yield* readCampaign(data.id)
      const limit = data.limit ?? 100
      const rows = yield* store.campaignMembers({
        tenant,
        campaignId: data.id,
        group: data.group,
        visibility: access.visibility(actor),
        after: Option.getOrUndefined(after),
        limit: limit + 1
      })
      return pageOf(rows, limit, (last) => ({ after: last.customerNumber }))
    })

  const recordResponse: CampaignsShape["recordResponse"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(RecordResponseInput, input)
      yield* requireActivity(tenant, actor, "create")
      return yield* tx.withTransaction(
        Effect.gen(function* () {
          const campaign = yield* readCampaign(data.id)
          yield* access.customerAccount(actor, data.customerNumber)
          const member = yield* store.campaignMember(tenant, campaign.id, data.customerNumber)
          if (Option.isNone(member)) {
            return yield* Effect.fail(new NotACampaignMember({ campaignId: campaign.id, customerNumber: data.customerNumber }))
          }
          const lead =
            data.lead === undefined
              ? undefined
              : yield* leads.create({ actor, lead: { ...data.lead, source: "campaign", campaignId: campaign.id } })
          const recordedAt = yield* now
          const response: CampaignResponse = compact({
            tenant,
            campaignId: campaign.id,
            id: yield* newId("R"),
            customerNumber: data.customerNumber,
            channel: data.channel,
            at: data.at ?? recordedAt,
            notes: data.notes,
            leadId: lead?.id,
            recordedBy: actor.userId,
            recordedAt
          })
          yield* store.putResponse(response)
          return lead === undefined ? { response } : { response, lead }
        })
      )
    })

  const report: CampaignsShape["report"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(GetCampaignInput, input)
      yield* requireActivity(tenant, actor, "display")
      const campaign = yield* readCampaign(data.id)
      const visibility = access.visibility(actor)
      const [figures, returns] = yield* Effect.all([
        store.campaignFigures({ tenant, campaignId: campaign.id, visibility }),
        store.campaignReturn({ tenant, campaignId: campaign.id, visibility })
      ])
      const { members, responders } = figures
      const rate = (n: number, of: number) => (of === 0 ? null : n / of)
      const contactedRate = rate(responders.contacted, members.contacted)
      const controlRate = rate(responders.control, members.control)
      const cost = campaign.cost
      const earned = cost === undefined ? undefined : returns.find((r) => r.currency === cost.currency)
      const earnedAmount = (earned?.amountCents ?? 0) / 100
      return compact({
        campaignId: campaign.id,
        targeted: members.contacted + members.control + members.excluded,
        excluded: members.excluded,
        contacted: members.contacted,
        control: members.control,
        responders: { contacted: responders.contacted, control: responders.control },
        responseRate: { contacted: contactedRate, control: controlRate },
        uplift: contactedRate === null || controlRate === null ? null : contactedRate - controlRate,
        cost,
        returns: returns.map((r) => ({ currency: r.currency, amount: r.amountCents / 100, opportunities: r.count })),
        roi: cost === undefined || cost.amount === 0 ? null : (earnedAmount - cost.amount) / cost.amount
      }) as Report
    })

  return Campaigns.of({ launch, get, list, members, recordResponse, report })
})

/** The service, from the segments and leads services and a CRM store's ports. */
export const layer: Layer.Layer<Campaigns, never, Effect.Effect.Context<typeof make>> = Layer.effect(Campaigns, make)
