/**
 * `npm run demo [-- --store sqlite|memory|postgres] [--file path] [--url postgres://…]`
 *
 * SQLite is the default: the data lands in `.partnerkit/quickstart.sqlite` below the current
 * directory, so a second run finds the customers of the first.
 */
import { mkdirSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { parseArgs } from "node:util"
import type { Storage } from "@partnerkit/core"
import { runQuickstart } from "./quickstart.js"

const { values } = parseArgs({
  options: {
    store: { type: "string", default: "sqlite" },
    file: { type: "string", default: ".partnerkit/quickstart.sqlite" },
    url: { type: "string", default: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test" }
  }
})

const storage = async (): Promise<Storage.Layer> => {
  switch (values.store) {
    case "memory": {
      const { MemoryStore } = await import("@partnerkit/storage-memory")
      return MemoryStore.layer()
    }
    case "sqlite": {
      const filename = resolve(values.file)
      mkdirSync(dirname(filename), { recursive: true })
      console.log(`Store: SQLite file ${filename}`)
      const { SqliteStore } = await import("@partnerkit/storage-sqlite")
      return SqliteStore.layer({ filename })
    }
    case "postgres": {
      console.log(`Store: PostgreSQL ${values.url.replace(/\/\/([^:@/]+):[^@]*@/, "//$1:***@")}`)
      const { PostgresStore } = await import("@partnerkit/storage-postgres")
      return PostgresStore.layer({ url: values.url })
    }
    default:
      throw new Error(`unknown --store "${values.store}": use sqlite, memory or postgres`)
  }
}

await runQuickstart({ storage: await storage() })
