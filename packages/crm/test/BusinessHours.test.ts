import { BusinessHours } from "@partnerkit/crm"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

const hour = 3_600_000
const split = [
  { from: "08:00", to: "12:00" },
  { from: "13:00", to: "17:00" }
]

/** Berlin office hours, Monday to Friday, split shifts; Easter Monday and Christmas 2026 are holidays. */
const office = BusinessHours.CalendarSchema.parse({
  timeZone: "Europe/Berlin",
  workingHours: { mon: split, tue: split, wed: split, thu: split, fri: split },
  holidays: ["2026-04-06", "2026-12-25"]
})

/** A night shift in New York: Monday to Thursday 22:00 to 06:00 the next morning, Saturday mornings. */
const nights = BusinessHours.CalendarSchema.parse({
  timeZone: "America/New_York",
  workingHours: {
    mon: [{ from: "22:00", to: "06:00" }],
    tue: [{ from: "22:00", to: "06:00" }],
    wed: [{ from: "22:00", to: "06:00" }],
    thu: [{ from: "22:00", to: "06:00" }],
    sat: [{ from: "09:00", to: "13:00" }]
  },
  holidays: ["2026-11-26"]
})

/** Around the clock in Lord Howe Island, whose clocks move by half an hour. */
const allDay = [{ from: "00:00", to: "24:00" }]
const aroundTheClock = BusinessHours.CalendarSchema.parse({
  timeZone: "Australia/Lord_Howe",
  workingHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }
})

const berlinDay = BusinessHours.CalendarSchema.parse({ timeZone: "Europe/Berlin", workingHours: { sun: allDay } })

