/**
 * Money types of the console, aliases of the generated OpenAPI schema (web/shared/src/api/schema.d.ts,
 * `make openapi` regenerates it).
 */
import type { components, paths } from '@anjia/shared/src/api/schema'

type S = components['schemas']

export type Payment = S['PaymentOut']
export type Refund = S['RefundOut']
export type PaymentIssues = S['IssuesOut']
export type NotificationIssue = S['NotificationIssue']
export type OrderMoney = S['OrderMoneyOut']
export type OfflineBody = S['OfflineIn']
export type RefundBody = S['RefundIn']

export type PaymentQuery = NonNullable<paths['/api/v1/admin/payments']['get']['parameters']['query']>
export type PaymentStatus = NonNullable<PaymentQuery['status']>
export type PaymentProvider = NonNullable<PaymentQuery['provider']>
export type RefundStatus = Refund['status']
export type OfflineMethod = OfflineBody['method']
