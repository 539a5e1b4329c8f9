import type { Dialect } from "../Dialect.js"
import type { Migration } from "../Migrations.js"

/**
 * SQL expressions the sales tables' indexes are built on, and which the queries must repeat
 * word for word for the engine to use those indexes.
 */
export const salesExpressions = (dialect: Pick<Dialect, "name">) => {
  const postgres = dialect.name === "postgres"
  /** ASCII upper case to lower case, other characters kept (`Lead.matchKey`; SQLite's `lower` does exactly this). */
  const fold = (expression: string) =>
    postgres ? `translate(${expression}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')` : `lower(${expression})`
  /** A text field of a JSON `record` column. */
  const field = (alias: string, name: string) => (postgres ? `(${alias}record->>'${name}')` : `json_extract(${alias}record, '$.${name}')`)
  return { fold, field }
}

/**
 * Version 6: leads and opportunities of `@partnerkit/crm`.
 *
 * - `crm_leads` (status, owner, team, territory, group, source, campaign as columns, the lead as
 *   JSON) with indexes for each list filter; `crm_lead_turns` holds the round-robin counter of each
 *   pool (drawn with one upsert).
 * - `crm_opportunities` with the pipeline's columns (status, expected close date, owner,
 *   territory, sales area, stage, probability, amount in hundredths, currency); the pipeline is one
 *   aggregate over a covering index — `(tenant, status, close_date, …)` for every account, or
 *   `(tenant, customer_number, status, close_date, …)` for the accounts of a restricted reader.
 * - `crm_opportunity_history`: one row per write, keyed by `(tenant, opportunity_id, seq)`, with
 *   the same figures, read by account for the timeline and by time for the forecast as of a date.
 * - Expression indexes for the duplicate check (folded names and e-mail addresses of customers,
 *   contact persons and prospects) and for an activity's lead (`leadId` of the activity's JSON).
 */
export const crmSales: Migration = {
  version: 6,
  name: "crm_sales",
  statements: (dialect) => {
    const { tableOptions, types: t } = dialect
    const { fold, field } = salesExpressions(dialect)
    return [
      `CREATE TABLE crm_leads (
  tenant ${t.key} NOT NULL,
  id ${t.key} NOT NULL,
  status ${t.key} NOT NULL,
  owner ${t.key} NOT NULL,
  team ${t.key},
  territory ${t.key},
  authorization_group ${t.key},
  source ${t.key} NOT NULL,
  campaign_id ${t.key},
  version ${t.integer} NOT NULL,
  record ${t.json} NOT NULL,
  PRIMARY KEY (tenant, id)
)${tableOptions}`,
      "CREATE INDEX crm_leads_by_owner ON crm_leads (tenant, owner, id)",
      "CREATE INDEX crm_leads_by_status ON crm_leads (tenant, status, id)",
      "CREATE INDEX crm_leads_by_source ON crm_leads (tenant, source, id)",
      "CREATE INDEX crm_leads_by_campaign ON crm_leads (tenant, campaign_id, id)",
      `CREATE TABLE crm_lead_turns (
  tenant ${t.key} NOT NULL,
  pool ${t.key} NOT NULL,
  next_turn ${t.bigint} NOT NULL,
  PRIMARY KEY (tenant, pool)
)${tableOptions}`,
      `CREATE TABLE crm_opportunities (
  tenant ${t.key} NOT NULL,
  id ${t.key} NOT NULL,
  customer_number ${t.key},
  prospect_id ${t.key},
  owner ${t.key} NOT NULL,
  territory ${t.key},
  sales_area ${t.key},
  stage ${t.key} NOT NULL,
  status ${t.key} NOT NULL,
  probability ${t.integer} NOT NULL,
  amount_cents ${t.bigint},
  currency ${t.key},
  close_date ${t.key},
  version ${t.integer} NOT NULL,
  record ${t.json} NOT NULL,
  PRIMARY KEY (tenant, id)
)${tableOptions}`,
      "CREATE INDEX crm_opportunities_by_customer ON crm_opportunities (tenant, customer_number, id)",
      "CREATE INDEX crm_opportunities_by_prospect ON crm_opportunities (tenant, prospect_id, id)",
      "CREATE INDEX crm_opportunities_by_owner ON crm_opportunities (tenant, owner, id)",
      // The pipeline's two covering indexes: every opportunity of the tenant by status and close
      // date, and those of given customers (a restricted reader's accounts).
      `CREATE INDEX crm_opportunities_pipeline ON crm_opportunities
  (tenant, status, close_date, currency, amount_cents, probability, owner, stage, territory, sales_area, customer_number, prospect_id)`,
      `CREATE INDEX crm_opportunities_pipeline_by_customer ON crm_opportunities
  (tenant, customer_number, status, close_date, currency, amount_cents, probability, owner, stage, territory, sales_area)`,
      `CREATE TABLE crm_opportunity_history (
  tenant ${t.key} NOT NULL,
  opportunity_id ${t.key} NOT NULL,
  seq ${t.integer} NOT NULL,
  at ${t.key} NOT NULL,
  change ${t.key} NOT NULL,
  customer_number ${t.key},
  prospect_id ${t.key},
  owner ${t.key} NOT NULL,
  territory ${t.key},
  sales_area ${t.key},
  stage ${t.key} NOT NULL,
  status ${t.key} NOT NULL,
  probability ${t.integer} NOT NULL,
  amount_cents ${t.bigint},
  currency ${t.key},
  close_date ${t.key},
  record ${t.json} NOT NULL,
  PRIMARY KEY (tenant, opportunity_id, seq)
)${tableOptions}`,
      "CREATE INDEX crm_opportunity_history_by_customer ON crm_opportunity_history (tenant, customer_number, at, opportunity_id, seq)",
      "CREATE INDEX crm_opportunity_history_by_prospect ON crm_opportunity_history (tenant, prospect_id, at, opportunity_id, seq)",
      // Covering for the forecast as of a date: the rows up to then, with every figure it sums.
      `CREATE INDEX crm_opportunity_history_by_time ON crm_opportunity_history
  (tenant, at, opportunity_id, seq, status, close_date, currency, amount_cents, probability, owner, stage, territory, sales_area, customer_number, prospect_id)`,
      `CREATE INDEX crm_customers_by_name_key ON customers (tenant, (${fold("name")}))`,
      `CREATE INDEX crm_customers_by_email_key ON customers (tenant, (${fold("email")}))`,
      `CREATE INDEX crm_contact_persons_by_email_key ON contact_persons (tenant, (${fold("email")}))`,
      `CREATE INDEX crm_prospects_by_name_key ON crm_prospects (tenant, (${fold(field("", "name"))}))`,
      `CREATE INDEX crm_prospects_by_email_key ON crm_prospects (tenant, (${fold(field("", "email"))}))`,
      `CREATE INDEX crm_activities_by_lead ON crm_activities (tenant, (${field("", "leadId")}), at, id)`
    ]
  }
}
