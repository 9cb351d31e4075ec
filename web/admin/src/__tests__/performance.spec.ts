import { describe, expect, it } from 'vitest'
import { emptyRuleForm, formToRule, rankingQuery, ruleToForm, sortOf, trendOption, xlsxUrl } from '../performance/model'
import { performanceEn, performanceZh } from '../performance/messages'

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]))

describe('performance ranking', () => {
  it('builds the query and the export link from the choices', () => {
    expect(rankingQuery({ sort: '-score', regionId: null, serviceId: 3, q: ' 阿姨 ' }, 2, 50)).toEqual({ sort: '-score', page: 2, page_size: 50, service_id: 3, q: '阿姨' })
    expect(xlsxUrl('2026-10', { sort: 'punctuality', regionId: 1 })).toBe('/api/v1/admin/performance/months/2026-10/ranking.xlsx?sort=punctuality&region_id=1')
  })
  it('maps table sorting to the server sort', () => {
    expect(sortOf('punctuality', 'descending')).toBe('-punctuality')
    expect(sortOf('rating_points', 'ascending')).toBe('rating')
    expect(sortOf('score', null)).toBe('-score')
    expect(sortOf('worker_name', 'ascending')).toBe('-score')
  })
  it('draws the score on its own axis and the factors on the other', () => {
    const o = trendOption({ worker_id: 1, worker_name: 'x', months: [], categories: ['2026-09', '2026-10'],
                            series: { score: [80, 90.6], rating: [20, 25.1] } }, (k) => k)
    expect(o.xAxis.data).toEqual(['2026-09', '2026-10'])
    expect(o.series.map((s) => [s.name, s.yAxisIndex])).toEqual([['score', 0], ['rating', 1], ['punctuality', 1], ['completion', 1],
                                                                 ['acceptance', 1], ['overruns', 1], ['complaints', 1]])
    expect(o.series[0].data).toEqual([80, 90.6])
  })
})

describe('reward rule form', () => {
  it('sends a bonus in fen and a badge by name', () => {
    expect(formToRule({ ...emptyRuleForm(), name: ' 金牌奖金 ', amount: '200.5', min_completed: 3 })).toEqual({
      body: { name: '金牌奖金', kind: 'bonus', min_score: 90, below_score: null, min_completed: 3, active: true, amount: 20050 } })
    expect(formToRule({ ...emptyRuleForm(), name: '徽章', kind: 'badge', badge: '金牌阿姨' })).toMatchObject({ body: { badge: '金牌阿姨' } })
  })
  it('says which field is wrong', () => {
    expect(formToRule({ ...emptyRuleForm(), name: '' })).toEqual({ error: 'name' })
    expect(formToRule({ ...emptyRuleForm(), name: 'x', min_score: null, below_score: null })).toEqual({ error: 'range' })
    expect(formToRule({ ...emptyRuleForm(), name: 'x', min_score: 80, below_score: 60, amount: '1' })).toEqual({ error: 'range' })
    expect(formToRule({ ...emptyRuleForm(), name: 'x', amount: '0' })).toEqual({ error: 'amount' })
    expect(formToRule({ ...emptyRuleForm(), name: 'x', amount: '1.234' })).toEqual({ error: 'amount' })
    expect(formToRule({ ...emptyRuleForm(), name: 'x', kind: 'badge', badge: ' ' })).toEqual({ error: 'badge' })
  })
  it('reads a rule back into the form', () => {
    expect(ruleToForm({ id: 1, name: 'b', kind: 'bonus', min_score: 90, below_score: null, min_completed: 3, amount: 20000, badge: null,
                        active: true, updated_at: '2026-11-01T00:00:00Z' }).amount).toBe('200.00')
  })
  it('has every text in both languages', () => {
    expect(keys(performanceEn).sort()).toEqual(keys(performanceZh).sort())
  })
})
