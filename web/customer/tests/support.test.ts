import { describe, expect, it } from 'vitest'
import { locale, messages, t } from '@anjia/shared/src/i18n'
import '../src/lib/support/i18n'
import {
  CATEGORIES,
  compensationStatusKey,
  eventKey,
  EVENT_TYPES,
  formProblem,
  newestFirst,
  openComplaint,
  statusTone,
  stepIndex,
  STEPS,
  ticketBody,
} from '../src/lib/support/logic'
import { categoryText, statusText } from '../src/lib/support/labels'

describe('the complaint form', () => {
  it('needs a category for a complaint and at least two characters', () => {
    expect(formProblem({ kind: 'complaint', category: '', content: '很差劲' })).toBe('support.needCategory')
    expect(formProblem({ kind: 'complaint', category: 'quality', content: ' 差 ' })).toBe('support.needText')
    expect(formProblem({ kind: 'complaint', category: 'quality', content: '灶台没擦' })).toBe('')
    expect(formProblem({ kind: 'suggestion', category: '', content: '希望加晚间时段' })).toBe('')
    expect(formProblem({ kind: 'suggestion', category: '', content: 'x'.repeat(1001) })).toBe('support.tooLong')
  })
  it('files a suggestion under 其他 and never with an order', () => {
    expect(ticketBody({ kind: 'suggestion', category: 'damage', content: ' 加晚间时段 ' }, 7, [1])).toEqual({
      kind: 'suggestion', order_id: null, category: 'other', content: '加晚间时段', photo_ids: [1],
    })
    const ids = Array.from({ length: 12 }, (_, i) => i + 1)
    const body = ticketBody({ kind: 'complaint', category: 'damage', content: '花盆碎了' }, 7, ids)
    expect(body.order_id).toBe(7)
    expect(body.category).toBe('damage')
    expect(body.photo_ids).toHaveLength(9)
    expect(ticketBody({ kind: 'complaint', category: 'quality', content: '不干净' }, null, []).order_id).toBeNull()
  })
})

describe('a ticket as the customer reads it', () => {
  it('tones and steps follow the status', () => {
    expect(STEPS.map(statusTone)).toEqual(['warn', 'info', 'info', 'ok', 'done'])
    expect(stepIndex('in_progress')).toBe(2)
    expect(stepIndex('unknown')).toBe(0)
  })
  it('finds the open complaint of an order, not a closed one or a suggestion', () => {
    const list = [
      { id: 3, kind: 'suggestion', status: 'new' },
      { id: 2, kind: 'complaint', status: 'closed' },
      { id: 1, kind: 'complaint', status: 'resolved' },
    ]
    expect(openComplaint(list)?.id).toBe(1)
    expect(openComplaint(list.slice(0, 2))).toBeNull()
  })
  it('puts the newest step first, ties by id', () => {
    const at = '2026-12-01T10:00:00Z'
    const out = newestFirst([{ id: 1, at }, { id: 3, at: '2026-12-02T08:00:00Z' }, { id: 2, at }])
    expect(out.map((e) => e.id)).toEqual([3, 2, 1])
  })
  it('says every step, status, category and compensation state in both languages', () => {
    const keys = [
      ...EVENT_TYPES.map((e) => eventKey(e)!),
      ...STEPS.map((s) => `support.status.${s}`),
      ...STEPS.map((s) => `support.step.${s}`),
      ...CATEGORIES.map((c) => `support.cat.${c}`),
      ...['issued', 'used', 'expired', 'revoked'].map((s) => compensationStatusKey('coupon', s)),
      ...['awaiting_approval', 'pending', 'processing', 'succeeded', 'failed', 'rejected'].map((s) => compensationStatusKey('refund', s)),
    ]
    for (const k of keys) {
      expect((messages['zh-CN'] as Record<string, string>)[k], k).toBeTruthy()
      expect((messages.en as Record<string, string>)[k], k).toBeTruthy()
    }
    expect(eventKey('something_new')).toBeNull()
  })
  it('falls back to the server label for what it does not know', () => {
    expect(statusText({ status: 'resolved', status_label: '已处理' })).toBe('待确认')
    expect(statusText({ status: 'paused', status_label: '暂停' })).toBe('暂停')
    locale.value = 'en'
    try {
      expect(categoryText({ category: 'damage', category_label: '物品损坏' })).toBe('Damage')
      expect(t('support.comp.coupon.issued')).toBe('In your account')
    } finally {
      locale.value = 'zh-CN'
    }
  })
})
