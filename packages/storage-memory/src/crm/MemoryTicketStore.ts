/**
 * The `TicketStore` port of the memory store, over the CRM state and its transactions (see
 * `MemoryCrmStore`). Visibility is applied per customer as the SQL stores apply it in their
 * queries: the customer exists, its general authorization group is allowed, its ownership is in
 * the CRM scope.
 *
 * @internal
 */
import { Actor, type CustomerStoreShape, Errors } from "@partnerkit/core"
import {
  isBreachCandidate,
  Ownership,
  type Ticket,
  type TicketEventPosition,
  type TicketPosition,
  type TicketStoreShape
} from "@partnerkit/crm"
import { Effect, Either, HashMap, Option } from "effect"
import * as State from "./CrmState.js"

/** What the ticket port needs of the CRM state's transactions. */
export interface StateAccess {
  readonly read: <A>(f: (state: State.CrmState) => A) => Effect.Effect<A>
  readonly write: <A, E>(f: (state: State.CrmState) => State.Written<A, E>) => Effect.Effect<A, E>
}

const copy = <A>(operation: string, value: A): Effect.Effect<A, Errors.StorageError> =>
  Effect.try({ try: () => structuredClone(value), catch: (cause) => new Errors.StorageError({ operation, cause }) })

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Newest first: `openedAt` descending, then id descending. */
const newestFirst = (a: Ticket.Ticket, b: Ticket.Ticket) => compareText(b.openedAt, a.openedAt) || compareText(b.id, a.id)

const olderThan = (t: Ticket.Ticket, p: TicketPosition | undefined) =>
  p === undefined || t.openedAt < p.openedAt || (t.openedAt === p.openedAt && t.id < p.id)

const eventOlderThan = (e: Ticket.TicketEvent, p: TicketEventPosition | undefined) =>
  p === undefined || e.at < p.at || (e.at === p.at && (e.ticketId < p.ticketId || (e.ticketId === p.ticketId && e.seq < p.seq)))

const newestEventFirst = (a: Ticket.TicketEvent, b: Ticket.TicketEvent) =>
  compareText(b.at, a.at) || compareText(b.ticketId, a.ticketId) || b.seq - a.seq

/** Writes the ticket and appends its events if the stored version equals `expected` (`null`: must not exist). */
const putTicket = (
  state: State.CrmState,
  ticket: Ticket.Ticket,
  expected: number | null,
  events: ReadonlyArray<Ticket.TicketEvent>
): State.Written<void, Errors.VersionConflict> => {
  const k = State.key(ticket.tenant, ticket.id)
  const stored = Option.getOrUndefined(HashMap.get(state.tickets, k))
  const actual = stored?.version ?? 0
  if ((expected === null && stored !== undefined) || (expected !== null && actual !== expected)) {
    return Either.left(new Errors.VersionConflict({ number: ticket.id, expected: expected ?? 0, actual }))
  }
  const history = Option.getOrElse(HashMap.get(state.ticketEvents, k), (): ReadonlyArray<Ticket.TicketEvent> => [])
  return Either.right([
    undefined,
    {
      ...state,
      tickets: HashMap.set(state.tickets, k, ticket),
      ticketEvents: events.length === 0 ? state.ticketEvents : HashMap.set(state.ticketEvents, k, [...history, ...events])
    }
  ])
}

