/**
 * The CRM as one layer for Effect users, and the Promise door for everyone else. Both run on
 * core's own services and store: `Crm.layer` adds the CRM services to `PartnerKit.layer` (the
 * same customizing, the same `Customers` service, the same store and transactions), so a
 * conversion or an activity and the customer it concerns are written by one store in one
 * transaction.
 *
 * The store must provide the CRM ports: `MemoryCrmStore.layer()` (`@partnerkit/storage-memory`),
 * `SqliteCrmStore.layer({ filename })`, `PostgresCrmStore.layer({ url })`.
 *
 * @example
 * ```ts
 * import { Actor, Presets } from "@partnerkit/core"
 * import { CrmConfig, createCrm } from "@partnerkit/crm"
 * import { MemoryCrmStore } from "@partnerkit/storage-memory"
 *
 * const crm = await createCrm({
 *   customizing: Presets.standard("acme"),
 *   storage: MemoryCrmStore.layer(),
 *   config: CrmConfig.preset("own")
 * })
 * const actor = Actor.superUser("acme", "li.na")
 * const prospect = await crm.accounts.createProspect({
 *   actor,
 *   prospect: { name: "Nordlicht Logistik GmbH", street: "Kai 3", postalCode: "20457", city: "Hamburg", country: "DE" }
 * })
 * const { customer } = await crm.accounts.convertProspect({ actor, id: prospect.id, accountGroup: "0001" })
 * await crm.activities.create({ actor, account: { customerNumber: customer.number }, kind: "call", subject: "Welcome call" })
 * const view = await crm.account360.view({ actor, customerNumber: customer.number })
 * await crm.close()
 * ```
 * @module
 */
import { Customers, type Customizing, type Errors, PartnerKit } from "@partnerkit/core"
import { Cause, Effect, Exit, Layer, ManagedRuntime } from "effect"
import { Account360, type Account360Shape, layer as account360Layer } from "./Account360.js"
import { Accounts, type AccountsShape, layer as accountsLayer } from "./Accounts.js"
import { Activities, type ActivitiesShape, layer as activitiesLayer } from "./Activities.js"
import { Analytics, type AnalyticsShape, layer as analyticsLayer } from "./Analytics.js"
import { Behaviour, type BehaviourShape, layer as behaviourLayer } from "./Behaviour.js"
import { Campaigns, type CampaignsShape, layer as campaignsLayer } from "./Campaigns.js"
import * as CrmConfig from "./CrmConfig.js"
import type { InvalidCrmConfig } from "./CrmErrors.js"
import type * as CrmStorage from "./CrmStorage.js"
import { Leads, type LeadsShape, layer as leadsLayer } from "./Leads.js"
import { Opportunities, type OpportunitiesShape, layer as opportunitiesLayer } from "./Opportunities.js"
import { Segments, type SegmentsShape, layer as segmentsLayer } from "./Segments.js"
import { Tickets, type TicketsShape, layer as ticketsLayer } from "./Tickets.js"
import { Timeline, type TimelineShape, layer as timelineLayer } from "./Timeline.js"

/** The CRM services. */
export type CrmServices =
  | Accounts
  | Activities
  | Timeline
  | Account360
  | Leads
  | Opportunities
  | Tickets
  | Analytics
  | Behaviour
  | Segments
  | Campaigns
  | CrmConfig.Current

/** Everything `layer` provides: partnerkit's services, the store's ports (core and CRM) and the CRM services. */
export type Services = PartnerKit.Services | CrmStorage.Ports | CrmServices

export interface CrmOptions {
  /** The customizing of the tenant (e.g. `Presets.standard("acme")`). */
  readonly customizing: Customizing.CustomizingInput | Customizing.Customizing
  /** A store with the CRM ports, e.g. `MemoryCrmStore.layer()` or `SqliteCrmStore.layer({ filename })`. */
  readonly storage: CrmStorage.Layer
  /** The CRM configuration (default `CrmConfig.preset()`: the `team` rule). */
  readonly config?: CrmConfig.CrmConfigInput | CrmConfig.CrmConfig | undefined
}

/**
 * The CRM services alone, on what is already in context: core's customizing (`Customizing.Current`),
 * its `Customers` service and a CRM store's ports — for applications that build their own layers.
 */
export const servicesLayer = (
  config: CrmConfig.CrmConfigInput | CrmConfig.CrmConfig = CrmConfig.preset()
): Layer.Layer<CrmServices, InvalidCrmConfig, Customizing.Current | Customers.Customers | CrmStorage.Ports> => {
  const base = Layer.mergeAll(accountsLayer, activitiesLayer, timelineLayer, ticketsLayer)
  const withTimeline = Layer.provideMerge(Layer.merge(account360Layer, analyticsLayer), base)
  // Leads convert through Opportunities (an opportunity is opened in the conversion's transaction).
  const sales = Layer.provideMerge(leadsLayer, opportunitiesLayer)
  // Campaigns freeze segments and create leads.
  const marketing = Layer.provideMerge(campaignsLayer, Layer.mergeAll(sales, segmentsLayer, behaviourLayer))
  return Layer.provideMerge(Layer.merge(withTimeline, marketing), CrmConfig.layer(config))
}

