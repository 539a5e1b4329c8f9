/**
 * The Promise door: `createPartnerKit({ customizing, storage })` runs the same Effect services
 * for callers who do not use Effect. Each method returns a Promise that resolves with the
 * operation's result or rejects with the operation's typed error — the same `Errors` classes as
 * in Effect, so `instanceof` and `_tag` both work. Unexpected defects reject with the original
 * exception.
 *
 * @example
 * ```ts
 * import { Actor, createPartnerKit, Errors, Presets } from "@partnerkit/core"
 * import { MemoryStore } from "@partnerkit/storage-memory"
 *
 * const kit = await createPartnerKit({ customizing: Presets.standard("acme"), storage: MemoryStore.layer() })
 * const actor = Actor.superUser("acme", "jane")
 * try {
 *   const { customer } = await kit.customers.create({
 *     actor,
 *     accountGroup: "0002",
 *     general: { name: "Acme Warehouse", street: "Dock 4", postalCode: "20457", city: "Hamburg", country: "DE" }
 *   })
 *   console.log(customer.number) // D0001
 * } catch (error) {
 *   if (error instanceof Errors.ValidationFailed) console.error(error.messages)
 *   else throw error
 * } finally {
 *   await kit.close()
 * }
 * ```
 * @module
 */
import { Cause, Effect, Exit, Layer, ManagedRuntime } from "effect"
import { BusinessPartners, type BusinessPartnersShape, layer as businessPartnersLayer } from "./BusinessPartner.js"
import { CustomerSearch, type CustomerSearchShape, layer as customerSearchLayer } from "./CustomerSearch.js"
import { Customers, type CustomersShape, layer as customersLayer } from "./Customers.js"
import { Current, type Customizing, type CustomizingInput, layer as customizingLayer } from "./Customizing.js"
import { DuplicateCheck, type DuplicateCheckShape, layer as duplicateCheckLayer } from "./DuplicateCheck.js"
import { PartnerDetermination, type PartnerDeterminationShape, layer as determinationLayer } from "./PartnerDetermination.js"
import { SalesForce, type SalesForceShape, layer as salesForceLayer } from "./SalesForce.js"
import type { InvalidCustomizing } from "./Errors.js"
import type * as Storage from "./Storage.js"

export interface PartnerKitOptions {
  /** A customizing object (e.g. `Presets.standard("acme")`); validated once, at start. */
  readonly customizing: CustomizingInput | Customizing
  /** A store's layer, e.g. `MemoryStore.layer()` or `SqliteStore.layer({ filename })`. */
  readonly storage: Storage.Layer
}

/** Every method of an Effect service, as a function returning a Promise. */
export type Promised<S> = {
  readonly [K in keyof S]: S[K] extends (input: infer I) => Effect.Effect<infer A, infer _E, never> ? (input: I) => Promise<A> : never
}

export interface PartnerKit {
  /** The validated customizing. */
  readonly customizing: Customizing
  /** The customer lifecycle: create, change, extend, block, … (see `Customers`), and `search` (see `CustomerSearch`). */
  readonly customers: Promised<CustomersShape & CustomerSearchShape>
  /** Partner determination for orders (see `PartnerDetermination`). */
  readonly partners: Promised<PartnerDeterminationShape>
  /** Sales employees, territories and approval of assignment changes (see `SalesForce`). */
  readonly salesForce: Promised<SalesForceShape>
  /** The S/4HANA business-partner door: groupings, categories, roles (see `BusinessPartner`). */
  readonly businessPartners: Promised<BusinessPartnersShape>
  /**
   * The duplicate check (see `DuplicateCheck` and `docs/guides/data-quality.md`): `check` an input
   * for scored, explained candidates, `scan` the tenant for clusters of probable duplicates,
   * `reindex` the match index after loading customers around the API.
   */
  readonly duplicates: Promised<Pick<DuplicateCheckShape, "check" | "scan">> & { readonly reindex: () => Promise<{ readonly indexed: number }> }
  /** Runs any Effect that needs partnerkit's services, with the same store (for mixing both doors). */
  readonly run: <A, E>(effect: Effect.Effect<A, E, Services>) => Promise<A>
  /** Releases the store (closes connections and files). */
  readonly close: () => Promise<void>
}

/** What `PartnerKit.layer` provides. */
export type Services = Customers | PartnerDetermination | SalesForce | BusinessPartners | DuplicateCheck | CustomerSearch | Current | Storage.Ports

/**
 * Everything partnerkit provides, as one layer for Effect users: the services, the customizing
 * and the store's ports.
 */
export const layer = (options: PartnerKitOptions): Layer.Layer<Services, InvalidCustomizing | Layer.Layer.Error<Storage.Layer>> => {
  const base = Layer.merge(customizingLayer(options.customizing), options.storage)
  const services = Layer.provideMerge(Layer.mergeAll(customersLayer, determinationLayer, salesForceLayer, duplicateCheckLayer, customerSearchLayer), base)
  return Layer.provideMerge(businessPartnersLayer, services)
}

const unwrap = async <A, E>(exit: Promise<Exit.Exit<A, E>>): Promise<A> => {
  const result = await exit
  if (Exit.isSuccess(result)) return result.value
  const failure = Cause.failureOption(result.cause)
  if (failure._tag === "Some") throw failure.value
  throw Cause.squash(result.cause)
}

/**
 * Starts partnerkit: validates the customizing, opens the store (running its migrations when it
 * is configured to), and returns the Promise API. Rejects with `InvalidCustomizing` or the store's
 * error when either cannot start.
 */
export const createPartnerKit = async (options: PartnerKitOptions): Promise<PartnerKit> => {
  const runtime = ManagedRuntime.make(layer(options))
  const run = <A, E>(effect: Effect.Effect<A, E, Services>) => unwrap(runtime.runPromiseExit(effect))
  const services = await run(
    Effect.all({
      customizing: Current,
      customers: Customers,
      search: CustomerSearch,
      partners: PartnerDetermination,
      salesForce: SalesForce,
      businessPartners: BusinessPartners,
      duplicates: DuplicateCheck
    })
  ).catch(async (error: unknown) => {
    await runtime.dispose()
    throw error
  })
  const promise = <S extends object>(service: S): Promised<S> =>
    Object.fromEntries(
      Object.entries(service).map(([name, method]) => [
        name,
        (input: unknown) => run((method as (i: unknown) => Effect.Effect<unknown, unknown>)(input))
      ])
    ) as unknown as Promised<S>
  return {
    customizing: services.customizing,
    customers: { ...promise(services.customers), ...promise(services.search) },
    partners: promise(services.partners),
    salesForce: promise(services.salesForce),
    businessPartners: promise(services.businessPartners),
    duplicates: {
      check: (input) => run(services.duplicates.check(input)),
      scan: (input) => run(services.duplicates.scan(input)),
      reindex: () => run(services.duplicates.reindex())
    },
    run,
    close: () => runtime.dispose()
  }
}
