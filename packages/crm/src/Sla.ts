/**
 * The SLA clock of a ticket, as pure functions over the service configuration: which profile a
 * ticket gets, its due times, what a status change or a change of priority does to the clock, and
 * the state of each target at a given moment (for the 360° view, lists and compliance).
 *
 * A target's state at `asOf`:
 * - `met`: reached at or before its due time; `missed`: reached after it;
 * - `breached`: not reached, and its due time passed while the clock ran (or a breach was recorded);
 * - `running`: not reached, clock running, not yet due; `paused`: not reached, clock stopped.
 *
 * @example
 * ```ts
 * import { CrmConfig, Sla, type Ticket } from "@partnerkit/crm"
 *
 * declare const ticket: Ticket.Ticket
 * const config = CrmConfig.preset()
 * const { firstResponse, resolution } = Sla.stateOf(config.service, ticket, "2026-03-02T12:00:00Z")
 * const late = firstResponse.state === "breached" || resolution.state === "breached"
 * ```
 * @module
 */
import * as BusinessHours from "./BusinessHours.js"
import type { ServiceConfig, SlaProfile, StatusKind } from "./ServiceConfig.js"
import type { TargetName, Ticket } from "./Ticket.js"

const minute = 60_000

/** The profile a new ticket of `category` gets: `override`, else the category's, else the default. */
export const profileIdFor = (config: ServiceConfig, category: string, override?: string): string =>
  override ?? config.categories[category]?.slaProfile ?? config.defaultSlaProfile

/** The profile and calendar of a ticket (the configuration validated that both exist). */
export const clockOf = (
  config: ServiceConfig,
  profileId: string
): { readonly profile: SlaProfile; readonly calendar: BusinessHours.Calendar } => {
  const profile = config.slaProfiles[profileId]
  if (profile === undefined) throw new Error(`SLA profile ${profileId} is not configured`)
  const calendar = config.calendars[profile.calendar]
  if (calendar === undefined) throw new Error(`calendar ${profile.calendar} is not configured`)
  return { profile, calendar }
}

/**
 * Can the clock of `ticket` still be computed: its profile, the profile's calendar and a target for
 * its priority are configured? (A configuration change may remove what older tickets name.)
 */
export const isConfigured = (config: ServiceConfig, ticket: Pick<Ticket, "slaProfile" | "priority">): boolean => {
  const profile = config.slaProfiles[ticket.slaProfile]
  return profile !== undefined && config.calendars[profile.calendar] !== undefined && profile.targets[ticket.priority] !== undefined
}

/** Does the clock run in a status of `kind` under `profile`? */
export const clockRuns = (profile: SlaProfile, kind: StatusKind): boolean =>
  kind === "open" || (kind === "waiting" && !profile.pauseWhileWaiting)

/** The due time of `target` for a ticket opened at `openedAt` whose clock stood still `pausedMs`. */
export const dueAt = (
  config: ServiceConfig,
  ticket: Pick<Ticket, "slaProfile" | "priority" | "openedAt">,
  target: TargetName,
  pausedMs: number
) => {
  const { profile, calendar } = clockOf(config, ticket.slaProfile)
  const targets = profile.targets[ticket.priority]
  if (targets === undefined) throw new Error(`SLA profile ${ticket.slaProfile} has no target for priority ${ticket.priority}`)
  const minutes = target === "firstResponse" ? targets.firstResponseMinutes : targets.resolutionMinutes
  return BusinessHours.add(calendar, ticket.openedAt, minutes * minute + pausedMs)
}

/**
 * The ticket after its status kind becomes `kind` at `at`: the clock stops (`pausedSince`) or
 * resumes (the business time it stood still added to `pausedMs`, the due times of unreached
 * targets moved by it), and `resolvedAt` / `closedAt` are set or cleared (reopening).
 */
export const moveClock = (config: ServiceConfig, ticket: Ticket, kind: StatusKind, at: string): Ticket => {
  const { profile, calendar } = clockOf(config, ticket.slaProfile)
  const ended = kind === "resolved" || kind === "closed"
  let next: Ticket = {
    ...ticket,
    statusKind: kind,
    resolvedAt: ended ? (ticket.resolvedAt ?? at) : undefined,
    closedAt: kind === "closed" ? (ticket.closedAt ?? at) : undefined
  }
  const wasRunning = ticket.pausedSince === undefined
  const runs = clockRuns(profile, kind)
  if (wasRunning && !runs) next = { ...next, pausedSince: at }
  if (!wasRunning && runs) {
    const pausedMs = ticket.pausedMs + BusinessHours.between(calendar, ticket.pausedSince!, at)
    next = {
      ...next,
      pausedSince: undefined,
      pausedMs,
      firstResponseDueAt: next.firstResponseAt === undefined ? dueAt(config, next, "firstResponse", pausedMs) : next.firstResponseDueAt,
      resolutionDueAt: next.resolvedAt === undefined ? dueAt(config, next, "resolution", pausedMs) : next.resolutionDueAt
    }
  }
  return next
}

