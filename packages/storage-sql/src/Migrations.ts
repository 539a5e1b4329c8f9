/**
 * The schema of the SQL stores, as versioned, forward-only migrations written once for every
 * dialect. Applied migrations are recorded in `partnerkit_migrations` (version, name, applied_at).
 *
 * Rules:
 * - A released migration is never edited; a change is a new migration (a test pins the SQL of
 *   migration 1, "the first released schema").
 * - All pending migrations run in one transaction that first takes the dialect's migration lock,
 *   so processes that start together neither race nor see a half-migrated schema.
 * - A database whose recorded version is newer than the last migration this package knows is
 *   refused with `SchemaTooNew`: an older store must not write to a schema it does not understand.
 * - The tenant leads every primary key and every index (see `docs/stores/postgres.md`: the tables
 *   can be distributed by tenant, e.g. with Citus, without changing a key).
 *
 * @example
 * ```ts
 * import { Migrations } from "@partnerkit/storage-sql"
 *
 * const names = Migrations.migrations.map((m) => `${m.version} ${m.name}`)
 * const latest: number = Migrations.latest
 * ```
 * @module
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { Errors } from "@partnerkit/core"
import { Clock, Effect } from "effect"
import type { Dialect } from "./Dialect.js"
import { storageError } from "./internal/Errors.js"
import * as Transaction from "./internal/Transaction.js"
import { crmAnalytics } from "./migrations/crm_analytics.js"
import { crmFollowUps } from "./migrations/crm_follow_ups.js"
import { crmSales } from "./migrations/crm_sales.js"
import { crmSegments } from "./migrations/crm_segments.js"
import { crmService } from "./migrations/crm_service.js"
import { matchIndex } from "./migrations/match_index.js"
import { search } from "./migrations/search.js"

/**
 * One step of the schema. `statements` are plain DDL, rendered for a dialect; `data`, when
 * present, runs right after them in the same transaction and fills what the new tables need from
 * the rows already there (the schema is then exactly that version's).
 */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly statements: (dialect: Dialect) => ReadonlyArray<string>
  readonly data?: ((dialect: Dialect) => Effect.Effect<void, SqlError, SqlClient.SqlClient>) | undefined
}

