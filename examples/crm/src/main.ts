/**
 * `npm start --workspace=@partnerkit/example-crm [-- --store sqlite|memory|postgres] [--file path] [--url postgres://…]`
 *
 * SQLite is the default. The flow starts from an empty store every run: the SQLite file
 * (`.partnerkit/crm-example.sqlite` below the current directory) is replaced, and on PostgreSQL
 * the flow gets a schema of its own (`crm_example_<time>`), which it leaves for you to look at.
 */
import { mkdirSync, rmSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { parseArgs } from "node:util"
import type { CrmStorage } from "@partnerkit/crm"
import { runFlow } from "./flow.js"

const { values } = parseArgs({
  options: {
    store: { type: "string", default: "sqlite" },
    file: { type: "string", default: ".partnerkit/crm-example.sqlite" },
    url: { type: "string", default: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test" }
  }
})

const storage = async (): Promise<CrmStorage.Layer> => {
  switch (values.store) {
    case "memory": {
      const { MemoryCrmStore } = await import("@partnerkit/storage-memory")
      return MemoryCrmStore.layer()
    }
    case "sqlite": {
      const filename = resolve(values.file)
      mkdirSync(dirname(filename), { recursive: true })
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${filename}${suffix}`, { force: true })
      console.log(`Store: SQLite file ${filename} (new)`)
      const { SqliteCrmStore } = await import("@partnerkit/storage-sqlite")
      return SqliteCrmStore.layer({ filename })
    }
    case "postgres": {
      const schema = `crm_example_${Date.now()}`
      console.log(`Store: PostgreSQL ${values.url.replace(/\/\/([^:@/]+):[^@]*@/, "//$1:***@")}, schema ${schema}`)
      const { PostgresCrmStore } = await import("@partnerkit/storage-postgres")
      return PostgresCrmStore.layer({ url: values.url, schema })
    }
    default:
      throw new Error(`unknown --store "${values.store}": use sqlite, memory or postgres`)
  }
}

await runFlow({ storage: await storage() })
