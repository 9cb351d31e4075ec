import { describe, expect, it } from 'vitest'
import {
  buildForm,
  channelFor,
  defaultMethod,
  entryKey,
  methodRows,
  nextStep,
  outcomeOf,
  parseTopUp,
  pollDelay,
  purposeKey,
  REFUND_TONE,
  refundState,
  requestPaymentOptions,
  resultTarget,
} from '../src/lib/pay/logic'
import type { PayMethod } from '../src/lib/pay/types'
import '../src/lib/pay/i18n'
import { messages } from '@anjia/shared/src/i18n'

const M = (method: string, channels: string[]): PayMethod => ({ method, label: method + '-zh', label_en: method + '-en', channels })
const ALL = [M('balance', ['h5', 'jsapi', 'page']), M('wechatpay', ['jsapi', 'h5', 'native']), M('alipay', ['h5', 'page']), M('unionpay', ['page', 'h5']), M('sandbox', ['h5', 'native'])]

describe('channelFor', () => {
  it('pays WeChat by JSAPI in the mini program and nothing else there but the balance', () => {
    expect(channelFor('mp-weixin', ALL[1])).toBe('jsapi')
    expect(channelFor('mp-weixin', ALL[2])).toBeNull()
    expect(channelFor('mp-weixin', ALL[4])).toBeNull()
    expect(channelFor('mp-weixin', ALL[0])).toBe('jsapi')
  })
  it('prefers the mobile cashier in H5, else the web page', () => {
    expect(channelFor('h5', ALL[1])).toBe('h5')
    expect(channelFor('h5', ALL[3])).toBe('h5')
    expect(channelFor('h5', M('unionpay', ['page']))).toBe('page')
    expect(channelFor('h5', M('wechatpay', ['native']))).toBeNull()
  })
})

describe('methodRows', () => {
  it('puts the balance last and blocks it when it does not cover what is due', () => {
    const rows = methodRows(ALL, { platform: 'h5', en: false, due: 10_000, balance: 9_999 })
    expect(rows.map((r) => r.method)).toEqual(['wechatpay', 'alipay', 'unionpay', 'sandbox', 'balance'])
    expect(rows[4]).toMatchObject({ blocked: 'balanceLow' })
    expect(rows[0]).toMatchObject({ label: 'wechatpay-zh', channel: 'h5', blocked: '' })
    expect(methodRows(ALL, { platform: 'h5', en: true, due: 10_000, balance: 10_000 })[4]).toMatchObject({ blocked: '', label: 'balance-en' })
  })
  it('blocks the balance when it is unknown and leaves out what the platform cannot pay with', () => {
    const rows = methodRows(ALL, { platform: 'mp-weixin', en: false, due: 1, balance: null })
    expect(rows.map((r) => [r.method, r.blocked])).toEqual([['wechatpay', ''], ['balance', 'balanceLow']])
  })
  it('ignores methods it does not know', () => {
    expect(methodRows([M('offline', ['h5'])], { platform: 'h5', en: false, due: 1, balance: 0 })).toEqual([])
  })
})

describe('defaultMethod', () => {
  const rows = methodRows(ALL, { platform: 'h5', en: false, due: 5_000, balance: 100 })
  it('keeps the previous choice when usable, else the first usable', () => {
    expect(defaultMethod(rows, 'alipay')).toBe('alipay')
    expect(defaultMethod(rows, 'balance')).toBe('wechatpay')
    expect(defaultMethod(rows, null)).toBe('wechatpay')
    expect(defaultMethod([], 'alipay')).toBeNull()
  })
})

describe('nextStep', () => {
  const base = { status: 'pending' as const }
  it('is done for a settled (balance) payment', () => {
    expect(nextStep({ status: 'succeeded', checkout: null })).toEqual({ kind: 'done' })
  })
  it('hands the JSAPI params to wx.requestPayment', () => {
    const params = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'RSA', paySign: 's' }
    const step = nextStep({ ...base, checkout: { kind: 'jsapi', params, url: null, prepay_id: 'wx1' } })
    expect(step).toEqual({ kind: 'jsapi', params })
    expect(requestPaymentOptions(params)).toEqual({ provider: 'wxpay', ...params })
  })
  it('redirects to a URL, or posts a form when the gateway wants fields (UnionPay)', () => {
    expect(nextStep({ ...base, checkout: { kind: 'redirect', url: '/api/v1/payments/sandbox/P1', params: {} } })).toEqual({ kind: 'redirect', url: '/api/v1/payments/sandbox/P1' })
    expect(nextStep({ ...base, checkout: { kind: 'redirect', url: 'https://gateway/frontTransReq.do', params: { txnAmt: '100' } } })).toEqual({
      kind: 'form',
      url: 'https://gateway/frontTransReq.do',
      params: { txnAmt: '100' },
    })
    expect(nextStep({ ...base, checkout: { kind: 'qr', url: 'weixin://x', params: {} } })).toEqual({ kind: 'qr', url: 'weixin://x' })
  })
  it('does nothing for a failed payment or a checkout without a URL', () => {
    expect(nextStep({ status: 'failed', checkout: { kind: 'redirect', url: '/x', params: {} } })).toEqual({ kind: 'none' })
    expect(nextStep({ ...base, checkout: { kind: 'redirect', url: null, params: {} } })).toEqual({ kind: 'none' })
    expect(nextStep({ ...base, checkout: null })).toEqual({ kind: 'none' })
  })
})

