import type { Migration } from "../Migrations.js"
import { salesExpressions } from "./crm_sales.js"

/**
 * Version 9: segments and campaigns of `@partnerkit/crm`, and the indexes their queries need.
 *
 * - `crm_segments` (a saved rule as JSON), `crm_segment_snapshots` (a frozen segment) with its
 *   members in `crm_segment_members`, `crm_campaigns`, `crm_campaign_members` (with the group
 *   each member was placed in) and `crm_campaign_responses`.
 * - `crm_activities_behaviour`: an account's activities by status and time with their kind — the
 *   behavioural aggregates (completed activities in a window, the last contact) read one range of
 *   it per account. Won opportunities are read from `crm_opportunities_pipeline_by_customer`.
 * - Customers by country, region and industry, and sales-area views by customer group, each
 *   followed by the customer number (a segment on one of them reads that range in key order).
 * - `crm_opportunities_by_lead`: the opportunities opened from a lead (`leadId` of the JSON), for
 *   a campaign's return.
 */
export const crmSegments: Migration = {
  version: 9,
  name: "crm_segments",
  statements: (dialect) => {
    const { tableOptions, types: t } = dialect
    const { field } = salesExpressions(dialect)
    return [
      `CREATE TABLE crm_segments (
  tenant ${t.key} NOT NULL,
  id ${t.key} NOT NULL,
  version ${t.integer} NOT NULL,
  record ${t.json} NOT NULL,
  PRIMARY KEY (tenant, id)
)${tableOptions}`,
      `CREATE TABLE crm_segment_snapshots (
  tenant ${t.key} NOT NULL,
  id ${t.key} NOT NULL,
  segment_id ${t.key},
  record ${t.json} NOT NULL,
  PRIMARY KEY (tenant, id)
)${tableOptions}`,
      "CREATE INDEX crm_segment_snapshots_by_segment ON crm_segment_snapshots (tenant, segment_id, id)",
      `CREATE TABLE crm_segment_members (
  tenant ${t.key} NOT NULL,
  snapshot_id ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  PRIMARY KEY (tenant, snapshot_id, customer_number)
)${tableOptions}`,
      `CREATE TABLE crm_campaigns (
  tenant ${t.key} NOT NULL,
  id ${t.key} NOT NULL,
  record ${t.json} NOT NULL,
  PRIMARY KEY (tenant, id)
)${tableOptions}`,
      `CREATE TABLE crm_campaign_members (
  tenant ${t.key} NOT NULL,
  campaign_id ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  member_group ${t.key} NOT NULL,
  record ${t.json} NOT NULL,
  PRIMARY KEY (tenant, campaign_id, customer_number)
)${tableOptions}`,
      `CREATE TABLE crm_campaign_responses (
  tenant ${t.key} NOT NULL,
  campaign_id ${t.key} NOT NULL,
  id ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  record ${t.json} NOT NULL,
  PRIMARY KEY (tenant, campaign_id, id)
)${tableOptions}`,
      "CREATE INDEX crm_campaign_responses_by_member ON crm_campaign_responses (tenant, campaign_id, customer_number)",
      "CREATE INDEX crm_activities_behaviour ON crm_activities (tenant, customer_number, status, at, kind)",
      "CREATE INDEX crm_customers_by_country ON customers (tenant, country, number)",
      "CREATE INDEX crm_customers_by_region ON customers (tenant, region, number)",
      "CREATE INDEX crm_customers_by_industry ON customers (tenant, industry, number)",
      "CREATE INDEX crm_sales_area_views_by_customer_group ON sales_area_views (tenant, customer_group, customer_number)",
      `CREATE INDEX crm_opportunities_by_lead ON crm_opportunities (tenant, (${field("", "leadId")}))`
    ]
  }
}
