/** A worker process of the cross-process number-range test, on the PostgreSQL store. */
import { PostgresStore } from "@partnerkit/storage-postgres"
import { runWorker } from "../../../storage-sql/test/support/DrawWorker.js"

void runWorker((config) => PostgresStore.layer(config as PostgresStore.Config))
