/**
 * Segments: a named rule (`SegmentRule`) saved per tenant, evaluated on demand (dynamic, in the
 * store's query engine) or frozen as a snapshot — the member list at a moment, stored, which
 * later evaluations do not change.
 *
 * @example
 * ```ts
 * import type { Segment } from "@partnerkit/crm"
 *
 * const input: Segment.CreateSegmentInput = {
 *   name: "Silent DACH customers",
 *   rule: { all: [{ field: "country", op: "in", values: ["DE", "AT", "CH"] }, { field: "daysSinceLastContact", op: "gt", value: 90 }] }
 * }
 * ```
 * @module
 */
import { z } from "zod"
import type { Rule } from "./SegmentRule.js"

const text = (max: number) => z.string().trim().min(1).max(max)
const code = (max: number) => z.string().trim().min(1).max(max)
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString())

/** A saved segment. */
export interface Segment {
  readonly tenant: string
  /** `S` + a sortable, unique suffix. */
  readonly id: string
  readonly name: string
  readonly description?: string | undefined
  readonly rule: Rule
  readonly version: number
  readonly createdBy: string
  readonly createdAt: string
  readonly changedBy: string
  readonly changedAt: string
}

/** A frozen segment: its rule and member list as they were evaluated at `asOf`. */
export interface Snapshot {
  readonly tenant: string
  /** `F` + a sortable, unique suffix. */
  readonly id: string
  /** The saved segment it froze (absent for an ad-hoc rule). */
  readonly segmentId?: string | undefined
  readonly name: string
  readonly rule: Rule
  /** The moment the rule was evaluated at. */
  readonly asOf: string
  /** How many accounts it holds (as the actor who froze it saw them). */
  readonly memberCount: number
  readonly takenBy: string
  readonly takenAt: string
}

/** An account in a segment's result. */
export interface Member {
  readonly customerNumber: string
  readonly name: string
}

export const CreateSegmentInput = z
  .object({
    name: text(80),
    description: text(1000).optional(),
    /** A rule (see `SegmentRule`); checked with paths below `rule`. */
    rule: z.unknown()
  })
  .strict()
export type CreateSegmentInput = Omit<z.input<typeof CreateSegmentInput>, "rule"> & { readonly rule: Rule }

export const ChangeSegmentInput = z
  .object({
    id: code(40),
    version: z.number().int().positive(),
    name: text(80).optional(),
    /** `null` clears it. */
    description: text(1000).nullable().optional(),
    rule: z.unknown().optional()
  })
  .strict()
export type ChangeSegmentInput = Omit<z.input<typeof ChangeSegmentInput>, "rule"> & { readonly rule?: Rule | undefined }

export const GetSegmentInput = z.object({ id: code(40) }).strict()
export type GetSegmentInput = z.input<typeof GetSegmentInput>

export const ListInput = z
  .object({
    cursor: z.string().optional(),
    /** Default 50. */
    limit: z.number().int().min(1).max(500).optional()
  })
  .strict()
export type ListInput = z.input<typeof ListInput>

export const EvaluateInput = z
  .object({
    /** A saved segment… */
    id: code(40).optional(),
    /** …or an ad-hoc rule. */
    rule: z.unknown().optional(),
    /** The moment the behavioural figures are judged at. Default: now. */
    asOf: instant.optional(),
    cursor: z.string().optional(),
    /** Default 100. */
    limit: z.number().int().min(1).max(1000).optional()
  })
  .strict()
export type EvaluateInput = Omit<z.input<typeof EvaluateInput>, "rule"> & { readonly rule?: Rule | undefined }

export const FreezeInput = z
  .object({
    /** A saved segment… */
    id: code(40).optional(),
    /** …or an ad-hoc rule (then `name` is required). */
    rule: z.unknown().optional(),
    /** Default: the segment's name. */
    name: text(80).optional(),
    /** Default: now. */
    asOf: instant.optional()
  })
  .strict()
export type FreezeInput = Omit<z.input<typeof FreezeInput>, "rule"> & { readonly rule?: Rule | undefined }

export const SnapshotMembersInput = z
  .object({
    id: code(40),
    cursor: z.string().optional(),
    /** Default 100. */
    limit: z.number().int().min(1).max(1000).optional()
  })
  .strict()
export type SnapshotMembersInput = z.input<typeof SnapshotMembersInput>

export const ListSnapshotsInput = ListInput.extend({ segmentId: code(40).optional() }).strict()
export type ListSnapshotsInput = z.input<typeof ListSnapshotsInput>
