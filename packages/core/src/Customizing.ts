/**
 * Customizing is data: the org structure, number ranges, account groups with their field status,
 * supporting value lists and message severities of one tenant, as one object validated once at
 * start. `Customizing.make` reports every problem at once, each with its path, e.g.
 * `accountGroups.0004.numberRange: unknown number range "F"`.
 *
 * Start from a preset (`Presets.standard`, `Presets.manufacturer`) and adjust it with
 * `Customizing.merge`, or write your own.
 *
 * @example
 * ```ts
 * import { Customizing, Presets } from "@partnerkit/core"
 * import { Context, Effect, Either, Layer } from "effect"
 *
 * const result = Customizing.make(
 *   Customizing.merge(Presets.standard("acme"), { messages: { POSTAL_CODE_PLACEHOLDER: "error" } })
 * )
 * if (Either.isLeft(result)) console.error(result.left.message)
 * ```
 * @module
 */
import { Context, Effect, Either, Layer } from "effect"
import { z } from "zod"
import { CompanyCodeData, ContactData, GeneralData, parseSalesAreaKey, SalesAreaData } from "./Customer.js"
import { InvalidCustomizing, type CustomizingIssue } from "./Errors.js"
import { catalog, SeverityOverrides, type MessageId } from "./Messages.js"
import { DataQualityConfig } from "./Standardisation.js"

const codeKey = z.string().min(1).max(20)
const named = z.object({ name: z.string().min(1) })

export const FieldStatus = z.enum(["required", "optional", "suppressed", "displayOnly"])
/** SAP field status: required entry, optional entry, suppressed (hidden, must stay empty), display only. */
export type FieldStatus = z.infer<typeof FieldStatus>

export const PatternSegment = z.discriminatedUnion("kind", [
  /** A fixed text, e.g. `"2"` at position 1. */
  z.object({ kind: z.literal("fixed"), value: z.string().min(1) }).strict(),
  /** Must equal the last `length` characters of one of the customer's company codes or sales organisations. */
  z
    .object({
      kind: z.literal("orgUnit"),
      unit: z.enum(["companyCode", "salesOrganization"]),
      length: z.number().int().min(1).max(4)
    })
    .strict(),
  /** One of a list of codes, e.g. liaison offices or responsibility centres. */
  z
    .object({
      kind: z.literal("list"),
      label: z.string().min(1),
      values: z.array(z.string().min(1)).min(1)
    })
    .strict(),
  /** A running sequence of digits. */
  z.object({ kind: z.literal("sequence"), length: z.number().int().min(1).max(18) }).strict()
])
export type PatternSegment = z.infer<typeof PatternSegment>

export const NumberRange = z
  .object({
    /** `internal`: partnerkit draws the next number. `external`: the caller supplies it. */
    kind: z.enum(["internal", "external"]),
    /** Alphanumeric text in front of the digits, e.g. `C` for `C0001`–`C9999`. */
    prefix: z
      .string()
      .regex(/^[A-Z0-9]*$/, "prefix must be upper-case letters and digits")
      .default(""),
    /** Digits after the prefix; numbers are zero-padded to this width. */
    digits: z.number().int().min(1).max(15),
    from: z.number().int().nonnegative(),
    to: z.number().int().nonnegative(),
    /** For external ranges: a positional rule the number must follow (domain.md §4). */
    pattern: z.array(PatternSegment).min(1).optional(),
    /**
     * Internal ranges only. Absent: gap-free — the number is drawn inside the create's
     * transaction, so a failed create returns it. A number `n`: buffered (SAP: number-range
     * buffering) — each process reserves blocks of `n` numbers and hands them out from memory;
     * much faster under load, but numbers left in a block when the process ends are lost (gaps),
     * and numbers are not in creation order across processes.
     */
    buffer: z.number().int().min(2).max(100_000).optional()
  })
  .strict()
/** A number-range interval, e.g. `{ kind: "internal", prefix: "C", digits: 4, from: 1, to: 9999 }` for `C0001`–`C9999`. */
export type NumberRange = z.infer<typeof NumberRange>
export type NumberRangeInput = z.input<typeof NumberRange>

