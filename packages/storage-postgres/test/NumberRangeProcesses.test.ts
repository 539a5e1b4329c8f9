import { fileURLToPath } from "node:url"
import { PostgresStore } from "@partnerkit/storage-postgres"
import { processesSuite } from "../../storage-sql/test/support/ProcessesSuite.js"
import { databaseUrl, freshSchema, whenPostgres } from "./support/Postgres.js"

whenPostgres("postgres processes", () => {
  processesSuite({
    name: "postgres",
    worker: fileURLToPath(new URL("./support/PostgresDrawWorker.ts", import.meta.url)),
    // A schema nobody created yet: the processes' migrations race to create it.
    config: () => ({ url: databaseUrl, schema: freshSchema("procs"), maxConnections: 4 }),
    layer: (config) => PostgresStore.layer(config as PostgresStore.Config)
  })
})
