/**
 * The storage port behind customer search: free text (see `SearchText`) plus filters, with the
 * actor's authorization applied inside the store's query, so that pages are full and totals are
 * right. A port of its own rather than an operation of `CustomerStore`, so that an adapter author
 * adds search (and its index) without touching the record store, and a store can back it with a
 * search engine of its choice. The store keeps whatever index it uses in step with its own
 * `CustomerStore` writes (`insert`, `insertMany`, `update`), in the same transaction.
 *
 * Semantics (`@partnerkit/testkit` checks each sentence):
 * - Everything is scoped by `tenant`: a customer of another tenant is never returned or counted.
 * - A customer matches when every term of `terms` matches its name (all four lines), search term,
 *   street or city as `SearchText.matches` defines it (words by prefix, CJK by substring, case,
 *   width and accents folded); with no terms every customer matches.
 * - The filters narrow further: `accountGroup`, `country` (exact codes), `blocked` (whether a
 *   central block is set), `deletionFlag` (the central one), `companyCode` / `salesArea` (the
 *   customer has that view, and the actor may see it).
 * - A customer whose general view's authorization group is hidden by `visibility` is neither
 *   returned nor counted.
 * - `items` are at most `limit` matches with number greater than `after`, ascending by number
 *   (plain code-unit order); `total` counts every match, whatever `after` and `limit` say.
 * - Search text is data, never syntax: quotes, `%`, `_`, backslashes and SQL in `terms` match
 *   nothing they would not match as plain text.
 * - Writes through `CustomerStore` are found at once: after an `update` the customer is found by
 *   its new text and no longer by its old one. Inside `StoreTransaction.withTransaction` a search
 *   sees the transaction's own writes, and nobody else sees them before it commits.
 *
 * @example
 * ```ts
 * import { CustomerSearchStore, SearchText } from "@partnerkit/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const search = yield* CustomerSearchStore
 *   const { items, total } = yield* search.search({
 *     tenant: "acme",
 *     visibility: { authorizationGroups: ["F011"] },
 *     terms: SearchText.parseQuery("müller münchen"),
 *     country: "DE",
 *     limit: 20
 *   })
 *   return { numbers: items.map((hit) => hit.number), total }
 * })
 * ```
 * @module
 */
import { Context, type Effect } from "effect"
import type { Visibility } from "./Actor.js"
import type { Block, GeneralData, SalesArea } from "./Customer.js"
import type { StorageError } from "./Errors.js"
import type { SearchTerm } from "./SearchText.js"

/** What `search` selects. */
export interface CustomerSearchQuery {
  readonly tenant: string
  readonly visibility: Visibility
  /** From `SearchText.parseQuery`; every one must match. Empty: filters only. */
  readonly terms: ReadonlyArray<SearchTerm>
  readonly accountGroup?: string | undefined
  readonly country?: string | undefined
  readonly companyCode?: string | undefined
  readonly salesArea?: SalesArea | undefined
  /** `true`: only customers with a central block; `false`: only those without. */
  readonly blocked?: boolean | undefined
  /** `true`: only customers with the central deletion flag; `false`: only those without. */
  readonly deletionFlag?: boolean | undefined
  /** Exclusive lower bound on the customer number (the cursor). */
  readonly after?: string | undefined
  readonly limit: number
}

/** One customer found: its general view and central status, enough for a result list. */
export interface CustomerSearchHit {
  readonly number: string
  readonly accountGroup: string
  readonly version: number
  readonly general: GeneralData
  readonly centralBlock: Block | null
  readonly deletionFlag: boolean
}

/** A page of hits and the number of all matches. */
export interface CustomerSearchResult {
  readonly items: ReadonlyArray<CustomerSearchHit>
  readonly total: number
}

export interface CustomerSearchStoreShape {
  readonly search: (query: CustomerSearchQuery) => Effect.Effect<CustomerSearchResult, StorageError>
}

/** The customer-search port. */
export class CustomerSearchStore extends Context.Tag("@partnerkit/core/CustomerSearchStore")<
  CustomerSearchStore,
  CustomerSearchStoreShape
>() {}
