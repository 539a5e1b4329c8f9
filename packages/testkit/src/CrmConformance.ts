/**
 * The CRM conformance suite: one case per sentence of the CRM ports' doc comments
 * (`ProspectStore`, `AccountOwnershipStore`, `ActivityStore`, `ContactPreferenceStore`,
 * `TicketStore`), one transaction over core and CRM writes, and the CRM services of
 * `@partnerkit/crm` on the store — conversion through core, follow-ups, the timeline, the 360°
 * view, ticket SLAs with breach detection and escalation, and the authorization test over every
 * read path. Every CRM-capable store runs it.
 *
 * @example
 * ```ts
 * // packages/storage-memory/test/CrmConformance.test.ts
 * import { runCrmConformance } from "@partnerkit/testkit"
 * import { MemoryCrmStore } from "@partnerkit/storage-memory"
 *
 * runCrmConformance({ name: "memory", layer: MemoryCrmStore.layer() })
 * ```
 * @module
 */
import { layer } from "@effect/vitest"
import type { CrmStorage } from "@partnerkit/crm"
import { describe, it as vitestIt } from "vitest"
import type { Group } from "./internal/Case.js"
import * as AnalyticsCases from "./internal/crm/AnalyticsCases.js"
import * as AuthorizationCases from "./internal/crm/AuthorizationCases.js"
import * as SalesServiceCases from "./internal/crm/SalesServiceCases.js"
import * as SalesStoreCases from "./internal/crm/SalesStoreCases.js"
import * as SegmentCases from "./internal/crm/SegmentCases.js"
import * as ServiceCases from "./internal/crm/ServiceCases.js"
import * as StoreCases from "./internal/crm/StoreCases.js"
import * as TicketCases from "./internal/crm/TicketCases.js"

export interface CrmConformanceOptions {
  /** Name shown in the describe block, e.g. "memory". */
  readonly name: string
  /** The store under test, with core's and the CRM's ports. Built once; each case uses its own tenant. */
  readonly layer: CrmStorage.Layer
  /** Cases this store cannot pass, by name, with the reason (a name that is no case fails the run). */
  readonly skip?: Readonly<Record<string, string>>
}

const caseTimeout = 30_000

/** Every group of the CRM suite, in the order they run. */
export const crmGroups: ReadonlyArray<Group<CrmStorage.Ports>> = [
  { name: "CRM ports", cases: StoreCases.cases },
  { name: "CRM services", cases: ServiceCases.cases },
  { name: "CRM sales ports", cases: SalesStoreCases.cases },
  { name: "CRM leads, opportunities and forecast", cases: SalesServiceCases.cases },
  { name: "CRM tickets and SLAs", cases: TicketCases.cases },
  { name: "CRM behaviour, segments and campaigns", cases: SegmentCases.cases },
  { name: "CRM analytics", cases: AnalyticsCases.cases },
  { name: "CRM authorization over every read path", cases: AuthorizationCases.cases }
]

/** The names of every CRM case, the keys `skip` accepts. */
export const crmCaseNames: ReadonlyArray<string> = crmGroups.flatMap((g) => g.cases.map((c) => c.name))

/** Registers the CRM conformance suite for one store with vitest. */
export const runCrmConformance = (options: CrmConformanceOptions): void => {
  const skip = options.skip ?? {}
  const unknown = Object.keys(skip).filter((name) => !crmCaseNames.includes(name))
  layer(options.layer, { excludeTestServices: true })(`${options.name} store CRM conformance`, (it) => {
    if (unknown.length > 0) {
      vitestIt("skip names only cases of the suite", () => {
        throw new Error(`\`skip\` names no such case: ${unknown.map((n) => JSON.stringify(n)).join(", ")}`)
      })
    }
    for (const group of crmGroups) {
      describe(group.name, () => {
        for (const c of group.cases) {
          const reason = skip[c.name]
          if (reason === undefined) it.effect(c.name, () => c.test(), caseTimeout)
          else it.effect.skip(`${c.name} [skipped: ${reason}]`, () => c.test(), caseTimeout)
        }
      })
    }
  })
}
