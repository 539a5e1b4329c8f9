/**
 * The match index of the memory store (`MatchIndexStore`): an in-process inverted index from
 * blocking keys to customer numbers, kept as an immutable value so that it lives inside the
 * store's persistent `State` and shares its transactions (a draft is an O(1) snapshot; a failed
 * transaction drops its index writes with everything else).
 *
 * Layout, per tenant (a small log-structured merge tree):
 * - `segments`: immutable inverted indexes, each built once from a batch of customers — a key maps
 *   to the positions of the customers that carry it. Segments are merged like a binary counter (a
 *   segment is merged into the one before it when that one is not bigger), so a tenant has
 *   O(log n) segments and each entry is copied O(log n) times over its life.
 * - `pending`: the latest writes (at most `flushAt`), scanned directly, then flushed into a segment.
 * - `live`: a persistent map from customer number to the generation of its current keys. Every
 *   write gets the next generation, so generations grow along the segments and inside each one,
 *   and the segment and position of a customer's current entry are found by binary search. `put`
 *   and `remove` do not edit a segment's postings: they mark the old entry dead in the segment's
 *   persistent `dead` set (a new segment value sharing the postings); dead entries are skipped at
 *   query time — a segment without dead entries is read without any check — and dropped at the
 *   next merge.
 *
 * Frequencies for `maxKeyFrequency` are the number of entries carrying a key, replaced ones
 * included until a merge drops them (the port allows this: a key may be skipped early, never late).
 *
 * @example
 * ```ts
 * import { MatchIndex } from "@partnerkit/storage-memory"
 *
 * let index = MatchIndex.empty
 * index = MatchIndex.put(index, "acme", "C0001", ["n:acme", "t:acme"])
 * index = MatchIndex.put(index, "acme", "C0002", ["t:acme", "t:tools"])
 * MatchIndex.candidates(index, "acme", ["n:acme", "t:acme"], { limit: 10, maxKeyFrequency: 100 })
 * // [{ number: "C0001", sharedKeys: 2 }, { number: "C0002", sharedKeys: 1 }]
 * ```
 * @module
 */
import type { CandidateOptions, IndexCandidate, IndexEntry, MatchIndexStoreShape } from "@partnerkit/core"
import { type Effect, HashMap, HashSet, Option } from "effect"

/** Postings of one key in one segment: a single position, or several in ascending order. */
type Postings = number | ReadonlyArray<number>

/** Big segments spread their keys over several maps: a JavaScript `Map` holds at most 2^24 entries. */
const SHARDS = 16

interface Segment {
  /** Customer number by position. */
  readonly numbers: ReadonlyArray<string>
  /** The generation each position was written with, ascending. */
  readonly generations: ReadonlyArray<number>
  readonly shards: ReadonlyArray<ReadonlyMap<string, Postings>>
  /** Positions replaced or removed since the segment was built. */
  readonly dead: HashSet.HashSet<number>
}

interface PendingEntry {
  readonly number: string
  readonly generation: number
  readonly keys: ReadonlySet<string>
}

interface TenantIndex {
  /** Customer number → generation of its current entry. */
  readonly live: HashMap.HashMap<string, number>
  /** Oldest first. */
  readonly segments: ReadonlyArray<Segment>
  /** Newer than every segment; only live entries. */
  readonly pending: ReadonlyArray<PendingEntry>
  readonly nextGeneration: number
}

/** The whole index of one store, every tenant. Never mutated: every write returns a new value. */
export interface MatchIndex {
  readonly tenants: HashMap.HashMap<string, TenantIndex>
}

/** An index with nothing in it. */
export const empty: MatchIndex = { tenants: HashMap.empty() }

/** How many writes wait in `pending` before they become a segment. */
export const flushAt = 128

const emptyTenant: TenantIndex = { live: HashMap.empty(), segments: [], pending: [], nextGeneration: 1 }

const shardOf = (key: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  return (h >>> 0) % SHARDS
}

const sizeOf = (p: Postings | undefined) => (p === undefined ? 0 : typeof p === "number" ? 1 : p.length)

