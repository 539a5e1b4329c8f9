/** One measured figure, next to the raw driver's figure for the same work where there is one. */
export interface Figure {
  readonly name: string
  readonly store: string
  readonly value: number
  readonly unit: string
  /** The raw driver doing the same work on the same run, or `null` where there is no such baseline. */
  readonly baseline: number | null
  /**
   * Partnerkit against the raw driver, oriented so that a ratio ≥ 1 always means partnerkit is at
   * least as good: `value / baseline` for rates (higher is better), `baseline / value` for
   * latencies and memory (lower is better; such figures say "ratio raw/partnerkit" in their name).
   */
  readonly ratio: number | null
  /** The target, for the reader. */
  readonly target?: string
}

export interface BenchOptions {
  readonly quick: boolean
  readonly log: (line: string) => void
  /** Customers per bulk import in the store suite, instead of its default (`--imported`). */
  readonly imported?: number
  /** Customers the search suite loads, instead of its default (`--searched`). */
  readonly searched?: number
  /** The stores the search suite measures (`--search-stores sqlite,postgres`, default both). */
  readonly searchStores?: ReadonlyArray<string>
  /** Which stores the store suite measures (`--stores sqlite,postgres`; default both). */
  readonly stores?: ReadonlyArray<string> | undefined
  /** Customers the duplicates suite loads per store, instead of its default (`--duplicated`). */
  readonly duplicated?: number
}

/** A figure with its ratio; `better: "lower"` (latencies, memory) makes the ratio `baseline / value`. */
export const figure = ({
  better = "higher",
  ...f
}: Omit<Figure, "ratio"> & { readonly ratio?: number | null; readonly better?: "higher" | "lower" }): Figure => ({
  ...f,
  ratio:
    f.ratio !== undefined
      ? f.ratio
      : f.baseline === null || f.baseline === 0 || f.value === 0
        ? null
        : better === "higher"
          ? f.value / f.baseline
          : f.baseline / f.value
})

/** Percentile of sorted-in-place samples (nearest rank). */
export const percentile = (samples: Array<number>, p: number): number => {
  samples.sort((a, b) => a - b)
  const rank = Math.min(samples.length - 1, Math.max(0, Math.ceil((p / 100) * samples.length) - 1))
  return samples[rank] ?? Number.NaN
}

/** A small seeded PRNG (mulberry32) so every run draws the same "random" customers. */
export const seeded = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
