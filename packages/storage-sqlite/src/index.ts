/**
 * `@partnerkit/storage-sqlite`: partnerkit's embedded default store — every storage port in one
 * SQLite file, through better-sqlite3.
 *
 * @packageDocumentation
 */

export * as SqliteCrmStore from "./SqliteCrmStore.js"
export * as SqliteStore from "./SqliteStore.js"
