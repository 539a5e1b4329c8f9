import type { Migration } from "../Migrations.js"

/**
 * Version 10: follow-ups from the index alone, on PostgreSQL.
 *
 * Follow-ups read the open activities of an owner due before a time, and keep those whose account
 * the actor may see. With `crm_activities_follow_ups` (version 3) each of up to 201 rows was a heap
 * fetch of its own, scattered over the table, plus an ownership row fetch for the visibility
 * check: on a cold cache about 500 pages per call (40–60 ms, against 3–4 ms warm).
 *
 * - `crm_activities_open_by_owner`: the open activities only (a partial index, about a tenth of
 *   the table), by owner and due time, with the account columns and the record itself
 *   (`INCLUDE`): the follow-up list is an index-only scan.
 * - `crm_account_owners_scope`: the ownership row's scope columns next to its key, so that the
 *   visibility check of each row is an index-only probe.
 *
 * SQLite has no `INCLUDE`, and its follow-ups already read few pages (one file, its page cache in
 * the process): nothing changes there; the version is recorded all the same.
 */
export const crmFollowUps: Migration = {
  version: 10,
  name: "crm_follow_ups",
  statements: (dialect) =>
    dialect.name === "postgres"
      ? [
          `CREATE INDEX crm_activities_open_by_owner ON crm_activities (tenant, owner, due_at, id)
            INCLUDE (customer_number, prospect_id, record) WHERE status = 'open'`,
          "CREATE INDEX crm_account_owners_scope ON crm_account_owners (tenant, customer_number) INCLUDE (owner, team, territory)"
        ]
      : []
}
