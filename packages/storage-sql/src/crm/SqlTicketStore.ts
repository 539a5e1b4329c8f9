/**
 * The `TicketStore` port of `@partnerkit/crm` on an `@effect/sql` `SqlClient` (tables of migration
 * 7, `crm_tickets` and `crm_ticket_events`). `SqlCrmStore.make` adds it to the CRM ports.
 *
 * Visibility is part of each query: a ticket (or event) is returned only when its customer exists,
 * the customer's general authorization group is allowed and its ownership row is in the CRM scope.
 * The breach-candidate columns (`response_due_at`, `resolution_due_at`) hold a due time only while
 * the target can still be breached, so `breachCandidates` reads just the two due-time indexes.
 *
 * @internal
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import { type Ticket, type TicketStoreShape, watchedDueTimes } from "@partnerkit/crm"
import { Effect, Option } from "effect"
import type { Dialect } from "../Dialect.js"
import { storageError } from "../internal/Errors.js"
import * as Reads from "../internal/Reads.js"
import { all } from "../internal/Statements.js"
import type * as Transaction from "../internal/Transaction.js"
import * as AccountAccess from "./internal/AccountAccess.js"

type Row = Record<string, unknown>

const noRows: Effect.Effect<ReadonlyArray<Row>> = Effect.succeed([])

/** The ticket port over `sql` (writes, in `tx`) and `reader` (reads outside a transaction). */
export const make = (
  dialect: Dialect,
  sql: SqlClient.SqlClient,
  reader: SqlClient.SqlClient,
  tx: Transaction.Transactions,
  reads: Reads.Reads = Reads.make(undefined)
): TicketStoreShape => {
  const select = Reads.query(reads, reader)
  const access = AccountAccess.make(sql)
  /** The customer of `alias` (a row with `tenant` and `customer_number`) is visible; `undefined` when nothing is restricted. */
  const customerVisible = access.customerRestriction
  const decode = <A>(row: Row): A => dialect.decodeJson(row.record) as A
  const decodeAll = <A>(rows: ReadonlyArray<Row>): Array<A> => rows.map((r) => decode<A>(r))

  const ticketRow = (t: Ticket.Ticket): Row => {
    const watched = watchedDueTimes(t)
    return {
      tenant: t.tenant,
      id: t.id,
      customer_number: t.customerNumber,
      status: t.status,
      status_kind: t.statusKind,
      priority: t.priority,
      team: t.team ?? null,
      owner: t.owner ?? null,
      opened_at: t.openedAt,
      response_due_at: watched.firstResponse ?? null,
      resolution_due_at: watched.resolution ?? null,
      version: t.version,
      record: dialect.encodeJson(t)
    }
  }

  const eventRow = (e: Ticket.TicketEvent): Row => ({
    tenant: e.tenant,
    ticket_id: e.ticketId,
    seq: e.seq,
    customer_number: e.customerNumber,
    at: e.at,
    kind: e.kind,
    record: dialect.encodeJson(e)
  })

  const put: TicketStoreShape["put"] = (ticket, expected, events) =>
    tx
      .write(
        Effect.gen(function* () {
          yield* access.versionedWrite("crm_tickets", ["tenant", "id"], ticket.id, ticketRow(ticket), expected)
          if (events.length > 0) yield* sql`INSERT INTO crm_ticket_events ${sql.insert(events.map(eventRow))}`
        })
      )
      .pipe(storageError("TicketStore.put"))

  return {
    get: (tenant, id, visibility) =>
      select<Row>`SELECT t.record FROM crm_tickets t WHERE ${all(sql, [sql`t.tenant = ${tenant}`, sql`t.id = ${id}`, customerVisible(visibility, "t")])}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (r) => decode<Ticket.Ticket>(r))),
        storageError("TicketStore.get")
      ),
    put,
    listByAccount: (query) =>
      (query.limit <= 0
        ? noRows
        : select<Row>`SELECT t.record FROM crm_tickets t WHERE ${all(sql, [
            sql`t.tenant = ${query.tenant}`,
            sql`t.customer_number = ${query.customerNumber}`,
            query.openOnly ? sql`t.status_kind IN ('open', 'waiting')` : undefined,
            query.before === undefined
              ? undefined
              : sql`(t.opened_at < ${query.before.openedAt} OR (t.opened_at = ${query.before.openedAt} AND t.id < ${query.before.id}))`,
            customerVisible(query.visibility, "t")
          ])} ORDER BY t.opened_at DESC, t.id DESC LIMIT ${query.limit}`
      ).pipe(
        Effect.map((rows) => decodeAll<Ticket.Ticket>(rows)),
        storageError("TicketStore.listByAccount")
      ),
    events: (tenant, ticketId, visibility) =>
      select<Row>`SELECT e.record FROM crm_ticket_events e WHERE ${all(sql, [
        sql`e.tenant = ${tenant}`,
        sql`e.ticket_id = ${ticketId}`,
        sql`EXISTS (SELECT 1 FROM crm_tickets t WHERE ${all(sql, [
          sql`t.tenant = e.tenant`,
          sql`t.id = e.ticket_id`,
          customerVisible(visibility, "t")
        ])})`
      ])} ORDER BY e.seq`.pipe(
        Effect.map((rows) => decodeAll<Ticket.TicketEvent>(rows)),
        storageError("TicketStore.events")
      ),
    eventsByAccount: (query) => {
      const b = query.before
      return (
        query.limit <= 0
          ? noRows
          : select<Row>`SELECT e.record FROM crm_ticket_events e WHERE ${all(sql, [
              sql`e.tenant = ${query.tenant}`,
              sql`e.customer_number = ${query.customerNumber}`,
              b === undefined
                ? undefined
                : sql`(e.at < ${b.at} OR (e.at = ${b.at} AND (e.ticket_id < ${b.ticketId} OR (e.ticket_id = ${b.ticketId} AND e.seq < ${b.seq}))))`,
              customerVisible(query.visibility, "e")
            ])} ORDER BY e.at DESC, e.ticket_id DESC, e.seq DESC LIMIT ${query.limit}`
      ).pipe(
        Effect.map((rows) => decodeAll<Ticket.TicketEvent>(rows)),
        storageError("TicketStore.eventsByAccount")
      )
    },
    breachCandidates: (query) =>
      (query.limit <= 0
        ? noRows
        : select<Row>`SELECT t.record FROM crm_tickets t WHERE ${all(sql, [
            sql`t.tenant = ${query.tenant}`,
            // A union of two index range reads (an OR would let a planner walk the whole tenant by id).
            sql`t.id IN (SELECT d.id FROM crm_tickets d WHERE d.tenant = ${query.tenant} AND d.response_due_at < ${query.asOf}
              UNION ALL SELECT d.id FROM crm_tickets d WHERE d.tenant = ${query.tenant} AND d.resolution_due_at < ${query.asOf})`,
            query.after === undefined ? undefined : sql`t.id > ${query.after}`,
            customerVisible(query.visibility, "t")
          ])} ORDER BY t.id LIMIT ${query.limit}`
      ).pipe(
        Effect.map((rows) => decodeAll<Ticket.Ticket>(rows)),
        storageError("TicketStore.breachCandidates")
      ),
    openedBetween: (query) => {
      const a = query.after
      return (
        query.limit <= 0
          ? noRows
          : select<Row>`SELECT t.record FROM crm_tickets t WHERE ${all(sql, [
              sql`t.tenant = ${query.tenant}`,
              sql`t.opened_at >= ${query.from}`,
              sql`t.opened_at < ${query.to}`,
              a === undefined ? undefined : sql`(t.opened_at > ${a.openedAt} OR (t.opened_at = ${a.openedAt} AND t.id > ${a.id}))`,
              customerVisible(query.visibility, "t")
            ])} ORDER BY t.opened_at, t.id LIMIT ${query.limit}`
      ).pipe(
        Effect.map((rows) => decodeAll<Ticket.Ticket>(rows)),
        storageError("TicketStore.openedBetween")
      )
    }
  }
}
