import { PostgresCrmStore } from "@partnerkit/storage-postgres"
import { runCrmConformance } from "@partnerkit/testkit"
import { databaseUrl, freshSchema, whenPostgres } from "./support/Postgres.js"

whenPostgres("postgres store CRM conformance", () => {
  runCrmConformance({ name: "postgres", layer: PostgresCrmStore.layer({ url: databaseUrl, schema: freshSchema("crm") }) })
})
