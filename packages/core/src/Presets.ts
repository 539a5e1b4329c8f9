/**
 * Two ready-made customizings from `domain.md` §3, as plain data you can inspect, extend with
 * `Customizing.merge`, or replace:
 *
 * - `standard`: the SAP standard style — `0001` sold-to (C0001–C9999), `0002` ship-to (D…),
 *   `0003` bill-to (E…), `0004` payer (F…), `CPD` one-time customers.
 * - `manufacturer`: a manufacturer's own groups `1110`…`1620`, with domestic numbers external
 *   and meaningful (10 digits: `2`, the branch's last two digits, a liaison-office code, a running
 *   sequence) and foreign numbers internal.
 *
 * @example
 * ```ts
 * import { Customizing, Presets } from "@partnerkit/core"
 *
 * const customizing = Customizing.makeOrThrow(Presets.standard("acme"))
 * customizing.accountGroups["0001"]?.numberRange // "C"
 * ```
 * @module
 */
import { type AccountGroupInput, type CustomizingInput, type FieldStatus, standardPartnerFunctions } from "./Customizing.js"

type Status = Partial<Record<string, FieldStatus>>

const address: Status = { name: "required", street: "required", postalCode: "required", city: "required", country: "required" }

/** The SAP standard style: 0001 sold-to, 0002 ship-to, 0003 bill-to, 0004 payer, CPD one-time. */
export const standard = (tenant: string): CustomizingInput => ({
  tenant,
  org: {
    companyCodes: {
      "1000": { name: "Partnerkit Germany", country: "DE" },
      "2000": { name: "Partnerkit France", country: "FR" }
    },
    salesOrganizations: {
      "1000": { name: "Sales Germany", companyCode: "1000" },
      "2000": { name: "Sales France", companyCode: "2000" }
    },
    distributionChannels: {
      "10": { name: "Direct sales" },
      "20": { name: "Distributor" },
      "30": { name: "Export" }
    },
    divisions: { "00": { name: "Cross-division" }, "10": { name: "Machines" } },
    salesAreas: ["1000/10/00", "1000/20/00", "1000/30/00", "1000/10/10", "2000/10/00", "2000/20/00"]
  },
  numberRanges: {
    C: { kind: "internal", prefix: "C", digits: 4, from: 1, to: 9999 },
    D: { kind: "internal", prefix: "D", digits: 4, from: 1, to: 9999 },
    E: { kind: "internal", prefix: "E", digits: 4, from: 1, to: 9999 },
    F: { kind: "internal", prefix: "F", digits: 4, from: 1, to: 9999 },
    CPD: { kind: "internal", prefix: "CPD", digits: 3, from: 1, to: 999 }
  },
  accountGroups: {
    "0001": {
      name: "Sold-to party",
      numberRange: "C",
      partnerProcedure: "SOLD_TO",
      fieldStatus: {
        general: { ...address, language: "required" },
        companyCode: { reconciliationAccount: "required", paymentTerms: "required" },
        salesArea: { currency: "required" }
      }
    },
    "0002": {
      name: "Ship-to party",
      numberRange: "D",
      partnerProcedure: "SHIP_TO",
      companyCodeViews: false,
      fieldStatus: {
        general: address,
        salesArea: { paymentTerms: "suppressed", currency: "suppressed", priceGroup: "suppressed" }
      }
    },
    "0003": {
      name: "Bill-to party",
      numberRange: "E",
      partnerProcedure: "BILL_TO",
      companyCodeViews: false,
      fieldStatus: { general: address, salesArea: { deliveringPlant: "suppressed", shippingConditions: "suppressed" } }
    },
    "0004": {
      name: "Payer",
      numberRange: "F",
      partnerProcedure: "PAYER",
      fieldStatus: {
        general: address,
        companyCode: { reconciliationAccount: "required", paymentTerms: "required" },
        salesArea: { deliveringPlant: "suppressed", shippingConditions: "suppressed" }
      }
    },
    CPD: {
      name: "One-time customer",
      numberRange: "CPD",
      oneTime: true,
      partnerProcedure: "ONE_TIME",
      fieldStatus: {
        general: { street: "suppressed", houseNumber: "suppressed", phone: "suppressed", email: "suppressed", country: "required" },
        companyCode: { reconciliationAccount: "required" }
      }
    }
  },
  lists: {
    currencies: { EUR: "Euro", USD: "US dollar", CNY: "Renminbi", GBP: "Pound sterling", CHF: "Swiss franc" },
    reconciliationAccounts: { "140000": "Receivables domestic", "140100": "Receivables foreign", "140200": "Receivables affiliates" }
  },
  partnerProcedures: {
    SOLD_TO: {
      name: "Sold-to party",
      functions: {
        SP: { mandatory: true, unique: true, changeable: false, self: true, accountGroups: ["0001"] },
        SH: { mandatory: true, self: true, accountGroups: ["0001", "0002"] },
        BP: { mandatory: true, unique: true, self: true, accountGroups: ["0001", "0003"] },
        PY: { mandatory: true, unique: true, self: true, accountGroups: ["0001", "0004"] },
        CP: {},
        ER: { unique: true }
      }
    },
    SHIP_TO: { name: "Ship-to party", functions: { SH: { mandatory: true, unique: true, self: true, accountGroups: ["0002"] } } },
    BILL_TO: { name: "Bill-to party", functions: { BP: { mandatory: true, unique: true, self: true, accountGroups: ["0003"] } } },
    PAYER: { name: "Payer", functions: { PY: { mandatory: true, unique: true, self: true, accountGroups: ["0004"] } } },
    ONE_TIME: {
      name: "One-time customer",
      functions: {
        SP: { mandatory: true, unique: true, changeable: false, self: true, accountGroups: ["CPD"] },
        SH: { mandatory: true, unique: true, self: true, accountGroups: ["CPD"] },
        BP: { mandatory: true, unique: true, self: true, accountGroups: ["CPD"] },
        PY: { mandatory: true, unique: true, self: true, accountGroups: ["CPD"] },
        ER: { unique: true }
      }
    }
  },
  messages: {}
})

