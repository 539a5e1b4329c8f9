/** A worker process of the cross-process number-range test, on the SQLite store. */
import { SqliteStore } from "@partnerkit/storage-sqlite"
import { runWorker } from "../../../storage-sql/test/support/DrawWorker.js"

void runWorker((config) => SqliteStore.layer(config as SqliteStore.Config))
