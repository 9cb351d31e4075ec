/** Segments, the campaign form ↔ its body, and the report's figures as the console shows them. */
import { formatFen, percentToBp, yuanToFen } from '../booking/money'
import type { ArmResult, CampaignBody, Segment } from './api'

export const SEGMENTS: Segment[] = ['new', 'active', 'high_value', 'at_risk', 'lost']
export const SEGMENT_TAG: Record<Segment, 'primary' | 'success' | 'warning' | 'danger' | 'info'> = {
  new: 'primary',
  active: 'success',
  high_value: 'warning',
  at_risk: 'danger',
  lost: 'info',
}

export interface CampaignForm {
  name: string
  segment: Segment | ''
  kind: 'amount' | 'percent'
  /** yuan for amount, % for percent */
  value: string
  /** yuan, percent only; '' = no cap */
  cap: string
  /** yuan; '' = none */
  min_spend: string
  valid_days: number
  service_id: number | ''
  coupon_title: string
  control_percent: number
}

export function emptyCampaignForm(segment: Segment | '' = ''): CampaignForm {
  return { name: '', segment, kind: 'amount', value: '', cap: '', min_spend: '', valid_days: 14, service_id: '', coupon_title: '',
    control_percent: 10 }
}

export type CampaignField = 'name' | 'segment' | 'value' | 'cap' | 'min_spend' | 'coupon_title' | 'control_percent'

/** The body, or the first field that keeps the form from being sent. */
export function formToCampaign(f: CampaignForm): { body: CampaignBody } | { error: CampaignField } {
  const name = f.name.trim()
  if (!name) return { error: 'name' }
  if (f.segment === '') return { error: 'segment' }
  const value = f.kind === 'amount' ? yuanToFen(f.value) : percentToBp(f.value)
  if (value === null || value <= 0 || (f.kind === 'percent' && value > 10000)) return { error: 'value' }
  const cap = f.kind === 'percent' && f.cap.trim() !== '' ? yuanToFen(f.cap) : null
  if (f.kind === 'percent' && f.cap.trim() !== '' && (cap === null || cap <= 0)) return { error: 'cap' }
  const min = f.min_spend.trim() === '' ? 0 : yuanToFen(f.min_spend)
  if (min === null || min < 0) return { error: 'min_spend' }
  const title = f.coupon_title.trim()
  if (!title) return { error: 'coupon_title' }
  if (!Number.isInteger(f.control_percent) || f.control_percent < 0 || f.control_percent > 50) return { error: 'control_percent' }
  return {
    body: {
      name, segment: f.segment, kind: f.kind, value, cap, min_spend: min, valid_days: f.valid_days,
      service_id: f.service_id === '' ? null : f.service_id, coupon_title: title, control_percent: f.control_percent,
    },
  }
}

/** Basis points as a percentage with one decimal: 1234 → "12.3%". */
export function bpText(bp: number | null | undefined): string {
  if (bp === null || bp === undefined) return '—'
  return `${(bp / 100).toFixed(1)}%`
}

/** Redemption rate of an arm (used / issued), in basis points; 0 without coupons. */
export function redemptionBp(a: Pick<ArmResult, 'issued' | 'redeemed'>): number {
  return a.issued ? Math.floor((a.redeemed * 10000) / a.issued) : 0
}

/** A lift in basis points with its sign: 150 → "+1.5%", −30 → "−0.3%"; null (no control group) → "—". */
export function signedBp(bp: number | null | undefined): string {
  if (bp === null || bp === undefined) return '—'
  return `${bp > 0 ? '+' : bp < 0 ? '−' : ''}${(Math.abs(bp) / 100).toFixed(1)}%`
}

/** A lift in fen with its sign: 1200 → "+¥12.00". */
export function signedFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—'
  return `${fen > 0 ? '+' : fen < 0 ? '−' : ''}${formatFen(Math.abs(fen))}`
}
