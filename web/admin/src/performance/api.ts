import type { components, paths } from '@anjia/shared/src/api/schema'
import { api } from '../api/client'

export type MonthInfo = components['schemas']['MonthOut']
export type RankingRow = components['schemas']['RankingRow']
export type RankingPage = components['schemas']['RankingPage']
export type Trend = components['schemas']['TrendOut']
export type Scorecard = components['schemas']['ScorecardOut']
export type RewardRule = components['schemas']['RewardRuleOut']
export type RuleBody = components['schemas']['RewardRuleIn']
export type RulePatch = components['schemas']['RewardRulePatch']
export type RankingQuery = NonNullable<paths['/api/v1/admin/performance/months/{month}']['get']['parameters']['query']>
export type Sort = NonNullable<RankingQuery['sort']>

const month = (m: string) => ({ path: { month: m } })

/** Monthly performance (performance.read; evaluate, publish and rules: performance.write, audited). */
export const performanceApi = {
  months: () => api.GET('/api/v1/admin/performance/months'),
  ranking: (m: string, query: RankingQuery) => api.GET('/api/v1/admin/performance/months/{month}', { params: { ...month(m), query } }),
  evaluate: (m: string) => api.POST('/api/v1/admin/performance/months/{month}/evaluate', { params: month(m) }),
  publish: (m: string) => api.POST('/api/v1/admin/performance/months/{month}/publish', { params: month(m) }),
  trend: (workerId: number) => api.GET('/api/v1/admin/performance/workers/{worker_id}/trend', { params: { path: { worker_id: workerId } } }),
  rules: () => api.GET('/api/v1/admin/performance/rules'),
  createRule: (body: RuleBody) => api.POST('/api/v1/admin/performance/rules', { body }),
  updateRule: (id: number, body: RulePatch) => api.PATCH('/api/v1/admin/performance/rules/{rule_id}', { params: { path: { rule_id: id } }, body }),
  archiveRule: (id: number) => api.DELETE('/api/v1/admin/performance/rules/{rule_id}', { params: { path: { rule_id: id } } }),
}