describe("BusinessHours", () => {
  it("skips the lunch break, the evening and the weekend", () => {
    // Monday 2026-03-02 11:30 Berlin (UTC+1) plus one hour: 13:30.
    expect(BusinessHours.add(office, "2026-03-02T10:30:00Z", hour)).toBe("2026-03-02T12:30:00.000Z")
    // Friday 16:30 plus one hour: Monday 08:30.
    expect(BusinessHours.add(office, "2026-03-06T15:30:00Z", hour)).toBe("2026-03-09T07:30:00.000Z")
    // Saturday: the clock starts on Monday at 08:00.
    expect(BusinessHours.add(office, "2026-03-07T12:00:00Z", 30 * 60_000)).toBe("2026-03-09T07:30:00.000Z")
    // A target that ends exactly at the end of a shift is due then, not the next morning.
    expect(BusinessHours.add(office, "2026-03-02T15:00:00Z", hour)).toBe("2026-03-02T16:00:00.000Z")
    expect(BusinessHours.between(office, "2026-03-06T15:30:00Z", "2026-03-09T07:30:00Z")).toBe(hour)
    expect(BusinessHours.between(office, "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z")).toBe(8 * hour)
    expect(BusinessHours.between(office, "2026-03-03T00:00:00Z", "2026-03-02T00:00:00Z")).toBe(0)
    expect(BusinessHours.add(office, "2026-03-02T10:30:00Z", 0)).toBe("2026-03-02T10:30:00.000Z")
  })

  it("skips holidays", () => {
    // Thursday before Easter 2026 (Friday 3 April is not a holiday here, Monday 6 April is).
    expect(BusinessHours.between(office, "2026-04-03T00:00:00Z", "2026-04-08T00:00:00Z")).toBe(16 * hour)
    // Thursday 24 December 16:00 (UTC+1) plus two hours: the 25th is a holiday, the 26th a Saturday, so Monday 28th 09:00.
    expect(BusinessHours.add(office, "2026-12-24T15:00:00Z", 2 * hour)).toBe("2026-12-28T08:00:00.000Z")
  })

  it("measures a DST day as long as the wall clock says: 23 hours in spring, 25 in autumn", () => {
    expect(BusinessHours.between(berlinDay, "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z")).toBe(23 * hour)
    expect(BusinessHours.between(berlinDay, "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z")).toBe(25 * hour)
    // Summer time: the office opens at 08:00 CEST = 06:00 UTC.
    expect(BusinessHours.add(office, "2026-03-30T05:00:00Z", 60_000)).toBe("2026-03-30T06:01:00.000Z")
  })

  it("moves a shift boundary in the skipped hour forward by that hour", () => {
    const early = BusinessHours.CalendarSchema.parse({ timeZone: "Europe/Berlin", workingHours: { sun: [{ from: "02:30", to: "05:00" }] } })
    // 02:30 does not exist on 2026-03-29: the shift runs 03:30–05:00 CEST (01:30–03:00 UTC).
    expect(BusinessHours.between(early, "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z")).toBe(1.5 * hour)
    expect(BusinessHours.add(early, "2026-03-29T00:00:00Z", 1)).toBe("2026-03-29T01:30:00.001Z")
  })

  it("runs an overnight shift into the next morning, even when that morning is a holiday", () => {
    // Monday 2026-11-23 22:00 EST (03:00 UTC Tuesday) to Tuesday 06:00 EST.
    expect(BusinessHours.between(nights, "2026-11-23T12:00:00Z", "2026-11-24T12:00:00Z")).toBe(8 * hour)
    // Inside the shift at 01:00 EST Tuesday: one hour later is 02:00 EST.
    expect(BusinessHours.add(nights, "2026-11-24T06:00:00Z", hour)).toBe("2026-11-24T07:00:00.000Z")
    // Wednesday 25th's shift runs into Thanksgiving (26th); Thanksgiving's own shift is off, Friday has none:
    // from Wednesday 22:00 EST the next shift after 8 hours is Saturday 09:00.
    expect(BusinessHours.add(nights, "2026-11-26T03:00:00Z", 9 * hour)).toBe("2026-11-28T15:00:00.000Z")
  })

  it("refuses calendars that are not: unknown zone, overlapping shifts, a shift of no length, no working day", () => {
    const paths = (input: unknown) => {
      const result = BusinessHours.CalendarSchema.safeParse(input)
      return result.success ? [] : result.error.issues.map((i) => i.path.join("."))
    }
    expect(paths({ timeZone: "Mars/Olympus", workingHours: { mon: split } })).toEqual(["timeZone"])
    expect(
      paths({
        timeZone: "UTC",
        workingHours: {
          mon: [
            { from: "08:00", to: "12:00" },
            { from: "11:00", to: "13:00" }
          ]
        }
      })
    ).toEqual(["workingHours.mon"])
    expect(
      paths({
        timeZone: "UTC",
        workingHours: {
          mon: [
            { from: "22:00", to: "06:00" },
            { from: "23:00", to: "23:30" }
          ]
        }
      })
    ).toEqual(["workingHours.mon"])
    expect(paths({ timeZone: "UTC", workingHours: { mon: [{ from: "08:00", to: "08:00" }] } })).toEqual(["workingHours.mon.0.to"])
    expect(paths({ timeZone: "UTC", workingHours: { mon: [{ from: "24:00", to: "08:00" }] } })).toEqual(["workingHours.mon.0.from"])
    expect(paths({ timeZone: "UTC", workingHours: { mon: [{ from: "8:00", to: "12:00" }] } })).toEqual(["workingHours.mon.0.from"])
    expect(paths({ timeZone: "UTC", workingHours: {} })).toEqual(["workingHours"])
    expect(paths({ timeZone: "UTC", workingHours: { mon: split }, holidays: ["2026-02-30"] })).toEqual(["holidays.0"])
  })

  describe("properties", () => {
    const calendars = fc.constantFrom(office, nights, aroundTheClock, berlinDay)
    // 2020–2030: several DST changes in every zone used.
    const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
    const duration = fc.integer({ min: 0, max: 300 * hour })

    it("adding then measuring round-trips exactly", () => {
      fc.assert(
        fc.property(calendars, instant, duration, (calendar, start, d) => {
          const end = BusinessHours.addMillis(calendar, start, d)
          expect(end).toBeGreaterThanOrEqual(start)
          expect(BusinessHours.betweenMillis(calendar, start, end)).toBe(d)
        }),
        { numRuns: 300 }
      )
    })

    it("measuring is additive over adjacent stretches and never more than the wall-clock time", () => {
      fc.assert(
        fc.property(calendars, instant, fc.array(duration, { minLength: 2, maxLength: 2 }), (calendar, a, [d1, d2]) => {
          const [b, c] = [a + d1!, a + d1! + d2!]
          const ab = BusinessHours.betweenMillis(calendar, a, b)
          const bc = BusinessHours.betweenMillis(calendar, b, c)
          expect(BusinessHours.betweenMillis(calendar, a, c)).toBe(ab + bc)
          expect(ab).toBeLessThanOrEqual(b - a)
        }),
        { numRuns: 100 }
      )
    })

    it("adding is monotonic, and the measured time added back lands at or before the end", () => {
      fc.assert(
        fc.property(calendars, instant, duration, duration, (calendar, start, d1, d2) => {
          const [small, large] = d1 <= d2 ? [d1, d2] : [d2, d1]
          expect(BusinessHours.addMillis(calendar, start, small)).toBeLessThanOrEqual(BusinessHours.addMillis(calendar, start, large))
          const end = start + large
          const back = BusinessHours.addMillis(calendar, start, BusinessHours.betweenMillis(calendar, start, end))
          expect(back).toBeLessThanOrEqual(end)
          expect(BusinessHours.betweenMillis(calendar, back, end)).toBe(0)
        }),
        { numRuns: 300 }
      )
    })
  })
})
