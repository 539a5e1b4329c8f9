/**
 * Migration checks for one engine: a fresh database is migrated at start (`auto`) or refused until
 * `migrate` ran (`manual`); a database created at migration 1 with data in it is upgraded to the
 * latest version and the data is still there; a schema newer than the package is refused with
 * `SchemaTooNew`, by the layer and by `migrate`.
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import {
  Actor,
  ChangeDocumentStore,
  CustomerSearchStore,
  CustomerStore,
  Errors,
  NumberRangeStore,
  SearchText,
  type Storage
} from "@partnerkit/core"
import { Migrations } from "@partnerkit/storage-sql"
import { Effect, Exit, Layer, Option } from "effect"
import { describe, expect, it } from "vitest"

/** One empty database of the engine under test. */
export interface Database {
  readonly layer: (migrate: "auto" | "manual") => Storage.Layer
  readonly migrate: (
    options?: Migrations.MigrateOptions
  ) => Effect.Effect<Migrations.MigrationReport, Errors.StorageError | Errors.SchemaTooNew>
  /** Runs `f` with a raw client on the database. */
  readonly sql: <A>(f: (sql: SqlClient.SqlClient) => Effect.Effect<A, SqlError>) => Promise<A>
  /** Names of the secondary indexes (primary keys excluded). */
  readonly indexes: () => Promise<ReadonlyArray<string>>
}

export interface MigrationEngine {
  readonly name: string
  /** A fresh, empty database, removed after the test. */
  readonly fresh: () => Promise<Database>
}

const withStore = <A, E>(layer: Storage.Layer, effect: Effect.Effect<A, E, Storage.Ports>) =>
  Effect.runPromise(Effect.scoped(Effect.flatMap(Layer.build(layer), (context) => Effect.provide(effect, context))))

const startFailure = (layer: Storage.Layer) => Effect.runPromise(Effect.flip(Effect.scoped(Layer.build(layer))))

const versions = (db: Database) =>
  db.sql((sql) => sql<{ version: unknown; name: string }>`SELECT version, name FROM partnerkit_migrations ORDER BY version`)