const fieldStatusOf = <K extends z.core.$ZodRecordKey>(keys: K) => z.partialRecord(keys, FieldStatus)

export const BlockKind = z.enum(["order", "delivery", "billing"])
export type BlockKind = z.infer<typeof BlockKind>

export const PartnerFunction = z
  .object({
    name: z.string().min(1),
    /** What fills the function: another customer (or the customer itself), one of the customer's contact persons, or a sales employee. */
    kind: z.enum(["customer", "contactPerson", "salesEmployee"]),
    /** Sales blocks that make a partner unusable in this function, e.g. `["delivery"]` for the ship-to. Central blocks always do. */
    blockedBy: z.array(BlockKind).default([])
  })
  .strict()
/** A partner function (SAP: PARVW), e.g. `SH` ship-to. */
export type PartnerFunction = z.infer<typeof PartnerFunction>

export const ProcedureEntry = z
  .object({
    /** Every sales area of the customer must have a partner for this function. */
    mandatory: z.boolean().default(false),
    /** At most one partner (else several, one of them the default). */
    unique: z.boolean().default(false),
    /** Whether the partners may be changed once set. */
    changeable: z.boolean().default(true),
    /** Account groups whose customers may fill the function; all when absent. */
    accountGroups: z.array(codeKey).optional(),
    /** On create (and extend), fill the function with the customer itself, unless the caller gives partners for it. */
    self: z.boolean().default(false)
  })
  .strict()
export type ProcedureEntry = z.infer<typeof ProcedureEntry>

export const PartnerProcedure = z
  .object({
    name: z.string().min(1),
    /** The functions allowed in this procedure, by function code. */
    functions: z.record(codeKey, ProcedureEntry)
  })
  .strict()
/** A partner-determination procedure (SAP: partner determination procedure of the customer master). */
export type PartnerProcedure = z.infer<typeof PartnerProcedure>

export const PartnerRules = z
  .object({
    /** Pairs of functions whose default partners must be the same party, e.g. `[["BP", "PY"]]`: bill-to must equal payer. Message `PARTNER_FUNCTIONS_DIFFER`. */
    samePartner: z.array(z.tuple([codeKey, codeKey])).default([])
  })
  .strict()
export type PartnerRules = z.infer<typeof PartnerRules>

/**
 * The standard partner functions with SAP's English codes: `SP` sold-to, `SH` ship-to, `BP`
 * bill-to, `PY` payer, `CP` contact person, `ER` sales employee (employee responsible).
 */
export const standardPartnerFunctions = (): Record<string, z.input<typeof PartnerFunction>> => ({
  SP: { name: "Sold-to party", kind: "customer", blockedBy: ["order"] },
  SH: { name: "Ship-to party", kind: "customer", blockedBy: ["delivery"] },
  BP: { name: "Bill-to party", kind: "customer", blockedBy: ["billing"] },
  PY: { name: "Payer", kind: "customer", blockedBy: ["billing"] },
  CP: { name: "Contact person", kind: "contactPerson" },
  ER: { name: "Sales employee", kind: "salesEmployee" }
})

const defaultOneTimeAddress = { name: "required", postalCode: "required", city: "required", country: "required" } as const

export const AccountGroup = z
  .object({
    name: z.string().min(1),
    numberRange: codeKey,
    /** The partner-determination procedure; without one, the group's customers have no partner functions. */
    partnerProcedure: codeKey.optional(),
    /** For one-time groups: field status of the buyer's name and address that travel with each document. */
    oneTimeAddress: fieldStatusOf(GeneralData.keyof()).default(defaultOneTimeAddress),
    /** One-time account (SAP: CPD): one record serves many occasional buyers. */
    oneTime: z.boolean().default(false),
    /** Whether customers of this group may have company-code views (a ship-to usually has none). */
    companyCodeViews: z.boolean().default(true),
    salesAreaViews: z.boolean().default(true),
    /** Field status per view and field; a field not named is optional. */
    fieldStatus: z
      .object({
        general: fieldStatusOf(GeneralData.keyof()).default({}),
        companyCode: fieldStatusOf(CompanyCodeData.keyof()).default({}),
        salesArea: fieldStatusOf(SalesAreaData.keyof()).default({}),
        contact: fieldStatusOf(ContactData.keyof()).default({})
      })
      .strict()
      .default({ general: {}, companyCode: {}, salesArea: {}, contact: {} })
  })
  .strict()
