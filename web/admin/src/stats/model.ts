/**
 * The dashboard's pure parts: the query from the filters, ECharts options (trend, service mix, funnel,
 * cancellation reasons, utilisation), heat colours of the region table and the CSV of any table.
 */
import type { Cancellations, Dimension, FilterQuery, Funnel, Period, Segment, Source, StatsQuery, StatsReport, StatsRow, Utilisation } from './api'

export interface StatsFilters {
  /** [from, to] as YYYY-MM-DD (local days) */
  range: [string, string]
  regionId?: number
  serviceId?: number
  source?: Source | ''
  /** the customer's RFM segment when the order was placed */
  segment?: Segment | ''
}

export function filterQuery(f: StatsFilters): FilterQuery {
  const q: FilterQuery = { from: f.range[0], to: f.range[1] }
  if (f.regionId) q.region_id = f.regionId
  if (f.serviceId) q.service_id = f.serviceId
  if (f.source) q.source = f.source
  if (f.segment) q.segment = f.segment
  return q
}

export function reportQuery(f: StatsFilters, period: Period, by?: Dimension): StatsQuery {
  return { ...filterQuery(f), period, ...(by ? { by } : {}) }
}

/** `/api/v1/admin/stats/orders.xlsx?…` for the same filters. */
export function xlsxUrl(f: StatsFilters, period: Period): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(reportQuery(f, period))) if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  return `/api/v1/admin/stats/orders.xlsx?${params.toString()}`
}

/** A range of `days` local days ending today (Beijing). */
export function lastDays(days: number, today: Date = new Date()): [string, string] {
  const fmt = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d)
  const end = fmt(today)
  const start = fmt(new Date(today.getTime() - (days - 1) * 86400000))
  return [start, end]
}

/** The period that keeps a trend readable: by day up to ~3 months, then by week, then by month. */
export function periodFor(range: [string, string]): Period {
  const days = (Date.parse(range[1]) - Date.parse(range[0])) / 86400000 + 1
  return days <= 92 ? 'day' : days <= 366 ? 'week' : 'month'
}

