/**
 * `npm run bench [-- --quick] [-- --only determination,stores] [-- --imported 100000]`: every
 * benchmark, a table of the figures next to the raw driver's, and `bench/results/latest.json`.
 * `--imported` overrides how many customers the store suite's bulk imports write (1,000,000; quick 500);
 * `--searched` how many customers the search suite loads (1,000,000; quick 20,000) and
 * `--search-stores` which stores it measures (`sqlite,postgres`); `--stores` the same for the store suite;
 * `--duplicated` how many customers the duplicates suite loads per store (1,000,000; quick 20,000).
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import type { BenchOptions, Figure } from "./Figures.js"

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    imported: { type: "string" },
    searched: { type: "string" },
    "search-stores": { type: "string" },
    stores: { type: "string" },
    duplicated: { type: "string" }
  }
})
// Loaded when chosen: `--only stores` does not load the determination suite's modules, nor the other way round.
const suites: Record<string, () => Promise<(options: BenchOptions) => Promise<Array<Figure>>>> = {
  determination: async () => (await import("./Determination.js")).run,
  stores: async () => (await import("./Stores.js")).run,
  search: async () => (await import("./Search.js")).run,
  duplicates: async () => (await import("./duplicates.js")).run,
  crm: async () => (await import("./Crm.js")).run
}
const chosen = values.only === undefined ? Object.keys(suites) : values.only.split(",")
const options: BenchOptions = {
  quick: values.quick,
  log: (line) => console.log(line),
  ...(values.imported === undefined ? {} : { imported: Number(values.imported.replace(/[_,]/g, "")) }),
  ...(values.searched === undefined ? {} : { searched: Number(values.searched.replace(/[_,]/g, "")) }),
  ...(values["search-stores"] === undefined ? {} : { searchStores: values["search-stores"].split(",") }),
  ...(values.stores === undefined ? {} : { stores: values.stores.split(",") }),
  ...(values.duplicated === undefined ? {} : { duplicated: Number(values.duplicated.replace(/[_,]/g, "")) })
}

const figures: Array<Figure> = []
for (const name of chosen) {
  const suite = suites[name]
  if (suite === undefined) throw new Error(`unknown suite "${name}" (have: ${Object.keys(suites).join(", ")})`)
  console.log(`\n▶ ${name}${options.quick ? " (quick)" : ""}`)
  figures.push(...(await (await suite())(options)))
}

const format = (n: number | null, digits = 3) => (n === null ? "—" : n >= 100 ? n.toFixed(0) : n.toPrecision(digits))
console.table(
  figures.map((f) => ({
    figure: f.name,
    store: f.store,
    value: `${format(f.value)} ${f.unit}`,
    "raw driver": f.baseline === null ? "—" : `${format(f.baseline)} ${f.unit}`,
    ratio: format(f.ratio),
    target: f.target ?? ""
  }))
)
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "results", "latest.json")
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, `${JSON.stringify({ quick: options.quick, at: new Date().toISOString(), figures }, null, 2)}\n`)
console.log(`\nwrote ${out}`)