export type AccountGroup = z.infer<typeof AccountGroup>
export type AccountGroupInput = z.input<typeof AccountGroup>

/** Value lists that sales-area and company-code fields refer to. A list that is given is enforced. */
export const ValueLists = z
  .object({
    customerGroups: z.record(codeKey, z.string()),
    paymentTerms: z.record(codeKey, z.string()),
    incoterms: z.record(codeKey, z.string()),
    currencies: z.record(codeKey, z.string()),
    shippingConditions: z.record(codeKey, z.string()),
    deliveringPlants: z.record(codeKey, z.string()),
    salesOffices: z.record(codeKey, z.string()),
    salesGroups: z.record(codeKey, z.string()),
    salesDistricts: z.record(codeKey, z.string()),
    reconciliationAccounts: z.record(codeKey, z.string()),
    creditControlAreas: z.record(codeKey, z.string()),
    authorizationGroups: z.record(codeKey, z.string()),
    industries: z.record(codeKey, z.string()),
    regions: z.record(codeKey, z.string())
  })
  .partial()
  .strict()
export type ValueLists = z.infer<typeof ValueLists>
export type ValueListName = keyof ValueLists

/** Which value list each field is checked against, when that list is given. */
export const fieldLists = {
  general: { industry: "industries", authorizationGroup: "authorizationGroups", region: "regions" },
  companyCode: {
    paymentTerms: "paymentTerms",
    reconciliationAccount: "reconciliationAccounts",
    authorizationGroup: "authorizationGroups"
  },
  salesArea: {
    customerGroup: "customerGroups",
    paymentTerms: "paymentTerms",
    incoterms: "incoterms",
    currency: "currencies",
    shippingConditions: "shippingConditions",
    deliveringPlant: "deliveringPlants",
    salesOffice: "salesOffices",
    salesGroup: "salesGroups",
    salesDistrict: "salesDistricts",
    creditControlArea: "creditControlAreas",
    authorizationGroup: "authorizationGroups"
  }
} as const satisfies Record<"general" | "companyCode" | "salesArea", Partial<Record<string, ValueListName>>>

export const Org = z
  .object({
    companyCodes: z.record(codeKey, named.extend({ country: z.string().length(2).optional() }).strict()),
    salesOrganizations: z.record(codeKey, named.extend({ companyCode: codeKey }).strict()),
    distributionChannels: z.record(codeKey, named.strict()),
    divisions: z.record(codeKey, named.strict()),
    /** Valid sales areas as keys `salesOrganization/distributionChannel/division`. */
    salesAreas: z.array(z.string())
  })
  .strict()
export type Org = z.infer<typeof Org>

