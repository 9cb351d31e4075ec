/**
 * Options editor model: the UI edits 元 and % while the API stores fen and basis points,
 * and each option type only keeps the fields that apply to it.
 */
import { bpToPercent, fenToYuan, percentToBp, yuanToFen } from './money'
import type { OptionChoice, OptionType, ServiceOption } from './types'

export const OPTION_TYPES: OptionType[] = ['single', 'multi', 'bool', 'number', 'text']

export interface ChoiceForm {
  code: string
  label: string
  label_en: string
  /** 元 */
  surcharge: number | null
  /** % of the item subtotal */
  surcharge_pct: number | null
  extra_minutes: number | null
}

export interface OptionForm {
  /** stable key for v-for while codes are being edited */
  key: number
  code: string
  type: OptionType
  label: string
  label_en: string
  required: boolean
  choices: ChoiceForm[]
  // number
  min: number | null
  max: number | null
  unit: string
  /** 元 per unit above included_units */
  per_unit_surcharge: number | null
  included_units: number | null
  /** minutes per unit above included_units */
  minutes_per_unit: number | null
  // bool
  /** 元 when switched on */
  surcharge: number | null
  /** % of the item subtotal when switched on */
  surcharge_pct: number | null
  // bool + number
  extra_minutes: number | null
  // text
  max_length: number | null
  default: unknown
}

let seq = 0
const nextKey = () => ++seq

export const hasChoices = (t: OptionType) => t === 'single' || t === 'multi'

export function newChoice(): ChoiceForm {
  return { code: '', label: '', label_en: '', surcharge: null, surcharge_pct: null, extra_minutes: null }
}

export function newOption(type: OptionType = 'single'): OptionForm {
  return {
    key: nextKey(),
    code: '',
    type,
    label: '',
    label_en: '',
    required: false,
    choices: hasChoices(type) ? [newChoice()] : [],
    min: type === 'number' ? 0 : null,
    max: null,
    unit: '',
    per_unit_surcharge: null,
    included_units: null,
    minutes_per_unit: null,
    surcharge: null,
    surcharge_pct: null,
    extra_minutes: null,
    max_length: type === 'text' ? 200 : null,
    default: null,
  }
}

/** Switching type keeps code/label/required and resets what no longer applies. */
export function changeType(opt: OptionForm, type: OptionType): OptionForm {
  const fresh = newOption(type)
  return {
    ...fresh,
    key: opt.key,
    code: opt.code,
    label: opt.label,
    label_en: opt.label_en,
    required: type === 'bool' ? false : opt.required,
    choices: hasChoices(type) ? (opt.choices.length ? opt.choices.map((c) => ({ ...c })) : fresh.choices) : [],
  }
}

export function choiceFromApi(c: OptionChoice): ChoiceForm {
  return {
    code: c.code ?? '',
    label: c.label ?? '',
    label_en: c.label_en ?? '',
    surcharge: fenToYuan(c.surcharge),
    surcharge_pct: bpToPercent(c.surcharge_bp),
    extra_minutes: c.extra_minutes ?? null,
  }
}

export function optionFromApi(o: ServiceOption): OptionForm {
  const base = newOption(o.type)
  return {
    ...base,
    code: o.code ?? '',
    label: o.label ?? '',
    label_en: o.label_en ?? '',
    required: !!o.required,
    choices: hasChoices(o.type) ? (o.choices ?? []).map(choiceFromApi) : [],
    min: o.min ?? base.min,
    max: o.max ?? null,
    unit: o.unit ?? '',
    per_unit_surcharge: fenToYuan(o.per_unit_surcharge),
    included_units: o.included_units ?? null,
    minutes_per_unit: o.minutes_per_unit ?? null,
    surcharge: fenToYuan(o.surcharge),
    surcharge_pct: bpToPercent(o.surcharge_bp),
    extra_minutes: o.extra_minutes ?? null,
    max_length: o.max_length ?? base.max_length,
    default: o.default ?? null,
  }
}