describe('buildForm', () => {
  it('builds a hidden POST form with one field per param', () => {
    type El = { tag: string; attrs: Record<string, string>; kids: El[]; setAttribute(n: string, v: string): void; appendChild(c: El): void }
    const doc = {
      createElement(tag: 'form' | 'input'): El {
        const el: El = { tag, attrs: {}, kids: [], setAttribute: (n, v) => (el.attrs[n] = v), appendChild: (c) => el.kids.push(c) }
        return el
      },
    }
    const form = buildForm(doc, 'https://gateway/pay', { orderId: 'P1', signature: 'a+b=' })
    expect(form.attrs).toEqual({ method: 'post', action: 'https://gateway/pay', 'accept-charset': 'UTF-8' })
    expect(form.kids.map((k) => k.attrs)).toEqual([
      { type: 'hidden', name: 'orderId', value: 'P1' },
      { type: 'hidden', name: 'signature', value: 'a+b=' },
    ])
  })
})

describe('result page', () => {
  it('reads success, failure (failed or closed) and waiting', () => {
    expect(outcomeOf({ status: 'succeeded' })).toBe('success')
    expect(outcomeOf({ status: 'failed' })).toBe('failed')
    expect(outcomeOf({ status: 'closed' })).toBe('failed')
    expect(outcomeOf({ status: 'pending' })).toBe('waiting')
    expect(outcomeOf(null)).toBe('waiting')
  })
  it('polls fast, then slower, then stops after a minute', () => {
    expect(pollDelay(0)).toBe(1_500)
    expect(pollDelay(14_999)).toBe(1_500)
    expect(pollDelay(15_000)).toBe(3_000)
    expect(pollDelay(59_999)).toBe(3_000)
    expect(pollDelay(60_000)).toBeNull()
  })
  it('goes back to the order, the balance for a top-up, else the orders', () => {
    expect(resultTarget({ order_id: 7, purpose: 'supplement' })).toBe('/booking/order/index?id=7')
    expect(resultTarget({ order_id: null, purpose: 'topup' })).toBe('/pages/pay/balance')
    expect(resultTarget(null)).toBe('/pages/orders/index')
  })
})

describe('refunds', () => {
  it('says 退款中 until the provider confirms', () => {
    expect(['awaiting_approval', 'pending', 'processing'].map((s) => refundState(s as 'pending'))).toEqual(['refunding', 'refunding', 'refunding'])
    expect(refundState('succeeded')).toBe('refunded')
    expect(refundState('failed')).toBe('refundFailed')
    expect(refundState('rejected')).toBe('refundRejected')
  })
})

describe('top-up', () => {
  it('turns yuan into fen exactly', () => {
    expect(parseTopUp('88')).toEqual({ fen: 8_800 })
    expect(parseTopUp(' 88.5 ')).toEqual({ fen: 8_850 })
    expect(parseTopUp('0.29')).toEqual({ error: 'topup.err.min' })
    expect(parseTopUp('1.01')).toEqual({ fen: 101 })
    expect(parseTopUp('19.99')).toEqual({ fen: 1_999 })
    expect(parseTopUp('5000')).toEqual({ fen: 500_000 })
  })
  it('refuses empty, malformed, too small and too large amounts', () => {
    expect(parseTopUp('')).toEqual({ error: 'topup.err.empty' })
    expect(parseTopUp('1.234')).toEqual({ error: 'topup.err.format' })
    expect(parseTopUp('-5')).toEqual({ error: 'topup.err.format' })
    expect(parseTopUp('1e3')).toEqual({ error: 'topup.err.format' })
    expect(parseTopUp('0.5')).toEqual({ error: 'topup.err.min' })
    expect(parseTopUp('5000.01')).toEqual({ error: 'topup.err.max' })
  })
  it('names balance lines by what moved the money', () => {
    expect(entryKey({ kind: 'payment', amount: 10_000 })).toBe('balance.kind.topup')
    expect(entryKey({ kind: 'payment', amount: -300 })).toBe('balance.kind.spent')
    expect(entryKey({ kind: 'refund', amount: 300 })).toBe('balance.kind.refund')
    expect(entryKey({ kind: 'reversal', amount: -1 })).toBe('balance.kind.reversal')
    expect(entryKey({ kind: 'what', amount: 1 })).toBe('balance.kind.other')
  })
})

describe('texts built from values', () => {
  it('exist in both languages', () => {
    const keys = [
      ...(['order', 'supplement', 'topup'] as const).map((purpose) => purposeKey({ purpose })),
      ...Object.keys(REFUND_TONE).map((s) => 'refund.' + s),
      ...['cancel', 'difference', 'operator', 'late_payment'].map((k) => 'refund.kind.' + k),
      ...['payment', 'refund', 'reversal', 'x'].flatMap((kind) => [entryKey({ kind, amount: 1 }), entryKey({ kind, amount: -1 })]),
      ...['empty', 'format', 'min', 'max'].map((e) => 'topup.err.' + e),
    ]
    for (const k of keys) {
      expect((messages['zh-CN'] as Record<string, string>)[k], k).toBeTruthy()
      expect((messages.en as Record<string, string>)[k], k).toBeTruthy()
    }
  })
})
