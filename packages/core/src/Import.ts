/**
 * Streaming bulk import (`Customers.importCustomers`): reads customer inputs from an async
 * iterable or stream, validates each with the same rules as a single create, writes in batches
 * (one transaction per batch), and reports per-record failures without aborting the rest.
 *
 * Idempotent by an external key the caller names: each record carries `key`, and the mapping
 * `(system, key) → customer number` is stored with the customer (`KeyMappingStore`), so a second
 * run of the same file creates no duplicates — its records are `skipped`, or with
 * `onExisting: "update"` changed where they differ (`updated`) and skipped where they do not.
 *
 * Memory stays flat on a stream of any length: one batch is in memory at a time, and only the
 * first `keepFailures` failures are kept in the result (all of them go to `onFailure`).
 *
 * @example
 * ```ts
 * import { Actor, createPartnerKit, Presets } from "@partnerkit/core"
 * import { MemoryStore } from "@partnerkit/storage-memory"
 *
 * async function* rows() {
 *   yield { key: "K-1", accountGroup: "0002", general: { name: "Dock 1", street: "Kai 1", postalCode: "20457", city: "Hamburg", country: "DE" } }
 *   yield { key: "K-2", accountGroup: "0002", general: { name: "Dock 2", postalCode: "123", city: "Hamburg", country: "DE" } }
 * }
 * const kit = await createPartnerKit({ customizing: Presets.standard("acme"), storage: MemoryStore.layer() })
 * const result = await kit.customers.importCustomers({
 *   actor: Actor.superUser("acme"),
 *   system: "legacy-erp",
 *   source: rows(),
 *   onProgress: (p) => console.log(`${p.read} read, ${p.created} created, ${p.failed} failed`)
 * })
 * console.log(result.failures.map((f) => `${f.position} ${f.key}: ${f.messages.map((m) => m.id).join(", ")}`))
 * await kit.close()
 * ```
 * @module
 */
import { z } from "zod"
import type { Actor } from "./Actor.js"
import { CreateCustomerInput } from "./Customer.js"
import type { Message } from "./Messages.js"

export const ImportRecord = CreateCustomerInput.extend({
  /** The record's key in the source system; the same key on a later run finds the same customer. */
  key: z.string().trim().min(1).max(120)
}).strict()
/** One record of an import: a create input plus its external key. */
export type ImportRecord = z.input<typeof ImportRecord>

export interface ImportProgress {
  /** Records read from the source so far. */
  readonly read: number
  readonly created: number
  readonly updated: number
  /** Records whose key was imported before (and, with `onExisting: "update"`, that had no differences). */
  readonly skipped: number
  readonly failed: number
}

export interface ImportFailure {
  /** 1-based position of the record in the source. */
  readonly position: number
  /** The record's key, when it had a readable one. */
  readonly key: string | undefined
  /** What was wrong: field path, message id and text (validation), or the refused authorization. */
  readonly messages: ReadonlyArray<Message>
}

export interface ImportResult extends ImportProgress {
  /** The first `keepFailures` failures, in source order. */
  readonly failures: ReadonlyArray<ImportFailure>
  /** Failures beyond `keepFailures`, reported only to `onFailure`. */
  readonly failuresNotKept: number
}

export interface ImportOptions {
  readonly actor: Actor
  /** Any async iterable (a Node object-mode stream, an async generator) or iterable of records. */
  readonly source: AsyncIterable<unknown> | Iterable<unknown>
  /** The source system the keys belong to, e.g. `legacy-erp`. */
  readonly system: string
  /** Records per transaction; default 500. */
  readonly batchSize?: number
  /** What to do with a record whose key was imported before; default `"skip"`. */
  readonly onExisting?: "skip" | "update"
  /** Called after every batch. */
  readonly onProgress?: (progress: ImportProgress) => void
  /** Called for every failed record. */
  readonly onFailure?: (failure: ImportFailure) => void
  /** How many failures the result keeps; default 1,000. */
  readonly keepFailures?: number
}

export const ImportSettings = z
  .object({
    system: z.string().trim().min(1).max(40),
    batchSize: z.number().int().min(1).max(10_000).default(500),
    onExisting: z.enum(["skip", "update"]).default("skip"),
    keepFailures: z.number().int().min(0).default(1_000)
  })
  .strict()
