import { Clock, Effect } from "effect"
import type { z } from "zod"
import * as Actor from "../Actor.js"
import type { Customizing } from "../Customizing.js"
import { NotAuthorized, ValidationFailed } from "../Errors.js"
import type { Message } from "../Messages.js"

/** Every operation input carries the actor. */
export interface WithActor {
  readonly actor: Actor.Actor
}

export const now = Clock.currentTimeMillis.pipe(Effect.map((ms) => new Date(ms).toISOString()))

export const inputInvalid = (issues: ReadonlyArray<{ path: string; detail: string }>): ValidationFailed => {
  const messages: Array<Message> = issues.map(({ path, detail }) => ({
    id: "INPUT_INVALID",
    severity: "error",
    path,
    text: detail,
    params: { detail }
  }))
  return new ValidationFailed({ messages, all: messages })
}

/** Parses an operation input (without its actor) and the actor. */
export const parse = <S extends z.ZodType>(
  schema: S,
  input: WithActor & object
): Effect.Effect<{ readonly actor: Actor.Actor; readonly data: z.infer<S> }, ValidationFailed> =>
  Effect.suspend(() => {
    const { actor, ...rest } = input as WithActor & Record<string, unknown>
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

export const notAuthorized = (actor: Actor.Actor, reason: NotAuthorized["reason"], detail: string) =>
  new NotAuthorized({ reason, actor: actor.userId, detail })

export const requireActivity = (customizing: Customizing, actor: Actor.Actor, activity: Actor.Activity) =>
  actor.tenant !== customizing.tenant
    ? Effect.fail(notAuthorized(actor, "tenant", `tenant ${actor.tenant} does not match the customizing's tenant ${customizing.tenant}`))
    : Actor.mayPerform(actor, activity)
      ? Effect.void
      : Effect.fail(notAuthorized(actor, "activity", `activity ${activity}`))

