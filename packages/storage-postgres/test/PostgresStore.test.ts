import { PostgresStore } from "@partnerkit/storage-postgres"
import { sqlStoreSuite } from "../../storage-sql/test/support/SqlStoreSuite.js"
import { databaseUrl, freshSchema, whenPostgres } from "./support/Postgres.js"

whenPostgres("postgres SQL store", () => {
  sqlStoreSuite("postgres", () => PostgresStore.layer({ url: databaseUrl, schema: freshSchema("sql") }), { connections: "many" })
})