export const CustomizingSchema = z
  .object({
    tenant: z.string().min(1).max(64),
    org: Org,
    numberRanges: z.record(codeKey, NumberRange),
    accountGroups: z.record(codeKey, AccountGroup),
    lists: ValueLists.default({}),
    /** Partner functions by code; the standard six when absent. */
    partnerFunctions: z.record(codeKey, PartnerFunction).prefault(standardPartnerFunctions),
    partnerProcedures: z.record(codeKey, PartnerProcedure).default({}),
    partnerRules: PartnerRules.default({ samePartner: [] }),
    /** The S/4HANA business-partner view; optional — ECC-style installations leave it out. */
    businessPartner: z
      .object({
        groupings: z.record(
          codeKey,
          z
            .object({
              name: z.string().min(1),
              /** The customer account group (and so the customer number range) behind the grouping. */
              accountGroup: codeKey,
              /** Categories the grouping allows; all when absent. */
              categories: z.array(z.enum(["person", "organization", "group"])).min(1).optional(),
              /** A business-partner number range of its own; absent: the BP number is the customer number. */
              numberRange: codeKey.optional()
            })
            .strict()
        )
      })
      .strict()
      .optional(),
    /** Severity per message id for this installation; ids not named keep the catalog default. */
    messages: SeverityOverrides.default({}),
    /**
     * Standardisation on save and the duplicate check: legal-form lists, weights, thresholds,
     * blocking limits (see `Standardisation.DataQualityConfig` and `docs/guides/data-quality.md`).
     * Absent: the defaults.
     */
    dataQuality: DataQualityConfig.prefault({})
  })
  .strict()

/** A validated customizing object. Build it with `make` or `load`; never mutate it. */
export type Customizing = z.infer<typeof CustomizingSchema>
/** What you write: defaults (e.g. `oneTime: false`) may be left out. */
export type CustomizingInput = z.input<typeof CustomizingSchema>

// ---------------------------------------------------------------------------------------------
// Number-range helpers
// ---------------------------------------------------------------------------------------------

/** Formats a position of the range as a customer number: `format(C, 7)` is `C0007`. */
export const formatNumber = (range: Pick<NumberRange, "prefix" | "digits">, value: number): string =>
  `${range.prefix}${String(value).padStart(range.digits, "0")}`

/** The numeric position of `number` in `range`, or `undefined` when it cannot belong to it. */
export const positionOf = (range: Pick<NumberRange, "prefix" | "digits">, number: string): number | undefined => {
  if (number.length !== range.prefix.length + range.digits || !number.startsWith(range.prefix)) return undefined
  const digits = number.slice(range.prefix.length)
  return /^\d+$/.test(digits) ? Number(digits) : undefined
}

/** `C0001–C9999` */
export const describeInterval = (range: NumberRange): string =>
  `${formatNumber(range, range.from)}–${formatNumber(range, range.to)}`

/** Do two intervals share any customer number? Compares them as sets of strings, so `C0001–C9999` overlaps `C0`+`001–999`. */
const overlaps = (a: NumberRange, b: NumberRange): boolean => {
  if (a.prefix.length + a.digits !== b.prefix.length + b.digits) return false
  const [short, long] = a.prefix.length <= b.prefix.length ? [a, b] : [b, a]
  if (!long.prefix.startsWith(short.prefix)) return false
  const extra = long.prefix.slice(short.prefix.length)
  if (!/^\d*$/.test(extra)) return false
  // The long range's numbers, seen as positions of the short range.
  const offset = extra.length === 0 ? 0 : Number(extra) * 10 ** long.digits
  const lo = offset + long.from
  const hi = offset + long.to
  return lo <= short.to && short.from <= hi
}

const patternLength = (pattern: ReadonlyArray<PatternSegment>): number =>
  pattern.reduce((n, s) => {
    switch (s.kind) {
      case "fixed":
        return n + s.value.length
      case "list":
        return n + (s.values[0]?.length ?? 0)
      case "orgUnit":
      case "sequence":
        return n + s.length
    }
  }, 0)

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

const zodIssues = (error: z.ZodError): Array<CustomizingIssue> =>
  error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message }))