export const migrationSuite = (engine: MigrationEngine): void => {
  describe(`${engine.name} migrations`, () => {
    it("auto: a fresh database is migrated to the latest version when the store starts", async () => {
      const db = await engine.fresh()
      await withStore(db.layer("auto"), Effect.void)
      expect((await versions(db)).map((r) => [Number(r.version), r.name])).toEqual(Migrations.migrations.map((m) => [m.version, m.name]))
      // Starting again applies nothing and records nothing twice.
      await withStore(db.layer("auto"), Effect.void)
      expect(await versions(db)).toHaveLength(Migrations.latest)
    })

    it("manual: the store refuses an unmigrated database until migrate ran", async () => {
      const db = await engine.fresh()
      const refused = await startFailure(db.layer("manual"))
      expect(refused._tag).toBe("StorageError")
      expect(refused.message).toMatch(/version 0.*run migrate/)
      const report = await Effect.runPromise(db.migrate())
      expect(report).toEqual({
        from: 0,
        to: Migrations.latest,
        applied: Migrations.migrations.map(({ version, name }) => ({ version, name }))
      })
      expect(await Effect.runPromise(db.migrate())).toEqual({ from: Migrations.latest, to: Migrations.latest, applied: [] })
      await withStore(
        db.layer("manual"),
        Effect.flatMap(NumberRangeStore, (ranges) => ranges.draw("t", "R", { from: 1, to: 9 }))
      )
    })

    it("upgrades a database created at migration 1 to the latest, keeping its data", async () => {
      const db = await engine.fresh()
      expect(await Effect.runPromise(db.migrate({ to: 1 }))).toMatchObject({ from: 0, to: 1 })
      expect(await db.indexes()).toEqual([])
      // Rows as a store at migration 1 wrote them.
      await db.sql((sql) =>
        Effect.all([
          sql.unsafe(`INSERT INTO customers (tenant, number, account_group, version, name, city, tax_numbers,
              deletion_flag, created_by, created_at, changed_by, changed_at)
            VALUES ('old', 'C0001', '0001', 3, 'Old GmbH', 'Köln', '[{"kind":"VAT","value":"DE1"}]', FALSE, 'u', 'then', 'u', 'later')`),
          sql.unsafe(`INSERT INTO company_code_views (tenant, customer_number, company_code, position, payment_terms, authorization_group, deletion_flag)
            VALUES ('old', 'C0001', '1000', 0, 'Z030', 'G1', FALSE)`),
          sql.unsafe(`INSERT INTO sales_area_views (tenant, customer_number, sales_organization, distribution_channel, division,
              position, currency, order_block_reason, order_block_by, order_block_at, deletion_flag)
            VALUES ('old', 'C0001', '1000', '10', '00', 0, 'EUR', 'credit', 'u', 'then', TRUE)`),
          sql.unsafe(`INSERT INTO sales_area_partners (tenant, customer_number, sales_organization, distribution_channel, division,
              position, partner_function, partner, is_default)
            VALUES ('old', 'C0001', '1000', '10', '00', 0, 'WE', 'C0001', TRUE), ('old', 'C0001', '1000', '10', '00', 1, 'AG', 'C0001', NULL)`),
          sql.unsafe(
            `INSERT INTO contact_persons (tenant, customer_number, id, position, last_name) VALUES ('old', 'C0001', '0001', 0, 'Berg')`
          ),
          sql.unsafe(`INSERT INTO change_documents (tenant, customer_number, change_number, operation, changed_by, changed_at)
            VALUES ('old', 'C0001', 3, 'change', 'u', 'later')`),
          sql.unsafe(`INSERT INTO change_document_items (tenant, customer_number, change_number, position, view_kind, view_id, path, old_value, new_value)
            VALUES ('old', 'C0001', 3, 0, 'companyCode', '1000', 'companyCodes.1000.paymentTerms', NULL, 'Z030')`),
          sql.unsafe(`INSERT INTO number_range_state (tenant, range_id, last) VALUES ('old', 'C', 41)`)
        ])
      )
      const [record, listed, documents, drawn, found] = await withStore(
        db.layer("auto"),
        Effect.gen(function* () {
          const customers = yield* CustomerStore
          const changes = yield* ChangeDocumentStore
          const ranges = yield* NumberRangeStore
          const search = yield* CustomerSearchStore
          return [
            yield* customers.get("old", "C0001", Actor.unrestricted),
            yield* customers.list({
              tenant: "old",
              visibility: { authorizationGroups: ["G1"] },
              accountGroup: "0001",
              companyCode: "1000",
              salesArea: { salesOrganization: "1000", distributionChannel: "10", division: "00" },
              limit: 10
            }),
            yield* changes.list({ tenant: "old", customerNumber: "C0001", visibility: { authorizationGroups: ["G1"] }, limit: 10 }),
            yield* ranges.draw("old", "C", { from: 1, to: 9999 }),
            // Saved before the search index existed (version 5): indexed by the migration.
            yield* search.search({ tenant: "old", visibility: Actor.unrestricted, terms: SearchText.parseQuery("old köln"), limit: 10 })
          ] as const
        })
      )
      expect(Option.getOrThrow(record)).toStrictEqual({
        tenant: "old",
        number: "C0001",
        accountGroup: "0001",
        general: { name: "Old GmbH", city: "Köln", taxNumbers: [{ kind: "VAT", value: "DE1" }] },
        companyCodes: [{ companyCode: "1000", paymentTerms: "Z030", authorizationGroup: "G1", postingBlock: null, deletionFlag: false }],
        salesAreas: [
          {
            salesArea: { salesOrganization: "1000", distributionChannel: "10", division: "00" },
            currency: "EUR",
            partners: [
              { function: "WE", partner: "C0001", default: true },
              { function: "AG", partner: "C0001" }
            ],
            orderBlock: { reason: "credit", blockedBy: "u", blockedAt: "then" },
            deliveryBlock: null,
            billingBlock: null,
            deletionFlag: true
          }
        ],
        contacts: [{ id: "0001", lastName: "Berg" }],
        centralBlock: null,
        deletionFlag: false,
        version: 3,
        createdBy: "u",
        createdAt: "then",
        changedBy: "u",
        changedAt: "later"
      })
      expect(listed.map((c) => c.number)).toEqual(["C0001"])
      expect(documents.map((d) => d.items.map((i) => i.path))).toEqual([["companyCodes.1000.paymentTerms"]])
      expect(drawn).toEqual({ first: 42, last: 42 })
      expect(found.items.map((hit) => hit.number)).toEqual(["C0001"])
      expect((await versions(db)).map((r) => Number(r.version))).toEqual(Migrations.migrations.map((m) => m.version))
      // PostgreSQL only: the covering follow-up indexes of version 10 (SQLite has no INCLUDE).
      const postgresOnly = engine.name === "postgres" ? ["crm_account_owners_scope", "crm_activities_open_by_owner"] : []
      expect([...(await db.indexes())].sort()).toEqual(
        [
          ...postgresOnly,
          "assignment_changes_by_approver",
          "assignment_changes_by_territory",
          "assignment_changes_by_time",
          "company_code_views_by_code",
          "crm_account_owners_by_owner",
          "crm_account_owners_by_team",
          "crm_account_owners_by_territory",
          "crm_activities_behaviour",
          "crm_activities_by_customer",
          "crm_activities_by_lead",
          "crm_activities_by_prospect",
          "crm_activities_by_time",
          "crm_activities_due",
          "crm_activities_follow_ups",
          "crm_campaign_responses_by_member",
          "crm_contact_persons_by_email_key",
          "crm_customers_by_country",
          "crm_customers_by_email_key",
          "crm_customers_by_industry",
          "crm_customers_by_name_key",
          "crm_customers_by_region",
          "crm_leads_by_campaign",
          "crm_leads_by_owner",
          "crm_leads_by_source",
          "crm_leads_by_status",
          "crm_opportunities_by_close",
          "crm_opportunities_by_customer",
          "crm_opportunities_by_lead",
          "crm_opportunities_by_owner",
          "crm_opportunities_by_prospect",
          "crm_opportunities_pipeline",
          "crm_opportunities_pipeline_by_customer",
          "crm_opportunity_history_by_customer",
          "crm_opportunity_history_by_prospect",
          "crm_opportunity_history_by_time",
          "crm_opportunity_history_stages",
          "crm_prospects_by_email_key",
          "crm_prospects_by_name_key",
          "crm_prospects_by_owner",
          "crm_sales_area_views_by_customer_group",
          "crm_segment_snapshots_by_segment",
          "crm_ticket_events_by_customer",
          "crm_tickets_by_customer",
          "crm_tickets_by_opened",
          "crm_tickets_resolution_due",
          "crm_tickets_response_due",
          "customer_search_tokens_by_customer",
          "customers_by_account_group",
          "sales_area_views_by_area"
        ].sort()
      )
    })

    it("refuses a schema newer than it knows with SchemaTooNew, and changes nothing", async () => {
      const db = await engine.fresh()
      await Effect.runPromise(db.migrate())
      const future = Migrations.latest + 1
      await db.sql(
        (sql) =>
          sql`INSERT INTO partnerkit_migrations (version, name, applied_at) VALUES (${future}, ${"from the future"}, ${"2099-01-01T00:00:00.000Z"})`
      )
      for (const mode of ["auto", "manual"] as const) {
        const refused = await startFailure(db.layer(mode))
        expect(refused).toBeInstanceOf(Errors.SchemaTooNew)
        expect(refused).toMatchObject({ found: future, known: Migrations.latest })
      }
      const exit = await Effect.runPromiseExit(db.migrate())
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error._tag : exit).toBe("SchemaTooNew")
      expect(await versions(db)).toHaveLength(Migrations.latest + 1)
    })
  })
}
