/**
 * `@partnerkit/crm`: CRM on partnerkit's customer master. An account is a core customer (or a
 * prospect that becomes one through core's `Customers.create`), a contact is a core contact
 * person; the CRM adds prospects, ownership and visibility, contact preferences, activities and
 * follow-ups, the account timeline and the 360° view — as Effect services and through
 * `createCrm`, with storage ports every partnerkit store implements.
 *
 * @packageDocumentation
 */
export * as Account360 from "./Account360.js"
export * from "./AccountOwnershipStore.js"
export * as Accounts from "./Accounts.js"
export * as Activities from "./Activities.js"
export * as Activity from "./Activity.js"
export * from "./ActivityStore.js"
export * as BusinessHours from "./BusinessHours.js"
export * as ContactPreference from "./ContactPreference.js"
export * from "./ContactPreferenceStore.js"
export * as Crm from "./Crm.js"
export { createCrm } from "./Crm.js"
export * as CrmConfig from "./CrmConfig.js"
export * as CrmErrors from "./CrmErrors.js"
export * as CrmStorage from "./CrmStorage.js"
export * as Lead from "./Lead.js"
export * from "./LeadStore.js"
export * as Leads from "./Leads.js"
export * as Opportunities from "./Opportunities.js"
export * as Opportunity from "./Opportunity.js"
export * from "./OpportunityStore.js"
export * as Ownership from "./Ownership.js"
export * as Prospect from "./Prospect.js"
export * from "./ProspectStore.js"
export * as SalesConfig from "./SalesConfig.js"
export * as SalesErrors from "./SalesErrors.js"
export * as ServiceConfig from "./ServiceConfig.js"
export * as Sla from "./Sla.js"
export * as Ticket from "./Ticket.js"
export * from "./TicketStore.js"
export * as Tickets from "./Tickets.js"
export * as Timeline from "./Timeline.js"
