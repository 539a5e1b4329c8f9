/**
 * Prospects: accounts that are not customers yet. A prospect is a CRM record (name, address,
 * contact data, contact persons, ownership) — never a customer master record. It becomes a
 * customer only through `Accounts.convertProspect`, which runs core's `Customers.create` (the
 * account group's validation, number range and change documents), and then stays as the history
 * of the account, linked to the new customer number.
 *
 * @example
 * ```ts
 * import type { Prospect } from "@partnerkit/crm"
 *
 * const input: Prospect.ProspectData = {
 *   name: "Nordlicht Logistik GmbH",
 *   city: "Hamburg",
 *   country: "DE",
 *   contacts: [{ lastName: "Berg", firstName: "Anna", email: "anna.berg@nordlicht.example" }]
 * }
 * ```
 * @module
 */
import { z } from "zod"
import { Assignment } from "./Ownership.js"

const text = (max: number) => z.string().trim().min(1).max(max)
const code = (max: number) => z.string().trim().min(1).max(max)

export const ProspectContactData = z
  .object({
    firstName: text(40).optional(),
    lastName: text(40),
    function: text(40).optional(),
    department: text(40).optional(),
    phone: text(40).optional(),
    email: text(120).optional()
  })
  .strict()
/** A contact person of a prospect; on conversion it becomes a contact person of the customer. */
export type ProspectContactData = z.infer<typeof ProspectContactData>

export const ProspectContact = ProspectContactData.extend({
  /** `0001`, `0002`, … in the order given. */
  id: z.string()
})
export type ProspectContact = z.infer<typeof ProspectContact>

export const ProspectData = z
  .object({
    name: text(80),
    name2: text(80).optional(),
    street: text(80).optional(),
    houseNumber: text(20).optional(),
    postalCode: text(20).optional(),
    city: text(60).optional(),
    region: code(10).optional(),
    country: z.string().trim().length(2).optional(),
    language: z.string().trim().length(2).optional(),
    phone: text(40).optional(),
    email: text(120).optional(),
    industry: code(10).optional(),
    notes: text(2000).optional(),
    /** Who may see the prospect (core's rule: empty means everyone of the tenant); the actor must have it. */
    authorizationGroup: code(4).optional(),
    contacts: z.array(ProspectContactData).max(100).optional()
  })
  .strict()
/** What a prospect holds before it is a customer. */
export type ProspectData = z.infer<typeof ProspectData>

export const Prospect = ProspectData.omit({ contacts: true }).extend({
  tenant: z.string(),
  /** `P` + a sortable, unique suffix; assigned on create. */
  id: z.string(),
  contacts: z.array(ProspectContact),
  ...Assignment.shape,
  status: z.enum(["open", "converted"]),
  /** Set on conversion: the customer the prospect became. */
  convertedTo: z.string().optional(),
  convertedAt: z.string().optional(),
  convertedBy: z.string().optional(),
  version: z.number().int().positive(),
  createdBy: z.string(),
  createdAt: z.string(),
  changedBy: z.string(),
  changedAt: z.string()
})
/** A prospect as stored. */
export type Prospect = z.infer<typeof Prospect>

export const CreateProspectInput = z
  .object({
    prospect: ProspectData,
    /** Default: the actor. */
    owner: code(64).optional(),
    team: code(20).optional(),
    territory: code(20).optional()
  })
  .strict()
export type CreateProspectInput = z.infer<typeof CreateProspectInput>

export const ChangeProspectInput = z
  .object({
    id: code(24),
    /** The version you read; a stale one fails with `VersionConflict`. */
    version: z.number().int().positive(),
    /** Fields to set; contacts, when given, replace the list. */
    prospect: ProspectData.partial().strict()
  })
  .strict()
export type ChangeProspectInput = z.infer<typeof ChangeProspectInput>

export const GetProspectInput = z.object({ id: code(24) }).strict()
export type GetProspectInput = z.infer<typeof GetProspectInput>

export const ListProspectsInput = z
  .object({
    status: z.enum(["open", "converted"]).optional(),
    /** Only prospects of this owner. */
    owner: code(64).optional(),
    cursor: z.string().optional(),
    /** Default 50. */
    limit: z.number().int().min(1).max(500).optional()
  })
  .strict()
export type ListProspectsInput = z.infer<typeof ListProspectsInput>
