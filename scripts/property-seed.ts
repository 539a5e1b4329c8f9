import fc from "fast-check"

// Property tests draw from a fixed seed, so that a run of `npm test` gives the same verdict on
// every machine. `FC_SEED=random` draws a fresh seed (printed by fast-check on failure) and
// `FC_RUNS` raises the number of cases: `FC_SEED=random FC_RUNS=20000 npx vitest run`.
const seed = process.env.FC_SEED
const runs = process.env.FC_RUNS
fc.configureGlobal({
  ...(seed === "random" ? {} : { seed: seed === undefined ? 20261123 : Number(seed) }),
  ...(runs === undefined ? {} : { numRuns: Number(runs) })
})
