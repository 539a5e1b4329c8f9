/**
 * Partner determination for random sold-tos with N customers in the store (issue 4: p99 < 1 ms on
 * memory, < 3 ms on SQLite at 100,000 customers). The data set: 70 % sold-tos (0001) and 30 %
 * ship-tos (0002); every third sold-to has a second ship-to as its default.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Actor, Customizing, createPartnerKit, type PartnerKit, Presets, type Storage } from "@partnerkit/core"
import { MemoryStore } from "@partnerkit/storage-memory"
import { SqliteStore } from "@partnerkit/storage-sqlite"
import { type BenchOptions, type Figure, figure, percentile, seeded } from "./Figures.js"

const salesArea = { salesOrganization: "1000", distributionChannel: "10", division: "00" }
const address = { street: "Hauptstraße 1", postalCode: "80331", city: "München", country: "DE" }

const customizing = (tenant: string) =>
  Customizing.merge(Presets.standard(tenant), {
    numberRanges: { C: { digits: 7, to: 9_999_999, buffer: 1000 }, D: { digits: 7, to: 9_999_999, buffer: 1000 } }
  })

const load = async (kit: PartnerKit.PartnerKit, actor: Actor.Actor, customers: number, log: (line: string) => void) => {
  const shipTos: Array<string> = []
  const soldTos: Array<string> = []
  const started = performance.now()
  const batch = 200
  for (let i = 0; i < customers; i += batch) {
    const jobs = []
    for (let j = i; j < Math.min(customers, i + batch); j++) {
      if (j % 10 < 3) {
        jobs.push(
          kit.customers
            .create({ actor, accountGroup: "0002", general: { name: `Ship-to ${j}`, ...address }, salesAreas: [{ salesArea }] })
            .then((r) => shipTos.push(r.customer.number))
        )
      } else {
        const shipTo = j % 3 === 0 ? shipTos[shipTos.length - 1] : undefined
        jobs.push(
          kit.customers
            .create({
              actor,
              accountGroup: "0001",
              general: { name: `Customer ${j}`, ...address, language: "de" },
              salesAreas: [
                {
                  salesArea,
                  currency: "EUR",
                  ...(shipTo === undefined ? {} : { partners: [{ function: "SH", partner: shipTo, default: true }] })
                }
              ]
            })
            .then((r) => soldTos.push(r.customer.number))
        )
      }
    }
    await Promise.all(jobs)
    if ((i / batch) % 100 === 0 && i > 0) log(`    … ${i} customers loaded`)
  }
  return { soldTos, seconds: (performance.now() - started) / 1000 }
}

const measure = async (name: string, storage: Storage.Layer, customers: number, samples: number, target: number, options: BenchOptions) => {
  const tenant = "bench"
  const kit = await createPartnerKit({ customizing: customizing(tenant), storage })
  try {
    const actor = Actor.superUser(tenant, "bench")
    options.log(`  ${name}: loading ${customers} customers through the API…`)
    const { soldTos, seconds } = await load(kit, actor, customers, options.log)
    options.log(`  ${name}: loaded in ${seconds.toFixed(1)} s; ${samples} determinations…`)
    const random = seeded(42)
    // Settle the heap after loading so the samples measure determination, not the loader's garbage.
    ;(globalThis as { gc?: () => void }).gc?.()
    for (let i = 0; i < Math.min(2_000, samples); i++) {
      await kit.partners.determinePartners({ actor, soldTo: soldTos[Math.floor(random() * soldTos.length)]!, salesArea })
    }
    const latencies: Array<number> = []
    for (let i = 0; i < samples; i++) {
      const soldTo = soldTos[Math.floor(random() * soldTos.length)]!
      const t0 = performance.now()
      const result = await kit.partners.determinePartners({ actor, soldTo, salesArea })
      latencies.push(performance.now() - t0)
      if (!result.complete) throw new Error(`determination for ${soldTo} was incomplete`)
    }
    const p50 = percentile(latencies, 50)
    const p99 = percentile(latencies, 99)
    return [
      figure({ name: `partner determination p50 (${customers} customers)`, store: name, value: p50, unit: "ms", baseline: null }),
      figure({
        name: `partner determination p99 (${customers} customers)`,
        store: name,
        value: p99,
        unit: "ms",
        baseline: null,
        target: `< ${target} ms`
      })
    ]
  } finally {
    await kit.close()
  }
}

export const run = async (options: BenchOptions): Promise<Array<Figure>> => {
  // Quick: a smoke run that keeps `npm run bench -- --quick` under a minute with the store suite.
  const customers = options.quick ? 300 : 100_000
  const samples = options.quick ? 300 : 10_000
  const dir = mkdtempSync(join(tmpdir(), "partnerkit-bench-"))
  try {
    return [
      ...(await measure("memory", MemoryStore.layer(), customers, samples, 1, options)),
      ...(await measure("sqlite", SqliteStore.layer({ filename: join(dir, "determination.sqlite") }), customers, samples, 3, options))
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
