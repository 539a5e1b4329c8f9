import { SqliteStore } from "@partnerkit/storage-sqlite"
import { runConformance } from "@partnerkit/testkit"
import { afterAll } from "vitest"
import { removeAll, tempDatabase } from "./support/TempDatabase.js"

afterAll(removeAll)

runConformance({ name: "sqlite", layer: SqliteStore.layer({ filename: tempDatabase("conformance").filename }) })
