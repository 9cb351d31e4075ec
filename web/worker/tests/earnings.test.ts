import { describe, expect, it } from 'vitest'
import { messages } from '@anjia/shared/src/i18n'
import { formatMoney } from '@anjia/shared/src/format'
import { earningsMessages } from '../src/earnings/i18n'
import {
  canDispute,
  disputeReasonError,
  EARNING_TONE,
  earningState,
  parseWithdrawal,
  periodText,
  rateText,
  STATEMENT_TONE,
  WITHDRAWAL_TONE,
  yuanText,
} from '../src/earnings/logic'

describe('earningState', () => {
  it('reads pending, in a statement, approved and settled', () => {
    expect(earningState({ settled: false, statement_id: null, statement_status: null })).toBe('pending')
    expect(earningState({ settled: false, statement_id: 3, statement_status: 'draft' })).toBe('inStatement')
    expect(earningState({ settled: false, statement_id: 3, statement_status: 'approved' })).toBe('approved')
    expect(earningState({ settled: true, statement_id: 3, statement_status: 'paid' })).toBe('settled')
    expect(earningState({ settled: false, statement_id: 3, statement_status: 'paid' })).toBe('settled')
  })
})

describe('rateText', () => {
  it('shows basis points as a percentage and a fixed rule in yuan', () => {
    expect(rateText('percent', 2000, formatMoney)).toBe('20%')
    expect(rateText('percent', 1250, formatMoney)).toBe('12.5%')
    expect(rateText('percent', 1275, formatMoney)).toBe('12.75%')
    expect(rateText('percent', 0, formatMoney)).toBe('0%')
    expect(rateText('fixed', 500, formatMoney)).toBe('¥5.00')
  })
})

describe('disputes', () => {
  it('allows one dispute per line', () => {
    expect(canDispute({ dispute: null })).toBe(true)
    expect(canDispute({ dispute: { id: 1 } as never })).toBe(false)
  })
  it('wants a reason of 2 to 200 characters', () => {
    expect(disputeReasonError(' a ')).toBe('dispute.err.short')
    expect(disputeReasonError('时长不对')).toBe('')
    expect(disputeReasonError('x'.repeat(201))).toBe('dispute.err.long')
  })
})

describe('parseWithdrawal', () => {
  it('turns yuan into fen within what can be withdrawn', () => {
    expect(parseWithdrawal('100', 12_000, false)).toEqual({ fen: 10_000 })
    expect(parseWithdrawal('120.00', 12_000, false)).toEqual({ fen: 12_000 })
    expect(parseWithdrawal('0.01', 12_000, false)).toEqual({ fen: 1 })
    expect(parseWithdrawal('120.01', 12_000, false)).toEqual({ error: 'withdraw.err.max' })
  })
  it('refuses while a request is open or nothing is available', () => {
    expect(parseWithdrawal('1', 12_000, true)).toEqual({ error: 'withdraw.err.open' })
    expect(parseWithdrawal('1', 0, false)).toEqual({ error: 'withdraw.err.nothing' })
  })
  it('refuses empty, malformed and zero amounts', () => {
    expect(parseWithdrawal(' ', 100, false)).toEqual({ error: 'withdraw.err.empty' })
    expect(parseWithdrawal('1.005', 10_000, false)).toEqual({ error: 'withdraw.err.format' })
    expect(parseWithdrawal('-1', 10_000, false)).toEqual({ error: 'withdraw.err.format' })
    expect(parseWithdrawal('1e2', 10_000, false)).toEqual({ error: 'withdraw.err.format' })
    expect(parseWithdrawal('0.00', 10_000, false)).toEqual({ error: 'withdraw.err.zero' })
  })
  it('fills 全部提现 with the exact yuan', () => {
    expect(yuanText(12_345)).toBe('123.45')
    expect(parseWithdrawal(yuanText(12_345), 12_345, false)).toEqual({ fen: 12_345 })
  })
})

describe('texts', () => {
  it('periods read once for a single day', () => {
    expect(periodText('2026-11-23', '2026-11-29')).toBe('2026-11-23 ~ 2026-11-29')
    expect(periodText('2026-11-23', '2026-11-23')).toBe('2026-11-23')
  })
  it('every earnings text and every status key exists in both languages', () => {
    const keys = [
      ...Object.keys(earningsMessages['zh-CN']),
      ...Object.keys(EARNING_TONE).map((k) => 'earn.state.' + k),
      ...Object.keys(STATEMENT_TONE).map((k) => 'stmt.status.' + k),
      ...Object.keys(WITHDRAWAL_TONE).map((k) => 'withdraw.status.' + k),
      ...['open', 'accepted', 'rejected'].map((k) => 'dispute.status.' + k),
      ...['today', 'week', 'month'].map((k) => 'earn.period.' + k),
    ]
    for (const k of keys) {
      expect((messages['zh-CN'] as Record<string, string>)[k], k).toBeTruthy()
      expect((messages.en as Record<string, string>)[k], k).toBeTruthy()
    }
  })
})

describe('every literal t() key of the 收入 pages exists', () => {
  it('zh-CN and en', async () => {
    await import('../src/lib/i18n')
    await import('../src/reviews/i18n')
    await import('../src/performance/i18n') // 我的 links 我的绩效
    await import('../src/signup/i18n')
    const sources = import.meta.glob(['../src/earnings/**/*.{vue,ts}', '../src/reviews/**/*.{vue,ts}', '../src/pages/me/index.vue'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>
    expect(Object.keys(sources).length).toBeGreaterThan(8)
    const missing: string[] = []
    for (const [f, text] of Object.entries(sources)) {
      for (const m of text.matchAll(/\bt\('([a-zA-Z0-9_.]+)'[,)]/g)) {
        const k = m[1]
        if (k.endsWith('.')) continue
        if (!(messages['zh-CN'] as Record<string, string>)[k] || !(messages.en as Record<string, string>)[k]) missing.push(`${f}: ${k}`)
      }
    }
    expect(missing).toEqual([])
  })
})
