/** 我的绩效 (worker token, over the shared typed client). */
import { ok } from '@anjia/shared/src/api/client'
import type { components } from '@anjia/shared/src/api/schema'
import { useApi } from '@anjia/shared/src/uni/session'

export type Performance = components['schemas']['WorkerPerformanceOut']
export type Scorecard = components['schemas']['ScorecardOut']
export type Factor = components['schemas']['FactorOut']
export type Reward = components['schemas']['RewardOut']
export type RuleBrief = components['schemas']['RewardRuleBrief']

export const performanceApi = {
  mine: () => ok(useApi().raw.GET('/api/v1/worker/performance', { params: { query: { months: 12 } } })),
}
