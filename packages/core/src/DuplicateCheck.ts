/**
 * The duplicate check as an Effect service: on demand for an input (`check`), as a batch scan over
 * a tenant that returns clusters for a later merge (`scan`), and as the step the lifecycle runs
 * before a create (`findings`, which turns suspected duplicates into `DUPLICATE_SUSPECTED`
 * messages whose severity the installation sets). `index` keeps the match index in step with a
 * written record; call it inside the write's transaction.
 *
 * Candidates come from the `MatchIndexStore` by shared blocking keys (`Matching.blockingKeys`), so a
 * check costs the same at a thousand customers and at a million; each candidate is then scored and
 * explained by `Matching.compare`.
 *
 * **Authorization.** A candidate whose general view the actor may not see (its authorization group
 * is not the actor's) is never returned: it is only counted in `outsideAuthorization` when it is a
 * suspected duplicate, and reported as `DUPLICATE_OUTSIDE_AUTHORIZATION` ("a possible duplicate
 * exists outside your authorization") — no number, no name, no score. Scan clusters likewise list
 * only visible members and count the others.
 *
 * Configuration: `Standardisation.DataQualityConfig`, taken from the customizing's `dataQuality`
 * when it has one, or given to `layerWith`.
 *
 * @example
 * ```ts
 * import { Actor, DuplicateCheck } from "@partnerkit/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const duplicates = yield* DuplicateCheck.DuplicateCheck
 *   const { candidates, outsideAuthorization } = yield* duplicates.check({
 *     actor: Actor.superUser("acme"),
 *     input: { general: { name: "ACME Systems G.m.b.H.", postalCode: "80331", city: "München", country: "DE" } }
 *   })
 *   for (const c of candidates) console.log(c.number, c.score, c.summary) // "C0001 0.97 name 1, address 0.8"
 *   return outsideAuthorization
 * })
 * // Provide DuplicateCheck.layer, Customizing.layer(…) and a store layer to run it.
 * ```
 * @module
 */
import { Context, Effect, Layer } from "effect"
import { z } from "zod"
import * as Actor from "./Actor.js"
import type { CreateCustomerInput, CustomerRecord, GeneralData } from "./Customer.js"
import { CustomerStore } from "./CustomerStore.js"
import { Current, type Customizing } from "./Customizing.js"
import type { NotAuthorized, StorageError, ValidationFailed } from "./Errors.js"
import { inputInvalid, notAuthorized, type WithActor } from "./internal/service.js"
import { MatchIndexStore } from "./MatchIndexStore.js"
import * as Matching from "./Matching.js"
import { factory, type Message, type MessageFactory, severityOf } from "./Messages.js"
import * as Standardisation from "./Standardisation.js"

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** A customer the actor may see that may be the same party as the input. */
export interface Candidate {
  readonly number: string
  readonly name: string
  readonly city?: string | undefined
  readonly country?: string | undefined
  /** 0–1, see `Matching.compare`. */
  readonly score: number
  /** At or above the installation's duplicate threshold. */
  readonly suspected: boolean
  /** Per field: verdict, similarity, contribution to the score, detail. */
  readonly explanation: ReadonlyArray<Matching.FieldEvidence>
  /** One line, e.g. `name 0.97, address 0.8, same tax number`. */
  readonly summary: string
}

export interface CheckInput extends WithActor {
  /** A create input, or just the general data to check. */
  readonly input: CreateCustomerInput | { readonly general: GeneralData }
  /** Leave this customer out (checking a change of an existing customer). */
  readonly exclude?: string | undefined
  /** At most this many candidates (default 10). */
  readonly limit?: number | undefined
}

export interface CheckResult {
  /** Visible candidates at or above the `possible` threshold, best first. */
  readonly candidates: ReadonlyArray<Candidate>
  /** Suspected duplicates the actor may not see: a count, nothing else. */
  readonly outsideAuthorization: number
  /** `DUPLICATE_SUSPECTED` per suspected visible candidate and one `DUPLICATE_OUTSIDE_AUTHORIZATION`, with the installation's severities. */
  readonly messages: ReadonlyArray<Message>
}