const semanticIssues = (c: Customizing): Array<CustomizingIssue> => {
  const issues: Array<CustomizingIssue> = []
  const add = (path: string, message: string) => issues.push({ path, message })

  for (const [code, org] of Object.entries(c.org.salesOrganizations)) {
    if (!(org.companyCode in c.org.companyCodes)) {
      add(`org.salesOrganizations.${code}.companyCode`, `unknown company code "${org.companyCode}"`)
    }
  }
  const seenAreas = new Set<string>()
  c.org.salesAreas.forEach((key, i) => {
    const area = parseSalesAreaKey(key)
    if (area === undefined) return add(`org.salesAreas.${i}`, `"${key}" is not of the form salesOrganization/channel/division`)
    if (seenAreas.has(key)) add(`org.salesAreas.${i}`, `sales area "${key}" is listed twice`)
    seenAreas.add(key)
    if (!(area.salesOrganization in c.org.salesOrganizations)) add(`org.salesAreas.${i}`, `unknown sales organisation "${area.salesOrganization}"`)
    if (!(area.distributionChannel in c.org.distributionChannels)) add(`org.salesAreas.${i}`, `unknown distribution channel "${area.distributionChannel}"`)
    if (!(area.division in c.org.divisions)) add(`org.salesAreas.${i}`, `unknown division "${area.division}"`)
  })

  const ranges = Object.entries(c.numberRanges)
  for (const [id, range] of ranges) {
    const path = `numberRanges.${id}`
    if (range.from > range.to) add(`${path}.from`, `from ${range.from} is greater than to ${range.to}`)
    if (range.to >= 10 ** range.digits) add(`${path}.to`, `${range.to} does not fit in ${range.digits} digits`)
    if (range.buffer !== undefined && range.kind === "external") add(`${path}.buffer`, "only internal ranges can be buffered")
    if (range.pattern !== undefined) {
      if (range.kind === "internal") add(`${path}.pattern`, "a pattern is only for external ranges")
      const length = patternLength(range.pattern)
      if (length !== range.prefix.length + range.digits) {
        add(`${path}.pattern`, `the pattern is ${length} characters long, the numbers ${range.prefix.length + range.digits}`)
      }
      range.pattern.forEach((s, i) => {
        if (s.kind === "list" && new Set(s.values.map((v) => v.length)).size > 1) {
          add(`${path}.pattern.${i}.values`, "all values of a list segment must have the same length")
        }
      })
    }
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [idA, a] = ranges[i]!
      const [idB, b] = ranges[j]!
      if (overlaps(a, b)) add(`numberRanges.${idB}`, `interval ${describeInterval(b)} overlaps range "${idA}" (${describeInterval(a)})`)
    }
  }

  for (const [id, group] of Object.entries(c.accountGroups)) {
    if (!(group.numberRange in c.numberRanges)) add(`accountGroups.${id}.numberRange`, `unknown number range "${group.numberRange}"`)
    if (!group.companyCodeViews && Object.values(group.fieldStatus.companyCode).includes("required")) {
      add(`accountGroups.${id}.fieldStatus.companyCode`, "company-code fields are required but company-code views are not allowed")
    }
    if (!group.salesAreaViews && Object.values(group.fieldStatus.salesArea).includes("required")) {
      add(`accountGroups.${id}.fieldStatus.salesArea`, "sales-area fields are required but sales-area views are not allowed")
    }
    if (group.fieldStatus.general.name !== undefined && group.fieldStatus.general.name !== "required") {
      add(`accountGroups.${id}.fieldStatus.general.name`, "the name is always required")
    }
    if (group.fieldStatus.contact.lastName !== undefined && group.fieldStatus.contact.lastName !== "required") {
      add(`accountGroups.${id}.fieldStatus.contact.lastName`, "a contact person's last name is always required")
    }
  }

  for (const [id, procedure] of Object.entries(c.partnerProcedures)) {
    for (const [fn, entry] of Object.entries(procedure.functions)) {
      const path = `partnerProcedures.${id}.functions.${fn}`
      const definition = c.partnerFunctions[fn]
      if (definition === undefined) add(path, `unknown partner function "${fn}"`)
      entry.accountGroups?.forEach((g, i) => {
        if (!(g in c.accountGroups)) add(`${path}.accountGroups.${i}`, `unknown account group "${g}"`)
      })
      if (entry.self && definition !== undefined && definition.kind !== "customer") {
        add(`${path}.self`, `only customer functions can be filled with the customer itself, and ${fn} is filled by a ${definition.kind}`)
      }
      if (entry.self) {
        for (const [groupId, group] of Object.entries(c.accountGroups)) {
          if (group.partnerProcedure === id && entry.accountGroups !== undefined && !entry.accountGroups.includes(groupId)) {
            add(`${path}.self`, `account group ${groupId} uses this procedure but may not fill ${fn} itself`)
          }
        }
      }
    }
  }
  for (const [id, group] of Object.entries(c.accountGroups)) {
    if (group.partnerProcedure !== undefined && !(group.partnerProcedure in c.partnerProcedures)) {
      add(`accountGroups.${id}.partnerProcedure`, `unknown partner procedure "${group.partnerProcedure}"`)
    }
  }
  c.partnerRules.samePartner.forEach((pair, i) => {
    pair.forEach((fn, j) => {
      if (!(fn in c.partnerFunctions)) add(`partnerRules.samePartner.${i}.${j}`, `unknown partner function "${fn}"`)
      else if (c.partnerFunctions[fn]!.kind !== "customer") add(`partnerRules.samePartner.${i}.${j}`, `${fn} is not filled by a customer`)
    })
  })

  for (const [id, grouping] of Object.entries(c.businessPartner?.groupings ?? {})) {
    const path = `businessPartner.groupings.${id}`
    if (!(grouping.accountGroup in c.accountGroups)) add(`${path}.accountGroup`, `unknown account group "${grouping.accountGroup}"`)
    if (grouping.numberRange !== undefined) {
      const range = c.numberRanges[grouping.numberRange]
      if (range === undefined) add(`${path}.numberRange`, `unknown number range "${grouping.numberRange}"`)
      else if (range.kind !== "internal") add(`${path}.numberRange`, "a business-partner number range must be internal")
      else if (Object.values(c.accountGroups).some((g) => g.numberRange === grouping.numberRange)) {
        add(`${path}.numberRange`, `range "${grouping.numberRange}" also numbers customers; give business partners a range of their own`)
      }
    }
  }

  for (const [id, severity] of Object.entries(c.messages)) {
    if (catalog[id as MessageId].fixed && severity !== "error") {
      add(`messages.${id}`, `${id} is always an error; its severity cannot be set to "${severity}"`)
    }
  }
  return issues
}

