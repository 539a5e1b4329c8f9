/**
 * The message catalog: every check partnerkit makes has a stable id, a default severity and a
 * text. An installation sets the severity of each id in its customizing (`messages`), so the same
 * check can stop a create in one company and only warn in another (SAP: configurable system
 * messages).
 *
 * Severities: `error` always stops the operation; `warning` stops it until the caller
 * acknowledges that message id (`acknowledge: ["POSTAL_CODE_PLACEHOLDER"]`); `info` never stops
 * it; `off` drops the finding.
 *
 * @example
 * ```ts
 * import { Messages } from "@partnerkit/core"
 *
 * const severity: Messages.Severity = Messages.catalog.POSTAL_CODE_PLACEHOLDER.severity // "warning"
 * ```
 * @module
 */
import { z } from "zod"

export const Severity = z.enum(["error", "warning", "info", "off"])
/** How much a finding matters in this installation. */
export type Severity = z.infer<typeof Severity>

/** A message id's default severity, whether it is fixed, and its text. */
export interface CatalogEntry {
  /** Severity when the customizing does not set one. */
  readonly severity: Severity
  /**
   * A fixed message is always an error: the customizing may not lower it, because the data
   * would be unusable or unsafe (an unknown company code, a number outside its interval).
   */
  readonly fixed: boolean
  /** Text with `{placeholders}` filled from the message's params. */
  readonly text: string
}

const entry = (severity: Severity, text: string, fixed = false): CatalogEntry => ({ severity, fixed, text })

/** Every message id partnerkit can raise, with its default severity and text. */
export const catalog = {
  INPUT_INVALID: entry("error", "{detail}", true),
  FIELD_REQUIRED: entry("error", "{field} is required for account group {accountGroup}"),
  FIELD_SUPPRESSED: entry("error", "{field} is suppressed for account group {accountGroup} and must stay empty"),
  FIELD_NOT_CHANGEABLE: entry("error", "{field} is display-only for account group {accountGroup}"),
  COUNTRY_INVALID: entry("error", 'country "{value}" is not an ISO 3166-1 alpha-2 code', true),
  POSTAL_CODE_INVALID: entry("error", 'postal code "{value}" is not valid for country {country}'),
  POSTAL_CODE_PLACEHOLDER: entry("warning", 'postal code "{value}" looks like a placeholder; enter the real one'),
  PHONE_INVALID: entry("error", 'phone number "{value}" is not valid for country {country}'),
  EMAIL_INVALID: entry("error", 'e-mail address "{value}" is not valid'),
  LANGUAGE_INVALID: entry("error", 'language "{value}" is not an ISO 639-1 code'),
  VALUE_NOT_IN_LIST: entry("error", '{field} "{value}" is not in the customizing list {list}', true),
  NUMBER_REQUIRED: entry("error", "account group {accountGroup} uses external numbering: supply a customer number", true),
  NUMBER_NOT_ALLOWED: entry("error", "account group {accountGroup} uses internal numbering: do not supply a customer number", true),
  NUMBER_OUT_OF_RANGE: entry("error", 'customer number "{value}" is outside number range {range} ({interval})', true),
  NUMBER_PATTERN_MISMATCH: entry("error", 'customer number "{value}" does not match the pattern of range {range}: {detail}', true),
  NUMBER_TAKEN: entry("error", 'customer number "{value}" is already taken', true),
  NUMBER_RANGE_EXHAUSTED: entry("error", "number range {range} is exhausted", true),
  RECORD_NOT_AUTHORIZED: entry("error", "not authorized: {detail}", true),
  IMPORT_KEY_REPEATED: entry("error", 'key "{key}" appears more than once in the same batch of the source', true),
  VIEW_NOT_ALLOWED: entry("error", "account group {accountGroup} does not allow {view} views", true),
  VIEW_UNKNOWN_ORG_UNIT: entry("error", "{view} {value} is not defined in the customizing", true),
  VIEW_EXISTS: entry("error", "the customer already has the {view} view {value}", true),
  VIEW_DUPLICATED: entry("error", "the {view} view {value} is given more than once", true),
  PARTNER_FUNCTION_UNKNOWN: entry("error", 'partner function "{function}" is not in the customizing', true),
  PARTNER_FUNCTION_NOT_ALLOWED: entry("error", "partner function {function} is not in the partner procedure of account group {accountGroup}", true),
  PARTNER_MISSING: entry("error", "partner function {function} is mandatory for account group {accountGroup} in sales area {salesArea}"),
  PARTNER_NOT_UNIQUE: entry("error", "partner function {function} allows only one partner", true),
  PARTNER_DUPLICATED: entry("error", "{partner} is assigned to partner function {function} twice", true),
  PARTNER_DEFAULT_INVALID: entry("error", "partner function {function} has {count} defaults; mark exactly one of its partners as default", true),
  PARTNER_NOT_FOUND: entry("error", "{kind} {partner} for partner function {function} does not exist", true),
  PARTNER_ACCOUNT_GROUP_NOT_ALLOWED: entry("error", "{partner} of account group {partnerGroup} may not be {function} (allowed: {allowed})"),
  PARTNER_NOT_CHANGEABLE: entry("error", "partner function {function} cannot be changed once set"),
  PARTNER_BLOCKED: entry("error", "{partner} is blocked ({detail}) and may not be assigned as {function}"),
  PARTNER_NOT_IN_SALES_AREA: entry("error", "{partner} is not extended to sales area {salesArea} and may not be {function} there"),
  PARTNER_FUNCTIONS_DIFFER: entry("error", "{first} ({firstPartner}) and {second} ({secondPartner}) must be the same party"),
  BP_ROLE_DATA_MISSING: entry("error", "role {role} needs {needs}", true),
  BP_CATEGORY_NOT_ALLOWED: entry("error", 'grouping {grouping} does not allow category "{category}"', true),
  ONE_TIME_ADDRESS_REQUIRED: entry("error", "{number} is a one-time account: the buyer's name and address must come with the document", true),
  // Data quality: standardisation (Standardisation.ts) and the duplicate check (DuplicateCheck.ts)
  VALUE_STANDARDISED: entry("off", '{field} "{from}" was standardised to "{to}"'),
  NAME_PLACEHOLDER: entry("warning", '{field} "{value}" looks like a placeholder or test entry; enter the real name'),
  PHONE_PLACEHOLDER: entry("warning", '{field} "{value}" looks like a placeholder; enter the real number'),
  EMAIL_PLACEHOLDER: entry("warning", 'e-mail address "{value}" looks like a placeholder; enter the real one'),
  REGION_INVALID: entry("error", 'region "{value}" is not a subdivision of country {country}'),
  TAX_NUMBER_INVALID: entry("error", '{kind} tax number "{value}" is not valid: {detail}'),
  IBAN_INVALID: entry("error", 'IBAN "{value}" is not valid: {detail}'),
  // "info" by default: reported with the created customer, never blocking; an installation makes it
  // "warning" (the caller confirms by acknowledging it) or "error" (refused, nothing written).
  DUPLICATE_SUSPECTED: entry("info", "possible duplicate of customer {number} ({name}), score {score}: {reason}"),
  DUPLICATE_OUTSIDE_AUTHORIZATION: entry("info", "a possible duplicate exists outside your authorization")
} as const satisfies Record<string, CatalogEntry>