/** Appends `position` to postings being built (arrays here are owned by the builder). */
const append = (shard: Map<string, Postings>, key: string, position: number) => {
  const current = shard.get(key)
  if (current === undefined) shard.set(key, position)
  else if (typeof current === "number") shard.set(key, [current, position])
  else (current as Array<number>).push(position)
}

const buildSegment = (
  entries: ReadonlyArray<{ readonly number: string; readonly generation: number; readonly keys: Iterable<string> }>
): Segment => {
  const shards = Array.from({ length: SHARDS }, () => new Map<string, Postings>())
  const numbers: Array<string> = []
  const generations: Array<number> = []
  for (const entry of entries) {
    const position = numbers.length
    numbers.push(entry.number)
    generations.push(entry.generation)
    for (const key of entry.keys) append(shards[shardOf(key)]!, key, position)
  }
  return { numbers, generations, shards, dead: HashSet.empty() }
}

/** Merges two neighbouring segments into one, dropping dead entries. */
const mergeSegments = (older: Segment, newer: Segment): Segment => {
  const numbers: Array<string> = []
  const generations: Array<number> = []
  const remap = (segment: Segment) =>
    segment.numbers.map((number, i) => {
      if (HashSet.has(segment.dead, i)) return -1
      numbers.push(number)
      generations.push(segment.generations[i]!)
      return numbers.length - 1
    })
  const olderMap = remap(older)
  const newerMap = remap(newer)
  const shards = Array.from({ length: SHARDS }, (_, s) => {
    const shard = new Map<string, Postings>()
    for (const [segment, map] of [
      [older, olderMap],
      [newer, newerMap]
    ] as const) {
      for (const [key, postings] of segment.shards[s]!) {
        if (typeof postings === "number") {
          const p = map[postings]!
          if (p >= 0) append(shard, key, p)
        } else {
          for (const old of postings) {
            const p = map[old]!
            if (p >= 0) append(shard, key, p)
          }
        }
      }
    }
    return shard
  })
  return { numbers, generations, shards, dead: HashSet.empty() }
}

/** Adds a segment and merges while the one before the last is not bigger than the last. */
const addSegment = (segments: ReadonlyArray<Segment>, segment: Segment): ReadonlyArray<Segment> => {
  const out = [...segments]
  if (segment.numbers.length > 0) out.push(segment)
  while (out.length >= 2 && live(out[out.length - 2]!) <= live(out[out.length - 1]!)) {
    const newer = out.pop()!
    const older = out.pop()!
    const merged = mergeSegments(older, newer)
    if (merged.numbers.length > 0) out.push(merged)
  }
  return out
}

const live = (segment: Segment) => segment.numbers.length - HashSet.size(segment.dead)

