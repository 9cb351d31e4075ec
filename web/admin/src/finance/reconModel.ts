/** Reconciliation choices of the console (the codes of the API; labels in finance/messages.ts). */
import type { Difference, DifferenceQuery, ResolveBody, Run, RunQuery } from './financeTypes'

export const RECON_PROVIDERS = ['wechatpay', 'alipay', 'unionpay', 'sandbox'] as const
export const RUN_STATUSES = ['balanced', 'differences', 'failed', 'running'] as const
export const CATEGORIES = ['missing_here', 'missing_there', 'amount_differs'] as const
export const RESOLUTIONS: ResolveBody['resolution'][] = ['adjusted', 'provider_error', 'ignored_with_reason']
export const COUNTER_ACCOUNTS: NonNullable<ResolveBody['counter_account']>[] = [
  'provider_fees', 'unearned', 'refunds_payable', 'refund_expense', 'rewards_expense', 'cash',
]

export function runStatusTag(status: Run['status']): 'success' | 'warning' | 'danger' | 'info' {
  return ({ balanced: 'success', differences: 'warning', failed: 'danger' } as const)[status as 'balanced'] ?? 'info'
}

export interface RunFilters {
  provider: '' | NonNullable<RunQuery['provider']>
  status: '' | NonNullable<RunQuery['status']>
}

export function runQuery(f: RunFilters, page: number, pageSize: number): RunQuery {
  const q: RunQuery = { page, page_size: pageSize }
  if (f.provider) q.provider = f.provider
  if (f.status) q.status = f.status
  return q
}

export interface DifferenceFilters {
  category: '' | Difference['category']
  onlyOpen: boolean
  q: string
}

export function differenceQuery(f: DifferenceFilters, page: number, pageSize: number): DifferenceQuery {
  const q: DifferenceQuery = { page, page_size: pageSize }
  if (f.category) q.category = f.category
  if (f.onlyOpen) q.resolved = false
  const text = f.q.trim()
  if (text) q.q = text
  return q
}

/** Bill minus ours, in fen; null when one side has no line. */
export function differenceFen(d: Pick<Difference, 'bill_amount' | 'our_amount'>): number | null {
  return d.bill_amount === null || d.bill_amount === undefined || d.our_amount === null || d.our_amount === undefined ? null : d.bill_amount - d.our_amount
}

/** Yesterday in Beijing (the latest day a bill exists for), as YYYY-MM-DD. */
export function beijingYesterday(now: Date = new Date()): string {
  const bj = new Date(now.getTime() + 8 * 3600_000 - 24 * 3600_000)
  return bj.toISOString().slice(0, 10)
}
