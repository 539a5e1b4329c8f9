import type { Migration } from "../Migrations.js"

/**
 * Version 8: the indexes the CRM analytics need beyond the sales and service tables' own. Each
 * covers its query, so the engine never visits the table rows:
 *
 * - `crm_activities_by_time`: the activities of a tenant by their timeline position `at`, with
 *   every column the activity statistics group, filter and count by (owner, kind, status, due
 *   time) and the account columns visibility is judged on — the statistics of a period read a
 *   range of this index and nothing else.
 * - `crm_opportunities_by_close`: the opportunities of a tenant by status and close date with
 *   their owner, id and account — the funnel and the sales cycle read the period's range of it.
 * - `crm_opportunity_history_stages`: each opportunity's history entries with their stage and
 *   time — the funnel's furthest stage and the sales cycle's creation time, one probe each.
 *
 * The pipeline by stage and the 360° view's pipeline figures read `crm_opportunities_pipeline` /
 * `crm_opportunities_pipeline_by_customer` (version 6).
 */
export const crmAnalytics: Migration = {
  version: 8,
  name: "crm_analytics",
  statements: () => [
    "CREATE INDEX crm_activities_by_time ON crm_activities (tenant, at, owner, kind, status, due_at, customer_number, prospect_id)",
    "CREATE INDEX crm_opportunities_by_close ON crm_opportunities (tenant, status, close_date, owner, id, customer_number, prospect_id)",
    "CREATE INDEX crm_opportunity_history_stages ON crm_opportunity_history (tenant, opportunity_id, seq, stage, at)"
  ]
}