/** A member of a scan cluster. */
export interface ClusterMember {
  readonly number: string
  readonly name: string
  readonly survivor: boolean
  /** Against the survivor (1 for the survivor itself). */
  readonly score: number
  /** Against the survivor (empty for the survivor itself). */
  readonly explanation: ReadonlyArray<Matching.FieldEvidence>
  /** The member it was found with and their score: the edge that put it in the cluster. */
  readonly linkedTo?: { readonly number: string; readonly score: number } | undefined
}

/** Customers that are probably one party, shaped for a merge: keep `survivor`, merge the rest into it. */
export interface Cluster {
  /** Stable for the same visible members: `dup-` and a hash of their numbers. */
  readonly id: string
  readonly survivor: string
  /** Why this member was suggested to survive. */
  readonly survivorReason: string
  /** The survivor first, then by score. */
  readonly members: ReadonlyArray<ClusterMember>
  /** Members the actor may not see: counted, never shown. */
  readonly outsideAuthorization: number
}

export interface ScanInput extends WithActor {
  /** Edges at or above this score join a cluster (default: the duplicate threshold). */
  readonly threshold?: number | undefined
}

export interface ScanResult {
  readonly clusters: ReadonlyArray<Cluster>
  /** Customers scanned (visible to the actor). */
  readonly scanned: number
  /** Pairs at or above the threshold. */
  readonly pairs: number
}

export interface FindingsInput extends WithActor {
  readonly general: GeneralData
  readonly exclude?: string | undefined
  /**
   * `general` is already standardised with this installation's `dataQuality` (as the lifecycle
   * does before it checks): it is not standardised again. Default `false`.
   */
  readonly standardised?: boolean | undefined
}

type CheckError = NotAuthorized | ValidationFailed | StorageError

export interface DuplicateCheckShape {
  /** Scored, explained candidates for an input. */
  readonly check: (input: CheckInput) => Effect.Effect<CheckResult, CheckError>
  /** Clusters of probable duplicates over the tenant's customers the actor may see. Holds about 1 KB per customer while it runs. */
  readonly scan: (input: ScanInput) => Effect.Effect<ScanResult, CheckError>
  /**
   * For the lifecycle, before create: the check's messages (`DUPLICATE_SUSPECTED`,
   * `DUPLICATE_OUTSIDE_AUTHORIZATION`), empty when nothing is suspected. When the installation
   * sets both messages `off`, nothing could be reported: the check does not run (no index read).
   */
  readonly findings: (input: FindingsInput) => Effect.Effect<ReadonlyArray<Message>, StorageError>
  /** Writes the record's blocking keys (one-time accounts get none). Call it in the transaction that writes the record. */
  readonly index: (record: CustomerRecord) => Effect.Effect<void, StorageError>
  /** `index` for many records in one `putMany` (a bulk import). Call it in the transaction that writes them. */
  readonly indexMany: (records: ReadonlyArray<CustomerRecord>) => Effect.Effect<void, StorageError>
  /** Rebuilds the tenant's index from the customer store (after an import, or to compact it). */
  readonly reindex: () => Effect.Effect<{ readonly indexed: number }, StorageError>
}

/** The duplicate-check service. */
export class DuplicateCheck extends Context.Tag("@partnerkit/core/DuplicateCheck")<DuplicateCheck, DuplicateCheckShape>() {}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const InputShape = z.object({ general: z.object({ name: z.string().trim().min(1) }).loose() }).loose()

/** The data-quality configuration of an installation: its customizing's `dataQuality` (the defaults when it was left out). */
export const configOf = (customizing: Customizing): Standardisation.DataQualityConfig => customizing.dataQuality

const fnv = (text: string) => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return (h >>> 0).toString(16).padStart(8, "0")
}

/** Customers whose profiles a service keeps (about 1–2 KB each); the oldest are dropped first. */
const profileCacheSize = 4_000

/** A field for `profileKey`: `0` (never a field's value) for an absent one. */
const field = (value: string | undefined): string | 0 => (value === undefined ? 0 : value)

/** Everything `Matching.profile` reads of general data, as one string: equal strings, equal profiles. */
const profileKey = (g: Partial<GeneralData> & { readonly name: string }): string =>
  JSON.stringify([
    g.name,
    field(g.name2),
    field(g.street),
    field(g.houseNumber),
    field(g.postalCode),
    field(g.city),
    field(g.country),
    field(g.email),
    field(g.phone),
    field(g.mobile),
    field(g.fax),
    g.taxNumbers === undefined ? 0 : g.taxNumbers.map((t) => [t.kind, t.value])
  ])

