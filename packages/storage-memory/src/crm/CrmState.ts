/**
 * The CRM part of a memory store as an immutable value, and the pure writes over it. Persistent
 * maps make a snapshot (a transaction's start) O(1). Queries scan the tenant's rows: the memory
 * store is for tests, demos and small data.
 *
 * @internal
 */

import { Errors } from "@partnerkit/core"
import type { Activity, ContactPreference, Lead, Opportunity, Ownership, Prospect, Ticket } from "@partnerkit/crm"
import { Either, HashMap, Option } from "effect"
import type { MarketingState } from "./MemorySegmentStore.js"

export interface CrmState {
  readonly prospects: HashMap.HashMap<string, Prospect.Prospect>
  readonly ownerships: HashMap.HashMap<string, Ownership.Ownership>
  readonly activities: HashMap.HashMap<string, Activity.Activity>
  readonly preferences: HashMap.HashMap<string, ContactPreference.ContactPreference>
  /** Tickets by `key(tenant, id)`. */
  readonly tickets: HashMap.HashMap<string, Ticket.Ticket>
  /** Each ticket's events in `seq` order, by `key(tenant, ticketId)`. */
  readonly ticketEvents: HashMap.HashMap<string, ReadonlyArray<Ticket.TicketEvent>>
  /** Leads by `key(tenant, id)`. */
  readonly leads: HashMap.HashMap<string, Lead.Lead>
  /** The next round-robin turn by `key(tenant, pool)`. */
  readonly turns: HashMap.HashMap<string, number>
  /** Opportunities by `key(tenant, id)`. */
  readonly opportunities: HashMap.HashMap<string, Opportunity.Opportunity>
  /** Each opportunity's history in `seq` order, by `key(tenant, opportunityId)`. */
  readonly opportunityHistory: HashMap.HashMap<string, ReadonlyArray<Opportunity.HistoryEntry>>
  /** Segments, snapshots and campaigns (see `MemorySegmentStore`). */
  readonly marketing: MarketingState
}

export const empty: CrmState = {
  prospects: HashMap.empty(),
  ownerships: HashMap.empty(),
  activities: HashMap.empty(),
  preferences: HashMap.empty(),
  tickets: HashMap.empty(),
  ticketEvents: HashMap.empty(),
  leads: HashMap.empty(),
  turns: HashMap.empty(),
  opportunities: HashMap.empty(),
  opportunityHistory: HashMap.empty(),
  marketing: {
    segments: HashMap.empty(),
    snapshots: HashMap.empty(),
    snapshotMembers: HashMap.empty(),
    campaigns: HashMap.empty(),
    campaignMembers: HashMap.empty(),
    responses: HashMap.empty()
  }
}

/** A write's outcome: the value and the next state, or the failure (state unchanged). */
export type Written<A, E> = Either.Either<readonly [A, CrmState], E>

/** JSON keeps the parts apart: no tenant and id can run into another's. */
export const key = (...parts: ReadonlyArray<string>): string => JSON.stringify(parts)

interface Versioned {
  readonly tenant: string
  readonly version: number
}

type VersionedTable = "prospects" | "ownerships" | "activities"

/** Writes `row` under `k` if the stored version equals `expected` (`null`: must not exist). */
export const put = <T extends VersionedTable>(
  state: CrmState,
  table: T,
  k: string,
  id: string,
  row: CrmState[T] extends HashMap.HashMap<string, infer V> ? V & Versioned : never,
  expected: number | null
): Written<void, Errors.VersionConflict> => {
  const rows = state[table] as unknown as HashMap.HashMap<string, Versioned>
  const stored = Option.getOrUndefined(HashMap.get(rows, k))
  const actual = stored?.version ?? 0
  if ((expected === null && stored !== undefined) || (expected !== null && actual !== expected)) {
    return Either.left(new Errors.VersionConflict({ number: id, expected: expected ?? 0, actual }))
  }
  return Either.right([undefined, { ...state, [table]: HashMap.set(rows, k, row) }])
}

export const putPreference = (state: CrmState, preference: ContactPreference.ContactPreference): Written<void, never> =>
  Either.right([
    undefined,
    {
      ...state,
      preferences: HashMap.set(
        state.preferences,
        key(preference.tenant, preference.customerNumber, preference.contactId ?? "", preference.channel),
        preference
      )
    }
  ])

/** Sets `customerNumber` on the prospect's activities that have none; returns how many. */
export const relink = (
  state: CrmState,
  tenant: string,
  prospectId: string,
  customerNumber: string,
  changedBy: string,
  changedAt: string
): Written<number, never> => {
  let activities = state.activities
  let count = 0
  for (const [k, a] of state.activities) {
    if (a.tenant === tenant && a.prospectId === prospectId && a.customerNumber === undefined) {
      activities = HashMap.set(activities, k, { ...a, customerNumber, version: a.version + 1, changedBy, changedAt })
      count++
    }
  }
  return Either.right([count, { ...state, activities }])
}

/** Every value of `table` in `tenant`. */
export const rowsOf = <V extends { readonly tenant: string }>(table: HashMap.HashMap<string, V>, tenant: string): Array<V> => {
  const out: Array<V> = []
  for (const v of HashMap.values(table)) if (v.tenant === tenant) out.push(v)
  return out
}
