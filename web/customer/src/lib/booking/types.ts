/**
 * Booking types: aliases of the generated OpenAPI schemas (web/shared/src/api/schema.d.ts, `make openapi`).
 * Contract: docs/api.md "# Booking (issue 4)".
 */
import type { components } from '@anjia/shared/src/api/schema'

type S = components['schemas']
/** A request body whose field K the server defaults (openapi-typescript marks defaulted fields required). */
type Defaulted<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>

export type PricingKind = S['ServiceOut']['pricing_kind']
export type OptionType = S['Option']['type']
export type OptionValue = NonNullable<S['Option']['default']>
export type ServiceSummary = S['ServiceSummary']
export type Category = S['CategoryOut']
export type Choice = S['Choice']
export type ServiceOption = S['Option']
export type ServiceItem = S['Item']
export type Service = S['ServiceOut']
export type QuoteItem = S['QuoteItem']
export type QuoteRequest = S['QuoteRequest']
export type QuoteLine = S['QuoteLine']
export type Quote = S['QuoteOut']
export type ServiceReviews = S['ServiceReviewsOut']
export type Region = S['RegionOut']
export type Address = S['AddressOut']
export type AddressInput = Defaulted<S['AddressIn'], 'is_default'>
export type Slot = S['Slot']
export type Availability = S['AvailabilityOut']
export type OrderCreate = Defaulted<S['OrderRequest'], 'notes' | 'no_coupon'>
export type CheckoutQuoteBody = Defaulted<S['CheckoutQuoteIn'], 'no_coupon'>
export type CheckoutQuote = S['CheckoutQuoteOut']
export type OrderSummary = S['OrderSummary']
export type Order = S['OrderOut']
export type OrderPatch = S['OrderChange']
export type TimelineEntry = S['TimelineEntry']
export type CancelReason = S['CancelRequest']['reason_code']
export type Rebook = S['RebookOut']
export type PlanCreate = Defaulted<S['PlanRequest'], 'notes'>
export type PlanPatch = S['PlanChange']
export type Plan = S['PlanOut']
export type Frequency = S['PlanRequest']['frequency']
export type Weekday = NonNullable<S['PlanRequest']['weekdays']>[number]
export type { OrderStatus } from '@anjia/shared/src/api/client'

/** What was asked for: `request` of an order or a plan (an object in the schema) read with the request's field types. */
export type WorkRequest = Partial<Pick<OrderCreate, 'items' | 'options' | 'hours' | 'start_date' | 'end_date' | 'daily_hours'>>
export const requestOf = (o: { request?: Record<string, unknown> | null }): WorkRequest => (o.request ?? {}) as WorkRequest

/** The address snapshot of an order (an object in the schema) read with the address's field types. */
export type AddressSnapshot = Partial<Address>
export const addressOf = (o: { address?: Record<string, unknown> | null }): AddressSnapshot => (o.address ?? {}) as AddressSnapshot
