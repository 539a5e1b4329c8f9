import * as SqlClient from "@effect/sql/SqlClient"
import { SqliteStore } from "@partnerkit/storage-sqlite"
import { Effect } from "effect"
import { afterAll } from "vitest"
import { migrationSuite } from "../../storage-sql/test/support/MigrationSuite.js"
import { removeAll, tempDatabase } from "./support/TempDatabase.js"

afterAll(removeAll)

migrationSuite({
  name: "sqlite",
  fresh: async () => {
    const config = { filename: tempDatabase("mig").filename }
    const withClient = <A, E>(f: (client: SqlClient.SqlClient) => Effect.Effect<A, E>) =>
      Effect.runPromise(
        Effect.scoped(
          Effect.flatMap(SqliteStore.makeClient(config), (client) => Effect.provideService(f(client), SqlClient.SqlClient, client))
        )
      )
    return {
      layer: (migrate) => SqliteStore.layer({ ...config, migrate }),
      migrate: (options) => SqliteStore.migrate(config, options),
      sql: withClient,
      indexes: () =>
        withClient((sql) =>
          Effect.map(sql<{ name: string }>`SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`, (rows) =>
            rows.map((r) => r.name)
          )
        )
    }
  }
})
