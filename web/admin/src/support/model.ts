/**
 * Pure helpers of the console's 工单 and 投诉分析 pages (tested in __tests__/support.spec.ts): how an SLA
 * deadline reads, the list's query, the resolve form and what its confirmation says, the ECharts options.
 */
import { yuanToFen } from '../booking/money'
import type { AnalysisQuery, ResolveBody, SupportAnalysis, SupportBucket, TicketQuery } from './api'

export const STATUSES = ['new', 'assigned', 'in_progress', 'resolved', 'closed'] as const
export const KINDS = ['complaint', 'suggestion', 'follow_up'] as const
export const CATEGORIES = ['quality', 'attitude', 'punctuality', 'damage', 'pricing', 'other'] as const
export const ROOT_CAUSES = ['worker_skill', 'worker_conduct', 'scheduling', 'pricing', 'platform', 'customer', 'other'] as const
export const SLA_STEPS = ['assign', 'response', 'resolve'] as const
export type Status = (typeof STATUSES)[number]
export type RootCause = (typeof ROOT_CAUSES)[number]

/** el-tag type per ticket status. */
export function statusTag(status: string): 'warning' | 'primary' | 'success' | 'info' | 'danger' {
  return ({ new: 'warning', assigned: 'primary', in_progress: 'primary', resolved: 'success', closed: 'info' } as const)[status as Status] ?? 'info'
}

/* ---------------------------------------------------------------- SLA */
export const SOON_MINUTES = 30

export interface SlaClock {
  /** none: nothing left to do; ok: time left; soon: under SOON_MINUTES left; over: past the deadline */
  state: 'none' | 'ok' | 'soon' | 'over'
  /** whole minutes left (ok/soon) or over (over); never negative */
  minutes: number
}

/** Where a deadline stands at `now` (ms). Minutes left round down (59.9 → 59: never promise more than there
 * is); minutes over round up (0.2 over → 1: a breach is never shown as 0). */
export function slaClock(dueAt: string | null | undefined, now: number): SlaClock {
  if (!dueAt) return { state: 'none', minutes: 0 }
  const due = Date.parse(dueAt)
  if (Number.isNaN(due)) return { state: 'none', minutes: 0 }
  const ms = due - now
  if (ms <= 0) return { state: 'over', minutes: Math.max(1, Math.ceil(-ms / 60000)) }
  const minutes = Math.floor(ms / 60000)
  return { state: minutes < SOON_MINUTES ? 'soon' : 'ok', minutes }
}

/** 95 → { d: 0, h: 1, m: 35 }. */
export function splitMinutes(total: number): { d: number; h: number; m: number } {
  const n = Math.max(0, Math.floor(total))
  return { d: Math.floor(n / 1440), h: Math.floor((n % 1440) / 60), m: n % 60 }
}

/** "1天3小时" / "2小时5分" / "35分" (the two largest units), via the dictionary's unit words. */
export function durationText(total: number, t: (k: string, p?: Record<string, unknown>) => string): string {
  const { d, h, m } = splitMinutes(total)
  if (d) return t('support.sla.dh', { d, h })
  if (h) return t('support.sla.hm', { h, m })
  return t('support.sla.m', { m })
}

/* ---------------------------------------------------------------- the list */
export interface TicketFilter {
  status: Status | ''
  kind: (typeof KINDS)[number] | ''
  category: (typeof CATEGORIES)[number] | ''
  overdue: boolean
  assigneeId: number | ''
  q: string
}

export const emptyFilter = (): TicketFilter => ({ status: '', kind: '', category: '', overdue: false, assigneeId: '', q: '' })

export function ticketQuery(f: TicketFilter, page: number, size: number): TicketQuery {
  const q: TicketQuery = { page, page_size: size }
  if (f.status) q.status = f.status
  if (f.kind) q.kind = f.kind
  if (f.category) q.category = f.category
  if (f.overdue) q.overdue = true
  if (f.assigneeId) q.assignee_id = f.assigneeId
  if (f.q.trim()) q.q = f.q.trim()
  return q
}

/* ---------------------------------------------------------------- resolving */
export interface ResolveForm {
  result: string
  root_cause: RootCause | ''
  upheld: boolean
  compensation: 'none' | 'coupon' | 'refund'
  amount: string // 元
  valid_days: number
  min_spend: string // 元
}

export const emptyResolveForm = (): ResolveForm => ({ result: '', root_cause: '', upheld: true, compensation: 'none', amount: '', valid_days: 30, min_spend: '' })

/** The body to send, or the first field that is wrong. A refund needs the ticket's order; nothing is
 * compensated unless the complaint is upheld. */
