import { PostgresStore } from "@partnerkit/storage-postgres"
import { runConformance } from "@partnerkit/testkit"
import { databaseUrl, freshSchema, whenPostgres } from "./support/Postgres.js"

whenPostgres("postgres store conformance", () => {
  runConformance({ name: "postgres", layer: PostgresStore.layer({ url: databaseUrl, schema: freshSchema("conformance") }) })
})