const trimOrNull = (s: string) => (s.trim() ? s.trim() : null)

export function optionToApi(f: OptionForm): ServiceOption {
  const out: ServiceOption = {
    code: f.code.trim(),
    type: f.type,
    label: f.label.trim(),
    label_en: f.label_en.trim(),
    required: f.type === 'bool' ? false : f.required,
  }
  switch (f.type) {
    case 'single':
    case 'multi':
      out.choices = f.choices.map((c) => ({
        code: c.code.trim(),
        label: c.label.trim(),
        label_en: c.label_en.trim(),
        surcharge: yuanToFen(c.surcharge) ?? 0,
        surcharge_bp: percentToBp(c.surcharge_pct) ?? 0,
        extra_minutes: c.extra_minutes ?? 0,
      }))
      break
    case 'number':
      out.min = f.min
      out.max = f.max
      out.unit = trimOrNull(f.unit)
      out.per_unit_surcharge = yuanToFen(f.per_unit_surcharge) ?? 0
      out.included_units = f.included_units ?? 0
      if (f.minutes_per_unit) out.minutes_per_unit = f.minutes_per_unit
      if (f.extra_minutes) out.extra_minutes = f.extra_minutes
      break
    case 'bool':
      out.surcharge = yuanToFen(f.surcharge) ?? 0
      if (f.surcharge_pct) out.surcharge_bp = percentToBp(f.surcharge_pct) ?? 0
      if (f.extra_minutes) out.extra_minutes = f.extra_minutes
      break
    case 'text':
      out.max_length = f.max_length
      break
  }
  if (f.default !== null && f.default !== undefined && f.default !== '') out.default = f.default as ServiceOption['default']
  return out
}

export interface OptionProblem {
  index: number
  /** i18n key under catalog.optErr */
  key: string
  params?: Record<string, string | number>
}

export const CODE_RE = /^[a-z][a-z0-9_]{0,31}$/

/** Validation of the whole list; an empty array means it can be saved. */
export function validateOptions(list: readonly OptionForm[]): OptionProblem[] {
  const problems: OptionProblem[] = []
  const seen = new Set<string>()
  list.forEach((o, index) => {
    const code = o.code.trim()
    if (!code) problems.push({ index, key: 'codeRequired' })
    else if (!CODE_RE.test(code)) problems.push({ index, key: 'codeFormat', params: { code } })
    else if (seen.has(code)) problems.push({ index, key: 'codeDuplicate', params: { code } })
    seen.add(code)
    if (!o.label.trim()) problems.push({ index, key: 'labelRequired' })
    if (hasChoices(o.type)) {
      if (!o.choices.length) problems.push({ index, key: 'choicesRequired' })
      const codes = new Set<string>()
      o.choices.forEach((c, ci) => {
        const cc = c.code.trim()
        if (!cc || !c.label.trim()) problems.push({ index, key: 'choiceIncomplete', params: { n: ci + 1 } })
        else if (!CODE_RE.test(cc)) problems.push({ index, key: 'codeFormat', params: { code: cc } })
        else if (codes.has(cc)) problems.push({ index, key: 'choiceDuplicate', params: { code: cc } })
        codes.add(cc)
        if ((c.surcharge ?? 0) < 0 || (c.surcharge_pct ?? 0) < -100) problems.push({ index, key: 'negative', params: { n: ci + 1 } })
      })
    }
    if (o.type === 'number') {
      if (o.min !== null && o.max !== null && o.min > o.max) problems.push({ index, key: 'minMax' })
      if (o.included_units !== null && o.included_units < 0) problems.push({ index, key: 'included' })
    }
  })
  return problems
}

/** Returns a new array with element i moved by dir (-1 up, +1 down); unchanged at the edges. */
export function move<T>(list: readonly T[], i: number, dir: -1 | 1): T[] {
  const j = i + dir
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return [...list]
  const next = [...list]
  ;[next[i], next[j]] = [next[j], next[i]]
  return next
}
