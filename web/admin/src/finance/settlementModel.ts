/** Settlement screens' logic (unit-tested in src/__tests__/finance.spec.ts). */
import type { CommissionRule, RuleCreate, Statement, Withdrawal } from './settlementTypes'
import { parseYuan } from './model'

type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary'

export const STATEMENT_STATUS_TAG: Record<Statement['status'], TagType> = { draft: 'warning', approved: 'primary', paid: 'success' }
export const DISPUTE_STATUS_TAG: Record<'open' | 'accepted' | 'rejected', TagType> = { open: 'danger', accepted: 'success', rejected: 'info' }
export const WITHDRAWAL_STATUS_TAG: Record<Withdrawal['status'], TagType> = { requested: 'warning', approved: 'primary', rejected: 'info', paid: 'success' }

/** What finance can do with a statement: approve a draft without open disputes' doubt (finance.approve), pay an approved one. */
export function statementActions(s: Pick<Statement, 'status'>, can: (p: string) => boolean): ('approve' | 'pay')[] {
  if (!can('finance.approve')) return []
  if (s.status === 'draft') return ['approve']
  if (s.status === 'approved') return ['pay']
  return []
}

/** A bank reference as the API takes it: trimmed, 4–64 characters. */
export function validReference(ref: string): boolean {
  const r = ref.trim()
  return r.length >= 4 && r.length <= 64
}

export interface RuleForm {
  name: string
  service_id: number | ''
  region_id: number | ''
  worker_level: number | ''
  kind: 'percent' | 'fixed'
  /** % for percent, ¥ for fixed, as typed */
  value: string
  valid_from: string
}

export function emptyRuleForm(): RuleForm {
  return { name: '', service_id: '', region_id: '', worker_level: '', kind: 'percent', value: '', valid_from: '' }
}

/** The rule's value as typed in the form: basis points as %, fen as ¥. */
export function ruleToForm(r: CommissionRule): RuleForm {
  return {
    name: r.name,
    service_id: r.service_id ?? '',
    region_id: r.region_id ?? '',
    worker_level: r.worker_level ?? '',
    kind: r.kind,
    value: (r.value / 100).toFixed(2).replace(/\.?0+$/, ''),
    valid_from: r.valid_from,
  }
}

/**
 * The form as the API's body: % → basis points (at most 100 %), ¥ → fen, both whole; empty scope → null (any).
 * Returns the reason when the value is not acceptable.
 */
export function formToRule(f: RuleForm): { body: RuleCreate } | { error: 'name' | 'value' } {
  if (!f.name.trim()) return { error: 'name' }
  const parsed = /^0+(\.0*)?$/.test(f.value.trim()) ? { fen: 0 } : parseYuan(f.value)
  if (!('fen' in parsed)) return { error: 'value' }
  if (f.kind === 'percent' && parsed.fen > 10_000) return { error: 'value' }
  return {
    body: {
      name: f.name.trim(),
      service_id: f.service_id === '' ? null : f.service_id,
      region_id: f.region_id === '' ? null : f.region_id,
      worker_level: f.worker_level === '' ? null : f.worker_level,
      kind: f.kind,
      value: parsed.fen,
      valid_from: f.valid_from || null,
    },
  }
}

/** How a rule reads in the list: "20%" or "¥15.00 / 单". */
export function ruleValueText(r: Pick<CommissionRule, 'kind' | 'value'>, perOrder: string): string {
  if (r.kind === 'percent') return `${(r.value / 100).toFixed(2).replace(/\.?0+$/, '')}%`
  return `¥${(r.value / 100).toFixed(2)}${perOrder}`
}
