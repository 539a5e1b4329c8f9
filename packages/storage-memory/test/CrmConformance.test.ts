import { MemoryCrmStore } from "@partnerkit/storage-memory"
import { runCrmConformance } from "@partnerkit/testkit"

runCrmConformance({ name: "memory", layer: MemoryCrmStore.layer() })