/** A stable message id, e.g. `"POSTAL_CODE_PLACEHOLDER"`. */
export type MessageId = keyof typeof catalog

export const MessageId = z.enum(Object.keys(catalog) as [MessageId, ...MessageId[]])

/** Severity overrides of an installation, by message id. */
export const SeverityOverrides = z.partialRecord(MessageId, Severity)
export type SeverityOverrides = z.infer<typeof SeverityOverrides>

export const Message = z.object({
  id: MessageId,
  severity: Severity.exclude(["off"]),
  /** Where the finding is, e.g. `general.postalCode` or `salesAreas.1000/10/00.currency`. */
  path: z.string(),
  text: z.string(),
  params: z.record(z.string(), z.string())
})
/** One finding of a check. */
export type Message = z.infer<typeof Message>

/** Resolves severities with an installation's overrides. */
export interface MessageFactory {
  /** The finding as a message, or `undefined` when its severity is `off` in this installation. */
  readonly make: (id: MessageId, path: string, params?: Record<string, string>) => Message | undefined
}

/**
 * The severity of `id` in an installation: its override, else the catalog's default. `off`
 * means the finding is never reported, so a check that only produces it can be skipped.
 *
 * @example
 * ```ts
 * import { Messages } from "@partnerkit/core"
 *
 * Messages.severityOf({ DUPLICATE_SUSPECTED: "off" }, "DUPLICATE_SUSPECTED") // "off"
 * Messages.severityOf({}, "DUPLICATE_SUSPECTED") // "info" (the default)
 * ```
 */
export const severityOf = (overrides: SeverityOverrides, id: MessageId): Severity => overrides[id] ?? catalog[id].severity

/** A factory that applies `overrides` over the catalog's defaults. */
export const factory = (overrides: SeverityOverrides = {}): MessageFactory => ({
  make: (id, path, params = {}) => {
    const severity = severityOf(overrides, id)
    if (severity === "off") return undefined
    const text = catalog[id].text.replace(/\{(\w+)\}/g, (_, key: string) => params[key] ?? `{${key}}`)
    return { id, severity, path, text, params }
  }
})

/**
 * The messages that stop an operation: every error, and every warning whose id the caller did
 * not acknowledge.
 */
export const blocking = (messages: ReadonlyArray<Message>, acknowledged: ReadonlyArray<MessageId> = []): Array<Message> =>
  messages.filter((m) => m.severity === "error" || (m.severity === "warning" && !acknowledged.includes(m.id)))

/** Renders messages one per line: `error POSTAL_CODE_INVALID general.postalCode: ...`. */
export const format = (messages: ReadonlyArray<Message>): string =>
  messages.map((m) => `${m.severity} ${m.id} ${m.path}: ${m.text}`).join("\n")
