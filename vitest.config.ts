import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url))

// Tests run against sources: workspace packages resolve to their src/, never to a build.
export const alias = {
  "@partnerkit/core": src("core"),
  "@partnerkit/testkit": src("testkit"),
  "@partnerkit/storage-memory": src("storage-memory"),
  "@partnerkit/storage-sql": src("storage-sql"),
  "@partnerkit/storage-sqlite": src("storage-sqlite"),
  "@partnerkit/storage-postgres": src("storage-postgres"),
  "@partnerkit/crm": src("crm")
}

export default defineConfig({
  resolve: { alias },
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/*/test/**/*.test.ts"],
    reporters: ["default", "./scripts/summary-reporter.ts"],
    setupFiles: ["./scripts/property-seed.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks"
  }
})