export function formToResolve(f: ResolveForm, hasOrder: boolean): { body: ResolveBody } | { error: 'result' | 'root_cause' | 'compensation' | 'amount' | 'min_spend' } {
  const result = f.result.trim()
  if (result.length < 2) return { error: 'result' }
  if (!f.root_cause) return { error: 'root_cause' }
  const body: ResolveBody = { result, root_cause: f.root_cause, upheld: f.upheld, compensation: null }
  if (f.compensation === 'none') return { body }
  if (!f.upheld || (f.compensation === 'refund' && !hasOrder)) return { error: 'compensation' }
  const amount = yuanToFen(f.amount)
  if (amount === null || amount <= 0 || amount > 100_000_000) return { error: 'amount' }
  if (f.compensation === 'refund') return { body: { ...body, compensation: { kind: 'refund', amount, valid_days: 30, min_spend: 0 } } }
  const min = f.min_spend.trim() === '' ? 0 : yuanToFen(f.min_spend)
  if (min === null || min < 0 || min > 100_000_000) return { error: 'min_spend' }
  return { body: { ...body, compensation: { kind: 'coupon', amount, valid_days: f.valid_days, min_spend: min } } }
}

/* ---------------------------------------------------------------- analysis */
export function analysisQuery(range: [string, string] | null | undefined, kind: string): AnalysisQuery {
  const q: AnalysisQuery = {}
  if (range?.[0]) q.from = range[0]
  if (range?.[1]) q.to = range[1]
  if (kind) q.kind = kind as AnalysisQuery['kind']
  return q
}

export function analysisXlsxUrl(range: [string, string] | null | undefined, kind: string): string {
  const params = new URLSearchParams(analysisQuery(range, kind) as Record<string, string>)
  const s = params.toString()
  return `/api/v1/admin/support/analysis.xlsx${s ? '?' + s : ''}`
}

/** "62.5%" (upheld / complaints resolved); "—" when nothing was resolved. */
export function percentText(rate: number | null | undefined, resolvedComplaints = 1): string {
  if (rate === null || rate === undefined || !resolvedComplaints) return '—'
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`
}

/** Buckets by total, biggest first, at most `top` (the rest summed into one 其他 bar when `restLabel`). */
export function topBuckets(buckets: readonly SupportBucket[], top: number, restLabel?: string): SupportBucket[] {
  const sorted = [...buckets].sort((a, b) => b.total - a.total || a.label.localeCompare(b.label))
  if (sorted.length <= top || !restLabel) return sorted.slice(0, top)
  const rest = sorted.slice(top - 1)
  const sum = (k: 'total' | 'complaints' | 'upheld' | 'compensation') => rest.reduce((a, b) => a + b[k], 0)
  return [...sorted.slice(0, top - 1), { key: '_rest', label: restLabel, total: sum('total'), complaints: sum('complaints'), upheld: sum('upheld'), compensation: sum('compensation') }]
}

export const CHART_COLORS = { total: '#409eff', complaints: '#e6a23c', upheld: '#f56c6c', suggestions: '#67c23a', follow_ups: '#9a60b4', resolved: '#909399' }

/** Horizontal bars of one dimension: tickets, complaints, upheld (biggest at the top). */
export function bucketsOption(buckets: readonly SupportBucket[], names: { total: string; complaints: string; upheld: string }, labelOf: (b: SupportBucket) => string = (b) => b.label) {
  const rows = [...buckets].reverse() // ECharts draws the first category at the bottom
  const series = (['total', 'complaints', 'upheld'] as const).map((k) => ({
    name: names[k], type: 'bar' as const, color: CHART_COLORS[k], barMaxWidth: 14, data: rows.map((b) => b[k]),
  }))
  return {
    animation: false,
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 30, bottom: 4, containLabel: true },
    xAxis: { type: 'value' as const, minInterval: 1 },
    yAxis: { type: 'category' as const, data: rows.map(labelOf), axisLabel: { width: 96, overflow: 'truncate' as const } },
    series,
  }
}

/** Tickets opened per day by kind, and resolved per day. */
export function trendOption(trend: SupportAnalysis['trend'], names: { complaints: string; suggestions: string; follow_ups: string; resolved: string }) {
  const line = (k: 'complaints' | 'suggestions' | 'follow_ups' | 'resolved', stack?: string) => ({
    name: names[k], type: stack ? ('bar' as const) : ('line' as const), stack, color: CHART_COLORS[k], barMaxWidth: 18,
    showSymbol: trend.length <= 31, data: trend.map((p) => p[k]),
  })
  return {
    animation: false,
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0 },
    grid: { left: 8, right: 20, top: 34, bottom: 4, containLabel: true },
    xAxis: { type: 'category' as const, data: trend.map((p) => p.day.slice(5)) },
    yAxis: { type: 'value' as const, minInterval: 1 },
    series: [line('complaints', 'opened'), line('suggestions', 'opened'), line('follow_ups', 'opened'), line('resolved')],
  }
}

/** A doughnut of one dimension's totals (categories). */
export function pieOption(buckets: readonly SupportBucket[], labelOf: (b: SupportBucket) => string = (b) => b.label) {
  return {
    animation: false,
    tooltip: { trigger: 'item' as const, formatter: '{b}: {c} ({d}%)' },
    legend: { orient: 'vertical' as const, right: 0, top: 'middle' as const },
    series: [{ type: 'pie' as const, radius: ['40%', '70%'], center: ['38%', '50%'], label: { show: false }, data: buckets.filter((b) => b.total > 0).map((b) => ({ name: labelOf(b), value: b.total })) }],
  }
}
