/**
 * `@partnerkit/testkit`: the conformance suite every partnerkit store runs, and fixtures for
 * store authors.
 *
 * @example
 * ```ts
 * import { runConformance } from "@partnerkit/testkit"
 * import { MemoryStore } from "@partnerkit/storage-memory"
 *
 * runConformance({ name: "memory", layer: MemoryStore.layer() })
 * ```
 * @packageDocumentation
 */
export { type ConformanceOptions, caseNames, runConformance } from "./Conformance.js"
export { type CrmConformanceOptions, crmCaseNames, runCrmConformance } from "./CrmConformance.js"
export * as DuplicateCorpus from "./DuplicateCorpus.js"
export * as Fixtures from "./Fixtures.js"
