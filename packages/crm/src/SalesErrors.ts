/**
 * The failures of leads and opportunities (next to `CrmErrors` and core's `Errors`, which they
 * reuse: `NotAuthorized`, `ValidationFailed`, `VersionConflict`, `StorageError`). In Effect they
 * are in the error channel; through `createCrm` they are thrown as the same classes.
 *
 * @example
 * ```ts
 * import { SalesErrors } from "@partnerkit/crm"
 *
 * const explain = (error: SalesErrors.SalesError): string =>
 *   error._tag === "StageRequirementsMissing" ? `fill in ${error.missing.join(", ")} first` : error.message
 * ```
 * @module
 */
import { Data } from "effect"

/** No lead with this id exists in the tenant, or the actor may not see it (the two are indistinguishable). */
export class LeadNotFound extends Data.TaggedError("LeadNotFound")<{
  readonly tenant: string
  readonly id: string
}> {
  override get message(): string {
    return `lead ${this.id} not found in tenant ${this.tenant}`
  }
}

/** No opportunity with this id exists in the tenant, or its account is hidden from the actor. */
export class OpportunityNotFound extends Data.TaggedError("OpportunityNotFound")<{
  readonly tenant: string
  readonly id: string
}> {
  override get message(): string {
    return `opportunity ${this.id} not found in tenant ${this.tenant}`
  }
}

/**
 * The status flow does not allow this step: a lead goes new → working → qualified or
 * disqualified (and back to working), is converted only when qualified, and a converted lead is
 * final; a won or lost opportunity changes only by `reopen`.
 */
export class StatusTransitionNotAllowed extends Data.TaggedError("StatusTransitionNotAllowed")<{
  readonly entity: "lead" | "opportunity"
  readonly id: string
  readonly from: string
  readonly to: string
}> {
  override get message(): string {
    return `${this.entity} ${this.id}: ${this.from} → ${this.to} is not allowed`
  }
}

/** The opportunity lacks fields the stage requires (`SalesConfig.Stage.requires`); nothing was written. */
export class StageRequirementsMissing extends Data.TaggedError("StageRequirementsMissing")<{
  readonly id: string
  readonly stage: string
  readonly missing: ReadonlyArray<string>
}> {
  override get message(): string {
    return `opportunity ${this.id} cannot enter stage ${this.stage}: missing ${this.missing.join(", ")}`
  }
}

/** The opportunity is won or lost: only `reopen` changes it. */
export class OpportunityClosed extends Data.TaggedError("OpportunityClosed")<{
  readonly id: string
  readonly status: "won" | "lost"
}> {
  override get message(): string {
    return `opportunity ${this.id} is ${this.status}; reopen it to change it`
  }
}

/** Every failure leads and opportunities add. */
export type SalesError = LeadNotFound | OpportunityNotFound | StatusTransitionNotAllowed | StageRequirementsMissing | OpportunityClosed
