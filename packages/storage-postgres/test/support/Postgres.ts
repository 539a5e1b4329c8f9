/**
 * PostgreSQL for the tests: the server at `DATABASE_URL` (default
 * `postgres://postgres@127.0.0.1:5432/test`), a fresh schema per store under test, dropped after
 * the run.
 *
 * When no server answers, the PostgreSQL tests are skipped with a loud notice on a developer's
 * machine, and FAIL when `CI` is set: a CI run must never pass by skipping them.
 */
import pg from "pg"
import { afterAll, describe, it } from "vitest"

export const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test"

const connect = async <A>(f: (client: pg.Client) => Promise<A>): Promise<A> => {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 })
  client.on("error", () => {})
  await client.connect()
  try {
    return await f(client)
  } finally {
    await client.end().catch(() => {})
  }
}

/** Why the server cannot be used, or `undefined` when it can. */
const unreachable: string | undefined = await connect((c) => c.query("SELECT 1")).then(
  () => undefined,
  (error: unknown) => (error instanceof Error ? error.message || error.name : String(error))
)

const notice = (reason: string) =>
  [
    "",
    "═".repeat(100),
    `  POSTGRESQL TESTS SKIPPED: no usable server at ${databaseUrl}`,
    `  (${reason})`,
    "  To run them, start PostgreSQL:",
    "    pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "  or point DATABASE_URL at a server where you may create schemas:",
    "    DATABASE_URL=postgres://user@host:5432/db npx vitest run packages/storage-postgres",
    "  (With CI set, these tests fail instead of being skipped.)",
    "═".repeat(100),
    ""
  ].join("\n")

/**
 * Registers `register`'s tests when the server answers. Otherwise: under `CI`, one failing test
 * saying why; elsewhere, a loud notice on the console and a skipped placeholder.
 */
export const whenPostgres = (name: string, register: () => void): void => {
  if (unreachable === undefined) {
    afterAll(dropSchemas)
    register()
  } else if (process.env.CI) {
    describe(name, () => {
      it("PostgreSQL is reachable (required when CI is set)", () => {
        throw new Error(`no PostgreSQL server at ${databaseUrl}: ${unreachable}`)
      })
    })
  } else {
    console.warn(notice(unreachable))
    describe.skip(`${name} [PostgreSQL unreachable: start it or set DATABASE_URL]`, () => {
      it("needs PostgreSQL", () => {})
    })
  }
}

const created: Array<string> = []

/** A new schema name for one store: `pk_<label>_<pid>_<random>`; dropped after the file's tests. */
export const freshSchema = (label: string): string => {
  const name = `pk_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  created.push(name)
  return name
}

/** Drops every schema `freshSchema` named (the stores must be closed by now). */
export const dropSchemas = async (): Promise<void> => {
  const names = created.splice(0)
  if (names.length === 0) return
  await connect(async (client) => {
    for (const name of names) await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(name)} CASCADE`)
  })
}

/** Runs one query on its own connection (for checks next to the store). */
export const query = <A extends pg.QueryResultRow>(text: string, values: ReadonlyArray<unknown> = []): Promise<Array<A>> =>
  connect(async (client) => (await client.query<A>(text, [...values])).rows)
