/**
 * The service configuration (`CrmConfig.service`): ticket statuses and the transitions allowed
 * between them, priorities, categories, business-hours calendars, SLA profiles with a
 * first-response and a resolution target per priority, and who breaches are escalated to.
 * Everything here is data; `preset` is a working start.
 *
 * Each status has a kind that says what it means for the SLA clock:
 * - `open`: the clock runs;
 * - `waiting` (for the customer): the clock stops when the profile says `pauseWhileWaiting`;
 * - `resolved`: the resolution target is reached and the clock stops (reopening starts it again);
 * - `closed`: final unless a transition leads out of it.
 * Entering a status with `recordsFirstResponse` records the first response, if there was none.
 *
 * @example
 * ```ts
 * import { CrmConfig, ServiceConfig } from "@partnerkit/crm"
 *
 * const preset = ServiceConfig.preset
 * const config = CrmConfig.makeOrThrow({
 *   service: {
 *     ...preset,
 *     calendars: { ...preset.calendars, OFFICE: { ...preset.calendars.OFFICE!, holidays: ["2026-12-25", "2026-12-26"] } },
 *     escalation: { owner: "service.lead", teamOwners: { FIELD: "field.lead" }, taskDueMinutes: 30 }
 *   }
 * })
 * ```
 * @module
 */
import { z } from "zod"
import { CalendarSchema } from "./BusinessHours.js"

const id = z.string().trim().min(1).max(40)
const user = z.string().trim().min(1).max(64)
const name = z.string().trim().min(1).max(80).optional()
const minutes = z
  .number()
  .int()
  .min(1)
  .max(60 * 24 * 366)

export const StatusKind = z.enum(["open", "waiting", "resolved", "closed"])
/** What a status means for the SLA clock (see the module comment). */
export type StatusKind = z.infer<typeof StatusKind>

export const Status = z.object({ name, kind: StatusKind, recordsFirstResponse: z.boolean().default(false) }).strict()
export type Status = z.infer<typeof Status>

export const Target = z
  .object({
    /** Business minutes from opening to the first response. */
    firstResponseMinutes: minutes,
    /** Business minutes from opening to the resolution. */
    resolutionMinutes: minutes
  })
  .strict()
  .refine((t) => t.resolutionMinutes >= t.firstResponseMinutes, {
    message: "the resolution target cannot be shorter than the first-response target",
    path: ["resolutionMinutes"]
  })
export type Target = z.infer<typeof Target>

export const SlaProfile = z
  .object({
    name,
    /** A calendar of `calendars`. */
    calendar: id,
    /** Does time in a `waiting` status stop the clock? */
    pauseWhileWaiting: z.boolean().default(true),
    /** One target per priority of `priorities`. */
    targets: z.record(id, Target)
  })
  .strict()
export type SlaProfile = z.infer<typeof SlaProfile>

