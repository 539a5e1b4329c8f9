import * as SqlClient from "@effect/sql/SqlClient"
import { PostgresStore } from "@partnerkit/storage-postgres"
import { Effect } from "effect"
import { migrationSuite } from "../../storage-sql/test/support/MigrationSuite.js"
import { databaseUrl, freshSchema, query, whenPostgres } from "./support/Postgres.js"

whenPostgres("postgres migrations", () => {
  migrationSuite({
    name: "postgres",
    fresh: async () => {
      const schema = freshSchema("mig")
      const config = { url: databaseUrl, schema }
      return {
        layer: (migrate) => PostgresStore.layer({ ...config, migrate }),
        migrate: (options) => PostgresStore.migrate(config, options),
        sql: (f) =>
          Effect.runPromise(
            Effect.scoped(
              Effect.flatMap(PostgresStore.makeClient(config), (client) => Effect.provideService(f(client), SqlClient.SqlClient, client))
            )
          ),
        indexes: async () =>
          (
            await query<{ indexname: string }>(
              "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname NOT LIKE '%\\_pkey' ORDER BY indexname",
              [schema]
            )
          ).map((r) => r.indexname)
      }
    }
  })
})
