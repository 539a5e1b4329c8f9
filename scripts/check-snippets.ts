/**
 * `npm run typecheck:snippets`: doc snippets compile (engineering guide, rule 12).
 *
 * Collects every TypeScript code block from
 * - the `@example` sections of doc comments in `packages/*\/src/**\/*.ts`, and
 * - the Markdown files under `docs/` (except the generated `docs/api/`) and the `README.md` of the
 *   repository root, of every package and of every example,
 * writes each block to a module of its own in `.snippets/` (git-ignored; inside the repository so
 * that the workspace `paths` of `tsconfig.base.json` resolve `@partnerkit/*` to sources), and
 * type-checks them all in one TypeScript program. Every error is reported at the file and line the
 * snippet came from; the exit code is 1 when any snippet fails.
 *
 * A block is a fence whose info string starts with `ts` or `typescript`. A fence written
 * ```` ```ts ignore ```` is skipped: use it sparingly, for fragments that cannot stand alone.
 * Each snippet is a module of its own (top-level `await` allowed, unused names allowed), so a
 * snippet must import what it uses; `declare const kit: PartnerKit.PartnerKit` keeps one short.
 *
 * `.snippets/` is rewritten on every run and removed after a clean one; after a failure it stays
 * for inspection (`--keep` keeps it always). `--list` prints every snippet found.
 */
import { type Dirent, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const outDir = join(root, ".snippets")
const args = new Set(process.argv.slice(2))

/** One code block, with where each of its lines came from. */
interface Snippet {
  /** Repository-relative source file. */
  readonly source: string
  /** 1-based line in `source` of each code line. */
  readonly lines: ReadonlyArray<number>
  /** Characters stripped in front of each code line (a doc comment's ` * `, a list's indentation). */
  readonly indents: ReadonlyArray<number>
  readonly code: ReadonlyArray<string>
}

// -------------------------------------------------------------------------------------------------
// Finding the files
// -------------------------------------------------------------------------------------------------

const skippedDirs = new Set(["node_modules", "dist", ".turbo", ".git", ".snippets"])
/** Generated, not written: the API reference. */
const generatedDir = join(root, "docs", "api")

const walk = (dir: string, accept: (file: string) => boolean): Array<string> => {
  let entries: Array<Dirent>
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
  const out: Array<string> = []
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (!skippedDirs.has(entry.name) && path !== generatedDir) out.push(...walk(path, accept))
    } else if (entry.isFile() && accept(path)) out.push(path)
  }
  return out
}

const isFile = (path: string) => {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** `packages/*`, `examples/*`: the workspace folders under `parent`. */
const workspaceDirs = (parent: string): Array<string> => {
  try {
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(root, parent, entry.name))
      .sort()
  } catch {
    return []
  }
}

const sourceFiles = workspaceDirs("packages").flatMap((pkg) => walk(join(pkg, "src"), (f) => f.endsWith(".ts") && !f.endsWith(".d.ts")))

const markdownFiles = [
  ...walk(join(root, "docs"), (f) => f.endsWith(".md")),
  join(root, "README.md"),
  ...workspaceDirs("packages").map((dir) => join(dir, "README.md")),
  ...workspaceDirs("examples").map((dir) => join(dir, "README.md"))
].filter(isFile)

// -------------------------------------------------------------------------------------------------
// Extracting the blocks
// -------------------------------------------------------------------------------------------------

interface Line {
  readonly text: string
  /** 1-based line number in the source file. */
  readonly number: number
  /** Characters removed in front of `text`. */
  readonly indent: number
}

const fenceOpen = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)(.*)$/

/**
 * The ```ts blocks among `lines`, in the CommonMark sense: a fence of three or more backticks or
 * tildes, closed by a fence of the same character at least as long. Blocks indented inside a list
 * item keep their relative indentation.
 */
