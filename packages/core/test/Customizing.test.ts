import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { Customizing, Presets } from "@partnerkit/core"

const issuesOf = (input: unknown) => {
  const result = Customizing.make(input)
  return Either.isLeft(result) ? result.left.issues.map((i) => `${i.path}: ${i.message}`) : []
}

describe("Customizing.make", () => {
  it("accepts both presets and fills defaults", () => {
    for (const preset of [Presets.standard("t"), Presets.manufacturer("t")]) {
      const c = Customizing.makeOrThrow(preset)
      expect(c.tenant).toBe("t")
      for (const group of Object.values(c.accountGroups)) expect(group.numberRange in c.numberRanges).toBe(true)
    }
    const standard = Customizing.makeOrThrow(Presets.standard("t"))
    expect(standard.accountGroups["0001"]?.oneTime).toBe(false)
    expect(standard.accountGroups.CPD?.oneTime).toBe(true)
    expect(standard.accountGroups["0002"]?.companyCodeViews).toBe(false)
  })

  it("reports every semantic problem at once, each with its path", () => {
    const input = Customizing.merge(Presets.standard("t"), {
      accountGroups: { "0004": { numberRange: "G" }, "0003": { fieldStatus: { general: { name: "optional" } } } },
      org: { salesOrganizations: { "3000": { name: "x", companyCode: "9999" } }, salesAreas: ["1000/10/00", "1000/99/00", "1000/10/00", "nonsense"] },
      messages: { COUNTRY_INVALID: "off" }
    })
    expect(issuesOf(input)).toEqual([
      'org.salesOrganizations.3000.companyCode: unknown company code "9999"',
      'org.salesAreas.1: unknown distribution channel "99"',
      'org.salesAreas.2: sales area "1000/10/00" is listed twice',
      'org.salesAreas.3: "nonsense" is not of the form salesOrganization/channel/division',
      'accountGroups.0003.fieldStatus.general.name: the name is always required',
      'accountGroups.0004.numberRange: unknown number range "G"',
      'messages.COUNTRY_INVALID: COUNTRY_INVALID is always an error; its severity cannot be set to "off"'
    ])
  })

  it("reports structural problems with their paths", () => {
    const input = Customizing.merge(Presets.standard("t"), {
      accountGroups: { "0001": { fieldStatus: { general: { nmae: "required" } as never } } },
      numberRanges: { C: { kind: "sometimes" as never } },
      messages: { NO_SUCH_MESSAGE: "error" } as never
    })
    const issues = issuesOf(input)
    expect(issues.some((i) => i.startsWith("accountGroups.0001.fieldStatus.general"))).toBe(true)
    expect(issues.some((i) => i.startsWith("numberRanges.C.kind"))).toBe(true)
    expect(issues.some((i) => i.startsWith("messages"))).toBe(true)
  })

  it("rejects overlapping intervals, compared as sets of numbers", () => {
    const ranges = (extra: Record<string, unknown>) =>
      issuesOf(Customizing.merge(Presets.standard("t"), { numberRanges: extra as never }))
    expect(ranges({ X: { kind: "internal", prefix: "C", digits: 4, from: 9000, to: 9999 } })).toEqual([
      'numberRanges.X: interval C9000–C9999 overlaps range "C" (C0001–C9999)'
    ])
    // C0 + three digits is inside C + four digits.
    expect(ranges({ X: { kind: "internal", prefix: "C0", digits: 3, from: 1, to: 5 } })).toHaveLength(1)
    // Same prefix, other length: distinct numbers.
    expect(ranges({ X: { kind: "internal", prefix: "C", digits: 5, from: 1, to: 99 } })).toEqual([])
    // Another letter after the shared prefix: distinct numbers.
    expect(ranges({ X: { kind: "internal", prefix: "CX", digits: 3, from: 1, to: 99 } })).toEqual([])
  })

  it("checks intervals and patterns", () => {
    const issues = issuesOf(
      Customizing.merge(Presets.standard("t"), {
        numberRanges: {
          X: { kind: "internal", prefix: "X", digits: 3, from: 5, to: 1000 },
          Y: { kind: "internal", prefix: "Y", digits: 4, from: 1, to: 9, pattern: [{ kind: "sequence", length: 5 }] },
          Z: { kind: "external", digits: 4, from: 1000, to: 1999, pattern: [{ kind: "list", label: "office", values: ["1", "22"] }, { kind: "sequence", length: 2 }] }
        }
      })
    )
    expect(issues).toEqual([
      "numberRanges.X.to: 1000 does not fit in 3 digits",
      "numberRanges.Y.pattern: a pattern is only for external ranges",
      "numberRanges.Z.pattern: the pattern is 3 characters long, the numbers 4",
      "numberRanges.Z.pattern.0.values: all values of a list segment must have the same length"
    ])
  })

  it("merges patches deeply and replaces arrays", () => {
    const merged = Customizing.merge(Presets.standard("t"), { org: { salesAreas: ["1000/10/00"] }, messages: { POSTAL_CODE_PLACEHOLDER: "error" } })
    const c = Customizing.makeOrThrow(merged)
    expect(c.org.salesAreas).toEqual(["1000/10/00"])
    expect(Object.keys(c.org.companyCodes)).toEqual(["1000", "2000"])
    expect(c.messages.POSTAL_CODE_PLACEHOLDER).toBe("error")
  })

  it("formats and parses numbers of a range", () => {
    const range = { prefix: "C", digits: 4 }
    expect(Customizing.formatNumber(range, 7)).toBe("C0007")
    expect(Customizing.positionOf(range, "C0007")).toBe(7)
    expect(Customizing.positionOf(range, "D0007")).toBeUndefined()
    expect(Customizing.positionOf(range, "C007")).toBeUndefined()
    expect(Customizing.positionOf(range, "C00x7")).toBeUndefined()
  })
})
