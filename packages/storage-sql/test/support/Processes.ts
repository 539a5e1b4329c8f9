/**
 * The cross-process number-range check: several OS processes open the same store (a fresh
 * database, so their migrations race too) and draw numbers concurrently, each draw in a
 * transaction that also inserts the customer, some transactions failing on purpose. Gap-free
 * numbering means: the committed numbers are exactly 1…N, none twice.
 */
import { type ChildProcess, fork } from "node:child_process"
import { mkdirSync, rmSync } from "node:fs"
import { basename } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"
import type { WorkerMessage, WorkerSpec } from "./DrawWorker.js"

const root = fileURLToPath(new URL("../../../../", import.meta.url))
const cache = `${root}node_modules/.cache/partnerkit-tests/`

/**
 * Bundles a worker entry (a TS file) with the workspace sources it imports into one ESM file next
 * to `node_modules`, leaving npm packages external. A plain `node` starts it in about a second;
 * under `node --import tsx`, resolving every module of `effect` through tsx's hooks takes three
 * to four, times the number of processes sharing the CPUs.
 */
const bundle = async (entry: string): Promise<string> => {
  mkdirSync(cache, { recursive: true })
  const outfile = `${cache}${basename(entry, ".ts")}-${process.pid}-${Date.now()}.mjs`
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    tsconfig: `${root}tsconfig.base.json`,
    packages: "external",
    logLevel: "warning"
  })
  return outfile
}

export interface ProcessesResult {
  /** Committed numbers, per process. */
  readonly committed: ReadonlyArray<ReadonlyArray<number>>
  /** Failures other than the deliberate ones. */
  readonly errors: ReadonlyArray<string>
  /** Milliseconds from `go` until the last process finished. */
  readonly drawMillis: number
}

const start = (worker: string, spec: WorkerSpec): ChildProcess =>
  fork(worker, [JSON.stringify(spec)], { cwd: root, execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] })

const next = (child: ChildProcess, timeoutMs: number): Promise<WorkerMessage> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${child.pid} sent nothing for ${timeoutMs} ms`)), timeoutMs)
    const onExit = (code: number | null) => {
      clearTimeout(timer)
      reject(new Error(`worker ${child.pid} exited with ${code} before answering`))
    }
    child.once("exit", onExit)
    child.once("message", (message) => {
      clearTimeout(timer)
      child.off("exit", onExit)
      resolve(message as WorkerMessage)
    })
  })

const expectType = <T extends WorkerMessage["type"]>(message: WorkerMessage, type: T): Extract<WorkerMessage, { type: T }> => {
  if (message.type === type) return message as Extract<WorkerMessage, { type: T }>
  throw new Error(message.type === "failed" ? `worker failed:\n${message.error}` : `expected ${type}, got ${message.type}`)
}

/** Runs `processes` copies of the worker `entry` on one store and returns what each committed. */
export const drawInProcesses = async (
  entry: string,
  spec: Omit<WorkerSpec, "draws" | "failEvery">,
  options: { readonly processes: number; readonly draws: number; readonly failEvery: number }
): Promise<ProcessesResult> => {
  const worker = await bundle(entry)
  const children = Array.from({ length: options.processes }, () =>
    start(worker, { ...spec, draws: options.draws, failEvery: options.failEvery })
  )
  try {
    const ready = children.map((child) => next(child, 30_000))
    for (const message of await Promise.all(ready)) expectType(message, "ready")
    const done = children.map((child) => next(child, 30_000))
    const started = Date.now()
    for (const child of children) child.send("go")
    const results = (await Promise.all(done)).map((m) => expectType(m, "done"))
    return {
      committed: results.map((r) => r.committed),
      errors: results.flatMap((r) => r.errors),
      drawMillis: Date.now() - started
    }
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill()
    rmSync(worker, { force: true })
  }
}
