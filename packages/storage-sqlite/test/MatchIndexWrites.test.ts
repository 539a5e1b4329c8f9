import * as SqlClient from "@effect/sql/SqlClient"
import { SqliteStore } from "@partnerkit/storage-sqlite"
import { Layer, ManagedRuntime } from "effect"
import { afterAll } from "vitest"
import { matchIndexWriteSuite } from "../../storage-sql/test/support/MatchIndexWriteSuite.js"
import { removeAll, tempDatabase } from "./support/TempDatabase.js"

afterAll(removeAll)

const { filename } = tempDatabase("match-index-writes")
matchIndexWriteSuite(
  "sqlite",
  () => SqliteStore.layer({ filename }),
  () => ManagedRuntime.make(Layer.scoped(SqlClient.SqlClient, SqliteStore.makeClient({ filename })))
)
