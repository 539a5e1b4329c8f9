import { MemoryStore } from "@partnerkit/storage-memory"
import { runConformance } from "@partnerkit/testkit"

runConformance({ name: "memory", layer: MemoryStore.layer() })
