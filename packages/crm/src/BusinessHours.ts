/**
 * Business-hours calendars and the arithmetic SLA targets are measured with: "30 business minutes
 * after this instant" and "how much business time lies between these two instants".
 *
 * A calendar has a time zone (IANA), working hours per weekday as one or more shifts (split shifts:
 * `08:00–12:00` and `13:00–17:00`; overnight shifts: `22:00–06:00` ends the next morning; `24:00`
 * is the end of the day) and holidays (local dates). A shift belongs to the date it starts on: a
 * holiday removes the shifts that start on it, and an overnight shift that starts the evening
 * before a holiday runs into it. Local times are turned into instants in the calendar's time zone
 * with Temporal's `compatible` disambiguation: a shift boundary in the hour a spring-forward skips
 * moves forward by that hour, one in the hour an autumn fall-back repeats takes the earlier
 * instant — so a shift on a DST day is as long as the clock on the wall says it was.
 *
 * Durations are whole milliseconds. `add` and `between` are exact inverses:
 * `between(c, s, add(c, s, d)) === d` for every instant `s` and duration `d ≥ 0`.
 *
 * The time-zone rules come from `temporal-polyfill` (the TC39 Temporal API, which keeps local dates,
 * local times and instants apart and makes the DST behaviour an explicit choice).
 *
 * @example
 * ```ts
 * import { BusinessHours } from "@partnerkit/crm"
 *
 * const office = BusinessHours.CalendarSchema.parse({
 *   timeZone: "Europe/Berlin",
 *   workingHours: {
 *     mon: [{ from: "08:00", to: "12:00" }, { from: "13:00", to: "17:00" }],
 *     tue: [{ from: "08:00", to: "17:00" }]
 *   },
 *   holidays: ["2026-12-25"]
 * })
 * // Monday 16:30 Berlin plus two business hours: Tuesday 09:30 Berlin.
 * const due = BusinessHours.add(office, "2026-03-02T15:30:00Z", 2 * 3_600_000) // "2026-03-03T08:30:00.000Z"
 * const ms = BusinessHours.between(office, "2026-03-02T15:30:00Z", due) // 7_200_000
 * ```
 * @module
 */
import { Temporal } from "temporal-polyfill"
import { z } from "zod"

const isTimeZone = (zone: string): boolean => {
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(zone)
    return true
  } catch {
    return false
  }
}

/** A local time of day, `HH:MM`; `24:00` (as an end) is the end of the day. */
export const LocalTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, "expected a local time HH:MM (00:00–24:00)")

export const Shift = z
  .object({ from: LocalTime, to: LocalTime })
  .strict()
  .superRefine((shift, ctx) => {
    if (shift.from === "24:00") ctx.addIssue({ code: "custom", path: ["from"], message: "a shift cannot start at 24:00" })
    if (shift.from === shift.to) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "a shift must not end when it starts (for 24 hours: 00:00–24:00)" })
    }
  })
/** One shift: from `from` to `to` local time; `to` before `from` ends the next day. */
export type Shift = z.infer<typeof Shift>

export const Weekday = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
export type Weekday = z.infer<typeof Weekday>
const weekdays = Weekday.options

const minuteOfDay = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))

/** The minutes `[start, end)` a shift covers, counted from the start of its day (an end past 1440 is the next day). */
const span = (shift: Shift): readonly [number, number] => {
  const start = minuteOfDay(shift.from)
  const end = minuteOfDay(shift.to)
  return [start, end <= start ? end + 1440 : end]
}

export const CalendarSchema = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    /** An IANA time zone, e.g. `Europe/Berlin`. */
    timeZone: z.string().refine(isTimeZone, "not an IANA time zone this runtime knows"),
    /** Shifts per weekday; a weekday without an entry is not a working day. */
    workingHours: z.partialRecord(Weekday, z.array(Shift).min(1)),
    /** Local dates (`YYYY-MM-DD`) without working hours. */
    holidays: z.array(z.iso.date()).default([])
  })
  .strict()
  .superRefine((calendar, ctx) => {
    const days = Object.entries(calendar.workingHours)
    if (days.length === 0) ctx.addIssue({ code: "custom", path: ["workingHours"], message: "a calendar needs at least one working day" })
    for (const [day, shifts] of days) {
      const spans = (shifts ?? []).map(span).sort((a, b) => a[0] - b[0])
      for (let i = 1; i < spans.length; i++) {
        if (spans[i]![0] < spans[i - 1]![1]) {
          ctx.addIssue({ code: "custom", path: ["workingHours", day], message: "the shifts of one day overlap" })
          break
        }
      }
    }
  })
/** A validated business-hours calendar. */
export type Calendar = z.infer<typeof CalendarSchema>
export type CalendarInput = z.input<typeof CalendarSchema>

/** A stretch of working time, `[start, end)` in epoch milliseconds. */
export interface Interval {
  readonly start: number
  readonly end: number
}