const filledFields = (general: GeneralData) => Object.values(general).filter((v) => v !== undefined && v !== "").length

/** Prefers: no deletion flag, no central block, more views, more general data filled, created first, lower number. */
const chooseSurvivor = (records: ReadonlyArray<CustomerRecord>): { readonly survivor: CustomerRecord; readonly reason: string } => {
  const rank = (r: CustomerRecord) =>
    [
      r.deletionFlag ? 1 : 0,
      r.centralBlock !== null ? 1 : 0,
      -(r.companyCodes.length + r.salesAreas.length),
      -filledFields(r.general),
      r.createdAt,
      r.number
    ] as const
  const sorted = [...records].sort((a, b) => {
    const x = rank(a)
    const y = rank(b)
    for (let i = 0; i < x.length; i++) if (x[i]! !== y[i]!) return x[i]! < y[i]! ? -1 : 1
    return 0
  })
  const survivor = sorted[0]!
  const second = sorted[1]
  const reasons: Array<string> = []
  if (second !== undefined) {
    if (second.deletionFlag && !survivor.deletionFlag) reasons.push("not flagged for deletion")
    if (second.centralBlock !== null && survivor.centralBlock === null) reasons.push("not blocked")
    const views = survivor.companyCodes.length + survivor.salesAreas.length
    if (views > second.companyCodes.length + second.salesAreas.length) reasons.push(`most views (${views})`)
    if (reasons.length === 0 && filledFields(survivor.general) > filledFields(second.general)) reasons.push("most complete general data")
    if (reasons.length === 0 && survivor.createdAt < second.createdAt) reasons.push("created first")
  }
  if (reasons.length === 0) reasons.push("lowest number")
  return { survivor, reason: reasons.join(", ") }
}

class UnionFind {
  private readonly parent = new Map<string, string>()
  find(x: string): string {
    let root = x
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!
    let node = x
    while (node !== root) {
      const next = this.parent.get(node) ?? root
      this.parent.set(node, root)
      node = next
    }
    if (!this.parent.has(root)) this.parent.set(root, root)
    return root
  }
  union(a: string, b: string) {
    const x = this.find(a)
    const y = this.find(b)
    // The smaller number becomes the root, so roots do not depend on the order of unions.
    if (x < y) this.parent.set(y, x)
    else if (y < x) this.parent.set(x, y)
  }
}

// ---------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------

