/**
 * The raw-driver side on SQLite: better-sqlite3 on the same schema and the same pragmas as the
 * store (WAL, `synchronous = NORMAL`, foreign keys, busy timeout), prepared statements reused,
 * multi-row INSERTs, `BEGIN IMMEDIATE` transactions — what a careful hand-written writer does.
 */
import Database from "better-sqlite3"
import * as Data from "./Data.js"

export type Db = Database.Database

/** Opens `file` the way the store does (the schema must exist: `SqliteStore.migrate`). */
export const open = (file: string): Db => {
  const db = new Database(file)
  db.pragma("journal_mode = WAL")
  db.pragma("busy_timeout = 5000")
  db.pragma("synchronous = NORMAL")
  db.pragma("foreign_keys = ON")
  return db
}

/** The number-range row, created before any timing (partnerkit creates it at its first draw). */
export const prepareRange = (db: Db) =>
  db
    .prepare("INSERT INTO number_range_state (tenant, range_id, last) VALUES (?, ?, 0) ON CONFLICT (tenant, range_id) DO NOTHING")
    .run(Data.tenant, Data.rangeId)

/** SQLite's bound-parameter limit is 32,766: rows per multi-row INSERT for a table. */
const rowsPerStatement = (table: Data.Table) => Math.min(1000, Math.floor(32_000 / Data.columns[table].length))

/** `INSERT INTO table (…) VALUES (…), …` for any number of rows, statements prepared once per size. */
const inserter = (db: Db) => {
  const statements = new Map<string, Database.Statement>()
  const statement = (table: Data.Table, rows: number) => {
    const key = `${table}:${rows}`
    let s = statements.get(key)
    if (s === undefined) {
      const cols = Data.columns[table]
      const tuple = `(${cols.map(() => "?").join(",")})`
      s = db.prepare(`INSERT INTO ${table} (${cols.join(",")}) VALUES ${Array.from({ length: rows }, () => tuple).join(",")}`)
      statements.set(key, s)
    }
    return s
  }
  return (table: Data.Table, rows: ReadonlyArray<ReadonlyArray<unknown>>) => {
    const size = rowsPerStatement(table)
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.slice(i, i + size)
      statement(table, chunk.length).run(chunk.flat())
    }
  }
}

const drawStatement = (db: Db) =>
  db.prepare<[number, string, string], { last: number }>(
    "UPDATE number_range_state SET last = last + ? WHERE tenant = ? AND range_id = ? RETURNING last"
  )

/** One customer per `BEGIN IMMEDIATE` transaction: draw, an INSERT per table the customer has rows in (multi-row where a table gets several rows). */
export const creator = (db: Db) => {
  const draw = drawStatement(db)
  const insert = inserter(db)
  const create = db.transaction((input: Data.Input) => {
    const { last } = draw.get(1, Data.tenant, Data.rangeId)!
    const number = Data.formatNumber(last)
    const rows = Data.emptyRows()
    Data.appendRows(rows, input, number, new Date().toISOString(), 0)
    for (const table of Data.tables) insert(table, rows[table])
    return number
  })
  return (input: Data.Input): string => create.immediate(input)
}

/** A batch of customers per `BEGIN IMMEDIATE` transaction, with their key mappings (what an import writes). */
export const batchWriter = (db: Db, system: string) => {
  const draw = drawStatement(db)
  const insert = inserter(db)
  const write = db.transaction((batch: ReadonlyArray<{ readonly key: string; readonly input: Data.Input }>) => {
    const { last } = draw.get(batch.length, Data.tenant, Data.rangeId)!
    const first = last - batch.length + 1
    const at = new Date().toISOString()
    const rows = Data.emptyRows()
    batch.forEach(({ key, input }, i) => {
      const number = Data.formatNumber(first + i)
      Data.appendRows(rows, input, number, at, 0)
      rows.key_mappings.push([Data.tenant, system, key, number])
    })
    for (const table of Data.tables) insert(table, rows[table])
    insert("key_mappings", rows.key_mappings)
  })
  return (batch: ReadonlyArray<{ readonly key: string; readonly input: Data.Input }>) => write.immediate(batch)
}

/** The five SELECTs of a customer (row, views, partners, contacts) on one snapshot. */
export const reader = (db: Db) => {
  const customer = db.prepare("SELECT * FROM customers WHERE tenant = ? AND number = ?")
  const children = ["company_code_views", "sales_area_views", "sales_area_partners", "contact_persons"].map((table) =>
    db.prepare(`SELECT * FROM ${table} WHERE tenant = ? AND customer_number = ? ORDER BY position`)
  )
  const read = db.transaction((number: string) => {
    const row = customer.get(Data.tenant, number)
    if (row === undefined) return undefined
    const [companyCodes, salesAreas, partners, contacts] = children.map((s) => s.all(Data.tenant, number))
    return { row, companyCodes, salesAreas, partners, contacts }
  })
  return (number: string) => read.deferred(number)
}

/** `count` positions in one `BEGIN IMMEDIATE` transaction; returns the first. */
export const drawer = (db: Db) => {
  const draw = drawStatement(db)
  const tx = db.transaction((count: number) => draw.get(count, Data.tenant, Data.rangeId)!.last - count + 1)
  return (count: number): number => tx.immediate(count)
}
