/**
 * 我的绩效 rules of reading (pure, tested in tests/performance.test.ts): each factor's figures as a
 * line, what would raise it as a sentence with its figures, a reward and a rule as text. The
 * server counts and scores; nothing here recomputes a score.
 */
import type { Factor, Reward, RuleBrief } from './api'

export type Grade = 'S' | 'A' | 'B' | 'C'
export const GRADE_TONE: Record<Grade, string> = { S: '#e6a23c', A: '#4d80f0', B: '#67c23a', C: '#f56c6c' }

export type Phrase = { key: string; params?: Record<string, string | number> }

const pct = (rate: number | null | undefined) => `${Math.round((rate ?? 1) * 100)}%`
const pts = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1))

/** Share of the weight as a bar width, 0..100. */
export const barWidth = (f: Pick<Factor, 'points' | 'weight'>) => Math.max(0, Math.min(100, Math.round((f.points / f.weight) * 100)))

/** "4.67 分 · 3 条评价", "准时 50% · 迟到 2 次（36 分钟）" … ; nothing counted: perf.none.<key>. */
export function factorLine(f: Factor): Phrase {
  if (f.key === 'complaints') return f.count ? { key: 'perf.line.complaints', params: { n: f.count } } : { key: 'perf.none.complaints' }
  if (!f.count) return { key: `perf.none.${f.key}` }
  switch (f.key) {
    case 'rating':
      return { key: 'perf.line.rating', params: { avg: (f.rate ?? 5).toFixed(2), n: f.count } }
    case 'punctuality':
      return { key: 'perf.line.punctuality', params: { pct: pct(f.rate), n: f.count, late: f.misses, min: f.minutes ?? 0 } }
    case 'completion':
      return { key: 'perf.line.completion', params: { pct: pct(f.rate), n: f.count, lost: f.misses } }
    case 'acceptance':
      return { key: 'perf.line.acceptance', params: { pct: pct(f.rate), n: f.count, no: f.misses } }
    default:
      return { key: 'perf.line.overruns', params: { n: f.count, over: f.misses, min: f.minutes ?? 0 } }
  }
}

/** What would raise it: the factor's misses and the points one fewer would give. */
export function tipLine(f: Factor): Phrase {
  const params = { lost: pts(f.lost), gain: pts(f.gain), n: f.misses, min: f.minutes ?? 0, avg: (f.rate ?? 5).toFixed(2) }
  return { key: `perf.tip.${f.key}`, params }
}

/** The tips in the server's order (worst first), as factors. */
export const tipFactors = (factors: Factor[], tips: string[]) =>
  tips.map((k) => factors.find((f) => f.key === k)).filter((f): f is Factor => !!f)

export function rewardLine(r: Reward, money: (fen: number) => string): Phrase {
  if (r.kind === 'bonus') return { key: 'perf.reward.bonus', params: { amount: money(r.amount ?? 0) } }
  if (r.kind === 'badge') return { key: 'perf.reward.badge', params: { badge: r.badge ?? '' } }
  const up = (r.level_to ?? 0) > (r.level_from ?? 0)
  return { key: up ? 'perf.reward.levelUp' : 'perf.reward.levelDown', params: { from: r.level_from ?? 0, to: r.level_to ?? 0 } }
}

/** "90 分及以上" / "低于 60 分" / "80–90 分", then what it gives. */
export function ruleRange(r: Pick<RuleBrief, 'min_score' | 'below_score'>): Phrase {
  if (r.min_score != null && r.below_score != null) return { key: 'perf.rule.between', params: { min: pts(r.min_score), max: pts(r.below_score) } }
  if (r.min_score != null) return { key: 'perf.rule.atLeast', params: { min: pts(r.min_score) } }
  return { key: 'perf.rule.below', params: { max: pts(r.below_score ?? 0) } }
}

export function ruleGives(r: RuleBrief, money: (fen: number) => string): Phrase {
  if (r.kind === 'bonus') return { key: 'perf.gives.bonus', params: { amount: money(r.amount ?? 0) } }
  if (r.kind === 'badge') return { key: 'perf.gives.badge', params: { badge: r.badge ?? '' } }
  return { key: `perf.gives.${r.kind === 'level_up' ? 'levelUp' : 'levelDown'}` }
}

/** "2026-10" -> month number for the chips. */
export const monthNo = (month: string) => Number(month.slice(5, 7))
