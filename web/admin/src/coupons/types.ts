/** Coupon types from the generated `paths` (web/shared/src/api/schema.d.ts). */
import type { paths } from '@anjia/shared/src/api/schema'

type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never
type Ok<Op> = Op extends { responses: { 200: infer R } } ? Json<R> : Op extends { responses: { 201: infer R } } ? Json<R> : never
type Body<Op> = Op extends { requestBody?: infer B } ? Json<NonNullable<B>> : never
type Query<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never

export type AdminCoupon = Ok<paths['/api/v1/admin/coupons']['get']>['items'][number]
export type CouponQuery = Query<paths['/api/v1/admin/coupons']['get']>
export type CouponIssue = Body<paths['/api/v1/admin/coupons']['post']>
export type CouponStatus = AdminCoupon['status']
export type CouponSource = AdminCoupon['source']
export type CustomerHit = Ok<paths['/api/v1/admin/users']['get']>['items'][number]
