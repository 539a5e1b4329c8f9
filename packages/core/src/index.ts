/**
 * `@partnerkit/core`: SAP-grade customer master data as a library.
 *
 * @packageDocumentation
 */
export * as Actor from "./Actor.js"
export * as ChangeDocument from "./ChangeDocument.js"
export * from "./ChangeDocumentStore.js"
export * as Customer from "./Customer.js"
export * as Customizing from "./Customizing.js"
export * from "./CustomerStore.js"
export * as Errors from "./Errors.js"
export * as Messages from "./Messages.js"
export * from "./NumberRangeStore.js"
export * as Storage from "./Storage.js"
export { StoreTransaction } from "./Storage.js"
export * as Presets from "./Presets.js"
export * as Customers from "./Customers.js"
export * as Validation from "./Validation.js"
export * as PartnerKit from "./PartnerKit.js"
export { createPartnerKit } from "./PartnerKit.js"
export * as SalesForce from "./SalesForce.js"
export * from "./SalesForceStore.js"
export * as PartnerDetermination from "./PartnerDetermination.js"
export * as BusinessPartner from "./BusinessPartner.js"
export * from "./KeyMappingStore.js"
export * as Import from "./Import.js"
