/**
 * Settlement types (commission rules, statements, disputes, withdrawals), taken from the generated `paths`
 * (web/shared/src/api/schema.d.ts): several request schemas share their names with other domains'.
 */
import type { paths } from '@anjia/shared/src/api/schema'

type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never
type Ok<Op> = Op extends { responses: { 200: infer R } } ? Json<R> : Op extends { responses: { 201: infer R } } ? Json<R> : never
type Body<Op> = Op extends { requestBody?: infer B } ? Json<NonNullable<B>> : never
type Query<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never
const P = '/api/v1/admin/settlement' as const
type A<S extends string> = paths[`${typeof P}${S}` & keyof paths]

export type CommissionRule = Ok<A<'/rules'>['get']>[number]
export type RuleCreate = Body<A<'/rules'>['post']>
export type RulePatch = Body<A<'/rules/{rule_id}'>['patch']>
export type Statement = Ok<A<'/statements'>['get']>['items'][number]
export type StatementQuery = Query<A<'/statements'>['get']>
export type StatementFull = Ok<A<'/statements/{statement_id}'>['get']>
export type StatementLine = StatementFull['lines'][number]
export type StatementRun = Body<A<'/runs'>['post']>
export type StatementRunResult = Ok<A<'/runs'>['post']>
export type Payout = Body<A<'/statements/{statement_id}/pay'>['post']>
export type Dispute = Ok<A<'/disputes'>['get']>['items'][number]
export type DisputeQuery = Query<A<'/disputes'>['get']>
export type DisputeAccept = Body<A<'/disputes/{dispute_id}/accept'>['post']>
export type DisputeReject = Body<A<'/disputes/{dispute_id}/reject'>['post']>
export type Withdrawal = Ok<A<'/withdrawals'>['get']>['items'][number]
export type WithdrawalQuery = Query<A<'/withdrawals'>['get']>
export type WithdrawalReject = Body<A<'/withdrawals/{withdrawal_id}/reject'>['post']>
export type StatementStatus = Statement['status']
export type DisputeStatus = Dispute['status']
export type WithdrawalStatus = Withdrawal['status']