export const ServiceConfigSchema = z
  .object({
    statuses: z.record(id, Status),
    /** The status a new ticket gets; of kind `open`. */
    initialStatus: id,
    /** For each status, the statuses a ticket may move to from it (reopening included). */
    transitions: z.record(id, z.array(id)),
    /** Priorities; `rank` 1 is the most urgent. */
    priorities: z.record(id, z.object({ name, rank: z.number().int().min(1).max(99) }).strict()),
    /** Categories; a category may name the SLA profile its tickets get. */
    categories: z.record(id, z.object({ name, slaProfile: id.optional() }).strict()),
    calendars: z.record(id, CalendarSchema),
    slaProfiles: z.record(id, SlaProfile),
    /** The profile of tickets whose category names none. */
    defaultSlaProfile: id,
    escalation: z
      .object({
        /** Who gets the escalation task of a breached ticket. */
        owner: user,
        /** Per team of the ticket: who gets it instead. */
        teamOwners: z.record(id, user).default({}),
        /** The escalation task is due this many minutes after the breach was detected. */
        taskDueMinutes: minutes.default(60)
      })
      .strict()
  })
  .strict()
  .superRefine((c, ctx) => {
    const issue = (path: Array<string | number>, message: string) => ctx.addIssue({ code: "custom", path, message })
    const statuses = Object.keys(c.statuses)
    const initial = c.statuses[c.initialStatus]
    if (initial === undefined) issue(["initialStatus"], `no status ${c.initialStatus}`)
    else if (initial.kind !== "open") issue(["initialStatus"], "the initial status must be of kind open")
    for (const [from, tos] of Object.entries(c.transitions)) {
      if (!statuses.includes(from)) issue(["transitions", from], `no status ${from}`)
      tos.forEach((to, i) => {
        if (!statuses.includes(to)) issue(["transitions", from, i], `no status ${to}`)
      })
    }
    const priorities = Object.keys(c.priorities)
    if (priorities.length === 0) issue(["priorities"], "at least one priority is needed")
    for (const [key, profile] of Object.entries(c.slaProfiles)) {
      if (c.calendars[profile.calendar] === undefined) issue(["slaProfiles", key, "calendar"], `no calendar ${profile.calendar}`)
      for (const p of priorities)
        if (profile.targets[p] === undefined) issue(["slaProfiles", key, "targets", p], `no target for priority ${p}`)
      for (const p of Object.keys(profile.targets))
        if (!priorities.includes(p)) issue(["slaProfiles", key, "targets", p], `no priority ${p}`)
    }
    if (c.slaProfiles[c.defaultSlaProfile] === undefined) issue(["defaultSlaProfile"], `no SLA profile ${c.defaultSlaProfile}`)
    for (const [key, category] of Object.entries(c.categories)) {
      if (category.slaProfile !== undefined && c.slaProfiles[category.slaProfile] === undefined) {
        issue(["categories", key, "slaProfile"], `no SLA profile ${category.slaProfile}`)
      }
    }
    if (Object.keys(c.categories).length === 0) issue(["categories"], "at least one category is needed")
  })

export type ServiceConfigInput = z.input<typeof ServiceConfigSchema>
/** A validated service configuration. */
export type ServiceConfig = z.infer<typeof ServiceConfigSchema>

const weekday = [
  { from: "08:00", to: "12:00" },
  { from: "13:00", to: "17:00" }
]

/**
 * A working start: new → in progress → waiting for customer → resolved → closed, reopening from
 * resolved; priorities P1 (urgent) to P4 (low); an office calendar in Europe/Berlin, Monday to
 * Friday 08:00–12:00 and 13:00–17:00 (add your holidays); the `STANDARD` profile (waiting pauses
 * the clock) with P1 30 min / 4 h, P2 1 h / 8 h, P3 4 h / 24 h, P4 8 h / 40 h of business time;
 * breaches escalated to `service.lead`, the task due within an hour.
 */
export const preset: ServiceConfig = {
  statuses: {
    new: { name: "New", kind: "open", recordsFirstResponse: false },
    in_progress: { name: "In progress", kind: "open", recordsFirstResponse: true },
    waiting_for_customer: { name: "Waiting for customer", kind: "waiting", recordsFirstResponse: true },
    resolved: { name: "Resolved", kind: "resolved", recordsFirstResponse: true },
    closed: { name: "Closed", kind: "closed", recordsFirstResponse: false }
  },
  initialStatus: "new",
  transitions: {
    new: ["in_progress", "waiting_for_customer", "resolved", "closed"],
    in_progress: ["waiting_for_customer", "resolved"],
    waiting_for_customer: ["in_progress", "resolved"],
    resolved: ["closed", "in_progress"],
    closed: []
  },
  priorities: {
    P1: { name: "Urgent", rank: 1 },
    P2: { name: "High", rank: 2 },
    P3: { name: "Normal", rank: 3 },
    P4: { name: "Low", rank: 4 }
  },
  categories: {
    incident: { name: "Incident" },
    question: { name: "Question" },
    request: { name: "Service request" },
    complaint: { name: "Complaint" }
  },
  calendars: {
    OFFICE: {
      name: "Office hours",
      timeZone: "Europe/Berlin",
      workingHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
      holidays: []
    }
  },
  slaProfiles: {
    STANDARD: {
      name: "Standard",
      calendar: "OFFICE",
      pauseWhileWaiting: true,
      targets: {
        P1: { firstResponseMinutes: 30, resolutionMinutes: 240 },
        P2: { firstResponseMinutes: 60, resolutionMinutes: 480 },
        P3: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
        P4: { firstResponseMinutes: 480, resolutionMinutes: 2400 }
      }
    }
  },
  defaultSlaProfile: "STANDARD",
  escalation: { owner: "service.lead", teamOwners: {}, taskDueMinutes: 60 }
}
