import { describe, expect, it } from 'vitest'
import { formatMoney } from '@anjia/shared/src/format'
import { t } from '@anjia/shared/src/i18n'
import type { Factor } from '../src/performance/api'
import { performanceMessages } from '../src/performance/i18n'
import { barWidth, factorLine, rewardLine, ruleGives, ruleRange, tipFactors, tipLine } from '../src/performance/logic'

const f = (over: Partial<Factor>): Factor => ({ key: 'punctuality', weight: 20, points: 6.7, lost: 13.3, gain: 6.6, rate: 0.3333,
                                                count: 3, misses: 2, minutes: 36, ...over })
const say = (l: { key: string; params?: Record<string, string | number> }) => t(l.key, l.params)

describe('factor lines', () => {
  it('reads each factor with its figures', () => {
    expect(say(factorLine(f({})))).toBe('准时 33% · 3 次上门，迟到 2 次（共 36 分钟）')
    expect(say(factorLine(f({ key: 'rating', rate: 4.67, count: 3 })))).toBe('均分 4.67 · 3 条评价')
    expect(say(factorLine(f({ key: 'completion', rate: 0.6, count: 5, misses: 2 })))).toBe('完成 60% · 接单 5 单，未完成 2 单')
    expect(say(factorLine(f({ key: 'complaints', count: 1 })))).toBe('成立投诉 1 件，每件扣 5 分')
  })
  it('says full points when nothing was counted', () => {
    expect(say(factorLine(f({ key: 'rating', count: 0, rate: null })))).toBe('本月没有新评价，按满分计')
    expect(say(factorLine(f({ key: 'complaints', count: 0 })))).toBe('没有成立的投诉')
  })
  it('draws the bar as the share of the weight', () => {
    expect(barWidth({ points: 6.7, weight: 20 })).toBe(34)
    expect(barWidth({ points: 30, weight: 30 })).toBe(100)
  })
})

describe('what would raise it', () => {
  it('names the misses, the points lost and what one fewer gives', () => {
    expect(say(tipLine(f({})))).toContain('迟到 2 次（共 36 分钟），失 13.3 分；少迟到 1 次可多得 6.6 分')
    expect(say(tipLine(f({ key: 'rating', rate: 3.5, lost: 22.5, gain: 1.5 })))).toContain('评价均分 3.50，失 22.5 分；均分每提高 0.1 可多得 1.5 分')
  })
  it('keeps the server order of the tips', () => {
    const factors = [f({ key: 'rating' }), f({ key: 'punctuality' }), f({ key: 'completion' })]
    expect(tipFactors(factors, ['completion', 'rating']).map((x) => x.key)).toEqual(['completion', 'rating'])
  })
})

describe('rewards and rules', () => {
  it('reads rewards', () => {
    expect(say(rewardLine({ kind: 'bonus', amount: 20000 }, formatMoney))).toBe('绩效奖金 ¥200.00（随下期结算发放）')
    expect(say(rewardLine({ kind: 'level', level_from: 2, level_to: 3 }, formatMoney))).toBe('等级提升 Lv.2 → Lv.3')
    expect(say(rewardLine({ kind: 'badge', badge: '金牌阿姨' }, formatMoney))).toBe('获得徽章「金牌阿姨」')
  })
  it('reads rule ranges', () => {
    expect(say(ruleRange({ min_score: 90, below_score: null }))).toBe('90 分及以上')
    expect(say(ruleRange({ min_score: null, below_score: 60 }))).toBe('低于 60 分')
    expect(say(ruleRange({ min_score: 80, below_score: 90 }))).toBe('80–90 分')
    expect(say(ruleGives({ name: 'x', kind: 'level_up', min_score: 90, below_score: null, min_completed: 0, amount: null, badge: null }, formatMoney))).toBe('等级 +1')
  })
  it('has every string in both languages', () => {
    expect(Object.keys(performanceMessages.en).sort()).toEqual(Object.keys(performanceMessages['zh-CN']).sort())
  })
})

describe('every literal t() key of 我的绩效 exists', () => {
  it('zh-CN and en', async () => {
    const { messages } = await import('@anjia/shared/src/i18n')
    const sources = import.meta.glob(['../src/performance/**/*.{vue,ts}'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>
    const missing: string[] = []
    for (const [f, text] of Object.entries(sources)) {
      for (const m of text.matchAll(/\bt\('([a-zA-Z0-9_.]+)'[,)]/g)) {
        const k = m[1]
        if (k.endsWith('.')) continue
        if (!(messages['zh-CN'] as Record<string, string>)[k] || !(messages.en as Record<string, string>)[k]) missing.push(`${f}: ${k}`)
      }
    }
    expect(Object.keys(sources).length).toBeGreaterThan(3)
    expect(missing).toEqual([])
  })
})