/**
 * partnerkit and the CRM as one layer: `PartnerPartnerKit.layer({ customizing, storage })` with the CRM
 * services on top. The store is built once and shared.
 */
export const layer = (
  options: CrmOptions
): Layer.Layer<Services, InvalidCrmConfig | Errors.InvalidCustomizing | Errors.StorageError | Errors.SchemaTooNew> => {
  const kit = Layer.merge(PartnerKit.layer({ customizing: options.customizing, storage: options.storage }), options.storage)
  return Layer.provideMerge(servicesLayer(options.config), kit)
}

export interface Crm {
  /** The validated CRM configuration. */
  readonly config: CrmConfig.CrmConfig
  /** Core's customer lifecycle on the same store (see `Customers`). */
  readonly customers: PartnerKit.Promised<Customers.CustomersShape>
  /** Prospects, conversion, ownership, accounts and contact preferences (see `Accounts`). */
  readonly accounts: PartnerKit.Promised<AccountsShape>
  /** Activities and follow-ups (see `Activities`). */
  readonly activities: PartnerKit.Promised<ActivitiesShape>
  /** The account timeline (see `Timeline`). */
  readonly timeline: PartnerKit.Promised<TimelineShape>
  /** The 360° view (see `Account360`). */
  readonly account360: PartnerKit.Promised<Account360Shape>
  /** Leads: capture, scoring, assignment, status, duplicates, conversion (see `Leads`). */
  readonly leads: PartnerKit.Promised<LeadsShape>
  /** Opportunities, their stages and history, the pipeline and forecast (see `Opportunities`). */
  readonly opportunities: PartnerKit.Promised<OpportunitiesShape>
  /** Service tickets, SLA breaches and escalation, SLA compliance (see `Tickets`). */
  readonly tickets: PartnerKit.Promised<TicketsShape>
  /** Pipeline by stage, funnel and win rate, sales cycle, forecast against actual, activity statistics, SLA compliance (see `Analytics`). */
  readonly analytics: PartnerKit.Promised<AnalyticsShape>
  /** Behavioural aggregates, RFM segmentation and churn risks (see `Behaviour`). */
  readonly behaviour: PartnerKit.Promised<BehaviourShape>
  /** Segments: saved rules, dynamic evaluation, frozen snapshots (see `Segments`). */
  readonly segments: PartnerKit.Promised<SegmentsShape>
  /** Campaigns on segments with a control group, responses and the report (see `Campaigns`). */
  readonly campaigns: PartnerKit.Promised<CampaignsShape>
  /** Runs any Effect that needs partnerkit's or the CRM's services, on the same store. */
  readonly run: <A, Err>(effect: Effect.Effect<A, Err, Services>) => Promise<A>
  /** Releases the store. */
  readonly close: () => Promise<void>
}

const unwrap = async <A, Err>(exit: Promise<Exit.Exit<A, Err>>): Promise<A> => {
  const result = await exit
  if (Exit.isSuccess(result)) return result.value
  const failure = Cause.failureOption(result.cause)
  if (failure._tag === "Some") throw failure.value
  throw Cause.squash(result.cause)
}

/**
 * Starts partnerkit with the CRM: validates the customizing and the CRM configuration, opens the
 * store, and returns the Promise API. Each method resolves with the operation's result or rejects
 * with its typed error (the same classes as in Effect). Rejects with `InvalidCustomizing`,
 * `InvalidCrmConfig` or the store's error when it cannot start.
 */
export const createCrm = async (options: CrmOptions): Promise<Crm> => {
  const runtime = ManagedRuntime.make(layer(options))
  const run = <A, Err>(effect: Effect.Effect<A, Err, Services>) => unwrap(runtime.runPromiseExit(effect))
  const services = await run(
    Effect.all({
      config: CrmConfig.Current,
      customers: Customers.Customers,
      accounts: Accounts,
      activities: Activities,
      timeline: Timeline,
      account360: Account360,
      leads: Leads,
      opportunities: Opportunities,
      behaviour: Behaviour,
      segments: Segments,
      campaigns: Campaigns,
      tickets: Tickets,
      analytics: Analytics
    })
  ).catch(async (error: unknown) => {
    await runtime.dispose()
    throw error
  })
  const promise = <S extends object>(service: S): PartnerKit.Promised<S> =>
    Object.fromEntries(
      Object.entries(service).map(([name, method]) => [
        name,
        (input: unknown) => run((method as (i: unknown) => Effect.Effect<unknown, unknown>)(input))
      ])
    ) as unknown as PartnerKit.Promised<S>
  return {
    config: services.config,
    customers: promise(services.customers),
    accounts: promise(services.accounts),
    activities: promise(services.activities),
    timeline: promise(services.timeline),
    account360: promise(services.account360),
    leads: promise(services.leads),
    opportunities: promise(services.opportunities),
    behaviour: promise(services.behaviour),
    segments: promise(services.segments),
    campaigns: promise(services.campaigns),
    tickets: promise(services.tickets),
    analytics: promise(services.analytics),
    run,
    close: () => runtime.dispose()
  }
}
