/**
 * The conformance suite every partnerkit store runs: one case per sentence of the storage ports'
 * doc comments (`CustomerStore`, `ChangeDocumentStore`, `NumberRangeStore`, `SalesEmployeeStore`,
 * `TerritoryStore`, `StoreTransaction`, `CustomerSearchStore`, `MatchIndexStore`), the duplicate
 * check on the labelled corpus (the same candidates and scores on every store),
 * tenant isolation across all of them, and the `Customers` service of `@partnerkit/core` running
 * on the store.
 *
 * @example
 * ```ts
 * // packages/storage-memory/test/conformance.test.ts
 * import { runConformance } from "@partnerkit/testkit"
 * import { MemoryStore } from "@partnerkit/storage-memory"
 *
 * runConformance({ name: "memory", layer: MemoryStore.layer() })
 * ```
 * @module
 */
import { layer } from "@effect/vitest"
import type { Storage } from "@partnerkit/core"
import { describe, it as vitestIt } from "vitest"
import type { Group } from "./internal/Case.js"
import { lifecycleSuite } from "./LifecycleSuite.js"
import { partnerSuite } from "./PartnerSuite.js"
import * as ChangeDocumentStoreCases from "./internal/cases/ChangeDocumentStoreCases.js"
import * as CustomerStoreCases from "./internal/cases/CustomerStoreCases.js"
import * as DuplicateCheckCases from "./internal/cases/DuplicateCheckCases.js"
import * as MatchIndexCases from "./internal/cases/MatchIndexCases.js"
import * as NumberRangeStoreCases from "./internal/cases/NumberRangeStoreCases.js"
import * as SalesForceStoreCases from "./internal/cases/SalesForceStoreCases.js"
import * as SearchCases from "./internal/cases/SearchCases.js"
import * as ServiceCases from "./internal/cases/ServiceCases.js"
import * as TenantCases from "./internal/cases/TenantCases.js"
import * as TransactionCases from "./internal/cases/TransactionCases.js"

export interface ConformanceOptions {
  /** Name shown in the describe block, e.g. "memory". */
  readonly name: string
  /**
   * The store under test. Built once for the whole suite; each test uses its own fresh tenant id,
   * so tests never see each other's data.
   */
  readonly layer: Storage.Layer
  /**
   * Cases this store cannot pass, by test name, with the reason: they are registered as skipped
   * with the reason in the title. A name that is not a case of the suite fails the run, so a
   * renamed case cannot silently stop being skipped (or checked).
   */
  readonly skip?: Readonly<Record<string, string>>
}

/** Time for one case; SQL stores over a network need more than vitest's default 5 s. */
const caseTimeout = 30_000

/** Every group of the suite, in the order they run. */
export const groups: ReadonlyArray<Group<Storage.Ports>> = [
  { name: "CustomerStore", cases: CustomerStoreCases.cases },
  { name: "ChangeDocumentStore", cases: ChangeDocumentStoreCases.cases },
  { name: "NumberRangeStore", cases: NumberRangeStoreCases.cases },
  { name: "SalesEmployeeStore and TerritoryStore", cases: SalesForceStoreCases.cases },
  { name: "StoreTransaction", cases: TransactionCases.cases },
  { name: "CustomerSearchStore", cases: SearchCases.cases },
  { name: "CustomerSearch service", cases: SearchCases.serviceCases },
  { name: "MatchIndexStore", cases: MatchIndexCases.cases },
  { name: "DuplicateCheck service", cases: DuplicateCheckCases.cases },
  { name: "Tenant isolation", cases: TenantCases.cases },
  { name: "Customers service", cases: ServiceCases.cases }
]

/** The names of every case, the keys `skip` accepts. */
export const caseNames: ReadonlyArray<string> = groups.flatMap((g) => g.cases.map((c) => c.name))

/**
 * Registers the conformance suite for one store with vitest: a `describe` block named after the
 * store, the store's layer built once for it, and one test per case.
 */
export const runConformance = (options: ConformanceOptions): void => {
  const skip = options.skip ?? {}
  const unknown = Object.keys(skip).filter((name) => !caseNames.includes(name))

  layer(options.layer, { excludeTestServices: true })(`${options.name} store conformance`, (it) => {
    if (unknown.length > 0) {
      vitestIt("skip names only cases of the suite", () => {
        throw new Error(`\`skip\` names no such case: ${unknown.map((n) => JSON.stringify(n)).join(", ")}`)
      })
    }
    for (const group of groups) {
      describe(group.name, () => {
        for (const c of group.cases) {
          const reason = skip[c.name]
          if (reason === undefined) it.effect(c.name, () => c.test(), caseTimeout)
          else it.effect.skip(`${c.name} [skipped: ${reason}]`, () => c.test(), caseTimeout)
        }
      })
    }
  })
  // Scenarios through the Promise API: the same answers are expected from every store.
  describe(`${options.name} store scenarios`, () => {
    describe("lifecycle", () => lifecycleSuite(options.layer))
    describe("partners", () => partnerSuite(options.layer))
  })
}
