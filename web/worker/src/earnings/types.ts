/** Earnings types: aliases of the generated OpenAPI schemas (`make openapi`). */
import type { components } from '@anjia/shared/src/api/schema'

type S = components['schemas']
export type Summary = S['SummaryOut']
export type PeriodFigures = S['Figures']
export type Earning = S['EarningOut']
export type Statement = S['StatementOut']
export type StatementDetail = S['StatementDetail']
export type StatementLine = S['LineOut']
export type Dispute = S['DisputeOut']
export type Withdrawal = S['WithdrawalOut']
export type StatementStatus = S['StatementOut']['status']
export type WithdrawalStatus = S['WithdrawalOut']['status']
