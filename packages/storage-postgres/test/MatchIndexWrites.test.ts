import * as SqlClient from "@effect/sql/SqlClient"
import { PostgresStore } from "@partnerkit/storage-postgres"
import { Layer, ManagedRuntime } from "effect"
import { matchIndexWriteSuite } from "../../storage-sql/test/support/MatchIndexWriteSuite.js"
import { databaseUrl, freshSchema, whenPostgres } from "./support/Postgres.js"

whenPostgres("postgres match index writes", () => {
  const schema = freshSchema("match_index")
  matchIndexWriteSuite(
    "postgres",
    () => PostgresStore.layer({ url: databaseUrl, schema }),
    () => ManagedRuntime.make(Layer.scoped(SqlClient.SqlClient, PostgresStore.makeClient({ url: databaseUrl, schema })))
  )
})