export const yuan = (fen: number) => Math.round(fen) / 100
export const fmtYuan = (fen: number) => `¥${yuan(fen).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
export const pct = (x: number) => `${(x * 100).toFixed(1)}%`

const BLUE = '#409eff'
const GREEN = '#2bc4a1'
const PALETTE = ['#409eff', '#2bc4a1', '#e6a23c', '#9a60b4', '#f56c6c', '#73c0de', '#fc8452', '#3ba272', '#909399']

const DAY = 86400000
const iso = (t: number) => new Date(t).toISOString().slice(0, 10)

/** Every bucket of the range (days, Mondays or months' first days), so days without orders show as 0. */
export function bucketsOf(start: string, end: string, period: Period): string[] {
  const last = Date.parse(end)
  let t = Date.parse(start)
  if (period === 'all') return [start]
  if (period === 'week') t -= ((new Date(t).getUTCDay() + 6) % 7) * DAY
  if (period === 'month') t = Date.UTC(new Date(t).getUTCFullYear(), new Date(t).getUTCMonth(), 1)
  const out: string[] = []
  while (t <= last && out.length < 1200) {
    out.push(iso(t))
    if (period === 'month') {
      const d = new Date(t)
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
    } else t += (period === 'week' ? 7 : 1) * DAY
  }
  return out
}

/** Orders (bars, left axis) and GMV in ¥ (line, right axis) over every bucket of the range. */
export function trendOption(rep: StatsReport, labels: { orders: string; gmv: string }) {
  const byBucket = new Map(rep.rows.map((r) => [r.bucket, r]))
  const buckets = bucketsOf(rep.start, rep.end, rep.period)
  const at = (b: string) => byBucket.get(b)
  return {
    animation: false,
    color: [BLUE, GREEN],
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0 },
    grid: { left: 48, right: 64, top: 36, bottom: 28 },
    xAxis: { type: 'category' as const, data: buckets.map((b) => (rep.period === 'month' ? b.slice(0, 7) : b.slice(5))) },
    yAxis: [
      { type: 'value' as const, name: labels.orders, minInterval: 1 },
      { type: 'value' as const, name: labels.gmv, axisLabel: { formatter: (v: number) => `¥${v >= 10000 ? `${(v / 10000).toFixed(1)}万` : v}` }, splitLine: { show: false } },
    ],
    series: [
      { name: labels.orders, type: 'bar' as const, barMaxWidth: 18, data: buckets.map((b) => at(b)?.orders ?? 0) },
      { name: labels.gmv, type: 'line' as const, yAxisIndex: 1, smooth: 0.3, showSymbol: buckets.length <= 31, data: buckets.map((b) => yuan(at(b)?.gmv ?? 0)) },
    ],
  }
}

/** Service mix: GMV per service as a ring. */
export function mixOption(rows: StatsRow[], title: string) {
  return {
    animation: false,
    color: PALETTE,
    tooltip: { trigger: 'item' as const, formatter: (p: { name: string; value: number; percent: number }) => `${p.name}<br/>¥${p.value.toFixed(2)} (${p.percent}%)` },
    // legend below the ring: three rings share a row, and a legend beside one would sit on its labels
    legend: { type: 'scroll' as const, bottom: 0, left: 'center' as const, itemWidth: 14, itemHeight: 10 },
    series: [{ name: title, type: 'pie' as const, radius: ['36%', '60%'], center: ['50%', '44%'], label: { formatter: '{d}%' },
      labelLine: { length: 8, length2: 8 },
      data: [...rows].sort((a, b) => b.gmv - a.gmv).map((r) => ({ name: r.label ?? r.key ?? '', value: yuan(r.gmv) })) }],
  }
}

export function funnelOption(f: Funnel) {
  return {
    animation: false,
    color: ['#409eff', '#53a8ff', '#2bc4a1', '#67c23a'],
    tooltip: { trigger: 'item' as const },
    series: [{ type: 'funnel' as const, sort: 'none' as const, left: '8%', width: '84%', top: 8, bottom: 8, minSize: '12%', gap: 2,
      label: { position: 'inside' as const, formatter: (p: { name: string; value: number; dataIndex: number }) => `${p.name} ${p.value}（${pct(f.steps[p.dataIndex].rate)}）` },
      data: f.steps.map((s) => ({ name: s.label, value: s.orders })) }],
  }
}

export function cancelOption(c: Cancellations) {
  const reasons = [...c.reasons].reverse()
  return {
    animation: false,
    color: ['#f56c6c'],
    tooltip: { trigger: 'axis' as const },
    grid: { left: 96, right: 40, top: 8, bottom: 24 },
    xAxis: { type: 'value' as const, minInterval: 1 },
    yAxis: { type: 'category' as const, data: reasons.map((r) => r.label) },
    series: [{ type: 'bar' as const, barMaxWidth: 18, label: { show: true, position: 'right' as const }, data: reasons.map((r) => r.orders) }],
  }
}

export function utilisationOption(u: Utilisation, labels: { capacity: string; service: string; rate: string }) {
  return {
    animation: false,
    color: ['#c6e2ff', BLUE, '#e6a23c'],
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0 },
    grid: { left: 48, right: 56, top: 36, bottom: 28 },
    xAxis: { type: 'category' as const, data: u.days.map((d) => d.day.slice(5)) },
    yAxis: [{ type: 'value' as const, name: 'h' }, { type: 'value' as const, max: 1, axisLabel: { formatter: (v: number) => pct(v) }, splitLine: { show: false } }],
    series: [
      { name: labels.capacity, type: 'bar' as const, barGap: '-100%', barMaxWidth: 18, data: u.days.map((d) => d.capacity_hours) },
      { name: labels.service, type: 'bar' as const, barMaxWidth: 18, data: u.days.map((d) => d.service_hours) },
      { name: labels.rate, type: 'line' as const, yAxisIndex: 1, data: u.days.map((d) => d.utilisation) },
    ],
  }
}

/** A heat colour from white to the brand blue for `value` within [0, max]. */
export function heat(value: number, max: number): string {
  const t = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t)
  return `rgb(${mix(255, 64)}, ${mix(255, 158)}, ${mix(255, 255)})`
}

/** Text that is readable on a heat colour. */
export function heatText(value: number, max: number): string {
  return max > 0 && value / max > 0.6 ? '#fff' : '#303133'
}

/** RFC 4180 CSV with a BOM (Excel opens UTF-8 Chinese correctly). */
export function toCsv(head: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number) => {
    const s = String(v)
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return '\ufeff' + [head, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}

export function saveFile(name: string, href: string): void {
  const a = document.createElement('a')
  a.href = href
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
}

export function saveCsv(name: string, csv: string): void {
  const href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }))
  saveFile(name, href)
  setTimeout(() => URL.revokeObjectURL(href), 1000)
}
