import { fileURLToPath } from "node:url"
import { SqliteStore } from "@partnerkit/storage-sqlite"
import { afterAll } from "vitest"
import { processesSuite } from "../../storage-sql/test/support/ProcessesSuite.js"
import { removeAll, tempDatabase } from "./support/TempDatabase.js"

afterAll(removeAll)

processesSuite({
  name: "sqlite",
  worker: fileURLToPath(new URL("./support/SqliteDrawWorker.ts", import.meta.url)),
  config: () => ({ filename: tempDatabase("procs").filename }),
  layer: (config) => SqliteStore.layer(config as SqliteStore.Config)
})
