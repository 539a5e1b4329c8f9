/** `npm start --workspace=@partnerkit/example-partners`: the partner scenarios on a fresh memory store. */
import { MemoryStore } from "@partnerkit/storage-memory"
import { runScenarios } from "./scenarios.js"

await runScenarios({ storage: () => MemoryStore.layer() })
