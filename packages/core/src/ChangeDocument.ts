/**
 * Change documents (SAP: CDHDR / CDPOS): every write to a customer records, in the same
 * transaction, one document with an item per changed field — old value, new value, who, when.
 *
 * A document's `changeNumber` is the customer's version after the change, so the documents of a
 * customer are totally ordered and "newest first" is `changeNumber` descending.
 *
 * Items belong to a view (`viewKind` / `viewId`). A reader sees an item only when it may see that
 * view as the view is now (its current authorization group); a document with no visible item is
 * not returned at all.
 *
 * @example
 * ```ts
 * import { ChangeDocument } from "@partnerkit/core"
 *
 * const line = (item: ChangeDocument.ChangeItem) => `${item.path}: ${item.oldValue ?? "∅"} → ${item.newValue ?? "∅"}`
 * ```
 * @module
 */
import { z } from "zod"
import { type CustomerRecord, salesAreaKey } from "./Customer.js"

export const Operation = z.enum([
  "create",
  "createWithReference",
  "change",
  "extend",
  "block",
  "unblock",
  "setDeletionFlag",
  "clearDeletionFlag"
])
export type Operation = z.infer<typeof Operation>

export const ViewKind = z.enum(["general", "companyCode", "salesArea"])
export type ViewKind = z.infer<typeof ViewKind>

export const ChangeItem = z.object({
  viewKind: ViewKind,
  /** Company code, sales-area key (`1000/10/00`), or `""` for the general view. */
  viewId: z.string(),
  /** Full field path, e.g. `general.phone`, `salesAreas.1000/10/00.orderBlock`, `contacts.0001.email`. */
  path: z.string(),
  /** Text of the value before; `null` when it was empty (or the view did not exist). */
  oldValue: z.string().nullable(),
  newValue: z.string().nullable()
})
/** One changed field. */
export type ChangeItem = z.infer<typeof ChangeItem>

export const ChangeDocumentSchema = z.object({
  tenant: z.string(),
  customerNumber: z.string(),
  /** The customer's version after this change: 1 for the create, then 2, 3, … */
  changeNumber: z.number().int().positive(),
  operation: Operation,
  changedBy: z.string(),
  changedAt: z.string(),
  items: z.array(ChangeItem)
})
/** One change of one customer, with its field-level items. */
export type ChangeDocument = z.infer<typeof ChangeDocumentSchema>

const text = (value: unknown): string | null => {
  if (value === undefined || value === null) return null
  if (typeof value === "string") return value
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  if (typeof value === "object" && "reason" in value && "blockedBy" in value) return String((value as { reason: string }).reason)
  return JSON.stringify(value)
}

interface Entry {
  readonly viewKind: ViewKind
  readonly viewId: string
  readonly value: string | null
}

const skipped = new Set(["companyCode", "salesArea", "partners"])

/** `C0001*, C0002`: a function's partners in a stable order, the default of several marked. */
const partnerText = (partners: ReadonlyArray<{ partner: string; default?: boolean | undefined }>): string =>
  partners
    .map((p) => `${p.partner}${p.default === true && partners.length > 1 ? "*" : ""}`)
    .sort()
    .join(", ")

/** Every field of the record as `path → value`, the view it belongs to included. */
const flatten = (c: CustomerRecord | undefined): Map<string, Entry> => {
  const out = new Map<string, Entry>()
  if (c === undefined) return out
  const put = (viewKind: ViewKind, viewId: string, prefix: string, data: object) => {
    for (const [k, v] of Object.entries(data)) {
      if (skipped.has(k)) continue
      const value = text(v)
      // A `false` deletion flag is the default; recording it would only add noise.
      if (value !== null && !(k === "deletionFlag" && v === false)) out.set(`${prefix}.${k}`, { viewKind, viewId, value })
    }
  }
  put("general", "", "general", c.general)
  put("general", "", "customer", {
    accountGroup: c.accountGroup,
    centralBlock: c.centralBlock,
    deletionFlag: c.deletionFlag
  })
  for (const v of c.companyCodes) put("companyCode", v.companyCode, `companyCodes.${v.companyCode}`, v)
  for (const v of c.salesAreas) {
    const key = salesAreaKey(v.salesArea)
    put("salesArea", key, `salesAreas.${key}`, v)
    const byFunction = new Map<string, Array<{ partner: string; default?: boolean | undefined }>>()
    for (const p of v.partners ?? []) byFunction.set(p.function, [...(byFunction.get(p.function) ?? []), p])
    for (const [fn, partners] of byFunction) {
      out.set(`salesAreas.${key}.partners.${fn}`, { viewKind: "salesArea", viewId: key, value: partnerText(partners) })
    }
  }
  for (const p of c.contacts) {
    const { id, ...data } = p
    put("general", "", `contacts.${id}`, data)
  }
  return out
}

/** The field-level items that turn `before` into `after` (before `undefined`: a create), sorted by path. */
export const diff = (before: CustomerRecord | undefined, after: CustomerRecord): Array<ChangeItem> => {
  const a = flatten(before)
  const b = flatten(after)
  const items: Array<ChangeItem> = []
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const old = a.get(path)
    const now = b.get(path)
    const oldValue = old?.value ?? null
    const newValue = now?.value ?? null
    if (oldValue === newValue) continue
    const where = (now ?? old)!
    items.push({ viewKind: where.viewKind, viewId: where.viewId, path, oldValue, newValue })
  }
  return items.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0))
}
