/**
 * Customer search as an Effect service (and as `kit.customers.search` in the Promise API): free
 * text over name, search term, street and city, with filters, one page at a time, only ever
 * showing and counting what the actor may see.
 *
 * - Text: words match by prefix (`mül münch` finds Müller GmbH in München), CJK by substring
 *   (`华为` finds 华为技术有限公司); case, width and accents are folded; every word must match.
 *   Punctuation — quotes, `%`, `_`, backslashes — only separates words; it is never a pattern.
 *   See `SearchText`.
 * - Filters: `accountGroup`, `country`, `companyCode` (extended to it), `salesArea` (extended to
 *   it), `blocked` (central block), `deletionFlag` (central flag).
 * - Order: ascending customer number, so that pages are stable while others write and a cursor
 *   is one number. `total` is the number of all matches the actor may see.
 * - Authorization: the actor needs the `display` activity; customers whose general view carries an
 *   authorization group the actor lacks are filtered inside the store's query (never found, never
 *   counted), and `companyCode` / `salesArea` match only views the actor may see.
 *
 * Errors: `ValidationFailed` with `INPUT_INVALID` (naming the field) for a text with nothing to
 * search for or more than 8 words, a search with neither text nor filter, a `limit` outside
 * 1–200, a cursor that this search did not return; `NotAuthorized`; `StorageError`.
 *
 * @example
 * ```ts
 * import { Actor, CustomerSearch, PartnerKit, Presets, type Storage } from "@partnerkit/core"
 * import { Effect } from "effect"
 *
 * declare const storage: Storage.Layer
 * const program = Effect.gen(function* () {
 *   const search = yield* CustomerSearch.CustomerSearch
 *   const first = yield* search.search({ actor: Actor.superUser("acme"), text: "müller münchen", country: "DE", limit: 20 })
 *   const next = first.nextCursor === undefined
 *     ? undefined
 *     : yield* search.search({ actor: Actor.superUser("acme"), text: "müller münchen", country: "DE", limit: 20, cursor: first.nextCursor })
 *   return { total: first.total, numbers: first.items.map((hit) => hit.number), more: next?.items.length ?? 0 }
 * })
 * await Effect.runPromise(Effect.provide(program, PartnerKit.layer({ customizing: Presets.standard("acme"), storage })))
 * ```
 * @module
 */
import { Context, Effect, Layer, Option } from "effect"
import { z } from "zod"
import * as Actor from "./Actor.js"
import { SalesArea } from "./Customer.js"
import { type CustomerSearchHit, CustomerSearchStore } from "./CustomerSearchStore.js"
import { Current } from "./Customizing.js"
import type { NotAuthorized, StorageError, ValidationFailed } from "./Errors.js"
import * as cursor from "./internal/cursor.js"
import { inputInvalid, parse, requireActivity, type WithActor } from "./internal/service.js"
import * as SearchText from "./SearchText.js"

const code = (max: number) => z.string().trim().min(1).max(max)

/** Default page size. */
export const defaultLimit = 20
/** Largest page size. */
export const maxLimit = 200

export const SearchInput = z
  .object({
    /** Free text; every word must match (see `SearchText`). */
    text: z.string().max(200).optional(),
    accountGroup: code(4).optional(),
    /** ISO 3166 alpha-2, compared exactly as stored. */
    country: z.string().trim().length(2).optional(),
    /** Only customers extended to this company code (through a view the actor may see). */
    companyCode: code(4).optional(),
    /** Only customers extended to this sales area (through a view the actor may see). */
    salesArea: SalesArea.optional(),
    /** `true`: centrally blocked customers only; `false`: unblocked ones only. */
    blocked: z.boolean().optional(),
    /** `true`: customers with the central deletion flag only; `false`: the others only. */
    deletionFlag: z.boolean().optional(),
    /** Opaque cursor from the previous page's `nextCursor` of the same search. */
    cursor: z.string().optional(),
    /** Default 20, at most 200. */
    limit: z.number().int().min(1).max(maxLimit).optional()
  })
  .strict()
/** What `search` takes (besides the actor). */
export type SearchInput = z.infer<typeof SearchInput>

/** A page of hits, the number of all matches, and the cursor of the next page (absent on the last). */
export interface SearchResult {
  readonly items: ReadonlyArray<CustomerSearchHit>
  readonly total: number
  readonly nextCursor?: string
}

export interface CustomerSearchShape {
  /** Finds customers by text and filters, ascending by number, authorization applied inside the store. */
  readonly search: (input: SearchInput & WithActor) => Effect.Effect<SearchResult, NotAuthorized | ValidationFailed | StorageError>
}

/** The customer-search service. */
export class CustomerSearch extends Context.Tag("@partnerkit/core/CustomerSearch")<CustomerSearch, CustomerSearchShape>() {}

/** A short, stable fingerprint of what a search asks, so that a cursor cannot be used with another search (FNV-1a). */
const fingerprint = (value: unknown): string => {
  let hash = 0x811c9dc5
  for (const char of JSON.stringify(value)) {
    hash ^= char.codePointAt(0)!
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash.toString(36)
}

/** Builds the service from the customizing and the search port in context. */
export const make = Effect.gen(function* () {
  const customizing = yield* Current
  const store = yield* CustomerSearchStore
  const tenant = customizing.tenant

  const search: CustomerSearchShape["search"] = (input) =>
    Effect.gen(function* () {
      const { actor, data } = yield* parse(SearchInput, input)
      yield* requireActivity(customizing, actor, "display")
      const terms = data.text === undefined ? [] : SearchText.parseQuery(data.text)
      if (data.text !== undefined && terms.length === 0) {
        return yield* Effect.fail(inputInvalid([{ path: "text", detail: `"${data.text}" has no letters or digits to search for` }]))
      }
      if (terms.length > SearchText.maxTerms) {
        return yield* Effect.fail(inputInvalid([{ path: "text", detail: `at most ${SearchText.maxTerms} words, got ${terms.length}` }]))
      }
      const filters = {
        accountGroup: data.accountGroup,
        country: data.country,
        companyCode: data.companyCode,
        salesArea: data.salesArea,
        blocked: data.blocked,
        deletionFlag: data.deletionFlag
      }
      if (terms.length === 0 && Object.values(filters).every((v) => v === undefined)) {
        return yield* Effect.fail(inputInvalid([{ path: "text", detail: "give a search text or at least one filter" }]))
      }
      const asked = fingerprint([terms, filters])
      const after = yield* cursor.decode(data.cursor, "after", "string")
      if (Option.isSome(after)) {
        const of = yield* cursor.decode(data.cursor, "search", "string")
        if (Option.getOrUndefined(of) !== asked) {
          return yield* Effect.fail(inputInvalid([{ path: "cursor", detail: "the cursor belongs to another search" }]))
        }
      }
      const limit = data.limit ?? defaultLimit
      const found = yield* store.search({
        tenant,
        visibility: Actor.visibility(actor),
        terms,
        ...filters,
        after: Option.getOrUndefined(after),
        limit: limit + 1
      })
      const items = found.items.slice(0, limit)
      const last = items.at(-1)
      return found.items.length > limit && last !== undefined
        ? { items, total: found.total, nextCursor: cursor.encode({ after: last.number, search: asked }) }
        : { items, total: found.total }
    })

  return CustomerSearch.of({ search })
})

/** The service, from `Customizing.Current` and the search port. */
export const layer: Layer.Layer<CustomerSearch, never, Current | CustomerSearchStore> = Layer.effect(CustomerSearch, make)
