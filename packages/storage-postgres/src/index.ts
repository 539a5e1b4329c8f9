/**
 * `@partnerkit/storage-postgres`: partnerkit's production store — every storage port on
 * PostgreSQL, through node-postgres.
 *
 * @packageDocumentation
 */

export * as PostgresCrmStore from "./PostgresCrmStore.js"
export * as PostgresStore from "./PostgresStore.js"
