/**
 * 绩效 in the console (pure, tested in __tests__/performance.spec.ts): the ranking query and its xlsx
 * link, table sorting to the server's sort, the trend chart's ECharts option, and the reward rule
 * form checked into a request body (money typed in yuan, sent in fen).
 */
import type { RankingQuery, RewardRule, RuleBody, Sort, Trend } from './api'

export const FACTORS = ['rating', 'punctuality', 'completion', 'acceptance', 'overruns', 'complaints'] as const
export type FactorKey = (typeof FACTORS)[number]
export const GRADE_TAG: Record<string, 'warning' | 'primary' | 'success' | 'danger'> = { S: 'warning', A: 'primary', B: 'success', C: 'danger' }

export interface RankingChoices {
  sort: Sort
  regionId?: number | null
  serviceId?: number | null
  q?: string
}

export function rankingQuery(c: RankingChoices, page: number, pageSize: number): RankingQuery {
  const q: RankingQuery = { sort: c.sort, page, page_size: pageSize }
  if (c.regionId) q.region_id = c.regionId
  if (c.serviceId) q.service_id = c.serviceId
  if (c.q?.trim()) q.q = c.q.trim()
  return q
}

export function xlsxUrl(month: string, c: RankingChoices): string {
  const params = new URLSearchParams()
  const { page: _p, page_size: _s, ...rest } = rankingQuery(c, 1, 20)
  for (const [k, v] of Object.entries(rest)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  return `/api/v1/admin/performance/months/${month}/ranking.xlsx?${params.toString()}`
}

/** el-table's sort-change (column prop + order) as the server's sort; no order: best score first. */
const COLUMN_SORT: Record<string, string> = { score: 'score', rating_points: 'rating', punctuality: 'punctuality', completion: 'completion',
  acceptance: 'acceptance', overruns: 'overruns', complaints: 'complaints' }
export function sortOf(prop: string | null | undefined, order: 'ascending' | 'descending' | null | undefined): Sort {
  const key = prop ? COLUMN_SORT[prop] : undefined
  if (!key || !order) return '-score'
  return (order === 'descending' ? `-${key}` : key) as Sort
}

/** The worker's trend: the score as a bold line on the left axis (0–100), each factor's points as thin lines. */
export function trendOption(trend: Trend, labelOf: (key: string) => string) {
  const keys = ['score', ...FACTORS]
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: keys.map(labelOf), top: 0, type: 'scroll' },
    grid: { left: 40, right: 40, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: trend.categories },
    yAxis: [{ type: 'value', min: 0, max: 100 }, { type: 'value', min: 0, max: 30, splitLine: { show: false } }],
    series: keys.map((k) => ({
      name: labelOf(k),
      type: 'line',
      yAxisIndex: k === 'score' ? 0 : 1,
      data: trend.series[k] ?? [],
      smooth: false,
      symbolSize: k === 'score' ? 8 : 4,
      lineStyle: { width: k === 'score' ? 3 : 1.5 },
    })),
  }
}

export interface RuleForm {
  name: string
  kind: RuleBody['kind']
  min_score: number | null
  below_score: number | null
  min_completed: number
  /** yuan as typed (bonus) */
  amount: string
  badge: string
  active: boolean
}

export const emptyRuleForm = (): RuleForm => ({ name: '', kind: 'bonus', min_score: 90, below_score: null, min_completed: 0, amount: '', badge: '', active: true })

export function ruleToForm(r: RewardRule): RuleForm {
  return { name: r.name, kind: r.kind, min_score: r.min_score ?? null, below_score: r.below_score ?? null, min_completed: r.min_completed,
    amount: r.amount != null ? (r.amount / 100).toFixed(2) : '', badge: r.badge ?? '', active: r.active }
}

export type RuleError = 'name' | 'range' | 'amount' | 'badge'

/** The body to send, or which field is wrong. */
export function formToRule(f: RuleForm): { body: RuleBody } | { error: RuleError } {
  const name = f.name.trim()
  if (!name || name.length > 64) return { error: 'name' }
  const inRange = (v: number | null) => v === null || (v >= 0 && v <= 100)
  if ((f.min_score === null && f.below_score === null) || !inRange(f.min_score) || !inRange(f.below_score)) return { error: 'range' }
  if (f.min_score !== null && f.below_score !== null && f.min_score >= f.below_score) return { error: 'range' }
  const body: RuleBody = { name, kind: f.kind, min_score: f.min_score, below_score: f.below_score, min_completed: f.min_completed || 0, active: f.active }
  if (f.kind === 'bonus') {
    const m = /^\s*(\d{1,7})(?:\.(\d{1,2}))?\s*$/.exec(f.amount)
    const fen = m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : 0
    if (!fen) return { error: 'amount' }
    body.amount = fen
  }
  if (f.kind === 'badge') {
    const badge = f.badge.trim()
    if (!badge || badge.length > 16) return { error: 'badge' }
    body.badge = badge
  }
  return { body }
}
