import { SqliteCrmStore } from "@partnerkit/storage-sqlite"
import { runCrmConformance } from "@partnerkit/testkit"
import { afterAll } from "vitest"
import { removeAll, tempDatabase } from "./support/TempDatabase.js"

afterAll(removeAll)

runCrmConformance({ name: "sqlite", layer: SqliteCrmStore.layer({ filename: tempDatabase("crm-conformance").filename }) })
