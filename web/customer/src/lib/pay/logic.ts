/**
 * The cashier's rules (pure, tested in tests/pay.test.ts): which methods a platform can use and on
 * which channel, what the provider's checkout asks the client to do, how a payment or a refund reads,
 * the result page's polling and the top-up amount.
 */
import type { BalanceEntry, Channel, Checkout, MethodName, PayMethod, Payment, Refund } from './types'

export type Platform = 'h5' | 'mp-weixin'

/** A method's badge: one character on the provider's colour (no image assets in the main package). */
export const METHOD_BADGE: Record<string, { char: string; bg: string }> = {
  wechatpay: { char: '微', bg: '#07c160' },
  alipay: { char: '支', bg: '#1677ff' },
  unionpay: { char: '银', bg: '#d7000f' },
  balance: { char: '余', bg: '#f08c2e' },
  sandbox: { char: '测', bg: '#8a93a6' },
}
export const badgeOf = (method: string) => METHOD_BADGE[method] || { char: '¥', bg: '#4d80f0' }

/**
 * The channel a method is paid through on this platform, or null when it can't be used here: the mini
 * program only pays with WeChat (JSAPI); H5 prefers the mobile cashier (h5), else the web page.
 */
export function channelFor(platform: Platform, m: Pick<PayMethod, 'method' | 'channels'>): Channel | null {
  if (m.method === 'balance') return platform === 'mp-weixin' ? 'jsapi' : 'h5'
  const has = (c: string) => m.channels.includes(c)
  if (platform === 'mp-weixin') return m.method === 'wechatpay' && has('jsapi') ? 'jsapi' : null
  if (has('h5')) return 'h5'
  if (has('page')) return 'page'
  return null
}

export interface MethodRow {
  method: MethodName
  label: string
  channel: Channel | null
  /** why it can't be chosen: 'balanceLow' (not enough balance) or 'platform' (not on this platform) */
  blocked: '' | 'balanceLow' | 'platform'
}

const METHOD_NAMES: readonly MethodName[] = ['wechatpay', 'alipay', 'unionpay', 'sandbox', 'balance']
const isMethod = (m: string): m is MethodName => (METHOD_NAMES as readonly string[]).includes(m)

/** The cashier's list: the server's methods usable on this platform, balance last and blocked when too low. */
export function methodRows(methods: readonly PayMethod[], opts: { platform: Platform; en: boolean; due: number; balance: number | null }): MethodRow[] {
  const rows: MethodRow[] = []
  for (const m of methods) {
    if (!isMethod(m.method)) continue
    const channel = channelFor(opts.platform, m)
    let blocked: MethodRow['blocked'] = channel ? '' : 'platform'
    if (m.method === 'balance' && (opts.balance === null || opts.balance < opts.due)) blocked = 'balanceLow'
    rows.push({ method: m.method, label: opts.en ? m.label_en : m.label, channel, blocked })
  }
  // methods this platform can't use at all are left out (a mini program has no Alipay cashier)
  const shown = rows.filter((r) => r.blocked !== 'platform')
  return [...shown.filter((r) => r.method !== 'balance'), ...shown.filter((r) => r.method === 'balance')]
}

/** The preselected method: the one chosen before if still usable, else the first usable one. */
export function defaultMethod(rows: readonly MethodRow[], previous?: string | null): MethodName | null {
  const usable = rows.filter((r) => !r.blocked)
  return (usable.find((r) => r.method === previous) || usable[0])?.method ?? null
}

export type NextStep =
  | { kind: 'done' }
  | { kind: 'jsapi'; params: Record<string, string> }
  | { kind: 'redirect'; url: string }
  | { kind: 'form'; url: string; params: Record<string, string> }
  | { kind: 'qr'; url: string }
  | { kind: 'none' }

/**
 * What the client does with a started payment: nothing more (balance: settled), wx.requestPayment
 * with the params, go to the provider's page (UnionPay's gateway wants its fields POSTed: a form),
 * or show a QR code.
 */
export function nextStep(p: Pick<Payment, 'status' | 'checkout'>): NextStep {
  if (p.status === 'succeeded') return { kind: 'done' }
  const c: Checkout | null = p.checkout
  if (!c || p.status !== 'pending') return { kind: 'none' }
  if (c.kind === 'jsapi') return { kind: 'jsapi', params: c.params || {} }
  if (!c.url) return { kind: 'none' }
  if (c.kind === 'qr') return { kind: 'qr', url: c.url }
  const params = c.params || {}
  return Object.keys(params).length ? { kind: 'form', url: c.url, params } : { kind: 'redirect', url: c.url }
}

