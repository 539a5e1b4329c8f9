/**
 * `@partnerkit/storage-sql`: the schema, migrations and queries shared by partnerkit's SQL stores,
 * written once on `@effect/sql`. Dialect packages (`@partnerkit/storage-sqlite`,
 * `@partnerkit/storage-postgres`) add the engine-specific parts through a `Dialect`.
 *
 * @packageDocumentation
 */

export * as SqlCrmStore from "./crm/SqlCrmStore.js"
export * as Dialect from "./Dialect.js"
export * as Migrations from "./Migrations.js"
export * as SqlStore from "./SqlStore.js"
