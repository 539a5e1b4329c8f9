/**
 * SQLite test databases: a fresh file in its own directory under the OS temp dir (never
 * `:memory:`, which would hide locking), removed with its `-wal` / `-shm` files afterwards.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

export interface TempDatabase {
  readonly filename: string
  readonly remove: () => void
}

const created: Array<string> = []

/** A path for a new database file; nothing exists there yet. */
export const tempDatabase = (label = "partnerkit"): TempDatabase => {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`))
  created.push(dir)
  return { filename: join(dir, "store.db"), remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Removes every database this process created (call from `afterAll`). */
export const removeAll = (): void => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true })
}
