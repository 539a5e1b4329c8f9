/**
 * Every failure partnerkit can return, one tagged error per domain failure. In Effect they are
 * in the error channel; through the Promise API they are thrown as the same classes, so both
 * `error._tag === "VersionConflict"` and `error instanceof Errors.VersionConflict` work.
 *
 * @example
 * ```ts
 * import { Errors } from "@partnerkit/core"
 *
 * const explain = (error: Errors.PartnerKitError): string =>
 *   error._tag === "ValidationFailed" ? error.messages.map((m) => m.id).join(", ") : error.message
 * ```
 * @module
 */
import { Data } from "effect"
import type { Message } from "./Messages.js"

/** One problem in a customizing object, with the path where it is. */
export interface CustomizingIssue {
  /** Dotted path, e.g. `accountGroups.0004.numberRange`. */
  readonly path: string
  readonly message: string
}

/** The customizing object is invalid; every problem is listed at once. */
export class InvalidCustomizing extends Data.TaggedError("InvalidCustomizing")<{
  readonly issues: ReadonlyArray<CustomizingIssue>
}> {
  override get message(): string {
    return `invalid customizing:\n${this.issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`
  }
}

/**
 * Input failed validation. `messages` are the blocking findings (errors, and warnings the caller
 * did not acknowledge); `all` adds the ones that did not block. Nothing was written.
 */
export class ValidationFailed extends Data.TaggedError("ValidationFailed")<{
  readonly messages: ReadonlyArray<Message>
  readonly all: ReadonlyArray<Message>
}> {
  override get message(): string {
    return `validation failed:\n${this.messages.map((m) => `  ${m.severity} ${m.id} ${m.path}: ${m.text}`).join("\n")}`
  }
}

/** No customer with this number exists in the tenant, or the actor may not see it. */
export class CustomerNotFound extends Data.TaggedError("CustomerNotFound")<{
  readonly tenant: string
  readonly number: string
}> {
  override get message(): string {
    return `customer ${this.number} not found in tenant ${this.tenant}`
  }
}

/** The customer exists but lacks the view the operation names (or the actor may not see it). */
export class ViewNotFound extends Data.TaggedError("ViewNotFound")<{
  readonly number: string
  /** `companyCode:F001` or `salesArea:1000/10/00`. */
  readonly view: string
}> {
  override get message(): string {
    return `customer ${this.number} has no view ${this.view}`
  }
}

/** A sales employee, territory or assignment change with this id does not exist in the tenant. */
export class RecordNotFound extends Data.TaggedError("RecordNotFound")<{
  readonly kind: "salesEmployee" | "territory" | "assignmentChange"
  readonly id: string
}> {
  override get message(): string {
    return `${this.kind} ${this.id} not found`
  }
}

/** The assignment change was accepted or rejected already; a decision is final. */
export class ChangeAlreadyDecided extends Data.TaggedError("ChangeAlreadyDecided")<{
  readonly id: string
  readonly status: "accepted" | "rejected"
}> {
  override get message(): string {
    return `assignment change ${this.id} was ${this.status} already`
  }
}

/** The caller's version is stale: someone changed the record in between. Nothing was written. */
export class VersionConflict extends Data.TaggedError("VersionConflict")<{
  /** Customer number, or the id of a sales employee, territory or assignment change. */
  readonly number: string
  readonly expected: number
  readonly actual: number
}> {
  override get message(): string {
    return `customer ${this.number} was changed concurrently: expected version ${this.expected}, found ${this.actual}`
  }
}

/** The customer number is already used in the tenant. */
export class CustomerNumberTaken extends Data.TaggedError("CustomerNumberTaken")<{
  readonly tenant: string
  readonly number: string
}> {
  override get message(): string {
    return `customer number ${this.number} is already taken in tenant ${this.tenant}`
  }
}

/** The number-range interval has no free number left. No number was reused. */
export class NumberRangeExhausted extends Data.TaggedError("NumberRangeExhausted")<{
  readonly tenant: string
  readonly range: string
  readonly last: string
}> {
  override get message(): string {
    return `number range ${this.range} is exhausted in tenant ${this.tenant} (last number ${this.last})`
  }
}

/** The actor lacks an authorization. `reason` says which. */
export class NotAuthorized extends Data.TaggedError("NotAuthorized")<{
  readonly reason: "tenant" | "activity" | "companyCode" | "salesOrganization" | "authorizationGroup" | "approver"
  readonly actor: string
  /** What was refused, e.g. `activity change` or `companyCode F001`. */
  readonly detail: string
}> {
  override get message(): string {
    return `${this.actor} is not authorized: ${this.detail}`
  }
}

/** The store failed (connection lost, disk full, driver error). The operation wrote nothing. */
export class StorageError extends Data.TaggedError("StorageError")<{
  readonly operation: string
  readonly cause: unknown
}> {
  override get message(): string {
    const cause = this.cause instanceof Error ? this.cause.message : String(this.cause)
    return `storage failed in ${this.operation}: ${cause}`
  }
}

/** The persisted schema is newer than this version of the store understands. */
export class SchemaTooNew extends Data.TaggedError("SchemaTooNew")<{
  readonly found: number
  readonly known: number
}> {
  override get message(): string {
    return `the database schema is at version ${this.found}, but this store only knows up to ${this.known}: upgrade the package`
  }
}

/** Reading the import source failed (a stream error, a parser error); the records read before it were processed. */
export class ImportSourceFailed extends Data.TaggedError("ImportSourceFailed")<{
  /** Records read before the failure. */
  readonly position: number
  readonly cause: unknown
}> {
  override get message(): string {
    const cause = this.cause instanceof Error ? this.cause.message : String(this.cause)
    return `reading the import source failed after ${this.position} records: ${cause}`
  }
}

/** Any error an operation of `@partnerkit/core` can fail with. */
export type PartnerKitError =
  | InvalidCustomizing
  | ValidationFailed
  | CustomerNotFound
  | ViewNotFound
  | VersionConflict
  | CustomerNumberTaken
  | NumberRangeExhausted
  | NotAuthorized
  | StorageError
  | SchemaTooNew
  | RecordNotFound
  | ChangeAlreadyDecided
  | ImportSourceFailed