/** First index whose value is ≥ `value` in an ascending array. */
const lowerBound = (values: ReadonlyArray<number>, value: number) => {
  let lo = 0
  let hi = values.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (values[mid]! < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Marks the entries with these generations dead, wherever they are. */
const kill = (tenant: TenantIndex, generations: ReadonlyArray<number>): TenantIndex => {
  if (generations.length === 0) return tenant
  const gone = new Set(generations)
  const pending = tenant.pending.some((e) => gone.has(e.generation))
    ? tenant.pending.filter((e) => !gone.has(e.generation))
    : tenant.pending
  const bySegment = new Map<number, Array<number>>()
  for (const generation of generations) {
    // Segments are ordered by generation: the one holding it is the first whose last generation is ≥ it.
    let lo = 0
    let hi = tenant.segments.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const last = tenant.segments[mid]!.generations.at(-1) ?? 0
      if (last < generation) lo = mid + 1
      else hi = mid
    }
    const segment = tenant.segments[lo]
    if (segment === undefined) continue
    const position = lowerBound(segment.generations, generation)
    if (segment.generations[position] !== generation) continue
    bySegment.set(lo, [...(bySegment.get(lo) ?? []), position])
  }
  if (bySegment.size === 0) return { ...tenant, pending }
  const segments = tenant.segments.map((segment, i) => {
    const positions = bySegment.get(i)
    return positions === undefined
      ? segment
      : { ...segment, dead: HashSet.mutate(segment.dead, (set) => positions.forEach((p) => HashSet.add(set, p))) }
  })
  return { ...tenant, pending, segments }
}

const flush = (tenant: TenantIndex): TenantIndex => ({
  ...tenant,
  pending: [],
  segments: addSegment(tenant.segments, buildSegment(tenant.pending))
})

const tenantOf = (index: MatchIndex, tenant: string) => Option.getOrElse(HashMap.get(index.tenants, tenant), () => emptyTenant)

const withTenant = (index: MatchIndex, tenant: string, value: TenantIndex): MatchIndex => ({
  tenants: HashMap.set(index.tenants, tenant, value)
})

/** Replaces the keys of one customer (no keys: removes it). */
export const put = (index: MatchIndex, tenant: string, number: string, keys: ReadonlyArray<string>): MatchIndex => {
  if (keys.length === 0) return remove(index, tenant, number)
  const before = tenantOf(index, tenant)
  const previous = Option.getOrUndefined(HashMap.get(before.live, number))
  const t = previous === undefined ? before : kill(before, [previous])
  const generation = t.nextGeneration
  const next: TenantIndex = {
    live: HashMap.set(t.live, number, generation),
    segments: t.segments,
    pending: [...t.pending, { number, generation, keys: new Set(keys) }],
    nextGeneration: generation + 1
  }
  return withTenant(index, tenant, next.pending.length >= flushAt ? flush(next) : next)
}

/** `put` for many customers: one new segment instead of many small writes. Later entries for the same number win. */
export const putMany = (index: MatchIndex, tenant: string, entries: ReadonlyArray<IndexEntry>): MatchIndex => {
  if (entries.length === 0) return index
  const last = new Map<string, IndexEntry>()
  for (const entry of entries) {
    last.delete(entry.number)
    last.set(entry.number, entry)
  }
  const before = tenantOf(index, tenant)
  const previous: Array<number> = []
  for (const number of last.keys()) {
    const g = Option.getOrUndefined(HashMap.get(before.live, number))
    if (g !== undefined) previous.push(g)
  }
  // Pending entries go first, so that the new segment is newer than everything before it.
  const t = flush(kill(before, previous))
  let generation = t.nextGeneration
  const built: Array<{ number: string; generation: number; keys: ReadonlySet<string> }> = []
  const liveMap = HashMap.mutate(t.live, (m) => {
    for (const entry of last.values()) {
      if (entry.keys.length === 0) {
        HashMap.remove(m, entry.number)
        continue
      }
      const g = generation++
      HashMap.set(m, entry.number, g)
      built.push({ number: entry.number, generation: g, keys: new Set(entry.keys) })
    }
  })
  return withTenant(index, tenant, {
    live: liveMap,
    nextGeneration: generation,
    pending: [],
    segments: addSegment(t.segments, buildSegment(built))
  })
}

/** Drops every key of one customer. */
export const remove = (index: MatchIndex, tenant: string, number: string): MatchIndex => {
  const t = Option.getOrUndefined(HashMap.get(index.tenants, tenant))
  const previous = t === undefined ? undefined : Option.getOrUndefined(HashMap.get(t.live, number))
  if (t === undefined || previous === undefined) return index
  const killed = kill(t, [previous])
  return withTenant(index, tenant, { ...killed, live: HashMap.remove(killed.live, number) })
}

/**
 * Per-segment counters for `candidates`, reused across calls: a query counts hits by position in
 * a typed array instead of a map keyed by customer number. Not part of the index's value — a cache
 * keyed by the (immutable) segment, always back to zero when `candidates` returns.
 */
const counters = new WeakMap<Segment, Int32Array>()
const counterOf = (segment: Segment) => {
  let counter = counters.get(segment)
  if (counter === undefined) {
    counter = new Int32Array(segment.numbers.length)
    counters.set(segment, counter)
  }
  return counter
}

/** Customers sharing keys with `keys`, ranked as `MatchIndexStore` says. */
export const candidates = (
  index: MatchIndex,
  tenant: string,
  keys: ReadonlyArray<string>,
  options: CandidateOptions
): Array<IndexCandidate> => {
  const t = Option.getOrUndefined(HashMap.get(index.tenants, tenant))
  if (t === undefined || options.limit <= 0) return []
  // A live customer has exactly one live entry (in one segment or in pending), so counting by
  // position counts by customer.
  const touched: Array<Array<number>> = t.segments.map(() => [])
  const pendingCounts = new Map<string, number>()
  const found: Array<readonly [number, Postings]> = []
  for (const key of new Set(keys)) {
    const shard = shardOf(key)
    found.length = 0
    let frequency = 0
    for (let s = 0; s < t.segments.length; s++) {
      const postings = t.segments[s]!.shards[shard]!.get(key)
      if (postings === undefined) continue
      frequency += sizeOf(postings)
      found.push([s, postings])
    }
    let pending = 0
    for (const e of t.pending) if (e.keys.has(key)) pending++
    frequency += pending
    if (frequency === 0 || frequency > options.maxKeyFrequency) continue
    for (const [s, postings] of found) {
      const segment = t.segments[s]!
      const counter = counterOf(segment)
      const list = touched[s]!
      const dead = HashSet.size(segment.dead) === 0 ? undefined : segment.dead
      if (typeof postings === "number") {
        if (dead === undefined || !HashSet.has(dead, postings)) {
          if (counter[postings]!++ === 0) list.push(postings)
        }
      } else {
        for (const p of postings) {
          if (dead !== undefined && HashSet.has(dead, p)) continue
          if (counter[p]!++ === 0) list.push(p)
        }
      }
    }
    if (pending > 0) for (const e of t.pending) if (e.keys.has(key)) pendingCounts.set(e.number, (pendingCounts.get(e.number) ?? 0) + 1)
  }
  // Bucket by shared keys (resetting the counters on the way); only the buckets that reach the limit are ordered.
  const exclude = new Set(options.exclude ?? [])
  const buckets: Array<Array<string>> = []
  touched.forEach((list, s) => {
    const segment = t.segments[s]!
    const counter = counters.get(segment)
    if (counter === undefined) return
    for (const p of list) {
      const shared = counter[p]!
      counter[p] = 0
      const number = segment.numbers[p]!
      if (!exclude.has(number)) addTo(buckets, shared, number)
    }
  })
  for (const [number, shared] of pendingCounts) if (!exclude.has(number)) addTo(buckets, shared, number)
  const ranked: Array<IndexCandidate> = []
  for (let shared = buckets.length - 1; shared >= 1 && ranked.length < options.limit; shared--) {
    const bucket = buckets[shared]
    if (bucket === undefined) continue
    for (const number of lowest(bucket, options.limit - ranked.length)) ranked.push({ number, sharedKeys: shared })
  }
  return ranked
}

const addTo = (buckets: Array<Array<string>>, shared: number, number: string) => {
  const bucket = buckets[shared]
  if (bucket === undefined) buckets[shared] = [number]
  else bucket.push(number)
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The `n` lowest numbers of `values`, ascending, without sorting a long list (a frequent key can fill a bucket with thousands). */
const lowest = (values: Array<string>, n: number): Array<string> => {
  if (values.length <= n * 4) return values.sort(byText).slice(0, n)
  const kept: Array<string> = []
  for (const v of values) {
    if (kept.length === n && v >= kept[n - 1]!) continue
    let lo = 0
    let hi = kept.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (kept[mid]! < v) lo = mid + 1
      else hi = mid
    }
    kept.splice(lo, 0, v)
    if (kept.length > n) kept.pop()
  }
  return kept
}

/** How the port reaches the index inside the store's state (and transactions). */
export interface Access {
  readonly read: <A>(f: (index: MatchIndex) => A) => Effect.Effect<A>
  readonly write: (f: (index: MatchIndex) => MatchIndex) => Effect.Effect<void>
}

/** The `MatchIndexStore` port over an index held by `access`, but for `records`, which reads the customers (the store adds it). */
export const port = (access: Access): Omit<MatchIndexStoreShape, "records"> => ({
  put: (tenant, number, keys) => access.write((index) => put(index, tenant, number, [...keys])),
  putMany: (tenant, entries) =>
    access.write((index) =>
      putMany(
        index,
        tenant,
        entries.map((e) => ({ number: e.number, keys: [...e.keys] }))
      )
    ),
  remove: (tenant, number) => access.write((index) => remove(index, tenant, number)),
  candidates: (tenant, keys, options) => access.read((index) => candidates(index, tenant, keys, options))
})
