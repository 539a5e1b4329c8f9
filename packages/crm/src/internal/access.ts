/**
 * Reading an account as an actor may see it: the customer through core's `Customers.display`
 * (authorization group, views), its ownership against the CRM rule; a prospect through the
 * prospect store with the actor's `AccountVisibility`. Hidden and missing are the same answer:
 * `AccountNotFound`.
 *
 * @internal
 */
import { type Actor, type Customer, Customers, Customizing, type Errors } from "@partnerkit/core"
import { Effect, Option } from "effect"
import { AccountOwnershipStore } from "../AccountOwnershipStore.js"
import type { AccountRef } from "../Activity.js"
import * as CrmConfig from "../CrmConfig.js"
import { AccountNotFound } from "../CrmErrors.js"
import { type AccountVisibility, inScope, type Ownership } from "../Ownership.js"
import type { Prospect } from "../Prospect.js"
import { ProspectStore } from "../ProspectStore.js"

export type Account =
  | { readonly kind: "customer"; readonly customer: Customer.CustomerRecord; readonly ownership: Option.Option<Ownership> }
  | { readonly kind: "prospect"; readonly prospect: Prospect }

export const make = Effect.gen(function* () {
  const customizing = yield* Customizing.Current
  const config = yield* CrmConfig.Current
  const customers = yield* Customers.Customers
  const owners = yield* AccountOwnershipStore
  const prospects = yield* ProspectStore
  const tenant = customizing.tenant

  const visibility = (actor: Actor.Actor): AccountVisibility => CrmConfig.visibilityOf(config, actor)

  const customerAccount = (
    actor: Actor.Actor,
    number: string
  ): Effect.Effect<
    Extract<Account, { kind: "customer" }>,
    AccountNotFound | Errors.NotAuthorized | Errors.ValidationFailed | Errors.StorageError
  > =>
    Effect.gen(function* () {
      const customer = yield* customers
        .display({ actor, number })
        .pipe(Effect.catchTag("CustomerNotFound", () => Effect.fail(new AccountNotFound({ tenant, account: { customerNumber: number } }))))
      const ownership = yield* owners.get(tenant, number)
      if (!inScope(visibility(actor).scope, Option.getOrUndefined(ownership))) {
        return yield* Effect.fail(new AccountNotFound({ tenant, account: { customerNumber: number } }))
      }
      return { kind: "customer" as const, customer, ownership }
    })

  const prospectAccount = (actor: Actor.Actor, id: string) =>
    Effect.flatMap(prospects.get(tenant, id, visibility(actor)), (found) =>
      Option.isSome(found)
        ? Effect.succeed({ kind: "prospect" as const, prospect: found.value })
        : Effect.fail(new AccountNotFound({ tenant, account: { prospectId: id } }))
    )

  const account = (
    actor: Actor.Actor,
    ref: AccountRef
  ): Effect.Effect<Account, AccountNotFound | Errors.NotAuthorized | Errors.ValidationFailed | Errors.StorageError> =>
    "customerNumber" in ref ? customerAccount(actor, ref.customerNumber) : prospectAccount(actor, ref.prospectId)

  return { tenant, config, visibility, customerAccount, prospectAccount, account }
})

export type Access = Effect.Effect.Success<typeof make>