/**
 * Validates a customizing object. Returns every problem at once: first the structural ones
 * (wrong types, unknown keys), then, when the structure is sound, the semantic ones (unknown
 * references, overlapping intervals, fixed message severities lowered).
 */
export const make = (input: unknown): Either.Either<Customizing, InvalidCustomizing> => {
  const parsed = CustomizingSchema.safeParse(input)
  if (!parsed.success) return Either.left(new InvalidCustomizing({ issues: zodIssues(parsed.error) }))
  const issues = semanticIssues(parsed.data)
  return issues.length > 0 ? Either.left(new InvalidCustomizing({ issues })) : Either.right(Object.freeze(parsed.data))
}

/** Like `make`, but throws `InvalidCustomizing` (for scripts and the Promise API). */
export const makeOrThrow = (input: unknown): Customizing => Either.getOrThrowWith(make(input), (e) => e)

type DeepPartial<T> = T extends ReadonlyArray<unknown> ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T

/**
 * Deep-merges `patch` over `base`: objects merge key by key, arrays and scalars replace, and a key
 * set to `undefined` is left as it is. Use it to adjust a preset; validate the result with `make`.
 */
export const merge = (base: CustomizingInput, patch: DeepPartial<CustomizingInput>): CustomizingInput =>
  mergeDeep(base, patch) as CustomizingInput

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v)

const mergeDeep = (base: unknown, patch: unknown): unknown => {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(patch)) out[k] = mergeDeep(base[k], v)
  return out
}

/** The customizing the services run with. */
export class Current extends Context.Tag("@partnerkit/core/Customizing")<Current, Customizing>() {}

/** A layer providing `Current` from raw input; fails with `InvalidCustomizing`. */
export const layer = (input: unknown): Layer.Layer<Current, InvalidCustomizing> =>
  Layer.effect(Current, Effect.suspend(() => make(input)))
