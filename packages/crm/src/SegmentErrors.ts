/**
 * The failures of segments and campaigns. In Effect they are in the error channel; through
 * `createCrm` they are thrown as the same classes.
 *
 * @example
 * ```ts
 * import { SegmentErrors } from "@partnerkit/crm"
 *
 * const explain = (error: SegmentErrors.InvalidSegmentRule): string =>
 *   error.issues.map((i) => `${i.path}: ${i.message}`).join("\n")
 * ```
 * @module
 */
import { Data } from "effect"

/** One problem in a segment rule, with its path (e.g. `rule.all.1.value`). */
export interface RuleIssue {
  readonly path: string
  readonly message: string
}

/** A segment rule is invalid; every problem is listed at once, and nothing was written. */
export class InvalidSegmentRule extends Data.TaggedError("InvalidSegmentRule")<{
  readonly issues: ReadonlyArray<RuleIssue>
}> {
  override get message(): string {
    return `invalid segment rule:\n${this.issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`
  }
}

/** No segment with this id exists in the tenant. */
export class SegmentNotFound extends Data.TaggedError("SegmentNotFound")<{
  readonly tenant: string
  readonly id: string
}> {
  override get message(): string {
    return `segment ${this.id} not found in tenant ${this.tenant}`
  }
}

/** No frozen segment (snapshot) with this id exists in the tenant. */
export class SnapshotNotFound extends Data.TaggedError("SnapshotNotFound")<{
  readonly tenant: string
  readonly id: string
}> {
  override get message(): string {
    return `segment snapshot ${this.id} not found in tenant ${this.tenant}`
  }
}

/** No campaign with this id exists in the tenant. */
export class CampaignNotFound extends Data.TaggedError("CampaignNotFound")<{
  readonly tenant: string
  readonly id: string
}> {
  override get message(): string {
    return `campaign ${this.id} not found in tenant ${this.tenant}`
  }
}

/** The account is not a member of the campaign (or is hidden from the actor). */
export class NotACampaignMember extends Data.TaggedError("NotACampaignMember")<{
  readonly campaignId: string
  readonly customerNumber: string
}> {
  override get message(): string {
    return `customer ${this.customerNumber} is not a member of campaign ${this.campaignId}`
  }
}
