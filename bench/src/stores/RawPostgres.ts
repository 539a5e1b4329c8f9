/**
 * The raw-driver side on PostgreSQL: node-postgres clients on the same schema, parameterised
 * statements (the driver's default: unnamed, parsed per call), multi-row INSERTs, one transaction
 * per unit of work; and `COPY … FROM STDIN` (pg-copy-streams) as the bulk-load ceiling.
 */
import { once } from "node:events"
import pg from "pg"
import { from as copyFrom } from "pg-copy-streams"
import * as Data from "./Data.js"

/** A client whose `search_path` is `schema`. */
export const connect = async (url: string, schema: string): Promise<pg.Client> => {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}`, application_name: "partnerkit-bench-raw" })
  await client.connect()
  return client
}

export const prepareRange = (client: pg.Client) =>
  client.query("INSERT INTO number_range_state (tenant, range_id, last) VALUES ($1, $2, 0) ON CONFLICT (tenant, range_id) DO NOTHING", [
    Data.tenant,
    Data.rangeId
  ])

/** PostgreSQL's bound-parameter limit is 65,535: rows per multi-row INSERT for a table. */
const rowsPerStatement = (table: Data.Table) => Math.min(1000, Math.floor(65_000 / Data.columns[table].length))

const insertText = new Map<string, string>()
const insertStatement = (table: Data.Table, rows: number) => {
  const key = `${table}:${rows}`
  let text = insertText.get(key)
  if (text === undefined) {
    const cols = Data.columns[table]
    const tuples = Array.from({ length: rows }, (_, r) => `(${cols.map((_, c) => `$${r * cols.length + c + 1}`).join(",")})`)
    text = `INSERT INTO ${table} (${cols.join(",")}) VALUES ${tuples.join(",")}`
    insertText.set(key, text)
  }
  return text
}

const insert = async (client: pg.Client, table: Data.Table, rows: ReadonlyArray<ReadonlyArray<unknown>>) => {
  const size = rowsPerStatement(table)
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size)
    await client.query(insertStatement(table, chunk.length), chunk.flat())
  }
}

const draw = async (client: pg.Client, count: number): Promise<number> => {
  const result = await client.query<{ last: string }>(
    "UPDATE number_range_state SET last = last + $1 WHERE tenant = $2 AND range_id = $3 RETURNING last",
    [count, Data.tenant, Data.rangeId]
  )
  return Number(result.rows[0]!.last)
}

const inTransaction = async <A>(client: pg.Client, work: () => Promise<A>, begin = "BEGIN"): Promise<A> => {
  await client.query(begin)
  try {
    const result = await work()
    await client.query("COMMIT")
    return result
  } catch (error) {
    await client.query("ROLLBACK")
    throw error
  }
}

/** One customer per transaction: BEGIN, draw, an INSERT per table the customer has rows in (ten), COMMIT (thirteen round trips). */
export const create = (client: pg.Client, input: Data.Input): Promise<string> =>
  inTransaction(client, async () => {
    const number = Data.formatNumber(await draw(client, 1))
    const rows = Data.emptyRows()
    Data.appendRows(rows, input, number, new Date().toISOString(), false)
    for (const table of Data.tables) await insert(client, table, rows[table])
    return number
  })

export interface Keyed {
  readonly key: string
  readonly input: Data.Input
}

const batchRows = async (client: pg.Client, batch: ReadonlyArray<Keyed>, system: string) => {
  const last = await draw(client, batch.length)
  const first = last - batch.length + 1
  const at = new Date().toISOString()
  const rows = Data.emptyRows()
  batch.forEach(({ key, input }, i) => {
    const number = Data.formatNumber(first + i)
    Data.appendRows(rows, input, number, at, false)
    rows.key_mappings.push([Data.tenant, system, key, number])
  })
  return rows
}

/** A batch per transaction, each table in multi-row INSERTs. */
export const writeBatch = (client: pg.Client, batch: ReadonlyArray<Keyed>, system: string) =>
  inTransaction(client, async () => {
    const rows = await batchRows(client, batch, system)
    for (const table of [...Data.tables, "key_mappings" as const]) await insert(client, table, rows[table])
  })

/** COPY's text format: tab-separated, `\N` for NULL, backslash escapes. */
const copyValue = (value: unknown): string => {
  if (value === null || value === undefined) return "\\N"
  const text = typeof value === "string" ? value : String(value)
  return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : text
}

const copy = async (client: pg.Client, table: Data.Table, rows: ReadonlyArray<ReadonlyArray<unknown>>) => {
  // No rows (the CJK search text of Latin names): no COPY, whose lone newline would be a row without columns.
  if (rows.length === 0) return
  const stream = client.query(copyFrom(`COPY ${table} (${Data.columns[table].join(",")}) FROM STDIN`))
  const done = once(stream, "finish")
  stream.end(`${rows.map((row) => row.map(copyValue).join("\t")).join("\n")}\n`)
  await done
}

/** A batch per transaction, each table by `COPY … FROM STDIN`. */
export const copyBatch = (client: pg.Client, batch: ReadonlyArray<Keyed>, system: string) =>
  inTransaction(client, async () => {
    const rows = await batchRows(client, batch, system)
    for (const table of [...Data.tables, "key_mappings" as const]) await copy(client, table, rows[table])
  })

/** The five SELECTs of a customer on one snapshot (a repeatable-read, read-only transaction), as the store reads it. */
export const read = (client: pg.Client, number: string) =>
  inTransaction(
    client,
    async () => {
      const row = (await client.query("SELECT * FROM customers WHERE tenant = $1 AND number = $2", [Data.tenant, number])).rows[0]
      if (row === undefined) return undefined
      const children = []
      for (const table of ["company_code_views", "sales_area_views", "sales_area_partners", "contact_persons"]) {
        children.push(
          (await client.query(`SELECT * FROM ${table} WHERE tenant = $1 AND customer_number = $2 ORDER BY position`, [Data.tenant, number]))
            .rows
        )
      }
      return { row, children }
    },
    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
  )

/** `count` positions, one transaction (a single UPDATE … RETURNING, autocommit); returns the first. */
export const drawPositions = async (client: pg.Client, count: number): Promise<number> => (await draw(client, count)) - count + 1
