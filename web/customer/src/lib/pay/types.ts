/** Payment types: aliases of the generated OpenAPI schemas (`make openapi`). */
import type { components } from '@anjia/shared/src/api/schema'

type S = components['schemas']
export type Payment = S['PaymentOut']
export type PaymentStatus = S['PaymentOut']['status']
export type Checkout = S['CheckoutOut']
export type OrderMoney = S['OrderMoneyOut']
export type PayMethod = S['MethodOut']
export type Refund = S['RefundOut']
export type RefundStatus = S['RefundOut']['status']
export type Balance = S['BalanceOut']
export type BalanceEntry = S['BalanceEntry']
export type MethodName = S['PayIn']['method']
export type Channel = NonNullable<S['PayIn']['channel']>