/** wx.requestPayment's options from the JSAPI params (timeStamp, nonceStr, package, signType, paySign). */
export function requestPaymentOptions(params: Record<string, string>) {
  return {
    provider: 'wxpay' as const,
    timeStamp: params.timeStamp || '',
    nonceStr: params.nonceStr || '',
    package: params.package || '',
    signType: params.signType || 'RSA',
    paySign: params.paySign || '',
  }
}

/** The result page reads a payment as success, failure (failed or closed) or still waiting. */
export type Outcome = 'success' | 'failed' | 'waiting'
export function outcomeOf(p: Pick<Payment, 'status'> | null): Outcome {
  if (!p) return 'waiting'
  if (p.status === 'succeeded') return 'success'
  return p.status === 'failed' || p.status === 'closed' ? 'failed' : 'waiting'
}

/** Poll every 1.5 s for the first 15 s, then every 3 s up to a minute; then the page says 仍在确认 and offers 刷新. */
export function pollDelay(elapsedMs: number): number | null {
  if (elapsedMs < 15_000) return 1_500
  if (elapsedMs < 60_000) return 3_000
  return null
}

/** Where the result page's buttons go: the order (or the balance for a top-up). */
export function resultTarget(p: Pick<Payment, 'order_id' | 'purpose'> | null): string {
  if (p?.order_id) return `/booking/order/index?id=${p.order_id}`
  if (p?.purpose === 'topup') return '/pages/pay/balance'
  return '/pages/orders/index'
}

/** The return path the provider sends the browser back to ({number} is filled in by the server). */
export const RESULT_PATH = '/#/pages/pay/result?number={number}'

/* ---- refunds ---- */
export type RefundState = 'refunding' | 'refunded' | 'refundFailed' | 'refundRejected'
export function refundState(status: Refund['status']): RefundState {
  switch (status) {
    case 'succeeded':
      return 'refunded'
    case 'failed':
      return 'refundFailed'
    case 'rejected':
      return 'refundRejected'
    default:
      return 'refunding' // awaiting approval, pending, processing: the money is on its way
  }
}
export const REFUND_TONE: Record<RefundState, string> = {
  refunding: 'warning',
  refunded: 'success',
  refundFailed: 'danger',
  refundRejected: 'muted',
}

/* ---- balance and top-up ---- */
export const TOP_UP_PRESETS = [5_000, 10_000, 20_000, 50_000] as const
export const TOP_UP_MAX = 500_000

/** A typed top-up amount in yuan ("88", "88.5", "88.50") → fen, or the i18n key of what is wrong. */
export function parseTopUp(text: string): { fen: number } | { error: string } {
  const s = text.trim()
  if (!s) return { error: 'topup.err.empty' }
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(s)) return { error: 'topup.err.format' }
  const [yuan, cents = ''] = s.split('.')
  const fen = Number(yuan) * 100 + Number(cents.padEnd(2, '0'))
  if (fen < 100) return { error: 'topup.err.min' }
  if (fen > TOP_UP_MAX) return { error: 'topup.err.max' }
  return { fen }
}

/** A balance line's i18n key: top-up, paid with the balance, refund back, correction. */
export function entryKey(e: Pick<BalanceEntry, 'kind' | 'amount'>): string {
  if (e.kind === 'payment') return e.amount >= 0 ? 'balance.kind.topup' : 'balance.kind.spent'
  if (e.kind === 'refund') return 'balance.kind.refund'
  if (e.kind === 'reversal') return 'balance.kind.reversal'
  return 'balance.kind.other'
}

/** The purpose of a receipt (order, 补缴差价, 余额充值). */
export const purposeKey = (p: Pick<Payment, 'purpose'>) => `pay.purpose.${p.purpose}`

/** The auto-posting form UnionPay's gateway expects: hidden fields, POST, the gateway as action. */
interface FormDoc {
  createElement(tag: 'form' | 'input'): { setAttribute(name: string, value: string): void; appendChild?(c: unknown): unknown }
}
export function buildForm<D extends FormDoc>(doc: D, url: string, params: Record<string, string>): ReturnType<D['createElement']> {
  const form = doc.createElement('form') as ReturnType<D['createElement']>
  form.setAttribute('method', 'post')
  form.setAttribute('action', url)
  form.setAttribute('accept-charset', 'UTF-8')
  for (const [name, value] of Object.entries(params)) {
    const input = doc.createElement('input')
    input.setAttribute('type', 'hidden')
    input.setAttribute('name', name)
    input.setAttribute('value', value)
    form.appendChild?.(input)
  }
  return form
}
