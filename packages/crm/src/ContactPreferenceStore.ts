/**
 * The storage port for contact preferences.
 *
 * Semantics:
 * - All reads and writes are scoped by `tenant`.
 * - `put` stores the preference under (tenant, customer number, contact id or none, channel),
 *   replacing the one stored under the same key: the last write wins. An account-level preference
 *   (no `contactId`) and a contact person's are different keys.
 * - `list` returns every preference of one customer: the account's own first, then by contact id,
 *   each by channel (plain code-unit order); an empty list when there are none. It applies no
 *   visibility: the services check the account first.
 * - Inside `StoreTransaction.withTransaction` every operation is part of that transaction.
 *
 * @module
 */
import type { Errors } from "@partnerkit/core"
import { Context, type Effect } from "effect"
import type { ContactPreference } from "./ContactPreference.js"

export interface ContactPreferenceStoreShape {
  readonly put: (preference: ContactPreference) => Effect.Effect<void, Errors.StorageError>
  readonly list: (tenant: string, customerNumber: string) => Effect.Effect<ReadonlyArray<ContactPreference>, Errors.StorageError>
}

/** The contact-preference port. */
export class ContactPreferenceStore extends Context.Tag("@partnerkit/crm/ContactPreferenceStore")<
  ContactPreferenceStore,
  ContactPreferenceStoreShape
>() {}

/** The order `list` promises: account first, then by contact id, then by channel. */
export const compareContactPreferences = (a: ContactPreference, b: ContactPreference): number => {
  const x = a.contactId ?? ""
  const y = b.contactId ?? ""
  if (x !== y) return x < y ? -1 : 1
  return a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0
}
