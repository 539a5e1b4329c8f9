/**
 * How many independent reads a CRM service runs at once: the 360° view (eight reads), the timeline
 * (four) and `listAccounts` (a page of customers). On a database across a network, concurrent
 * reads overlap their round trips; on a store whose reads run in-process and synchronously
 * (memory, SQLite) they cannot overlap, and forking a fiber per read only allocates (about 25 kB
 * per fiber), which shows as garbage-collection pauses in the latency tail.
 *
 * The default is `"unbounded"`. The memory and SQLite stores provide `1` with their ports; the
 * PostgreSQL store keeps the default. Provide your own value to override either.
 *
 * @example
 * ```ts
 * import { ReadConcurrency } from "@partnerkit/crm"
 * import { Layer } from "effect"
 *
 * // At most four reads at once, e.g. for a small connection pool.
 * const fourAtOnce = Layer.succeed(ReadConcurrency, 4)
 * ```
 */
import { Context } from "effect"

export class ReadConcurrency extends Context.Reference<ReadConcurrency>()("@partnerkit/crm/ReadConcurrency", {
  defaultValue: (): number | "unbounded" => "unbounded"
}) {}