/** Version 1, the first released schema: every table with its primary and foreign keys. */
const initial: Migration = {
  version: 1,
  name: "initial",
  statements: ({ tableOptions, types: t }) => [
    `CREATE TABLE customers (
  tenant ${t.key} NOT NULL,
  number ${t.key} NOT NULL,
  account_group ${t.key} NOT NULL,
  version ${t.integer} NOT NULL,
  title ${t.key},
  category ${t.key},
  business_partner_number ${t.key},
  name ${t.text} NOT NULL,
  name2 ${t.text},
  name3 ${t.text},
  name4 ${t.text},
  search_term ${t.text},
  street ${t.text},
  house_number ${t.text},
  postal_code ${t.text},
  city ${t.text},
  region ${t.key},
  country ${t.key},
  language ${t.key},
  phone ${t.text},
  mobile ${t.text},
  fax ${t.text},
  email ${t.text},
  notes ${t.text},
  industry ${t.key},
  tax_numbers ${t.json},
  authorization_group ${t.key},
  central_block_reason ${t.text},
  central_block_by ${t.text},
  central_block_at ${t.text},
  deletion_flag ${t.boolean} NOT NULL,
  created_by ${t.text} NOT NULL,
  created_at ${t.text} NOT NULL,
  changed_by ${t.text} NOT NULL,
  changed_at ${t.text} NOT NULL,
  PRIMARY KEY (tenant, number)
)${tableOptions}`,
    `CREATE TABLE company_code_views (
  tenant ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  company_code ${t.key} NOT NULL,
  position ${t.integer} NOT NULL,
  reconciliation_account ${t.key},
  payment_terms ${t.key},
  sort_key ${t.key},
  head_office ${t.key},
  dunning_procedure ${t.key},
  previous_account_number ${t.key},
  authorization_group ${t.key},
  posting_block_reason ${t.text},
  posting_block_by ${t.text},
  posting_block_at ${t.text},
  deletion_flag ${t.boolean} NOT NULL,
  PRIMARY KEY (tenant, customer_number, company_code),
  FOREIGN KEY (tenant, customer_number) REFERENCES customers (tenant, number) ON DELETE CASCADE
)${tableOptions}`,
    `CREATE TABLE sales_area_views (
  tenant ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  sales_organization ${t.key} NOT NULL,
  distribution_channel ${t.key} NOT NULL,
  division ${t.key} NOT NULL,
  position ${t.integer} NOT NULL,
  sales_district ${t.key},
  sales_office ${t.key},
  sales_group ${t.key},
  customer_group ${t.key},
  currency ${t.key},
  price_group ${t.key},
  customer_pricing_procedure ${t.key},
  delivering_plant ${t.key},
  shipping_conditions ${t.key},
  incoterms ${t.key},
  incoterms_location ${t.text},
  payment_terms ${t.key},
  credit_control_area ${t.key},
  account_assignment_group ${t.key},
  tax_classification ${t.key},
  authorization_group ${t.key},
  order_block_reason ${t.text},
  order_block_by ${t.text},
  order_block_at ${t.text},
  delivery_block_reason ${t.text},
  delivery_block_by ${t.text},
  delivery_block_at ${t.text},
  billing_block_reason ${t.text},
  billing_block_by ${t.text},
  billing_block_at ${t.text},
  deletion_flag ${t.boolean} NOT NULL,
  PRIMARY KEY (tenant, customer_number, sales_organization, distribution_channel, division),
  FOREIGN KEY (tenant, customer_number) REFERENCES customers (tenant, number) ON DELETE CASCADE
)${tableOptions}`,
    // A view's partner functions (SAP: KNVP), in their order. Rows, not JSON: "where is C0002 the
    // payer?" is a question the data must be able to answer.
    `CREATE TABLE sales_area_partners (
  tenant ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  sales_organization ${t.key} NOT NULL,
  distribution_channel ${t.key} NOT NULL,
  division ${t.key} NOT NULL,
  position ${t.integer} NOT NULL,
  partner_function ${t.key} NOT NULL,
  partner ${t.key} NOT NULL,
  is_default ${t.boolean},
  PRIMARY KEY (tenant, customer_number, sales_organization, distribution_channel, division, position),
  FOREIGN KEY (tenant, customer_number, sales_organization, distribution_channel, division)
    REFERENCES sales_area_views (tenant, customer_number, sales_organization, distribution_channel, division) ON DELETE CASCADE
)${tableOptions}`,
    `CREATE TABLE contact_persons (
  tenant ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  id ${t.key} NOT NULL,
  position ${t.integer} NOT NULL,
  first_name ${t.text},
  last_name ${t.text} NOT NULL,
  job_function ${t.text},
  department ${t.text},
  phone ${t.text},
  email ${t.text},
  notes ${t.text},
  PRIMARY KEY (tenant, customer_number, id),
  FOREIGN KEY (tenant, customer_number) REFERENCES customers (tenant, number) ON DELETE CASCADE
)${tableOptions}`,
    // No foreign key to customers: change documents outlive archived records and may be written
    // by imports before the record they describe. The key (read backwards) serves "newest first".
    `CREATE TABLE change_documents (
  tenant ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  change_number ${t.integer} NOT NULL,
  operation ${t.key} NOT NULL,
  changed_by ${t.text} NOT NULL,
  changed_at ${t.text} NOT NULL,
  PRIMARY KEY (tenant, customer_number, change_number)
)${tableOptions}`,
    `CREATE TABLE change_document_items (
  tenant ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  change_number ${t.integer} NOT NULL,
  position ${t.integer} NOT NULL,
  view_kind ${t.key} NOT NULL,
  view_id ${t.key} NOT NULL,
  path ${t.text} NOT NULL,
  old_value ${t.text},
  new_value ${t.text},
  PRIMARY KEY (tenant, customer_number, change_number, position),
  FOREIGN KEY (tenant, customer_number, change_number)
    REFERENCES change_documents (tenant, customer_number, change_number) ON DELETE CASCADE
)${tableOptions}`,
    `CREATE TABLE number_range_state (
  tenant ${t.key} NOT NULL,
  range_id ${t.key} NOT NULL,
  last ${t.bigint},
  PRIMARY KEY (tenant, range_id)
)${tableOptions}`,
    // SAP MDG key mapping: the customer an external key of a source system was imported as.
    `CREATE TABLE key_mappings (
  tenant ${t.key} NOT NULL,
  system ${t.key} NOT NULL,
  external_key ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  PRIMARY KEY (tenant, system, external_key)
)${tableOptions}`,
    `CREATE TABLE sales_employees (
  tenant ${t.key} NOT NULL,
  id ${t.key} NOT NULL,
  name ${t.text} NOT NULL,
  email ${t.text},
  phone ${t.text},
  active ${t.boolean} NOT NULL,
  version ${t.integer} NOT NULL,
  PRIMARY KEY (tenant, id)
)${tableOptions}`,
    // Criteria are a filter object read whole, never queried by: JSON.
    `CREATE TABLE territories (
  tenant ${t.key} NOT NULL,
  id ${t.key} NOT NULL,
  name ${t.text} NOT NULL,
  priority ${t.integer} NOT NULL,
  criteria ${t.json} NOT NULL,
  sales_employee ${t.key},
  version ${t.integer} NOT NULL,
  PRIMARY KEY (tenant, id)
)${tableOptions}`,
    `CREATE TABLE territory_assignment_changes (
  tenant ${t.key} NOT NULL,
  id ${t.key} NOT NULL,
  territory ${t.key} NOT NULL,
  sales_employee ${t.key},
  previous ${t.key},
  requested_by ${t.text} NOT NULL,
  requested_at ${t.key} NOT NULL,
  approver ${t.key} NOT NULL,
  status ${t.key} NOT NULL,
  decided_at ${t.text},
  comment ${t.text},
  version ${t.integer} NOT NULL,
  PRIMARY KEY (tenant, id)
)${tableOptions}`
  ]
}

