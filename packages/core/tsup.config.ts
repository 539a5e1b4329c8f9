import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  // Keep `with { type: "json" }` on the country-name imports: Node 20.10+ refuses a JSON import
  // without it, and esbuild's node20 target would drop it.
  esbuildOptions(options) {
    options.supported = { ...options.supported, "import-attributes": true }
  }
})
