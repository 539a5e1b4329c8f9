import { Actor } from "@partnerkit/core"
import { CrmConfig, CrmErrors, Ownership } from "@partnerkit/crm"
import { Either } from "effect"
import { describe, expect, it } from "vitest"

const actor = (userId: string, groups: "*" | Array<string> = "*") =>
  Actor.make({ userId, tenant: "acme", authorizationGroups: groups, companyCodes: "*", salesOrganizations: "*", activities: "*" })

describe("CrmConfig", () => {
  it("fills defaults: the team rule, nobody exempt, follow-ups due within 48 hours", () => {
    expect(CrmConfig.makeOrThrow({})).toEqual(CrmConfig.preset())
    expect(CrmConfig.preset("own").visibility.rule).toBe("own")
  })

  it("reports every problem with its path", () => {
    const result = CrmConfig.make({
      visibility: { rule: "friends" as "own" },
      teams: { NORTH: { members: [""] } },
      followUps: { dueSoonHours: 0 }
    })
    expect(Either.isLeft(result)).toBe(true)
    const error = Either.getLeft(result).pipe((o) => (o._tag === "Some" ? o.value : undefined))
    expect(error).toBeInstanceOf(CrmErrors.InvalidCrmConfig)
    expect(error?.issues.map((i) => i.path).sort()).toEqual(["followUps.dueSoonHours", "teams.NORTH.members.0", "visibility.rule"])
    expect(() => CrmConfig.makeOrThrow({ extra: true } as never)).toThrow(CrmErrors.InvalidCrmConfig)
  })

  it("turns the rule into the actor's scope", () => {
    const config = CrmConfig.makeOrThrow({
      visibility: { rule: "team", unrestrictedUsers: ["boss"] },
      teams: { NORTH: { members: ["li.na", "bo"] }, SOUTH: { members: ["eva", "li.na"] } },
      territories: { HH: { members: ["li.na"] } }
    })
    expect(CrmConfig.scopeOf(config, actor("li.na"))).toEqual({
      kind: "assigned",
      owner: "li.na",
      teams: ["NORTH", "SOUTH"],
      territories: []
    })
    expect(CrmConfig.scopeOf(config, actor("boss"))).toEqual({ kind: "all" })
    expect(CrmConfig.scopeOf({ ...config, visibility: { rule: "territory", unrestrictedUsers: [] } }, actor("li.na"))).toEqual({
      kind: "assigned",
      owner: "li.na",
      teams: [],
      territories: ["HH"]
    })
    expect(CrmConfig.scopeOf({ ...config, visibility: { rule: "own", unrestrictedUsers: [] } }, actor("li.na"))).toEqual({
      kind: "assigned",
      owner: "li.na",
      teams: [],
      territories: []
    })
    expect(CrmConfig.scopeOf({ ...config, visibility: { rule: "all", unrestrictedUsers: [] } }, actor("li.na"))).toEqual({ kind: "all" })
    expect(CrmConfig.visibilityOf(config, actor("li.na", ["G1"])).groups).toEqual({ authorizationGroups: ["G1"] })
  })
})

describe("Ownership.inScope", () => {
  const scope: Ownership.AccountScope = { kind: "assigned", owner: "li.na", teams: ["NORTH"], territories: ["HH"] }
  it("admits the owner, the team and the territory; never an account without ownership", () => {
    expect(Ownership.inScope(scope, { owner: "li.na" })).toBe(true)
    expect(Ownership.inScope(scope, { owner: "bo", team: "NORTH" })).toBe(true)
    expect(Ownership.inScope(scope, { owner: "bo", territory: "HH" })).toBe(true)
    expect(Ownership.inScope(scope, { owner: "bo", team: "SOUTH", territory: "M" })).toBe(false)
    expect(Ownership.inScope(scope, undefined)).toBe(false)
    expect(Ownership.inScope(Ownership.allAccounts, undefined)).toBe(true)
  })
})
