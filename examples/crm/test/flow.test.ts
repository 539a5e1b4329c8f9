import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { MemoryCrmStore } from "@partnerkit/storage-memory"
import { SqliteCrmStore } from "@partnerkit/storage-sqlite"
import { afterAll, expect, it } from "vitest"
import { runFlow } from "../src/flow.js"

const dir = mkdtempSync(join(tmpdir(), "partnerkit-example-crm-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const run = async (storage: Parameters<typeof runFlow>[0]["storage"]) => {
  const lines: Array<string> = []
  const result = await runFlow({ storage, print: (line) => lines.push(line) })
  return { result, text: lines.join("\n") }
}

it.each([
  ["memory", () => MemoryCrmStore.layer()],
  ["a SQLite file", () => SqliteCrmStore.layer({ filename: join(dir, "crm.sqlite") })]
])("runs the CRM flow on %s and prints the 360° view and the pipeline", async (_, storage) => {
  const { result, text } = await run(storage())
  // Assignment rules: Nordic countries to Kim, DACH in turn within inside sales.
  expect(result.leadOwners).toEqual({
    "Nordlicht Logistik GmbH": "li.na",
    "Fjordbuss AS": "kim",
    "Alpen Reisen KG": "bo",
    "Rheinbus GmbH": "li.na"
  })
  expect(text).toMatch(/Nordlicht Logistik GmbH\s*│\s*event\s*│\s*45\s*│\s*li\.na\s*│\s*INSIDE\s*│\s*DACH/)
  expect(text).toContain("score after the call: 50")
  expect(result.customerNumber).toBe("C0001")
  expect(text).toContain("cannot enter stage proposal: missing decisionMakers")
  expect(text).toMatch(/overdue\s*│[^│]*│\s*call: Chase the proposal/)
  // A P1 ticket unanswered for three days misses both targets, each escalated once.
  expect(result.breaches).toBe(2)
  expect(text).toMatch(/firstResponse\s*│[^│]*│\s*service\.lead/)
  expect(result.wonAmount).toBe(180_000)
  // 11 DACH accounts without a won deal; 3 without e-mail consent; of the 8 left, 25 % held out (seeded).
  expect(result.campaign).toEqual({ contacted: 6, control: 2, excluded: 3 })
  expect(text).toMatch(/contacted\s*│\s*6\s*│\s*3\s*│\s*50 %/)
  expect(text).toMatch(/Qualification\s*│\s*1\s*│\s*95,000 EUR\s*│\s*19,000 EUR/)
  expect(text).toContain("win rate 100 %")
  expect(text).toContain("The 360° view of C0001 Nordlicht Logistik GmbH")
  expect(text).toMatch(/2026-Q\d|20\d\d-Q\d/)
  expect(text).toMatch(/li\.na\s*│[^│]*│[^│]*│\s*180,000 EUR/)
})
