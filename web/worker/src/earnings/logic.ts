/**
 * 收入 rules (pure, tested in tests/earnings.test.ts): periods, how an earning's state and a
 * statement's, dispute's and withdrawal's status read, the commission rule as text, and the
 * withdrawal amount typed in yuan checked against what can be withdrawn.
 */
import type { Earning, StatementLine, StatementStatus, WithdrawalStatus } from './types'

export const PERIODS = ['today', 'week', 'month'] as const
export type Period = (typeof PERIODS)[number]

export type Tone = 'warning' | 'primary' | 'success' | 'danger' | 'muted'

/** Where an order's earning is: 待结算 (no statement yet), 结算中 (in a draft), 待打款 (approved), 已结算 (paid). */
export type EarningState = 'pending' | 'inStatement' | 'approved' | 'settled'
export function earningState(e: Pick<Earning, 'settled' | 'statement_id' | 'statement_status'>): EarningState {
  if (e.settled || e.statement_status === 'paid') return 'settled'
  if (!e.statement_id) return 'pending'
  return e.statement_status === 'approved' ? 'approved' : 'inStatement'
}
export const EARNING_TONE: Record<EarningState, Tone> = { pending: 'warning', inStatement: 'primary', approved: 'primary', settled: 'success' }

export const STATEMENT_TONE: Record<StatementStatus, Tone> = { draft: 'warning', approved: 'primary', paid: 'success' }
export const WITHDRAWAL_TONE: Record<WithdrawalStatus, Tone> = { requested: 'warning', approved: 'primary', rejected: 'danger', paid: 'success' }

/** The commission rule of an earning: "佣金 20%" (basis points) or "佣金 ¥5.00/单" (fixed fen). */
export function rateText(kind: Earning['rule_kind'], value: number, money: (fen: number) => string): string {
  if (kind === 'fixed') return money(value)
  const pct = value / 100
  return `${Number.isInteger(pct) ? pct : pct.toFixed(2).replace(/0+$/, '')}%`
}

/** A line can be disputed once (whatever the statement's state: corrections come as new lines). */
export const canDispute = (line: Pick<StatementLine, 'dispute'>) => !line.dispute

/** A dispute's reason: 2–200 characters once trimmed; returns the i18n key of what is wrong, or ''. */
export function disputeReasonError(reason: string): string {
  const n = reason.trim().length
  if (n < 2) return 'dispute.err.short'
  if (n > 200) return 'dispute.err.long'
  return ''
}

/**
 * A withdrawal typed in yuan → fen, checked against what approved statements owe and the one open
 * request allowed; or the i18n key of what is wrong.
 */
export function parseWithdrawal(text: string, withdrawable: number, hasOpen: boolean): { fen: number } | { error: string } {
  if (hasOpen) return { error: 'withdraw.err.open' }
  if (withdrawable <= 0) return { error: 'withdraw.err.nothing' }
  const s = text.trim()
  if (!s) return { error: 'withdraw.err.empty' }
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(s)) return { error: 'withdraw.err.format' }
  const [yuan, cents = ''] = s.split('.')
  const fen = Number(yuan) * 100 + Number(cents.padEnd(2, '0'))
  if (fen <= 0) return { error: 'withdraw.err.zero' }
  if (fen > withdrawable) return { error: 'withdraw.err.max' }
  return { fen }
}

/** Fen → the yuan text an input shows ("1234.50"), for 全部提现. */
export const yuanText = (fen: number) => (fen / 100).toFixed(2)

/** "2026-11-24 ~ 2026-11-30" (a one-day period shows once). */
export const periodText = (start: string, end: string) => (start === end ? start : `${start} ~ ${end}`)
