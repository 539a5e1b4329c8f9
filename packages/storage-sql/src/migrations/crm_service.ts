import type { Migration } from "../Migrations.js"

/**
 * Version 7: the service tables of `@partnerkit/crm` — tickets and their events. Each row holds
 * the whole record as JSON (`record`) next to the columns the queries filter and order by;
 * timestamps are ISO-8601 UTC text in `key` columns, so they order by code unit.
 *
 * `response_due_at` / `resolution_due_at` hold a target's due time only while it can still be
 * breached (clock running, not reached, no breach recorded), else NULL: the breach-candidate query
 * reads the two due-time indexes and nothing else. Indexes: a customer's tickets newest first, the
 * two due times, tickets by opening time (compliance over a period), a customer's ticket events
 * newest first (the timeline).
 */
export const crmService: Migration = {
  version: 7,
  name: "crm_service",
  statements: ({ tableOptions, types: t }) => [
    `CREATE TABLE crm_tickets (
  tenant ${t.key} NOT NULL,
  id ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  status ${t.key} NOT NULL,
  status_kind ${t.key} NOT NULL,
  priority ${t.key} NOT NULL,
  team ${t.key},
  owner ${t.key},
  opened_at ${t.key} NOT NULL,
  response_due_at ${t.key},
  resolution_due_at ${t.key},
  version ${t.integer} NOT NULL,
  record ${t.json} NOT NULL,
  PRIMARY KEY (tenant, id)
)${tableOptions}`,
    "CREATE INDEX crm_tickets_by_customer ON crm_tickets (tenant, customer_number, opened_at, id)",
    "CREATE INDEX crm_tickets_response_due ON crm_tickets (tenant, response_due_at, id)",
    "CREATE INDEX crm_tickets_resolution_due ON crm_tickets (tenant, resolution_due_at, id)",
    "CREATE INDEX crm_tickets_by_opened ON crm_tickets (tenant, opened_at, id)",
    `CREATE TABLE crm_ticket_events (
  tenant ${t.key} NOT NULL,
  ticket_id ${t.key} NOT NULL,
  seq ${t.integer} NOT NULL,
  customer_number ${t.key} NOT NULL,
  at ${t.key} NOT NULL,
  kind ${t.key} NOT NULL,
  record ${t.json} NOT NULL,
  PRIMARY KEY (tenant, ticket_id, seq)
)${tableOptions}`,
    "CREATE INDEX crm_ticket_events_by_customer ON crm_ticket_events (tenant, customer_number, at, ticket_id, seq)"
  ]
}
