/**
 * The failures the CRM adds to core's `Errors` (which it reuses: `NotAuthorized`,
 * `ValidationFailed`, `VersionConflict`, `StorageError`, and those of `Customers.create` on a
 * conversion). In Effect they are in the error channel; through `createCrm` they are thrown as the
 * same classes.
 *
 * @example
 * ```ts
 * import { CrmErrors } from "@partnerkit/crm"
 *
 * const explain = (error: CrmErrors.CrmError): string => `${error._tag}: ${error.message}`
 * ```
 * @module
 */
import { Data } from "effect"

/** A reference to an account: a customer number or a prospect id. */
export type AccountKey = { readonly customerNumber: string } | { readonly prospectId: string }

const describe = (account: AccountKey) =>
  "customerNumber" in account ? `customer ${account.customerNumber}` : `prospect ${account.prospectId}`

/**
 * No such account exists in the tenant, or the actor may not see it: by the customer's
 * authorization group or by the CRM visibility rule. The two are deliberately indistinguishable.
 */
export class AccountNotFound extends Data.TaggedError("AccountNotFound")<{
  readonly tenant: string
  readonly account: AccountKey
}> {
  override get message(): string {
    return `${describe(this.account)} not found in tenant ${this.tenant}`
  }
}

/** No activity with this id exists in the tenant, or its account is hidden from the actor. */
export class ActivityNotFound extends Data.TaggedError("ActivityNotFound")<{
  readonly tenant: string
  readonly id: string
}> {
  override get message(): string {
    return `activity ${this.id} not found in tenant ${this.tenant}`
  }
}

/** The prospect was converted already (into `customerNumber`); a conversion is final. */
export class ProspectAlreadyConverted extends Data.TaggedError("ProspectAlreadyConverted")<{
  readonly id: string
  readonly customerNumber: string
}> {
  override get message(): string {
    return `prospect ${this.id} was converted into customer ${this.customerNumber} already`
  }
}

/** The activity is completed or cancelled; it cannot be completed, cancelled or rescheduled again. */
export class ActivityClosed extends Data.TaggedError("ActivityClosed")<{
  readonly id: string
  readonly status: "completed" | "cancelled"
}> {
  override get message(): string {
    return `activity ${this.id} is ${this.status} already`
  }
}

/** One problem in a CRM configuration, with the path where it is. */
export interface ConfigIssue {
  readonly path: string
  readonly message: string
}

/** The CRM configuration is invalid; every problem is listed at once. */
export class InvalidCrmConfig extends Data.TaggedError("InvalidCrmConfig")<{
  readonly issues: ReadonlyArray<ConfigIssue>
}> {
  override get message(): string {
    return `invalid CRM configuration:\n${this.issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`
  }
}

/** No ticket with this id exists in the tenant, or its customer is hidden from the actor. */
export class TicketNotFound extends Data.TaggedError("TicketNotFound")<{
  readonly tenant: string
  readonly id: string
}> {
  override get message(): string {
    return `ticket ${this.id} not found in tenant ${this.tenant}`
  }
}

/** The configured status flow does not lead from the ticket's status to the requested one. */
export class TicketTransitionInvalid extends Data.TaggedError("TicketTransitionInvalid")<{
  readonly id: string
  readonly from: string
  readonly to: string
  /** The statuses the flow allows from `from`. */
  readonly allowed: ReadonlyArray<string>
}> {
  override get message(): string {
    const allowed = this.allowed.length === 0 ? "none (final status)" : this.allowed.join(", ")
    return `ticket ${this.id} cannot move from ${this.from} to ${this.to}; allowed: ${allowed}`
  }
}

/** Every failure this package adds. */
export type CrmError =
  | AccountNotFound
  | ActivityNotFound
  | ProspectAlreadyConverted
  | ActivityClosed
  | InvalidCrmConfig
  | TicketNotFound
  | TicketTransitionInvalid
