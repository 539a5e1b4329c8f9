/**
 * The storage port behind the duplicate check: an inverted index from blocking keys (see
 * `Matching.blockingKeys`) to customer numbers, so that finding candidates costs the same at a
 * thousand customers and at a million. Stores implement it; the duplicate check and the lifecycle
 * call it. Keys are opaque strings to the store.
 *
 * Semantics:
 * - All operations are scoped by `tenant`: a key of another tenant is never counted, matched or
 *   returned.
 * - `put(tenant, number, keys)` replaces every key of that customer with `keys` (duplicates in
 *   `keys` count once). An empty `keys` is the same as `remove`.
 * - `remove(tenant, number)` drops every key of the customer; removing a customer that has none is
 *   not an error.
 * - `candidates(tenant, keys, options)` returns at most `options.limit` customers that share at
 *   least one of `keys`, each with the number of keys it shares, ordered by that number
 *   (descending), then by customer number (ascending, plain code-unit order). A key carried by more
 *   than `options.maxKeyFrequency` customers is skipped: it neither finds nor ranks anyone. (A store
 *   may count the entries of replaced or removed customers towards that frequency until it compacts
 *   them, so after many changes a key can be skipped somewhat early — never late.) Customers in
 *   `options.exclude` are left out. No match is an empty array.
 * - `records(tenant, numbers)` returns, for scoring candidates, the general data, account group and
 *   deletion flag of those of `numbers` that are customers of the tenant (whatever their
 *   authorization group: the caller decides what the actor may see), in the order of `numbers`;
 *   numbers that are not customers are left out. It reads the customer records, not the index: one
 *   read for all candidates instead of one `CustomerStore.get` each.
 * - Inside `StoreTransaction.withTransaction` every operation is part of that transaction: its
 *   `put`s and `remove`s are seen by its own `candidates` calls, by nobody else until it commits,
 *   and never if it fails.
 *
 * @example
 * ```ts
 * import { MatchIndexStore } from "@partnerkit/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const index = yield* MatchIndexStore
 *   yield* index.put("acme", "C0001", ["n:acme", "t:acme", "x:tel:+4989123456"])
 *   return yield* index.candidates("acme", ["t:acme"], { limit: 10, maxKeyFrequency: 500 })
 *   // [{ number: "C0001", sharedKeys: 1 }]
 * })
 * ```
 * @module
 */
import { Context, type Effect } from "effect"
import type { GeneralData } from "./Customer.js"
import type { StorageError } from "./Errors.js"

/** What `candidates` takes besides the keys. */
export interface CandidateOptions {
  /** At most this many customers. */
  readonly limit: number
  /** Keys carried by more customers than this are skipped. */
  readonly maxKeyFrequency: number
  /** Customer numbers to leave out (the record being checked, say). */
  readonly exclude?: ReadonlyArray<string> | undefined
}

/** A customer found by shared blocking keys. */
export interface IndexCandidate {
  readonly number: string
  /** How many of the query's (not skipped) keys the customer carries. */
  readonly sharedKeys: number
}

/** One customer's keys, for `putMany`. */
export interface IndexEntry {
  readonly number: string
  readonly keys: ReadonlyArray<string>
}

/** What scoring a candidate needs of its customer record. */
export interface MatchRecord {
  readonly number: string
  readonly accountGroup: string
  readonly general: GeneralData
  readonly deletionFlag: boolean
}

export interface MatchIndexStoreShape {
  readonly put: (tenant: string, number: string, keys: ReadonlyArray<string>) => Effect.Effect<void, StorageError>
  /** `put` for many customers at once (a rebuild or an import); the same as calling `put` for each, in order. */
  readonly putMany: (tenant: string, entries: ReadonlyArray<IndexEntry>) => Effect.Effect<void, StorageError>
  readonly remove: (tenant: string, number: string) => Effect.Effect<void, StorageError>
  readonly candidates: (
    tenant: string,
    keys: ReadonlyArray<string>,
    options: CandidateOptions
  ) => Effect.Effect<ReadonlyArray<IndexCandidate>, StorageError>
  readonly records: (tenant: string, numbers: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<MatchRecord>, StorageError>
}

/** The match-index port. */
export class MatchIndexStore extends Context.Tag("@partnerkit/core/MatchIndexStore")<MatchIndexStore, MatchIndexStoreShape>() {}