/**
 * Version 2: the indexes behind the list filters — `CustomerStore.list` by account group, company
 * code and sales area (each ending in the customer number, the order of the page), and
 * `TerritoryStore.listChanges` in `requestedAt` order, by approver (the approver's inbox: pending
 * changes) and by territory (its history).
 */
const listFilterIndexes: Migration = {
  version: 2,
  name: "list filter indexes",
  statements: () => [
    "CREATE INDEX customers_by_account_group ON customers (tenant, account_group, number)",
    "CREATE INDEX company_code_views_by_code ON company_code_views (tenant, company_code, customer_number)",
    `CREATE INDEX sales_area_views_by_area
  ON sales_area_views (tenant, sales_organization, distribution_channel, division, customer_number)`,
    "CREATE INDEX assignment_changes_by_time ON territory_assignment_changes (tenant, requested_at, id)",
    `CREATE INDEX assignment_changes_by_approver
  ON territory_assignment_changes (tenant, approver, status, requested_at, id)`,
    "CREATE INDEX assignment_changes_by_territory ON territory_assignment_changes (tenant, territory, requested_at, id)"
  ]
}

/**
 * Version 3: the CRM tables of `@partnerkit/crm` — prospects, account ownership, activities and
 * contact preferences. Each row holds the whole record as JSON (`record`) next to the columns
 * the queries filter and order by; timestamps are ISO-8601 UTC text in `key` columns, so they
 * order by code unit. Indexes: follow-ups by owner and due time (and for every owner), an
 * account's activities newest first (by customer and by prospect), ownership by owner, team and
 * territory, prospects by owner.
 */
const crm: Migration = {
  version: 3,
  name: "crm",
  statements: ({ tableOptions, types: t }) => [
    `CREATE TABLE crm_prospects (
  tenant ${t.key} NOT NULL,
  id ${t.key} NOT NULL,
  status ${t.key} NOT NULL,
  owner ${t.key} NOT NULL,
  team ${t.key},
  territory ${t.key},
  authorization_group ${t.key},
  converted_to ${t.key},
  version ${t.integer} NOT NULL,
  record ${t.json} NOT NULL,
  PRIMARY KEY (tenant, id)
)${tableOptions}`,
    "CREATE INDEX crm_prospects_by_owner ON crm_prospects (tenant, owner, id)",
    `CREATE TABLE crm_account_owners (
  tenant ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  owner ${t.key} NOT NULL,
  team ${t.key},
  territory ${t.key},
  version ${t.integer} NOT NULL,
  record ${t.json} NOT NULL,
  PRIMARY KEY (tenant, customer_number)
)${tableOptions}`,
    "CREATE INDEX crm_account_owners_by_owner ON crm_account_owners (tenant, owner, customer_number)",
    "CREATE INDEX crm_account_owners_by_team ON crm_account_owners (tenant, team, customer_number)",
    "CREATE INDEX crm_account_owners_by_territory ON crm_account_owners (tenant, territory, customer_number)",
    `CREATE TABLE crm_activities (
  tenant ${t.key} NOT NULL,
  id ${t.key} NOT NULL,
  customer_number ${t.key},
  prospect_id ${t.key},
  owner ${t.key} NOT NULL,
  kind ${t.key} NOT NULL,
  status ${t.key} NOT NULL,
  due_at ${t.key},
  at ${t.key} NOT NULL,
  completed_at ${t.key},
  version ${t.integer} NOT NULL,
  record ${t.json} NOT NULL,
  PRIMARY KEY (tenant, id)
)${tableOptions}`,
    "CREATE INDEX crm_activities_follow_ups ON crm_activities (tenant, owner, status, due_at, id)",
    "CREATE INDEX crm_activities_due ON crm_activities (tenant, status, due_at, id)",
    "CREATE INDEX crm_activities_by_customer ON crm_activities (tenant, customer_number, at, id)",
    "CREATE INDEX crm_activities_by_prospect ON crm_activities (tenant, prospect_id, at, id)",
    `CREATE TABLE crm_contact_preferences (
  tenant ${t.key} NOT NULL,
  customer_number ${t.key} NOT NULL,
  contact_id ${t.key} NOT NULL,
  channel ${t.key} NOT NULL,
  record ${t.json} NOT NULL,
  PRIMARY KEY (tenant, customer_number, contact_id, channel)
)${tableOptions}`
  ]
}

