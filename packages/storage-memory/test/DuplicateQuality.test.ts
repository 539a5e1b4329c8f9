import { describe, expect, it } from "@effect/vitest"
import { Actor, CustomerStore, Customizing, DuplicateCheck, Presets, StoreTransaction } from "@partnerkit/core"
import { MemoryStore } from "@partnerkit/storage-memory"
import { DuplicateCorpus, Fixtures as F } from "@partnerkit/testkit"
import { Effect, Layer } from "effect"

/**
 * Quality of the duplicate check at the default configuration, on the labelled corpus: a batch
 * scan over about 11,000 customers, its pairs scored against the known duplicates.
 */
describe("duplicate check quality (labelled corpus, memory store)", () => {
  it.effect(
    "precision ≥ 0.95 and recall ≥ 0.90 at the default threshold",
    () => {
      const tenant = F.tenantId("quality")
      const corpus = DuplicateCorpus.generate()
      const layer = DuplicateCheck.layer.pipe(
        Layer.provideMerge(Layer.mergeAll(MemoryStore.layer(), Customizing.layer(Presets.standard(tenant))))
      )
      return Effect.gen(function* () {
        const store = yield* CustomerStore
        const tx = yield* StoreTransaction
        const duplicates = yield* DuplicateCheck.DuplicateCheck
        const started = performance.now()
        yield* tx.withTransaction(
          Effect.forEach(corpus.records, (r) => store.insert(DuplicateCorpus.toCustomerRecord(tenant, r)), { discard: true })
        )
        yield* duplicates.reindex()
        const loaded = performance.now()
        const scan = yield* duplicates.scan({ actor: Actor.superUser(tenant) })
        const scanned = performance.now()
        const edges: Array<readonly [string, string]> = []
        const clusterPairs: Array<readonly [string, string]> = []
        for (const cluster of scan.clusters) {
          for (const m of cluster.members) if (m.linkedTo !== undefined) edges.push([m.number, m.linkedTo.number])
          for (let i = 0; i < cluster.members.length; i++) {
            for (let j = i + 1; j < cluster.members.length; j++) clusterPairs.push([cluster.members[i]!.number, cluster.members[j]!.number])
          }
        }
        const quality = DuplicateCorpus.evaluate(corpus, clusterPairs)

        // The check before create: every 40th record checked against all the others.
        const entityOf = new Map(corpus.records.map((r) => [r.number, r.entity]))
        const sizeOf = new Map<number, number>()
        for (const r of corpus.records) sizeOf.set(r.entity, (sizeOf.get(r.entity) ?? 0) + 1)
        let flagged = 0
        let right = 0
        let expected = 0
        const checkStarted = performance.now()
        const sample = corpus.records.filter((_, i) => i % 40 === 0)
        for (const r of sample) {
          const result = yield* duplicates.check({ actor: Actor.superUser(tenant), input: { general: r.general }, exclude: r.number })
          const suspected = result.candidates.filter((c) => c.suspected)
          flagged += suspected.length
          right += suspected.filter((c) => entityOf.get(c.number) === r.entity).length
          expected += sizeOf.get(r.entity)! - 1
        }
        const checkMs = (performance.now() - checkStarted) / sample.length
        console.log(
          [
            `duplicate check quality: ${corpus.records.length} customers, ${corpus.entities} parties, ${corpus.truePairs} true pairs`,
            `  clusters ${scan.clusters.length}, pairs at threshold ${scan.pairs}`,
            `  precision ${quality.precision.toFixed(4)}  recall ${quality.recall.toFixed(4)}  (TP ${quality.truePositives}, FP ${quality.falsePositives}, FN ${quality.falseNegatives}; pairs within clusters)`,
            `  check before create (${sample.length} records): precision ${(right / flagged).toFixed(4)}  recall ${(right / expected).toFixed(4)}  (${checkMs.toFixed(2)} ms per check)`,
            `  load + index ${((loaded - started) / 1000).toFixed(1)} s, scan ${((scanned - loaded) / 1000).toFixed(1)} s`
          ].join("\n")
        )
        expect(quality.precision).toBeGreaterThanOrEqual(0.95)
        expect(quality.recall).toBeGreaterThanOrEqual(0.9)
        expect(right / flagged).toBeGreaterThanOrEqual(0.95)
        expect(right / expected).toBeGreaterThanOrEqual(0.9)
      }).pipe(Effect.provide(layer))
    },
    300_000
  )
})
