/**
 * The storage port for service tickets and their events.
 *
 * A ticket belongs to its customer (`customerNumber`). It — and each of its events — is visible to
 * an `AccountVisibility` when the customer exists, its general authorization group is allowed by
 * `visibility.groups`, and its ownership is in `visibility.scope` (no ownership: only in the
 * `"all"` scope).
 *
 * Semantics:
 * - All reads and writes are scoped by `tenant`.
 * - `get` returns `Option.none()` when no ticket has that id in the tenant, or when it is not visible.
 * - `put(ticket, expectedVersion, events)` writes the ticket and appends `events` only if the stored
 *   version equals `expectedVersion` (`null`: must not exist yet); otherwise it fails with
 *   `VersionConflict` (`actual` 0 when none) and writes neither. Of two concurrent puts from the
 *   same version exactly one succeeds.
 * - `listByAccount` returns the visible tickets of one customer, newest first (`openedAt`
 *   descending, then id descending), with `openOnly` only those whose status kind is `open` or
 *   `waiting`, only those before the `before` position when given, at most `limit`.
 * - `events` returns the events of one visible ticket in `seq` order (none for a hidden or unknown ticket).
 * - `eventsByAccount` returns the visible events of one customer's tickets newest first (`at`
 *   descending, then ticket id and `seq` descending), only those before the `before` position
 *   when given, at most `limit`.
 * - `breachCandidates` returns the visible tickets with a target whose clock runs (no
 *   `pausedSince`), not reached (no `firstResponseAt` / `resolvedAt`), not yet recorded as breached,
 *   and due strictly before `asOf`; ordered by id, only ids after `after`, at most `limit`. Stores
 *   answer it from indexes on the due times.
 * - `openedBetween` returns the visible tickets opened in `[from, to)`, by `openedAt` then id, only
 *   those after the `after` position, at most `limit`.
 * - Tickets and events come back as they were written.
 * - Inside `StoreTransaction.withTransaction` every operation is part of that transaction.
 *
 * @example
 * ```ts
 * import { TicketStore, Ownership } from "@partnerkit/crm"
 * import { Effect } from "effect"
 *
 * const overdue = Effect.flatMap(TicketStore, (tickets) =>
 *   tickets.breachCandidates({ tenant: "acme", visibility: Ownership.unrestricted, asOf: "2026-03-02T12:00:00Z", limit: 100 })
 * )
 * ```
 * @module
 */
import type { Errors } from "@partnerkit/core"
import { Context, type Effect, type Option } from "effect"
import type { AccountVisibility } from "./Ownership.js"
import type { Ticket, TicketEvent } from "./Ticket.js"

/** A position in a customer's ticket list: `openedAt`, then id. */
export interface TicketPosition {
  readonly openedAt: string
  readonly id: string
}

/** A position in a customer's ticket events: `at`, then ticket id, then `seq`. */
export interface TicketEventPosition {
  readonly at: string
  readonly ticketId: string
  readonly seq: number
}

export interface AccountTicketQuery {
  readonly tenant: string
  readonly customerNumber: string
  readonly visibility: AccountVisibility
  readonly openOnly?: boolean | undefined
  /** Exclusive: only tickets older than this position (the cursor). */
  readonly before?: TicketPosition | undefined
  readonly limit: number
}

export interface AccountTicketEventQuery {
  readonly tenant: string
  readonly customerNumber: string
  readonly visibility: AccountVisibility
  /** Exclusive: only events older than this position (the cursor). */
  readonly before?: TicketEventPosition | undefined
  readonly limit: number
}

export interface BreachCandidateQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  /** Exclusive upper bound on the due times. */
  readonly asOf: string
  /** Exclusive: only ids after this one. */
  readonly after?: string | undefined
  readonly limit: number
}

export interface OpenedBetweenQuery {
  readonly tenant: string
  readonly visibility: AccountVisibility
  /** Inclusive. */
  readonly from: string
  /** Exclusive. */
  readonly to: string
  /** Exclusive: only tickets after this position. */
  readonly after?: TicketPosition | undefined
  readonly limit: number
}

export interface TicketStoreShape {
  readonly get: (tenant: string, id: string, visibility: AccountVisibility) => Effect.Effect<Option.Option<Ticket>, Errors.StorageError>
  readonly put: (
    ticket: Ticket,
    expectedVersion: number | null,
    events: ReadonlyArray<TicketEvent>
  ) => Effect.Effect<void, Errors.VersionConflict | Errors.StorageError>
  readonly listByAccount: (query: AccountTicketQuery) => Effect.Effect<ReadonlyArray<Ticket>, Errors.StorageError>
  readonly events: (
    tenant: string,
    ticketId: string,
    visibility: AccountVisibility
  ) => Effect.Effect<ReadonlyArray<TicketEvent>, Errors.StorageError>
  readonly eventsByAccount: (query: AccountTicketEventQuery) => Effect.Effect<ReadonlyArray<TicketEvent>, Errors.StorageError>
  readonly breachCandidates: (query: BreachCandidateQuery) => Effect.Effect<ReadonlyArray<Ticket>, Errors.StorageError>
  readonly openedBetween: (query: OpenedBetweenQuery) => Effect.Effect<ReadonlyArray<Ticket>, Errors.StorageError>
}

/** The ticket port. */
export class TicketStore extends Context.Tag("@partnerkit/crm/TicketStore")<TicketStore, TicketStoreShape>() {}

/** Is a target of `ticket` a breach candidate at `asOf` (the predicate `breachCandidates` applies)? */
export const isBreachCandidate = (ticket: Ticket, asOf: string): boolean =>
  ticket.pausedSince === undefined &&
  ((ticket.firstResponseAt === undefined && ticket.firstResponseBreachedAt === undefined && ticket.firstResponseDueAt < asOf) ||
    (ticket.resolvedAt === undefined && ticket.resolutionBreachedAt === undefined && ticket.resolutionDueAt < asOf))

/**
 * The due times a store indexes for `breachCandidates`: a target's due time while it is a
 * candidate-to-be (clock running, not reached, not recorded as breached), else `undefined`.
 */
export const watchedDueTimes = (ticket: Ticket): { readonly firstResponse?: string; readonly resolution?: string } => {
  if (ticket.pausedSince !== undefined) return {}
  return {
    ...(ticket.firstResponseAt === undefined && ticket.firstResponseBreachedAt === undefined
      ? { firstResponse: ticket.firstResponseDueAt }
      : {}),
    ...(ticket.resolvedAt === undefined && ticket.resolutionBreachedAt === undefined ? { resolution: ticket.resolutionDueAt } : {})
  }
}
