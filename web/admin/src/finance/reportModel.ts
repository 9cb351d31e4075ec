/**
 * Finance reports: the query from the console's choices, the ECharts option from the report's chart series
 * (fen → ¥ on the axis), and the xlsx download (a fetch with the session's token, saved as a file).
 */
import type { ReportChart, ReportMetric, ReportQuery, ReportRow } from './financeTypes'

export type Period = 'day' | 'month'
export type GroupBy = '' | NonNullable<ReportQuery['group_by']>

export interface ReportChoices {
  period: Period
  groupBy: GroupBy
  /** [from, to] as YYYY-MM-DD (Beijing days), or none for the server's default range */
  range?: [string, string]
}

export function reportQuery(c: ReportChoices): ReportQuery {
  const q: ReportQuery = { period: c.period }
  if (c.groupBy) q.group_by = c.groupBy
  if (c.range?.[0] && c.range?.[1]) {
    q.from = c.range[0]
    q.to = c.range[1]
  }
  return q
}

/** `/api/v1/admin/finance/reports.xlsx?period=…` for the same choices. */
export function xlsxUrl(c: ReportChoices): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(reportQuery(c))) if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  return `/api/v1/admin/finance/reports.xlsx?${params.toString()}`
}

/** The file name a Content-Disposition gives (RFC 5987 `filename*` first), or the fallback. */
export function dispositionName(header: string | null, fallback: string): string {
  if (!header) return fallback
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header)
  return plain ? plain[1].trim() : fallback
}

/** A month bucket "2026-05-01" is shown "2026-05"; a day stays "2026-05-01". */
export function bucketLabel(bucket: string, period: Period): string {
  return period === 'month' ? bucket.slice(0, 7) : bucket
}

const yuan = (fen: number) => Math.round(fen) / 100

/** One colour per metric, whichever are shown: money in blue, refunds red, the platform's revenue green. */
export const METRIC_COLORS: Record<string, string> = {
  collected: '#409eff',
  refunds: '#f56c6c',
  revenue: '#67c23a',
  cancel_fees: '#9a60b4',
  coupon_expense: '#909399',
  payables_accrued: '#e6a23c',
  payables_paid: '#3ba272',
}

/** Line chart of the chosen metrics over the buckets, amounts in ¥. */
export function trendOption(chart: ReportChart, metrics: readonly ReportMetric[], keys: readonly string[], period: Period, labelOf: (m: ReportMetric) => string) {
  const series = chart.series
    .filter((s) => keys.includes(s.metric))
    .map((s) => {
      const m = metrics.find((x) => x.key === s.metric)
      const color = METRIC_COLORS[s.metric]
      return { name: m ? labelOf(m) : s.label, type: 'line' as const, smooth: true, showSymbol: chart.buckets.length <= 31, color, data: s.data.map(yuan) }
    })
  return {
    // figures, not a show: drawn at once (and the same in every screenshot)
    animation: false,
    tooltip: { trigger: 'axis' as const, valueFormatter: (v: unknown) => `¥${Number(v).toFixed(2)}` },
    legend: { top: 0 },
    grid: { left: 12, right: 20, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category' as const, boundaryGap: false, data: chart.buckets.map((b) => bucketLabel(b, period)) },
    yAxis: { type: 'value' as const, axisLabel: { formatter: (v: number) => `¥${v}` } },
    series,
  }
}

/** Totals per group (for the grouped table's summary and the bar chart of a grouping). */
export function groupTotals(rows: readonly ReportRow[], metric: keyof ReportRow): { group: string; label: string; value: number }[] {
  const out = new Map<string, { group: string; label: string; value: number }>()
  for (const r of rows) {
    const key = r.group ?? ''
    const cur = out.get(key) ?? { group: key, label: r.group_label ?? '', value: 0 }
    cur.value += Number(r[metric] ?? 0)
    out.set(key, cur)
  }
  return [...out.values()].sort((a, b) => b.value - a.value)
}
