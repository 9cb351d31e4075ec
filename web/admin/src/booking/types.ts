/**
 * Booking types, derived from the generated OpenAPI schema (web/shared/src/api/schema.d.ts, regenerate with
 * `npm run gen -w shared`). Contract: docs/api.md "# Booking (issue 4)".
 */
import type { components, paths } from '@anjia/shared/src/api/schema'

type S = components['schemas']

export type PricingKind = S['ServiceOut']['pricing_kind']
export type OptionType = S['Option']['type']
export type { OrderStatus } from '@anjia/shared/src/api/client'

export type ServiceItem = S['Item']
export type OptionChoice = S['Choice']
export type ServiceOption = S['Option']
export type Service = S['ServiceOut']
export type ServiceSummary = S['ServiceSummary']
export type ServiceInput = S['ServiceCreate']
export type ServicePatch = S['ServiceUpdate']
export type Category = S['CategoryOut']
export type CategoryInput = S['CategoryIn']
export type RegionPrice = S['RegionPriceIn']
export type Region = S['RegionOut']
export type RegionInput = S['RegionIn']
export type BookingRules = S['RulesOut']
export type BookingRulesInput = S['RulesIn']
export type Holiday = S['HolidayOut']
export type QuoteLine = S['QuoteLine']
export type Quote = S['QuoteOut']
export type TimelineEntry = S['TimelineEntry']
export type OrderSummary = S['AdminOrderSummary']
export type Order = S['OrderOut']
export type WeeklyRange = S['WeeklyRange']
export type Leave = S['LeaveOut']
export type LeaveInput = S['LeaveIn']
export type Worker = S['WorkerOut']
export type WorkerPatch = S['WorkerUpdate']
export type WorkerAvailability = S['WorkerAvailabilityOut']

/** Order.address is an object in the schema: the snapshot of the customer's address. */
export type OrderAddress = Partial<S['AddressOut']>

export type OrderQuery = NonNullable<paths['/api/v1/admin/orders']['get']['parameters']['query']>