/** Every migration, in order; versions are 1, 2, 3, … without gaps. */
export const migrations: ReadonlyArray<Migration> = [
  initial,
  listFilterIndexes,
  crm,
  matchIndex,
  search,
  crmSales,
  crmService,
  crmAnalytics,
  crmSegments,
  crmFollowUps
]

/** The schema version this package writes and reads. */
export const latest: number = migrations.length

/** What `migrate` did. */
export interface MigrationReport {
  /** The version found before (0: an empty database). */
  readonly from: number
  /** The version now. */
  readonly to: number
  /** The migrations applied, in order. */
  readonly applied: ReadonlyArray<{ readonly version: number; readonly name: string }>
}

export interface MigrateOptions {
  /**
   * Stop at this version instead of the latest (for tests that build a database at an older
   * version, and for staged upgrades). Never goes backwards.
   */
  readonly to?: number | undefined
}

const table = "partnerkit_migrations"

const createTable = (dialect: Dialect) =>
  `CREATE TABLE IF NOT EXISTS ${table} (
  version ${dialect.types.integer} NOT NULL PRIMARY KEY,
  name ${dialect.types.text} NOT NULL,
  applied_at ${dialect.types.text} NOT NULL
)${dialect.tableOptions}`

const readVersion = (sql: SqlClient.SqlClient) =>
  Effect.map(sql<{ readonly version: unknown }>`SELECT MAX(version) AS version FROM ${sql(table)}`, (rows) =>
    rows[0]?.version === null || rows[0]?.version === undefined ? 0 : Number(rows[0].version)
  )

/**
 * The schema version recorded in the database: 0 when it has never been migrated.
 */
export const currentVersion = (dialect: Dialect): Effect.Effect<number, SqlError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return (yield* dialect.tableExists(table)) ? yield* readVersion(sql) : 0
  })

/**
 * Applies every pending migration (up to `options.to`, default the latest) in one transaction.
 * Fails with `SchemaTooNew` when the database is newer than this package, and with
 * `StorageError` when the database fails.
 */
export const migrate = (
  dialect: Dialect,
  options: MigrateOptions = {}
): Effect.Effect<MigrationReport, Errors.StorageError | Errors.SchemaTooNew, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const target = options.to ?? latest
    if (!Number.isInteger(target) || target < 0 || target > latest) {
      return yield* Effect.die(new RangeError(`migrate: "to" must be an integer from 0 to ${latest}, got ${target}`))
    }
    const tx = Transaction.make(sql, sql, dialect.beginWrite, dialect.beginRead)
    return yield* tx.write(
      Effect.gen(function* () {
        yield* dialect.beforeMigrations
        yield* sql.unsafe(createTable(dialect))
        const from = yield* readVersion(sql)
        if (from > latest) return yield* Effect.fail(new Errors.SchemaTooNew({ found: from, known: latest }))
        const pending = migrations.filter((m) => m.version > from && m.version <= target)
        for (const migration of pending) {
          for (const statement of migration.statements(dialect)) yield* sql.unsafe(statement)
          if (migration.data !== undefined) yield* migration.data(dialect)
          const at = new Date(yield* Clock.currentTimeMillis).toISOString()
          yield* sql`INSERT INTO ${sql(table)} (version, name, applied_at) VALUES (${migration.version}, ${migration.name}, ${at})`
        }
        return {
          from,
          to: Math.max(from, target),
          applied: pending.map((m) => ({ version: m.version, name: m.name }))
        } satisfies MigrationReport
      })
    )
  }).pipe(storageError("migrate"))

/**
 * Checks, without changing anything, that the database is at exactly the version this package
 * knows: `SchemaTooNew` when it is newer; `StorageError` (telling you to run `migrate`) when it is
 * older. Used by stores configured with `migrate: "manual"`.
 */
export const check = (dialect: Dialect): Effect.Effect<number, Errors.StorageError | Errors.SchemaTooNew, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const version = yield* currentVersion(dialect)
    if (version > latest) return yield* Effect.fail(new Errors.SchemaTooNew({ found: version, known: latest }))
    if (version < latest) {
      return yield* Effect.fail(
        new Errors.StorageError({
          operation: "checkSchema",
          cause: new Error(
            `the ${dialect.name} schema is at version ${version}, this store needs version ${latest}: ` +
              `run migrate (or configure migrate: "auto")`
          )
        })
      )
    }
    return version
  }).pipe(storageError("checkSchema"))
