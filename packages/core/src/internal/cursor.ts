import { Effect, Option } from "effect"
import { ValidationFailed } from "../Errors.js"
import type { Message } from "../Messages.js"

/** Cursors are opaque to callers: base64url of a small JSON object. */
export const encode = (value: Record<string, string | number>): string =>
  Buffer.from(JSON.stringify(value), "utf8").toString("base64url")

const invalid = (detail: string): ValidationFailed => {
  const message: Message = { id: "INPUT_INVALID", severity: "error", path: "cursor", text: detail, params: { detail } }
  return new ValidationFailed({ messages: [message], all: [message] })
}

/** Decodes a cursor made by `encode`, checking the type of `key`. */
export const decode = <T extends "string" | "number">(
  cursor: string | undefined,
  key: string,
  type: T
): Effect.Effect<Option.Option<T extends "string" ? string : number>, ValidationFailed> => {
  if (cursor === undefined) return Effect.succeed(Option.none())
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"))
    const field = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined
    if (typeof field === type) return Effect.succeed(Option.some(field as T extends "string" ? string : number))
  } catch {
    // fall through to the typed error
  }
  return Effect.fail(invalid("the cursor is not one this API returned"))
}
