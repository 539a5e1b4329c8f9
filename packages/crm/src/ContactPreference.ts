/**
 * Contact preferences: per channel (e-mail, phone, visit, mail), whether the account — or one of
 * its contact persons (a core contact person) — agreed to be contacted, and since when. A
 * contact person's own preference wins over the account's; no preference at all is `unknown`,
 * which a campaign must treat as "do not contact" where the law asks for consent.
 *
 * @example
 * ```ts
 * import { ContactPreference } from "@partnerkit/crm"
 *
 * declare const preferences: ReadonlyArray<ContactPreference.ContactPreference>
 * const mayEmail = ContactPreference.consentFor(preferences, "email", "0001") === "granted"
 * ```
 * @module
 */
import { z } from "zod"

const code = (max: number) => z.string().trim().min(1).max(max)

export const Channel = z.enum(["email", "phone", "visit", "mail"])
export type Channel = z.infer<typeof Channel>

export const Consent = z.enum(["granted", "denied", "withdrawn"])
/** `granted`: may be contacted; `denied`: never agreed; `withdrawn`: agreed once, not any more. */
export type Consent = z.infer<typeof Consent>

export const ContactPreference = z.object({
  tenant: z.string(),
  customerNumber: z.string(),
  /** A contact person of the customer; absent for the account itself. */
  contactId: z.string().optional(),
  channel: Channel,
  consent: Consent,
  /** Since when the consent state holds (ISO 8601 date or date-time, as given). */
  since: z.string(),
  /** Where the consent was recorded, e.g. `web-form`, `signed contract`. */
  source: z.string().optional(),
  changedBy: z.string(),
  changedAt: z.string()
})
export type ContactPreference = z.infer<typeof ContactPreference>

export const SetContactPreferenceInput = z
  .object({
    customerNumber: code(16),
    contactId: code(10).optional(),
    channel: Channel,
    consent: Consent,
    /** Default: now. */
    since: z.union([z.iso.date(), z.iso.datetime({ offset: true })]).optional(),
    source: z.string().trim().min(1).max(120).optional()
  })
  .strict()
export type SetContactPreferenceInput = z.input<typeof SetContactPreferenceInput>

export const ContactPreferencesInput = z.object({ customerNumber: code(16) }).strict()
export type ContactPreferencesInput = z.input<typeof ContactPreferencesInput>

/**
 * The consent that applies for `channel`: the contact person's own preference when there is one,
 * else the account's, else `"unknown"`.
 */
export const consentFor = (preferences: ReadonlyArray<ContactPreference>, channel: Channel, contactId?: string): Consent | "unknown" => {
  const own = contactId === undefined ? undefined : preferences.find((p) => p.channel === channel && p.contactId === contactId)
  const account = preferences.find((p) => p.channel === channel && p.contactId === undefined)
  return (own ?? account)?.consent ?? "unknown"
}
