/**
 * Fixtures and helpers of the CRM conformance suite.
 *
 * @internal
 */
import { Actor, Customers, Customizing, Presets } from "@partnerkit/core"
import {
  Account360,
  AccountOwnershipStore,
  Accounts,
  Activities,
  type Activity,
  ActivityStore,
  ContactPreferenceStore,
  Crm,
  type CrmConfig,
  type CrmStorage,
  type Ownership,
  type Prospect,
  ProspectStore,
  Timeline
} from "@partnerkit/crm"
import { Effect, Layer } from "effect"
import * as F from "../../Fixtures.js"

/** Every CRM port of the store under test. */
export const crmPorts = Effect.all({
  prospects: ProspectStore,
  owners: AccountOwnershipStore,
  activities: ActivityStore,
  preferences: ContactPreferenceStore
})

export const all: Ownership.AccountVisibility = { groups: { authorizationGroups: "all" }, scope: { kind: "all" } }

/** Visibility of a user holding `groups`, seeing accounts by `scope`. */
export const visibility = (
  groups: "all" | ReadonlyArray<string>,
  scope: Ownership.AccountScope = { kind: "all" }
): Ownership.AccountVisibility => ({ groups: { authorizationGroups: groups }, scope })

export const assigned = (
  owner: string,
  teams: ReadonlyArray<string> = [],
  territories: ReadonlyArray<string> = []
): Ownership.AccountScope => ({
  kind: "assigned",
  owner,
  teams,
  territories
})

export const prospect = (tenant: string, id: string, overrides: Partial<Prospect.Prospect> = {}): Prospect.Prospect => ({
  tenant,
  id,
  name: "Nordlicht Logistik GmbH",
  city: "Hamburg",
  country: "DE",
  contacts: [
    { id: "0001", lastName: "Berg", firstName: "Anna", email: "anna.berg@nordlicht.example" },
    { id: "0002", lastName: "Alt" }
  ],
  owner: "li.na",
  status: "open",
  version: 1,
  createdBy: "tester",
  createdAt: F.timestamp,
  changedBy: "tester",
  changedAt: F.timestamp,
  ...overrides
})

export const ownership = (tenant: string, customerNumber: string, overrides: Partial<Ownership.Ownership> = {}): Ownership.Ownership => ({
  tenant,
  customerNumber,
  owner: "li.na",
  version: 1,
  changedBy: "tester",
  changedAt: F.timestamp,
  ...overrides
})

export const activity = (tenant: string, id: string, overrides: Partial<Activity.Activity> = {}): Activity.Activity => {
  const base: Activity.Activity = {
    tenant,
    id,
    kind: "call",
    subject: `Activity ${id}`,
    customerNumber: "C0001",
    owner: "li.na",
    status: "open",
    at: F.timestamp,
    version: 1,
    createdBy: "tester",
    createdAt: F.timestamp,
    changedBy: "tester",
    changedAt: F.timestamp,
    ...overrides
  }
  return { ...base, at: overrides.at ?? base.completedAt ?? base.dueAt ?? base.createdAt }
}

/** An ISO instant `hours` after 2024-01-15T08:30Z. */
export const hoursLater = (hours: number): string => new Date(Date.parse(F.timestamp) + hours * 3_600_000).toISOString()

/** An actor of `tenant` with `groups` and every activity. */
export const user = (tenant: string, userId: string, groups: "*" | ReadonlyArray<string> = "*"): Actor.Actor =>
  Actor.make({
    userId,
    tenant,
    authorizationGroups: groups === "*" ? "*" : [...groups],
    companyCodes: "*",
    salesOrganizations: "*",
    activities: "*"
  })

/** The CRM services and core's `Customers` for `tenant` (standard customizing) on the store under test, as a layer. */
export const servicesLayer = (tenant: string, config: CrmConfig.CrmConfigInput) => {
  const customizing = Customizing.makeOrThrow(Presets.standard(tenant))
  const core = Layer.provideMerge(Customers.layer, Layer.succeed(Customizing.Current, customizing))
  return Layer.provideMerge(Crm.servicesLayer(config), core)
}

/** Runs `program` with the CRM services of `tenant`; the store's ports come from the suite's layer. */
export const withServices = <A, E, R>(tenant: string, config: CrmConfig.CrmConfigInput, program: Effect.Effect<A, E, R>) =>
  Effect.provide(program, servicesLayer(tenant, config))

/** Every service, at once. */
export const serviceHandles = Effect.all({
  customers: Customers.Customers,
  accounts: Accounts.Accounts,
  activities: Activities.Activities,
  timeline: Timeline.Timeline,
  views: Account360.Account360
})

export type StorePorts = CrmStorage.Ports
