import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { MemoryStore } from "@partnerkit/storage-memory"
import { SqliteStore } from "@partnerkit/storage-sqlite"
import { afterAll, describe, expect, it } from "vitest"
import { runQuickstart } from "../src/quickstart.js"

const capture = () => {
  const lines: Array<string> = []
  return { lines, print: (line: string) => lines.push(line), text: () => lines.join("\n") }
}

describe("quickstart", () => {
  const dir = mkdtempSync(join(tmpdir(), "partnerkit-quickstart-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("runs the whole flow on the memory store and prints the customer and its change documents", async () => {
    const out = capture()
    const number = await runQuickstart({ storage: MemoryStore.layer(), print: out.print })
    expect(number).toBe("C0001")
    const text = out.text()
    expect(text).toContain("No customers yet")
    expect(text).toContain("warning POSTAL_CODE_PLACEHOLDER general.postalCode")
    expect(text).toContain("Credit limit exceeded")
    // Phone numbers are standardised to E.164 on save ("+49 89 1234567" → "+49891234567").
    expect(text).toMatch(/general\.phone\s*│\s*\+49891234567\s*│\s*\+49897654321/)
    for (const operation of ["create", "extend", "change", "block"]) expect(text).toContain(operation)
  })

  it("keeps its data in the SQLite file: a second run finds the first run's customer", async () => {
    const filename = join(dir, "quickstart.sqlite")
    const first = capture()
    expect(await runQuickstart({ storage: SqliteStore.layer({ filename }), print: first.print })).toBe("C0001")
    const second = capture()
    expect(await runQuickstart({ storage: SqliteStore.layer({ filename }), print: second.print })).toBe("C0002")
    expect(second.text()).toContain("Found 1 sold-to party from earlier runs: C0001")
  })
})
