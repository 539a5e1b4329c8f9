/**
 * What a CRM-capable store provides: core's storage ports (`Storage.Ports`, one
 * `StoreTransaction` for both) plus the CRM ports. A store package exports a layer of type
 * `CrmStorage.Layer`, e.g. `MemoryCrmStore.layer()`, `SqliteCrmStore.layer({ filename })` or
 * `PostgresCrmStore.layer({ url })`.
 *
 * @example
 * ```ts
 * import type { CrmStorage } from "@partnerkit/crm"
 *
 * declare const store: CrmStorage.Layer
 * ```
 * @module
 */
import type { Errors, Storage } from "@partnerkit/core"
import type { Layer as L } from "effect"
import type { AccountBehaviourStore } from "./AccountBehaviourStore.js"
import type { AccountOwnershipStore } from "./AccountOwnershipStore.js"
import type { ActivityStore } from "./ActivityStore.js"
import type { AnalyticsStore } from "./AnalyticsStore.js"
import type { ContactPreferenceStore } from "./ContactPreferenceStore.js"
import type { LeadStore } from "./LeadStore.js"
import type { OpportunityStore } from "./OpportunityStore.js"
import type { ProspectStore } from "./ProspectStore.js"
import type { SegmentStore } from "./SegmentStore.js"
import type { TicketStore } from "./TicketStore.js"

/** The CRM ports. */
export type CrmPorts =
  | ProspectStore
  | AccountOwnershipStore
  | ActivityStore
  | ContactPreferenceStore
  | LeadStore
  | OpportunityStore
  | TicketStore
  | AccountBehaviourStore
  | SegmentStore
  | AnalyticsStore

/** Core's ports and the CRM's, on one store with one transaction. */
export type Ports = Storage.Ports | CrmPorts

/** The layer a CRM-capable store exports. */
export type Layer = L.Layer<Ports, Errors.StorageError | Errors.SchemaTooNew>