const soldToGroups = ["1110", "1120", "1210", "1220", "1510", "1520", "1610", "1620"]

const domesticSoldTo: Status = {
  name: "required",
  street: "required",
  postalCode: "required",
  city: "required",
  country: "required",
  phone: "required",
  fax: "required",
  notes: "required"
}

const group = (name: string, numberRange: string, extra: Partial<AccountGroupInput> = {}): AccountGroupInput => ({
  name,
  numberRange,
  partnerProcedure: "DIRECT",
  fieldStatus: {
    general: domesticSoldTo,
    companyCode: { reconciliationAccount: "required", paymentTerms: "required" },
    salesArea: { currency: "required", customerGroup: "required" }
  },
  ...extra
})

const shipTo = (name: string, numberRange: string): AccountGroupInput => ({
  name,
  numberRange,
  partnerProcedure: "SHIP_TO",
  companyCodeViews: false,
  fieldStatus: { general: address, salesArea: { paymentTerms: "suppressed", currency: "suppressed" } }
})

/**
 * A manufacturer's own configuration (domain.md §3): head office `F001` with branches `F011`
 * (Puxi) and `F015` (Guangzhou), each sales organisation in its own company code; channel `40`
 * is the head office selling to a branch. Postal-code placeholders are errors here, because the
 * manual's "enter zeros if unknown" habit must stop.
 */