const holidaySets = new WeakMap<Calendar, ReadonlySet<string>>()
const holidaysOf = (calendar: Calendar): ReadonlySet<string> => {
  let set = holidaySets.get(calendar)
  if (set === undefined) {
    set = new Set(calendar.holidays)
    holidaySets.set(calendar, set)
  }
  return set
}

const instantOf = (calendar: Calendar, date: Temporal.PlainDate, minute: number): number => {
  const day = date.add({ days: Math.floor(minute / 1440) })
  const m = minute % 1440
  return day
    .toPlainDateTime({ hour: Math.floor(m / 60), minute: m % 60 })
    .toZonedDateTime(calendar.timeZone, { disambiguation: "compatible" }).epochMilliseconds
}

/** The shifts that start on local `date`, as instants, by start. */
const shiftsOn = (calendar: Calendar, date: Temporal.PlainDate): Array<Interval> => {
  if (holidaysOf(calendar).has(date.toString())) return []
  const shifts = calendar.workingHours[weekdays[date.dayOfWeek - 1]!] ?? []
  const out: Array<Interval> = []
  for (const shift of shifts) {
    const [from, to] = span(shift)
    const start = instantOf(calendar, date, from)
    const end = instantOf(calendar, date, to)
    // A shift that lies wholly in a skipped hour has no length.
    if (end > start) out.push({ start, end })
  }
  return out.sort((a, b) => a.start - b.start)
}

/** One local date of a calendar: its shifts as instants, and the instant its next day starts. */
interface Day {
  readonly intervals: ReadonlyArray<Interval>
  readonly nextMidnight: number
}

const dayMs = 86_400_000
/** At most this many days are kept per calendar (a few years of SLA arithmetic). */
const cachedDays = 4096
const dayCaches = new WeakMap<Calendar, Map<number, Day>>()

/**
 * The day `epochDay` (days since 1970-01-01, as a local date) of `calendar`. Days are cached per
 * calendar: turning local times into instants is the costly part, and SLA arithmetic over many
 * tickets visits the same few weeks again and again.
 */
const dayOf = (calendar: Calendar, epochDay: number): Day => {
  let days = dayCaches.get(calendar)
  if (days === undefined) {
    days = new Map()
    dayCaches.set(calendar, days)
  }
  let day = days.get(epochDay)
  if (day === undefined) {
    if (days.size >= cachedDays) days.clear()
    const date = Temporal.PlainDate.from(new Date(epochDay * dayMs).toISOString().slice(0, 10))
    day = { intervals: shiftsOn(calendar, date), nextMidnight: instantOf(calendar, date, 1440) }
    days.set(epochDay, day)
  }
  return day
}

/**
 * The working intervals that end after `from`, in order, merged where shifts touch or overlap
 * (an overnight shift running into the next morning's). Infinite: the caller stops.
 */
export function* intervalsFrom(calendar: Calendar, from: number): Generator<Interval, never> {
  // The local date of `from` is its UTC date ±1 (offsets stay within ±14 hours), and an overnight
  // shift of the local day before may still be running: starting two days before the UTC date
  // covers both without asking the time zone (intervals that end before `from` are skipped).
  let epochDay = Math.floor(from / dayMs) - 2
  let pending: Interval | undefined
  for (;;) {
    const day = dayOf(calendar, epochDay)
    for (const next of day.intervals) {
      if (pending !== undefined && next.start <= pending.end) {
        pending = { start: pending.start, end: Math.max(pending.end, next.end) }
        continue
      }
      if (pending !== undefined && pending.end > from) yield pending
      pending = next
    }
    epochDay++
    // Shifts start on their own day, so none of a later day can start before this midnight.
    if (pending !== undefined && pending.end > from && pending.end <= day.nextMidnight) {
      yield pending
      pending = undefined
    }
  }
}

/** The instant `duration` milliseconds of working time after `start` (both epoch milliseconds). `duration ≤ 0`: `start`. */
export const addMillis = (calendar: Calendar, start: number, duration: number): number => {
  if (duration <= 0) return start
  let remaining = duration
  for (const interval of intervalsFrom(calendar, start)) {
    const from = Math.max(interval.start, start)
    const available = interval.end - from
    if (remaining <= available) return from + remaining
    remaining -= available
  }
  throw new Error("unreachable: intervalsFrom never ends")
}

/** The working time between `from` and `to` (epoch milliseconds), in milliseconds; 0 when `to ≤ from`. */
export const betweenMillis = (calendar: Calendar, from: number, to: number): number => {
  if (to <= from) return 0
  let total = 0
  for (const interval of intervalsFrom(calendar, from)) {
    if (interval.start >= to) break
    total += Math.min(interval.end, to) - Math.max(interval.start, from)
  }
  return total
}

/** The ISO instant `duration` milliseconds of working time after `start` (an ISO instant). */
export const add = (calendar: Calendar, start: string, duration: number): string =>
  new Date(addMillis(calendar, Date.parse(start), duration)).toISOString()

/** The working time between two ISO instants, in milliseconds. */
export const between = (calendar: Calendar, from: string, to: string): number => betweenMillis(calendar, Date.parse(from), Date.parse(to))
