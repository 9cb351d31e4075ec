/** Finance (reports, overview, reconciliation) types: aliases of the generated OpenAPI schema. */
import type { components, paths } from '@anjia/shared/src/api/schema'

type S = components['schemas']
type Runs = paths['/api/v1/admin/finance/reconciliation/runs']
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never

export type Overview = S['OverviewOut']
export type ReportOut = S['ReportOut']
export type ReportRow = S['ReportRow']
export type ReportTotals = S['ReportTotals']
export type ReportChart = S['Chart']
export type ReportMetric = S['MetricOut']
export type ReportQuery = NonNullable<paths['/api/v1/admin/finance/reports']['get']['parameters']['query']>
// finance's RunIn/RunOut share their names with settlement's: taken from the paths, not the schema names
export type Run = Json<Runs['post']['responses'][201]>
export type RunIn = Json<NonNullable<Runs['post']['requestBody']>>
export type RunDetail = S['RunDetailOut']
export type Difference = S['DifferenceOut']
export type ResolveBody = S['ResolveIn']
export type RunQuery = NonNullable<paths['/api/v1/admin/finance/reconciliation/runs']['get']['parameters']['query']>
export type DifferenceQuery = NonNullable<paths['/api/v1/admin/finance/reconciliation/runs/{run_id}']['get']['parameters']['query']>
