import { createHash } from "node:crypto"
import type { Dialect } from "@partnerkit/storage-sql"
import { Migrations } from "@partnerkit/storage-sql"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"

/** Renders the DDL with placeholders, so the text does not depend on an engine. */
const neutral: Dialect.Dialect = {
  name: "neutral",
  types: { key: "<key>", text: "<text>", integer: "<integer>", bigint: "<bigint>", boolean: "<boolean>", json: "<json>" },
  tableOptions: "<options>",
  encodeBoolean: (b) => b,
  decodeBoolean: (b) => b === true,
  encodeJson: (v) => v,
  decodeJson: (v) => v,
  beginWrite: "BEGIN",
  beginRead: "BEGIN",
  forUpdate: "",
  beforeMigrations: Effect.void,
  jsonRows: () => "<json rows>",
  columnsOf: () => Effect.succeed([]),
  tableExists: () => Effect.succeed(false)
}

const ddl = (m: Migrations.Migration) => m.statements(neutral).join(";\n")
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex")

describe("migrations", () => {
  it("are numbered 1, 2, 3, … without gaps, with unique names", () => {
    expect(Migrations.migrations.map((m) => m.version)).toEqual(Migrations.migrations.map((_, i) => i + 1))
    expect(Migrations.latest).toBe(Migrations.migrations.length)
    expect(new Set(Migrations.migrations.map((m) => m.name)).size).toBe(Migrations.migrations.length)
  })

  it("migration 1, the first released schema, is never edited", () => {
    // Released databases were created by exactly this SQL (rendered here with placeholder types).
    // Change the schema with a new migration, never by editing this one.
    expect(sha256(ddl(Migrations.migrations[0]!))).toBe("78d1902f737b08dd125fa9b1c61b44e54cfb398bd14ac6322642e55c468cf928")
  })

  it("the tenant leads every primary key, foreign key and index", () => {
    const all = Migrations.migrations.map(ddl).join(";\n")
    const keys = [...all.matchAll(/(PRIMARY KEY|FOREIGN KEY|REFERENCES \w+|CREATE INDEX \w+\s+ON \w+) \(([^)]*)\)/g)]
    expect(keys.length).toBeGreaterThan(10)
    for (const [clause, , columns] of keys) expect(columns?.split(",")[0]?.trim(), clause).toBe("tenant")
  })
})