export const manufacturer = (tenant: string): CustomizingInput => ({
  tenant,
  org: {
    companyCodes: {
      F001: { name: "Head office", country: "CN" },
      F011: { name: "Puxi branch", country: "CN" },
      F015: { name: "Guangzhou branch", country: "CN" }
    },
    salesOrganizations: {
      F001: { name: "Head office sales", companyCode: "F001" },
      F011: { name: "Puxi sales", companyCode: "F011" },
      F015: { name: "Guangzhou sales", companyCode: "F015" }
    },
    distributionChannels: {
      "10": { name: "Direct sales" },
      "20": { name: "Distributor" },
      "30": { name: "Export" },
      "40": { name: "Head office to branch" }
    },
    divisions: { "00": { name: "Common" }, "10": { name: "Buses" } },
    salesAreas: [
      "F001/10/00",
      "F001/20/00",
      "F001/30/00",
      "F001/40/00",
      "F001/10/10",
      "F011/10/00",
      "F011/20/00",
      "F011/10/10",
      "F015/10/00",
      "F015/20/00"
    ]
  },
  numberRanges: {
    DOMESTIC: {
      kind: "external",
      digits: 10,
      from: 2000000000,
      to: 2999999999,
      pattern: [
        { kind: "fixed", value: "2" },
        { kind: "orgUnit", unit: "companyCode", length: 2 },
        { kind: "list", label: "liaison office", values: ["001", "002", "003", "101", "102", "201"] },
        { kind: "sequence", length: 4 }
      ]
    },
    FOREIGN: { kind: "internal", digits: 10, from: 3000000000, to: 3099999999 },
    SHIPTO_DOMESTIC: { kind: "internal", digits: 10, from: 5000000000, to: 5099999999 },
    SHIPTO_FOREIGN: { kind: "internal", digits: 10, from: 5100000000, to: 5199999999 },
    BRANCH: { kind: "internal", digits: 10, from: 8000000000, to: 8000000999 },
    AFFILIATE_DOMESTIC: { kind: "internal", digits: 10, from: 7000000000, to: 7000009999 },
    AFFILIATE_FOREIGN: { kind: "internal", digits: 10, from: 7100000000, to: 7100009999 },
    OEM_DOMESTIC: { kind: "internal", digits: 10, from: 6000000000, to: 6000099999 },
    OEM_FOREIGN: { kind: "internal", digits: 10, from: 6100000000, to: 6100099999 }
  },
  accountGroups: {
    "1110": group("Domestic direct customer", "DOMESTIC"),
    "1120": group("Foreign direct customer", "FOREIGN"),
    "1210": group("Domestic distributor", "DOMESTIC"),
    "1220": group("Foreign distributor", "FOREIGN"),
    "1310": shipTo("Domestic ship-to party", "SHIPTO_DOMESTIC"),
    "1320": shipTo("Foreign ship-to party", "SHIPTO_FOREIGN"),
    "1410": group("Branch office", "BRANCH", { partnerProcedure: "BRANCH" }),
    "1510": group("Domestic affiliate", "AFFILIATE_DOMESTIC"),
    "1520": group("Foreign affiliate", "AFFILIATE_FOREIGN"),
    "1610": group("Domestic OEM", "OEM_DOMESTIC"),
    "1620": group("Foreign OEM", "OEM_FOREIGN")
  },
  lists: {
    currencies: { CNY: "Renminbi", USD: "US dollar", EUR: "Euro" },
    customerGroups: { "01": "Public transport", "02": "Tourism", "03": "Private", "04": "Dealer", "05": "Government" },
    reconciliationAccounts: { "1122000000": "Receivables domestic", "1122100000": "Receivables foreign", "1122200000": "Receivables affiliates" },
    paymentTerms: { Z000: "Immediately", Z030: "30 days net", Z060: "60 days net", Z090: "90 days net" }
  },
  partnerFunctions: {
    ...standardPartnerFunctions(),
    // The owner of a sold vehicle, once known (domain.md §5).
    EU: { name: "End user", kind: "customer" }
  },
  partnerProcedures: {
    DIRECT: {
      name: "Sold-to party",
      functions: {
        SP: { mandatory: true, unique: true, changeable: false, self: true, accountGroups: soldToGroups },
        SH: { mandatory: true, self: true, accountGroups: [...soldToGroups, "1310", "1320"] },
        BP: { mandatory: true, unique: true, self: true, accountGroups: soldToGroups },
        PY: { mandatory: true, unique: true, self: true, accountGroups: soldToGroups },
        CP: {},
        ER: { unique: true },
        EU: { accountGroups: ["1110", "1120"] }
      }
    },
    // A head-office order has the branch as sold-to and the end customer as ship-to.
    BRANCH: {
      name: "Branch office",
      functions: {
        SP: { mandatory: true, unique: true, changeable: false, self: true, accountGroups: ["1410"] },
        SH: { mandatory: true, self: true, accountGroups: ["1410", "1110", "1120", "1310", "1320", "1610", "1620"] },
        BP: { mandatory: true, unique: true, self: true, accountGroups: ["1410"] },
        PY: { mandatory: true, unique: true, self: true, accountGroups: ["1410"] },
        CP: {},
        ER: { unique: true },
        EU: { accountGroups: ["1110", "1120"] }
      }
    },
    SHIP_TO: { name: "Ship-to party", functions: { SH: { mandatory: true, unique: true, self: true, accountGroups: ["1310", "1320"] } } }
  },
  // The finance rule of domain.md §5: the invoice goes to the party that pays.
  partnerRules: { samePartner: [["BP", "PY"]] },
  messages: { POSTAL_CODE_PLACEHOLDER: "error" }
})