const codeBlocks = (source: string, lines: ReadonlyArray<Line>, skipped: { count: number }): Array<Snippet> => {
  const out: Array<Snippet> = []
  for (let i = 0; i < lines.length; i++) {
    const open = fenceOpen.exec(lines[i]!.text)
    if (open === null) continue
    const indentation = open[1]!.length
    const fence = open[2]!
    const lang = open[3]!.toLowerCase()
    const rest = open[4]!.trim().split(/\s+/)
    const close = new RegExp(`^\\s*${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`)
    let j = i + 1
    while (j < lines.length && !close.test(lines[j]!.text)) j++
    const body = lines.slice(i + 1, j)
    i = j
    if (lang !== "ts" && lang !== "typescript" && lang !== "mts") continue
    if (rest.includes("ignore")) {
      skipped.count++
      continue
    }
    out.push({
      source,
      lines: body.map((l) => l.number),
      indents: body.map((l) => {
        const strip = Math.min(indentation, l.text.length - l.text.trimStart().length)
        return l.indent + strip
      }),
      code: body.map((l) => {
        const strip = Math.min(indentation, l.text.length - l.text.trimStart().length)
        return l.text.slice(strip)
      })
    })
  }
  return out
}

const fromMarkdown = (file: string, skipped: { count: number }): Array<Snippet> => {
  const lines = readFileSync(file, "utf8")
    .split(/\r?\n/)
    .map((text, i) => ({ text, number: i + 1, indent: 0 }))
  return codeBlocks(relative(root, file), lines, skipped)
}