/** Builds the service with an explicit configuration. */
export const makeWith = (config: Standardisation.DataQualityConfig) =>
  Effect.gen(function* () {
    const customizing = yield* Current
    const store = yield* CustomerStore
    const matchIndex = yield* MatchIndexStore
    const tenant = customizing.tenant
    const messages: MessageFactory = factory(customizing.messages)
    const matching = config.matching
    const { duplicate, possible } = matching.thresholds

    const authorize = (actor: Actor.Actor, activities: ReadonlyArray<Actor.Activity>) =>
      actor.tenant !== tenant
        ? Effect.fail(notAuthorized(actor, "tenant", `tenant ${actor.tenant} does not match the customizing's tenant ${tenant}`))
        : activities.some((a) => Actor.mayPerform(actor, a))
          ? Effect.void
          : Effect.fail(notAuthorized(actor, "activity", `activity ${activities.join(" or ")}`))

    /**
     * `Matching.profile`, remembered by the data it reads (`profileKey`): the candidates a check
     * scores are often those of the previous checks, and a create indexes the record it has just
     * checked. A profile is never changed once made.
     */
    const profiles = new Map<string, Matching.Profile>()
    const profileOf = (general: Partial<GeneralData> & { readonly name: string }): Matching.Profile => {
      const key = profileKey(general)
      let found = profiles.get(key)
      if (found === undefined) {
        found = Matching.profile(matching, general)
        if (profiles.size >= profileCacheSize) profiles.delete(profiles.keys().next().value!)
        profiles.set(key, found)
      }
      return found
    }

    const profileOfInput = (general: GeneralData, standardised = false) =>
      profileOf(standardised ? general : Standardisation.general(config, factory({}), general).data)

    /** Both messages of the check `off`: `findings` can report nothing, so it does not look. */
    const reported = (["DUPLICATE_SUSPECTED", "DUPLICATE_OUTSIDE_AUTHORIZATION"] as const).some(
      (id) => severityOf(customizing.messages, id) !== "off"
    )

    const isIndexed = (record: CustomerRecord) => customizing.accountGroups[record.accountGroup]?.oneTime !== true

    /**
     * Index candidates: the best by shared keys, plus the best by exact keys alone (tax number,
     * e-mail, phone), which a name typo and a move would otherwise push out of the top.
     */
    const findCandidates = (profile: Matching.Profile, exclude: ReadonlyArray<string>, limit: number) =>
      Effect.gen(function* () {
        const keys = Matching.blockingKeys(profile)
        const options = { maxKeyFrequency: matching.blocking.maxKeyFrequency, exclude }
        const byAll = yield* matchIndex.candidates(tenant, keys, { ...options, limit })
        const exact = keys.filter((k) => k.startsWith("x:"))
        // Fewer than `limit` found: every customer sharing a (kept) key is among them, exact-key sharers included.
        const byExact =
          exact.length === 0 || byAll.length < limit ? [] : yield* matchIndex.candidates(tenant, exact, { ...options, limit: 5 })
        return [...new Set([...byAll, ...byExact].map((c) => c.number))]
      })

    /** Scores the index candidates for `profile`; returns visible candidates and the count of hidden suspected ones. */
    const candidatesFor = (actor: Actor.Actor, profile: Matching.Profile, exclude: string | undefined, limit: number) =>
      Effect.gen(function* () {
        const found = yield* findCandidates(profile, exclude === undefined ? [] : [exclude], matching.blocking.candidates)
        // One read for every candidate: a `CustomerStore.get` each would be a round trip each on a server database.
        const records = yield* matchIndex.records(tenant, found)
        const visibility = Actor.visibility(actor)
        const visible: Array<Candidate> = []
        let hidden = 0
        for (const record of records) {
          if (matching.skipDeletionFlagged && record.deletionFlag) continue
          const other = profileOf(record.general)
          const score = Matching.score(matching, profile, other)
          if (score < possible) continue
          if (!Actor.canSeeGroup(visibility, record.general.authorizationGroup)) {
            // Counted, never described: no number, no name, no score leaves this function.
            if (score >= duplicate) hidden++
            continue
          }
          const comparison = Matching.compare(matching, profile, other)
          visible.push({
            number: record.number,
            name: record.general.name,
            city: record.general.city,
            country: record.general.country,
            score: comparison.score,
            suspected: comparison.score >= duplicate,
            explanation: comparison.fields,
            summary: Matching.summarise(comparison.fields)
          })
        }
        visible.sort((a, b) => b.score - a.score || (a.number < b.number ? -1 : 1))
        return { candidates: visible.slice(0, limit), outsideAuthorization: hidden }
      })

    const messagesOf = (candidates: ReadonlyArray<Candidate>, outside: number): Array<Message> => {
      const out: Array<Message> = []
      for (const c of candidates) {
        if (!c.suspected) continue
        const m = messages.make("DUPLICATE_SUSPECTED", "general.name", {
          number: c.number,
          name: c.name,
          score: c.score.toFixed(2),
          reason: c.summary
        })
        if (m !== undefined) out.push(m)
      }
      if (outside > 0) {
        const m = messages.make("DUPLICATE_OUTSIDE_AUTHORIZATION", "general.name", { count: String(outside) })
        if (m !== undefined) out.push(m)
      }
      return out
    }

    const check: DuplicateCheckShape["check"] = (input) =>
      Effect.gen(function* () {
        const actor = yield* parseActor(input.actor)
        yield* authorize(actor, ["create", "change", "display"])
        const parsed = InputShape.safeParse(input.input)
        if (!parsed.success) {
          return yield* Effect.fail(
            inputInvalid(parsed.error.issues.map((i) => ({ path: ["input", ...i.path].join("."), detail: i.message })))
          )
        }
        const general = (input.input as { readonly general: GeneralData }).general
        const result = yield* candidatesFor(actor, profileOfInput(general), input.exclude, input.limit ?? 10)
        return { ...result, messages: messagesOf(result.candidates, result.outsideAuthorization) }
      })

    const findings: DuplicateCheckShape["findings"] = (input) =>
      reported
        ? Effect.suspend(() =>
            Effect.map(candidatesFor(input.actor, profileOfInput(input.general, input.standardised), input.exclude, 10), (result) =>
              messagesOf(result.candidates, result.outsideAuthorization)
            )
          )
        : Effect.succeed([])

    const index: DuplicateCheckShape["index"] = (record) =>
      isIndexed(record)
        ? matchIndex.put(record.tenant, record.number, Matching.blockingKeys(profileOf(record.general)))
        : matchIndex.remove(record.tenant, record.number)

    const keysOf = (record: CustomerRecord): ReadonlyArray<string> =>
      isIndexed(record) ? Matching.blockingKeys(profileOf(record.general)) : []

    const indexMany: DuplicateCheckShape["indexMany"] = (records) =>
      records.length === 0
        ? Effect.void
        : matchIndex.putMany(
            tenant,
            records.map((r) => ({ number: r.number, keys: keysOf(r) }))
          )

    /** Every customer of the tenant, page by page. */
    const eachPage = <A>(f: (page: ReadonlyArray<CustomerRecord>) => Effect.Effect<A, StorageError>) =>
      Effect.gen(function* () {
        let after: string | undefined
        for (;;) {
          const page = yield* store.list({ tenant, visibility: Actor.unrestricted, after, limit: 2000 })
          if (page.length === 0) return
          yield* f(page)
          after = page[page.length - 1]!.number
          if (page.length < 2000) return
        }
      })

    const reindex: DuplicateCheckShape["reindex"] = () =>
      Effect.gen(function* () {
        let indexed = 0
        // Big batches: each `putMany` becomes one index segment, and fewer segments mean fewer merges.
        let batch: Array<{ readonly number: string; readonly keys: ReadonlyArray<string> }> = []
        yield* eachPage((page) => {
          for (const r of page) {
            const keys = keysOf(r)
            if (keys.length > 0) indexed++
            batch.push({ number: r.number, keys })
          }
          if (batch.length < 100_000) return Effect.void
          const full = batch
          batch = []
          return matchIndex.putMany(tenant, full)
        })
        if (batch.length > 0) yield* matchIndex.putMany(tenant, batch)
        return { indexed }
      })

    const scan: DuplicateCheckShape["scan"] = (input) =>
      Effect.gen(function* () {
        const actor = yield* parseActor(input.actor)
        yield* authorize(actor, ["display"])
        const threshold = input.threshold ?? duplicate
        const visibility = Actor.visibility(actor)
        const records = new Map<string, CustomerRecord>()
        const profiles = new Map<string, Matching.Profile>()
        yield* eachPage((page) =>
          Effect.sync(() => {
            for (const r of page) {
              if (matching.skipDeletionFlagged && r.deletionFlag) continue
              if (!isIndexed(r)) continue
              records.set(r.number, r)
              profiles.set(r.number, Matching.profile(matching, r.general))
            }
          })
        )
        const isVisible = (r: CustomerRecord) => Actor.canSeeGroup(visibility, r.general.authorizationGroup)
        // 1. Edges: candidate pairs at or above the threshold.
        const edges: Array<{ readonly a: string; readonly b: string; readonly score: number }> = []
        const seen = new Set<string>()
        let scanned = 0
        for (const [number, record] of records) {
          if (!isVisible(record)) continue
          scanned++
          const profile = profiles.get(number)!
          const found = yield* findCandidates(profile, [number], matching.blocking.scanCandidates)
          for (const candidate of found) {
            const other = profiles.get(candidate)
            if (other === undefined) continue
            const pair = number < candidate ? `${number}\u0000${candidate}` : `${candidate}\u0000${number}`
            if (seen.has(pair)) continue
            const score = Matching.score(matching, profile, other)
            if (score < threshold) continue
            seen.add(pair)
            edges.push(number < candidate ? { a: number, b: candidate, score } : { a: candidate, b: number, score })
          }
        }
        // 2. Clusters by average linkage: strongest edges first, two clusters merge only when the
        //    average score over all their cross pairs reaches the threshold, so one weak link does
        //    not chain two parties together.
        edges.sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : 1))
        const pairScore = new Map(edges.map((e) => [`${e.a}\u0000${e.b}`, e.score]))
        const scoreOf = (x: string, y: string) => {
          const key = x < y ? `${x}\u0000${y}` : `${y}\u0000${x}`
          let value = pairScore.get(key)
          if (value === undefined) {
            value = Matching.score(matching, profiles.get(x)!, profiles.get(y)!)
            pairScore.set(key, value)
          }
          return value
        }
        const clusters = new UnionFind()
        const members = new Map<string, Array<string>>()
        const best = new Map<string, { readonly number: string; readonly score: number }>()
        for (const { a, b, score } of edges) {
          const ra = clusters.find(a)
          const rb = clusters.find(b)
          if (ra === rb) continue
          const left = members.get(ra) ?? [a]
          const right = members.get(rb) ?? [b]
          if (left.length * right.length > 400) continue
          let total = 0
          for (const x of left) for (const y of right) total += scoreOf(x, y)
          if (total / (left.length * right.length) < threshold) continue
          clusters.union(a, b)
          const root = clusters.find(a)
          members.delete(ra)
          members.delete(rb)
          members.set(root, [...left, ...right])
          for (const [x, y] of [
            [a, b],
            [b, a]
          ] as const) {
            const current = best.get(x)
            if (current === undefined || score > current.score) best.set(x, { number: y, score })
          }
        }
        const groups = new Map<string, Array<CustomerRecord>>()
        for (const group of members.values())
          groups.set(
            group[0]!,
            group.map((n) => records.get(n)!)
          )
        const out: Array<Cluster> = []
        for (const group of groups.values()) {
          const shown = group.filter(isVisible)
          if (shown.length === 0) continue
          const { survivor, reason } = chooseSurvivor(shown)
          const survivorProfile = profiles.get(survivor.number)!
          const listed: Array<ClusterMember> = shown.map((r) => {
            if (r.number === survivor.number) {
              return {
                number: r.number,
                name: r.general.name,
                survivor: true,
                score: 1,
                explanation: [],
                linkedTo: visibleLink(best.get(r.number))
              }
            }
            const comparison = Matching.compare(matching, survivorProfile, profiles.get(r.number)!)
            return {
              number: r.number,
              name: r.general.name,
              survivor: false,
              score: comparison.score,
              explanation: comparison.fields,
              linkedTo: visibleLink(best.get(r.number))
            }
          })
          listed.sort((a, b) => (a.survivor ? -1 : b.survivor ? 1 : b.score - a.score || (a.number < b.number ? -1 : 1)))
          out.push({
            id: `dup-${fnv(
              shown
                .map((r) => r.number)
                .sort()
                .join("|")
            )}`,
            survivor: survivor.number,
            survivorReason: reason,
            members: listed,
            outsideAuthorization: group.length - shown.length
          })
        }
        out.sort((a, b) => (a.survivor < b.survivor ? -1 : 1))
        return { clusters: out, scanned, pairs: edges.length }

        function visibleLink(edge: { readonly number: string; readonly score: number } | undefined) {
          if (edge === undefined) return undefined
          const partner = records.get(edge.number)
          return partner !== undefined && isVisible(partner) ? edge : undefined
        }
      })

    return DuplicateCheck.of({ check, scan, findings, index, indexMany, reindex })
  })

const parseActor = (actor: Actor.Actor) => {
  const parsed = Actor.ActorSchema.safeParse(actor)
  return parsed.success
    ? Effect.succeed(parsed.data)
    : Effect.fail(inputInvalid(parsed.error.issues.map((i) => ({ path: ["actor", ...i.path].join("."), detail: i.message }))))
}

/** Builds the service with the customizing's `dataQuality` (or the defaults). */
export const make = Effect.flatMap(Current, (customizing) => makeWith(configOf(customizing)))

/** The service, configured by the customizing (`dataQuality`, defaults when absent). */
export const layer: Layer.Layer<DuplicateCheck, never, Current | CustomerStore | MatchIndexStore> = Layer.effect(DuplicateCheck, make)

/** The service with an explicit configuration, e.g. `layerWith({ matching: { thresholds: { duplicate: 0.85 } } })`. */
export const layerWith = (
  config: Standardisation.DataQualityConfigInput
): Layer.Layer<DuplicateCheck, never, Current | CustomerStore | MatchIndexStore> =>
  Layer.effect(DuplicateCheck, makeWith(Standardisation.DataQualityConfig.parse(config)))