/**
 * The ticket with priority `priority` and the due times of both targets recomputed from its opening
 * time with that priority's targets of its profile, as if it had had that priority from the start:
 * - an unreached target is due `opening + new target + pausedMs` (while the clock stands still,
 *   the business time since `pausedSince` is added on resuming, as `moveClock` does);
 * - a reached target keeps its reached time and is due `opening + new target + the business time
 *   the clock had stood still when it was reached`. That paused time is read off its current due
 *   time (`between(opening, due) − old target`, kept within `[0, pausedMs]`); when the old
 *   priority has no target in the profile any more, `pausedMs` is taken.
 *
 * Recorded breaches (`firstResponseBreachedAt`, `resolutionBreachedAt`) are left as they are.
 * Throws when the profile, its calendar or the target for `priority` is not configured: check with
 * `isConfigured(config, { slaProfile: ticket.slaProfile, priority })` first.
 */
export const withPriority = (config: ServiceConfig, ticket: Ticket, priority: string): Ticket => {
  const { profile, calendar } = clockOf(config, ticket.slaProfile)
  const oldTargets = profile.targets[ticket.priority]
  const next: Ticket = { ...ticket, priority }
  const due = (target: TargetName, currentDue: string, reached: boolean) => {
    if (!reached) return dueAt(config, next, target, ticket.pausedMs)
    const oldMinutes =
      oldTargets === undefined ? undefined : target === "firstResponse" ? oldTargets.firstResponseMinutes : oldTargets.resolutionMinutes
    const pausedWhenReached =
      oldMinutes === undefined
        ? ticket.pausedMs
        : Math.min(ticket.pausedMs, Math.max(0, BusinessHours.between(calendar, ticket.openedAt, currentDue) - oldMinutes * minute))
    return dueAt(config, next, target, pausedWhenReached)
  }
  return {
    ...next,
    firstResponseDueAt: due("firstResponse", ticket.firstResponseDueAt, ticket.firstResponseAt !== undefined),
    resolutionDueAt: due("resolution", ticket.resolutionDueAt, ticket.resolvedAt !== undefined)
  }
}

export type TargetStateName = "met" | "missed" | "breached" | "running" | "paused"

export interface TargetState {
  readonly state: TargetStateName
  readonly dueAt: string
  /** When the target was reached (`met` and `missed`). */
  readonly reachedAt?: string | undefined
  /** Business milliseconds left until the due time (`running` and `paused`). */
  readonly remainingMs?: number | undefined
}

export interface SlaState {
  readonly firstResponse: TargetState
  readonly resolution: TargetState
}

const targetState = (
  calendar: BusinessHours.Calendar | undefined,
  ticket: Ticket,
  due: string,
  reachedAt: string | undefined,
  breachedAt: string | undefined,
  asOf: string
): TargetState => {
  if (reachedAt !== undefined) return { state: reachedAt <= due ? "met" : "missed", dueAt: due, reachedAt }
  const judgedAt = ticket.pausedSince ?? asOf
  if (breachedAt !== undefined || due < judgedAt) return { state: "breached", dueAt: due }
  return {
    state: ticket.pausedSince === undefined ? "running" : "paused",
    dueAt: due,
    remainingMs: calendar === undefined ? undefined : BusinessHours.between(calendar, judgedAt, due)
  }
}

/**
 * The state of both targets of `ticket` at `asOf`, from the due times on the ticket. (Without the
 * ticket's profile or calendar in `config` any more, `remainingMs` is left out.)
 */
export const stateOf = (config: ServiceConfig, ticket: Ticket, asOf: string): SlaState => {
  const profile = config.slaProfiles[ticket.slaProfile]
  const calendar = profile === undefined ? undefined : config.calendars[profile.calendar]
  return {
    firstResponse: targetState(calendar, ticket, ticket.firstResponseDueAt, ticket.firstResponseAt, ticket.firstResponseBreachedAt, asOf),
    resolution: targetState(calendar, ticket, ticket.resolutionDueAt, ticket.resolvedAt, ticket.resolutionBreachedAt, asOf)
  }
}