/** The `@example` sections of every doc comment of a source file, as Markdown lines. */
const fromSource = (file: string, skipped: { count: number }): Array<Snippet> => {
  const text = readFileSync(file, "utf8")
  const lines = text.split(/\r?\n/)
  const out: Array<Snippet> = []
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\/\*\*/.test(lines[i]!)) continue
    // The comment's lines, each without its leading ` * `.
    const comment: Array<Line> = []
    for (let j = i; j < lines.length; j++) {
      let raw = lines[j]!
      const end = raw.indexOf("*/")
      if (end >= 0) raw = raw.slice(0, end)
      const prefix = /^\s*(\/\*\*|\*(?!\/))? ?/.exec(raw)![0]
      comment.push({ text: raw.slice(prefix.length), number: j + 1, indent: prefix.length })
      if (end >= 0) {
        i = j
        break
      }
    }
    // Keep the lines of `@example` sections: from the tag to the next block tag outside a fence.
    const example: Array<Line> = []
    let inExample = false
    let inFence = false
    for (const line of comment) {
      if (/^\s*(`{3,}|~{3,})/.test(line.text)) inFence = !inFence
      if (!inFence && /^\s*@\w+/.test(line.text)) {
        inExample = /^\s*@example\b/.test(line.text)
        if (inExample) {
          const after = line.text.replace(/^\s*@example\b\s*/, "")
          if (after.length > 0) example.push({ ...line, text: after })
          continue
        }
      }
      if (inExample) example.push(line)
    }
    out.push(...codeBlocks(relative(root, file), example, skipped))
  }
  return out
}

const skipped = { count: 0 }
const snippets = [...sourceFiles.flatMap((f) => fromSource(f, skipped)), ...markdownFiles.flatMap((f) => fromMarkdown(f, skipped))]

// -------------------------------------------------------------------------------------------------
// Writing the modules
// -------------------------------------------------------------------------------------------------

/** Lines written in front of a snippet's code, for a reader of `.snippets/`. */
const HEADER = 1

rmSync(outDir, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })

const byFile = new Map<string, Snippet>()
const used = new Map<string, number>()
for (const snippet of snippets) {
  const base = `${snippet.source.replace(/[^A-Za-z0-9]+/g, "_")}_L${snippet.lines[0] ?? 0}`
  const n = used.get(base) ?? 0
  used.set(base, n + 1)
  const name = join(outDir, `${n === 0 ? base : `${base}_${n}`}.ts`)
  const code = snippet.code.join("\n")
  // Every snippet is a module (`moduleDetection: "force"` says so too); `export {}` makes it explicit.
  const isModule = /^\s*(import|export)\b/m.test(code)
  const text = `// ${snippet.source}:${snippet.lines[0] ?? 0} (generated by scripts/check-snippets.ts; do not edit)\n${code}\n${isModule ? "" : "export {}\n"}`
  writeFileSync(name, text)
  byFile.set(ts.sys.resolvePath(name), snippet)
  if (args.has("--list")) console.log(`${snippet.source}:${snippet.lines[0]} → ${relative(root, name)}`)
}

const tsconfig = {
  extends: "../tsconfig.base.json",
  compilerOptions: {
    noEmit: true,
    noUnusedLocals: false,
    noUnusedParameters: false,
    // Top-level await in every snippet.
    module: "ESNext",
    target: "ES2022"
  },
  include: ["./*.ts"]
}
writeFileSync(join(outDir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`)

// -------------------------------------------------------------------------------------------------
// Type-checking them in one program
// -------------------------------------------------------------------------------------------------

const started = performance.now()
const configPath = join(outDir, "tsconfig.json")
const parsed = ts.getParsedCommandLineOfConfigFile(
  configPath,
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"))
    }
  }
)!
const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options })

// Only the snippets are checked: the packages' own sources are checked by their `typecheck`.
const diagnostics: Array<ts.Diagnostic> = [
  ...parsed.errors,
  ...program.getOptionsDiagnostics(),
  ...program.getGlobalDiagnostics(),
  ...program
    .getSourceFiles()
    .filter((f) => byFile.has(ts.sys.resolvePath(f.fileName)))
    .flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)])
]

const where = (d: ts.Diagnostic): string => {
  if (d.file === undefined || d.start === undefined) return "(config)"
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start)
  const snippet = byFile.get(ts.sys.resolvePath(d.file.fileName))
  if (snippet === undefined) return `${relative(root, d.file.fileName)}:${line + 1}:${character + 1}`
  const index = line - HEADER
  const sourceLine = snippet.lines[index] ?? snippet.lines.at(-1) ?? 0
  const column = character + 1 + (snippet.indents[index] ?? 0)
  return `${snippet.source}:${sourceLine}:${column}`
}

// In source order: by file, then line.
const order = (d: ts.Diagnostic) =>
  where(d).replace(/:(\d+):(\d+)$/, (_, l: string, c: string) => `:${l.padStart(6, "0")}:${c.padStart(4, "0")}`)
diagnostics.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))

const failed = new Set<string>()
for (const d of diagnostics) {
  const snippet = d.file === undefined ? undefined : byFile.get(ts.sys.resolvePath(d.file.fileName))
  if (snippet !== undefined) failed.add(`${snippet.source}:${snippet.lines[0]}`)
  const category = d.category === ts.DiagnosticCategory.Error ? "error" : "warning"
  console.error(`${where(d)} - ${category} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n  ")}`)
  if (d.file !== undefined && d.start !== undefined && snippet !== undefined) {
    const { line } = d.file.getLineAndCharacterOfPosition(d.start)
    console.error(`    ${(snippet.code[line - HEADER] ?? "").trim()}`)
  }
}

const seconds = ((performance.now() - started) / 1000).toFixed(1)
const sources = new Set(snippets.map((s) => s.source)).size
const ignored = skipped.count > 0 ? `, ${skipped.count} marked ignore` : ""
if (diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error)) {
  console.error(
    `\nSnippets: ${failed.size} of ${snippets.length} failed to compile (${sources} files, ${seconds}s${ignored}). ` +
      `The generated modules are in ${relative(root, outDir)}/.`
  )
  process.exit(1)
}
if (!args.has("--keep")) rmSync(outDir, { recursive: true, force: true })
console.log(`Snippets: ${snippets.length} compile (${sources} files, ${seconds}s${ignored}).`)
