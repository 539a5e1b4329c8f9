/**
 * Helpers every CRM service uses: input parsing with the actor, the tenant and activity check,
 * time, ids and opaque cursors. (Core keeps its own equivalents internal; these follow them.)
 *
 * @internal
 */
import { randomBytes } from "node:crypto"
import { Actor, Errors, type Messages } from "@partnerkit/core"
import { Clock, Effect, Option } from "effect"
import type { z } from "zod"

/** Every operation input carries the actor. */
export interface WithActor {
  readonly actor: Actor.Actor
}

export const now = Clock.currentTimeMillis.pipe(Effect.map((ms) => new Date(ms).toISOString()))

export const inputInvalid = (issues: ReadonlyArray<{ path: string; detail: string }>): Errors.ValidationFailed => {
  const messages: Array<Messages.Message> = issues.map(({ path, detail }) => ({
    id: "INPUT_INVALID",
    severity: "error",
    path,
    text: detail,
    params: { detail }
  }))
  return new Errors.ValidationFailed({ messages, all: messages })
}

/** Parses an operation input (without its actor) and the actor. */
export const parse = <S extends z.ZodType>(
  schema: S,
  input: WithActor & object
): Effect.Effect<{ readonly actor: Actor.Actor; readonly data: z.infer<S> }, Errors.ValidationFailed> =>
  Effect.suspend(() => {
    const { actor, ...rest } = (input ?? {}) as WithActor & Record<string, unknown>
    const issues: Array<{ path: string; detail: string }> = []
    const actorResult = Actor.ActorSchema.safeParse(actor)
    if (!actorResult.success) {
      for (const i of actorResult.error.issues) issues.push({ path: ["actor", ...i.path].join("."), detail: i.message })
    }
    const dataResult = schema.safeParse(rest)
    if (!dataResult.success) {
      for (const i of dataResult.error.issues) issues.push({ path: i.path.map(String).join(".") || "(input)", detail: i.message })
    }
    if (!actorResult.success || !dataResult.success) return Effect.fail(inputInvalid(issues))
    return Effect.succeed({ actor: actorResult.data, data: dataResult.data as z.infer<S> })
  })

export const notAuthorized = (actor: Actor.Actor, reason: Errors.NotAuthorized["reason"], detail: string) =>
  new Errors.NotAuthorized({ reason, actor: actor.userId, detail })

/** The actor belongs to `tenant` and may perform `activity`. */
export const requireActivity = (tenant: string, actor: Actor.Actor, activity: Actor.Activity) =>
  actor.tenant !== tenant
    ? Effect.fail(notAuthorized(actor, "tenant", `tenant ${actor.tenant} does not match the CRM's tenant ${tenant}`))
    : Actor.mayPerform(actor, activity)
      ? Effect.void
      : Effect.fail(notAuthorized(actor, "activity", `activity ${activity}`))

/** The actor may assign `group` (it has it itself), or there is none. */
export const requireGroup = (actor: Actor.Actor, group: string | undefined) =>
  group === undefined || Actor.mayUseGroup(actor, group)
    ? Effect.void
    : Effect.fail(notAuthorized(actor, "authorizationGroup", `authorization group ${group}`))

/**
 * A new id: `prefix`, the creation time (base 36, fixed width, so ids sort by creation) and 8
 * random hex digits.
 */
export const newId = (prefix: string) =>
  Effect.map(Clock.currentTimeMillis, (ms) => `${prefix}${ms.toString(36).padStart(9, "0")}${randomBytes(4).toString("hex")}`)

/** Removes keys whose value is `undefined`, so records compare and serialise cleanly. */
export const compact = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T

/** Cursors are opaque to callers: base64url of a small JSON object. */
export const encodeCursor = (value: Record<string, unknown>): string => Buffer.from(JSON.stringify(value), "utf8").toString("base64url")

const invalidCursor = () => inputInvalid([{ path: "cursor", detail: "the cursor is not one this API returned" }])

/** Decodes a cursor made by `encodeCursor`, checking its shape with `check`. */
export const decodeCursor = <A>(
  cursor: string | undefined,
  check: (value: Record<string, unknown>) => A | undefined
): Effect.Effect<Option.Option<A>, Errors.ValidationFailed> => {
  if (cursor === undefined) return Effect.succeed(Option.none())
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"))
    const checked = typeof value === "object" && value !== null ? check(value as Record<string, unknown>) : undefined
    if (checked !== undefined) return Effect.succeed(Option.some(checked))
  } catch {
    // fall through to the typed error
  }
  return Effect.fail(invalidCursor())
}

/** The `after` key of a cursor made for a list ordered by one string key (`{ after: last.id }`). */
export const decodeAfter = (cursor: string | undefined): Effect.Effect<Option.Option<string>, Errors.ValidationFailed> =>
  decodeCursor(cursor, (v) => (typeof v.after === "string" ? v.after : undefined))

/**
 * The page of `rows` read with `limit + 1` (the extra row only says that more follow): its first
 * `limit` items and, when more follow, the cursor `cursorOf` makes of the last one.
 */
export const pageOf = <A>(rows: ReadonlyArray<A>, limit: number, cursorOf: (last: A) => Record<string, unknown>): Page<A> => {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(cursorOf(last)) } : { items }
}

/** A page of results; pass `nextCursor` back as `cursor` for the next page (absent on the last one). */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly nextCursor?: string
}
