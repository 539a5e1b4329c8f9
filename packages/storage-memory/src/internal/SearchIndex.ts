/**
 * The memory store's search index (`CustomerSearchStore`): an inverted index from
 * `SearchText.indexTokens` to customer numbers, plus the tokens of each tenant in sorted order so
 * that a prefix is one range walk. Both are persistent structures inside `State`, so the index
 * is written in the same step as the record it describes and shares the store's transactions.
 *
 * A search takes the candidates of its rarest term from the index and checks each with
 * `SearchText.matches` (the definition), the filters and the visibility; with no terms it walks
 * the tenant's customers in order.
 *
 * @internal
 */
import { Customer, type CustomerSearchHit, type CustomerSearchQuery, type CustomerSearchResult, SearchText } from "@partnerkit/core"
import { Data, HashMap, HashSet, Option, Order, RedBlackTree } from "effect"

type TokenKey = readonly [tenant: string, token: string]
const tokenKeyOrder: Order.Order<TokenKey> = Order.tuple(Order.string, Order.string)

export interface SearchIndex {
  /** Customer numbers by `postingKey(tenant, token)`. */
  readonly postings: HashMap.HashMap<string, HashSet.HashSet<string>>
  /** Every token of every tenant that has at least one customer, ordered by tenant, then token. */
  readonly tokens: RedBlackTree.RedBlackTree<TokenKey, true>
}

export const empty: SearchIndex = { postings: HashMap.empty(), tokens: RedBlackTree.empty(tokenKeyOrder) }

/** JSON keeps the parts apart: no tenant and token can run into another's. */
const postingKey = (tenant: string, token: string) => JSON.stringify([tenant, token])

/**
 * The index after `before` (the stored version of a customer, if any) is replaced by `after`
 * (absent: removed). Tokens both versions carry are left alone.
 */
export const replace = (
  index: SearchIndex,
  before: Customer.CustomerRecord | undefined,
  after: Customer.CustomerRecord | undefined
): SearchIndex => replaceMany(index, [[before, after]])

/** `replace` for many customers in one pass (an `insertMany`). */
export const replaceMany = (
  index: SearchIndex,
  changes: ReadonlyArray<readonly [Customer.CustomerRecord | undefined, Customer.CustomerRecord | undefined]>
): SearchIndex => {
  let tokens = index.tokens
  const postings = HashMap.mutate(index.postings, (mutable) => {
    for (const [before, after] of changes) {
      const old = new Set(before === undefined ? [] : SearchText.indexTokens(before.general))
      const next = new Set(after === undefined ? [] : SearchText.indexTokens(after.general))
      for (const token of old) {
        if (next.has(token) || before === undefined) continue
        const key = postingKey(before.tenant, token)
        const numbers = HashSet.remove(
          Option.getOrElse(HashMap.get(mutable, key), () => HashSet.empty<string>()),
          before.number
        )
        if (HashSet.size(numbers) === 0) {
          HashMap.remove(mutable, key)
          tokens = RedBlackTree.removeFirst(tokens, Data.tuple(before.tenant, token))
        } else HashMap.set(mutable, key, numbers)
      }
      for (const token of next) {
        if (old.has(token) || after === undefined) continue
        const key = postingKey(after.tenant, token)
        const current = HashMap.get(mutable, key)
        if (Option.isNone(current)) {
          HashMap.set(mutable, key, HashSet.make(after.number))
          tokens = RedBlackTree.insert(tokens, Data.tuple(after.tenant, token), true)
        } else HashMap.set(mutable, key, HashSet.add(current.value, after.number))
      }
    }
  })
  return { postings, tokens }
}

/** The customers carrying `token` (or, for a prefix probe, any token starting with it). */
const probeHits = (index: SearchIndex, tenant: string, probe: { readonly token: string; readonly prefix: boolean }) => {
  if (!probe.prefix) return Option.getOrElse(HashMap.get(index.postings, postingKey(tenant, probe.token)), () => HashSet.empty<string>())
  let hits = HashSet.empty<string>()
  // In code-unit order every token starting with the prefix follows it directly.
  for (const [[t, token]] of RedBlackTree.greaterThanEqual(index.tokens, Data.tuple(tenant, probe.token))) {
    if (t !== tenant || !token.startsWith(probe.token)) break
    hits = HashSet.union(
      hits,
      Option.getOrElse(HashMap.get(index.postings, postingKey(tenant, token)), () => HashSet.empty<string>())
    )
  }
  return hits
}

/** Candidates for `term`: the customers every one of its probes hits. */
const termHits = (index: SearchIndex, tenant: string, term: SearchText.SearchTerm) => {
  const sets = SearchText.probes(term)
    .probes.map((probe) => probeHits(index, tenant, probe))
    .sort((a, b) => HashSet.size(a) - HashSet.size(b))
  return sets.slice(1).reduce((acc, set) => HashSet.intersection(acc, set), sets[0] ?? HashSet.empty<string>())
}

/** Does the (visible) record pass the query's filters and text? */
const passes = (visible: Customer.CustomerRecord, query: CustomerSearchQuery): boolean => {
  if (query.accountGroup !== undefined && visible.accountGroup !== query.accountGroup) return false
  if (query.country !== undefined && visible.general.country !== query.country) return false
  if (query.blocked !== undefined && (visible.centralBlock !== null) !== query.blocked) return false
  if (query.deletionFlag !== undefined && visible.deletionFlag !== query.deletionFlag) return false
  if (query.companyCode !== undefined && !visible.companyCodes.some((v) => v.companyCode === query.companyCode)) return false
  if (query.salesArea !== undefined) {
    const wanted = Customer.salesAreaKey(query.salesArea)
    if (!visible.salesAreas.some((v) => Customer.salesAreaKey(v.salesArea) === wanted)) return false
  }
  return SearchText.matches(visible.general, query.terms)
}

const hitOf = (record: Customer.CustomerRecord): CustomerSearchHit => ({
  number: record.number,
  accountGroup: record.accountGroup,
  version: record.version,
  general: record.general,
  centralBlock: record.centralBlock,
  deletionFlag: record.deletionFlag
})

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Runs `query`. `get` reads a stored record; `all` walks the tenant's records in number order
 * (for a search without terms).
 */
export const search = (
  index: SearchIndex,
  query: CustomerSearchQuery,
  get: (number: string) => Customer.CustomerRecord | undefined,
  all: () => Iterable<Customer.CustomerRecord>
): CustomerSearchResult => {
  const matched: Array<Customer.CustomerRecord> = []
  const keep = (record: Customer.CustomerRecord | undefined) => {
    const visible = record === undefined ? undefined : Customer.visibleTo(record, query.visibility)
    if (visible !== undefined && passes(visible, query)) matched.push(record!)
  }
  if (query.terms.length === 0) {
    for (const record of all()) keep(record)
  } else {
    const candidates = query.terms
      .map((term) => termHits(index, query.tenant, term))
      .reduce((rarest, set) => (HashSet.size(set) < HashSet.size(rarest) ? set : rarest))
    for (const number of candidates) keep(get(number))
    matched.sort((a, b) => byCodeUnit(a.number, b.number))
  }
  const limit = Math.floor(query.limit)
  const after = query.after
  const page = limit > 0 ? matched.filter((r) => after === undefined || r.number > after).slice(0, limit) : []
  return { items: page.map(hitOf), total: matched.length }
}
