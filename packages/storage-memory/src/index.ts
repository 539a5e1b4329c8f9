/**
 * `@partnerkit/storage-memory`: every partnerkit storage port in memory, with atomic and isolated
 * transactions. For tests, demos and short-lived tools; data is lost when the process exits.
 *
 * @packageDocumentation
 */

export * as MemoryCrmStore from "./crm/MemoryCrmStore.js"
export * as MatchIndex from "./MatchIndex.js"
export * as MemoryStore from "./MemoryStore.js"
