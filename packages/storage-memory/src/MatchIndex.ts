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
 * - `live`: a persistent map from customer number to the generation of its current keys. `put`
 *   gives the customer a new generation instead of editing old segments; an entry whose generation
 *   is not the live one is skipped at query time and dropped at the next merge. `remove` deletes
 *   the customer from `live`.
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
import { Effect, HashMap, Option } from "effect"

/** Postings of one key in one segment: a single position, or several in ascending order. */
type Postings = number | ReadonlyArray<number>

/** Big segments spread their keys over several maps: a JavaScript `Map` holds at most 2^24 entries. */
const SHARDS = 16

interface Segment {
  /** Customer number by position. */
  readonly numbers: ReadonlyArray<string>
  /** The generation each position was written with. */
  readonly generations: ReadonlyArray<number>
  readonly shards: ReadonlyArray<ReadonlyMap<string, Postings>>
}

interface PendingEntry {
  readonly number: string
  readonly generation: number
  readonly keys: ReadonlySet<string>
}

interface TenantIndex {
  readonly live: HashMap.HashMap<string, number>
  readonly segments: ReadonlyArray<Segment>
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

const buildSegment = (entries: ReadonlyArray<{ readonly number: string; readonly generation: number; readonly keys: Iterable<string> }>): Segment => {
  const shards = Array.from({ length: SHARDS }, () => new Map<string, Postings>())
  const numbers: Array<string> = []
  const generations: Array<number> = []
  for (const entry of entries) {
    const position = numbers.length
    numbers.push(entry.number)
    generations.push(entry.generation)
    for (const key of entry.keys) append(shards[shardOf(key)]!, key, position)
  }
  return { numbers, generations, shards }
}

const isLive = (live: HashMap.HashMap<string, number>, number: string, generation: number) =>
  Option.getOrUndefined(HashMap.get(live, number)) === generation

/** Merges two segments into one, dropping entries that are no longer live. */
const mergeSegments = (older: Segment, newer: Segment, live: HashMap.HashMap<string, number>): Segment => {
  const numbers: Array<string> = []
  const generations: Array<number> = []
  const remap = (segment: Segment) =>
    segment.numbers.map((number, i) => {
      const generation = segment.generations[i]!
      if (!isLive(live, number, generation)) return -1
      numbers.push(number)
      generations.push(generation)
      return numbers.length - 1
    })
  const olderMap = remap(older)
  const newerMap = remap(newer)
  const shards = Array.from({ length: SHARDS }, (_, s) => {
    const shard = new Map<string, Postings>()
    for (const [segment, map] of [[older, olderMap], [newer, newerMap]] as const) {
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
  return { numbers, generations, shards }
}

/** Adds a segment and merges while the one before the last is not bigger than the last. */
const addSegment = (segments: ReadonlyArray<Segment>, segment: Segment, live: HashMap.HashMap<string, number>): ReadonlyArray<Segment> => {
  const out = [...segments]
  if (segment.numbers.length > 0) out.push(segment)
  while (out.length >= 2 && out[out.length - 2]!.numbers.length <= out[out.length - 1]!.numbers.length) {
    const newer = out.pop()!
    const older = out.pop()!
    const merged = mergeSegments(older, newer, live)
    if (merged.numbers.length > 0) out.push(merged)
  }
  return out
}

const flush = (tenant: TenantIndex): TenantIndex => {
  const live = tenant.pending.filter((e) => isLive(tenant.live, e.number, e.generation))
  return { ...tenant, pending: [], segments: addSegment(tenant.segments, buildSegment(live), tenant.live) }
}

const tenantOf = (index: MatchIndex, tenant: string) => Option.getOrElse(HashMap.get(index.tenants, tenant), () => emptyTenant)

const withTenant = (index: MatchIndex, tenant: string, value: TenantIndex): MatchIndex => ({ tenants: HashMap.set(index.tenants, tenant, value) })

/** Replaces the keys of one customer (no keys: removes it). */
export const put = (index: MatchIndex, tenant: string, number: string, keys: ReadonlyArray<string>): MatchIndex => {
  if (keys.length === 0) return remove(index, tenant, number)
  const t = tenantOf(index, tenant)
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
  const t = tenantOf(index, tenant)
  let generation = t.nextGeneration
  const built: Array<{ number: string; generation: number; keys: ReadonlySet<string> }> = []
  const removed: Array<string> = []
  const live = HashMap.mutate(t.live, (m) => {
    for (const entry of entries) {
      if (entry.keys.length === 0) {
        HashMap.remove(m, entry.number)
        removed.push(entry.number)
        continue
      }
      const g = generation++
      HashMap.set(m, entry.number, g)
      built.push({ number: entry.number, generation: g, keys: new Set(entry.keys) })
    }
  })
  const next: TenantIndex = { ...t, live, nextGeneration: generation }
  return withTenant(index, tenant, { ...next, segments: addSegment(next.segments, buildSegment(built), live) })
}

/** Drops every key of one customer. */
export const remove = (index: MatchIndex, tenant: string, number: string): MatchIndex => {
  const t = Option.getOrUndefined(HashMap.get(index.tenants, tenant))
  if (t === undefined || !HashMap.has(t.live, number)) return index
  return withTenant(index, tenant, { ...t, live: HashMap.remove(t.live, number) })
}

/** Customers sharing keys with `keys`, ranked as `MatchIndexStore` says. */
export const candidates = (index: MatchIndex, tenant: string, keys: ReadonlyArray<string>, options: CandidateOptions): Array<IndexCandidate> => {
  const t = Option.getOrUndefined(HashMap.get(index.tenants, tenant))
  if (t === undefined || options.limit <= 0) return []
  const exclude = new Set(options.exclude ?? [])
  const counts = new Map<string, number>()
  const hit = (number: string) => {
    if (!exclude.has(number)) counts.set(number, (counts.get(number) ?? 0) + 1)
  }
  for (const key of new Set(keys)) {
    const shard = shardOf(key)
    const found: Array<readonly [Segment, Postings]> = []
    let frequency = 0
    for (const segment of t.segments) {
      const postings = segment.shards[shard]!.get(key)
      if (postings === undefined) continue
      frequency += sizeOf(postings)
      found.push([segment, postings])
    }
    const pending = t.pending.filter((e) => e.keys.has(key))
    frequency += pending.length
    if (frequency === 0 || frequency > options.maxKeyFrequency) continue
    for (const [segment, postings] of found) {
      if (typeof postings === "number") {
        if (isLive(t.live, segment.numbers[postings]!, segment.generations[postings]!)) hit(segment.numbers[postings]!)
      } else {
        for (const p of postings) if (isLive(t.live, segment.numbers[p]!, segment.generations[p]!)) hit(segment.numbers[p]!)
      }
    }
    for (const e of pending) if (isLive(t.live, e.number, e.generation)) hit(e.number)
  }
  const ranked = [...counts].map(([number, sharedKeys]) => ({ number, sharedKeys }))
  ranked.sort((a, b) => b.sharedKeys - a.sharedKeys || (a.number < b.number ? -1 : a.number > b.number ? 1 : 0))
  return ranked.slice(0, options.limit)
}

/** How the port reaches the index inside the store's state (and transactions). */
export interface Access {
  readonly read: <A>(f: (index: MatchIndex) => A) => Effect.Effect<A>
  readonly write: (f: (index: MatchIndex) => MatchIndex) => Effect.Effect<void>
}

/** The `MatchIndexStore` port over an index held by `access`. */
export const port = (access: Access): MatchIndexStoreShape => ({
  put: (tenant, number, keys) => access.write((index) => put(index, tenant, number, [...keys])),
  putMany: (tenant, entries) =>
    access.write((index) => putMany(index, tenant, entries.map((e) => ({ number: e.number, keys: [...e.keys] })))),
  remove: (tenant, number) => access.write((index) => remove(index, tenant, number)),
  candidates: (tenant, keys, options) =>
    access.read((index) => candidates(index, tenant, keys, options)).pipe(Effect.withSpan("MatchIndexStore.candidates", { attributes: { tenant } }))
})
