import { MemoryStore } from "@partnerkit/storage-memory"
import { expect, it } from "vitest"
import { runScenarios } from "../src/scenarios.js"

it("runs every partner scenario and prints the determinations", async () => {
  const lines: Array<string> = []
  await runScenarios({ storage: () => MemoryStore.layer(), print: (line) => lines.push(line) })
  const text = lines.join("\n")
  // The bus buyer's invoice goes to the transport company (C0002).
  expect(text).toMatch(/BP\s*│\s*C0002\s*│\s*Stadtbus Verkehrsbetriebe GmbH/)
  expect(text).toMatch(/SH\s*│\s*—\s*│\s*—\s*│\s*FAILED: blockedForDelivery\s*│\s*D0001: delivery block in 1000\/10\/00: Dock closed for renovation; usable instead: C0001/)
  expect(text).toContain("branch.manager accepted it; territory BY → E100")
  expect(text).toContain("sales employee for C0003: Eva Seller (responsible for territory BY (Bavaria))")
  expect(text).toContain("error POSTAL_CODE_INVALID oneTimeAddress.postalCode")
  expect(text).toContain("buyer: Bauer Huber, Freising")
  expect(text).toContain("PARTNER_FUNCTIONS_DIFFER")
  expect(text).toMatch(/SH\s*│\s*2110010001\s*│\s*上海巴士公交有限公司/)
})
