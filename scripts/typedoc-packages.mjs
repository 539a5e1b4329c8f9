// @ts-check
/**
 * A TypeDoc plugin for `npm run docs` (see `typedoc.json`).
 *
 * TypeDoc documents all packages in one program (fast, and entry points that do not exist yet are
 * simply not matched), but then names each entry module by its path (`core/src`). This plugin
 * names it after its package instead (`@partnerkit/core`) and shows the package's README.md on
 * the module's page, as TypeDoc's slower `packages` strategy would.
 */
import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { Converter, MinimalSourceFile, normalizePath, ReflectionKind } from "typedoc"

/** @param {string} file */
const packageOf = (file) => {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json")
    if (existsSync(manifest)) return { dir, name: /** @type {{ name?: string }} */ (JSON.parse(readFileSync(manifest, "utf8"))).name }
  }
  return undefined
}

/** @param {import("typedoc").Application} app */
export const load = (app) => {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.children ?? []) {
      if (!module.kindOf(ReflectionKind.Module)) continue
      const file = module.sources?.[0]?.fullFileName
      const pkg = file === undefined ? undefined : packageOf(file)
      if (pkg?.name === undefined) continue
      module.name = pkg.name
      const readme = normalizePath(join(pkg.dir, "README.md"))
      if (existsSync(readme)) {
        const { content } = app.converter.parseRawComment(
          new MinimalSourceFile(readFileSync(readme, "utf8"), readme),
          context.project.files
        )
        module.readme = content
      }
    }
  })
}