/** The ticket port over `state`, reading customers through `customers` (the same store's port). */
export const make = (customers: CustomerStoreShape, state: StateAccess): TicketStoreShape => {
  const readState = state.read((s) => s)

  /** A visibility check per customer number, asking the customer port once per customer. */
  const customerFilter = (s: State.CrmState, tenant: string, visibility: Ownership.AccountVisibility) => {
    const seen = new Map<string, boolean>()
    return (customerNumber: string) =>
      Effect.gen(function* () {
        if (Ownership.isUnrestricted(visibility)) return true
        const known = seen.get(customerNumber)
        if (known !== undefined) return known
        const found = yield* customers.get(tenant, customerNumber, Actor.unrestricted)
        const visible =
          Option.isSome(found) &&
          Actor.canSeeGroup(visibility.groups, found.value.general.authorizationGroup) &&
          Ownership.inScope(visibility.scope, Option.getOrUndefined(HashMap.get(s.ownerships, State.key(tenant, customerNumber))))
        seen.set(customerNumber, visible)
        return visible
      })
  }

  /** The visible tickets of `rows`, in order, at most `limit`. */
  const visibleTickets = (
    s: State.CrmState,
    tenant: string,
    rows: ReadonlyArray<Ticket.Ticket>,
    visibility: Ownership.AccountVisibility,
    limit: number
  ) =>
    Effect.gen(function* () {
      const visible = customerFilter(s, tenant, visibility)
      const out: Array<Ticket.Ticket> = []
      for (const t of rows) {
        if (out.length >= limit) break
        if (yield* visible(t.customerNumber)) out.push(t)
      }
      return out
    })

  const tenantTickets = (s: State.CrmState, tenant: string) => State.rowsOf(s.tickets, tenant)

  return {
    get: (tenant, id, visibility) =>
      Effect.gen(function* () {
        const s = yield* readState
        const found = Option.getOrUndefined(HashMap.get(s.tickets, State.key(tenant, id)))
        if (found === undefined || !(yield* customerFilter(s, tenant, visibility)(found.customerNumber))) return Option.none()
        return Option.some(yield* copy("TicketStore.get", found))
      }),
    put: (ticket, expected, events) =>
      Effect.flatMap(copy("TicketStore.put", [ticket, events] as const), ([owned, ownedEvents]) =>
        state.write((s) => putTicket(s, owned, expected, ownedEvents))
      ),
    listByAccount: (query) =>
      Effect.gen(function* () {
        const s = yield* readState
        if (query.limit <= 0) return []
        const rows = tenantTickets(s, query.tenant)
          .filter(
            (t) =>
              t.customerNumber === query.customerNumber &&
              (!query.openOnly || t.statusKind === "open" || t.statusKind === "waiting") &&
              olderThan(t, query.before)
          )
          .sort(newestFirst)
        return yield* copy("TicketStore.listByAccount", yield* visibleTickets(s, query.tenant, rows, query.visibility, query.limit))
      }),
    events: (tenant, ticketId, visibility) =>
      Effect.gen(function* () {
        const s = yield* readState
        const k = State.key(tenant, ticketId)
        const ticket = Option.getOrUndefined(HashMap.get(s.tickets, k))
        if (ticket === undefined || !(yield* customerFilter(s, tenant, visibility)(ticket.customerNumber))) return []
        return yield* copy(
          "TicketStore.events",
          Option.getOrElse(HashMap.get(s.ticketEvents, k), () => [])
        )
      }),
    eventsByAccount: (query) =>
      Effect.gen(function* () {
        const s = yield* readState
        if (query.limit <= 0) return []
        if (!(yield* customerFilter(s, query.tenant, query.visibility)(query.customerNumber))) return []
        const events: Array<Ticket.TicketEvent> = []
        for (const t of tenantTickets(s, query.tenant)) {
          if (t.customerNumber !== query.customerNumber) continue
          for (const e of Option.getOrElse(HashMap.get(s.ticketEvents, State.key(t.tenant, t.id)), () => [])) {
            if (e.customerNumber === query.customerNumber && eventOlderThan(e, query.before)) events.push(e)
          }
        }
        return yield* copy("TicketStore.eventsByAccount", events.sort(newestEventFirst).slice(0, query.limit))
      }),
    breachCandidates: (query) =>
      Effect.gen(function* () {
        const s = yield* readState
        if (query.limit <= 0) return []
        const rows = tenantTickets(s, query.tenant)
          .filter((t) => (query.after === undefined || t.id > query.after) && isBreachCandidate(t, query.asOf))
          .sort((a, b) => compareText(a.id, b.id))
        return yield* copy("TicketStore.breachCandidates", yield* visibleTickets(s, query.tenant, rows, query.visibility, query.limit))
      }),
    openedBetween: (query) =>
      Effect.gen(function* () {
        const s = yield* readState
        if (query.limit <= 0) return []
        const after = query.after
        const rows = tenantTickets(s, query.tenant)
          .filter(
            (t) =>
              t.openedAt >= query.from &&
              t.openedAt < query.to &&
              (after === undefined || t.openedAt > after.openedAt || (t.openedAt === after.openedAt && t.id > after.id))
          )
          .sort((a, b) => compareText(a.openedAt, b.openedAt) || compareText(a.id, b.id))
        return yield* copy("TicketStore.openedBetween", yield* visibleTickets(s, query.tenant, rows, query.visibility, query.limit))
      })
  }
}
