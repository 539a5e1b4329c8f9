import { SqliteStore } from "@partnerkit/storage-sqlite"
import { afterAll } from "vitest"
import { sqlStoreSuite } from "../../storage-sql/test/support/SqlStoreSuite.js"
import { removeAll, tempDatabase } from "./support/TempDatabase.js"

afterAll(removeAll)

sqlStoreSuite("sqlite", () => SqliteStore.layer({ filename: tempDatabase("sql-suite").filename }), { connections: "one" })
