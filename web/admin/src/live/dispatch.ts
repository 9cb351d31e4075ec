/** "Why this worker": dispatch rounds, score breakdown and outcome tags (pure; tested in __tests__/live.spec.ts). */

export const BREAKDOWN_KEYS = ['distance', 'rating', 'acceptance', 'load', 'previous', 'favourite'] as const
export type BreakdownKey = (typeof BREAKDOWN_KEYS)[number]

/** The server's factor weights (src/anjia/dispatch/scoring.py): the breakdown holds weight × factor (0..1). */
export const WEIGHTS: Record<BreakdownKey, number> = { distance: 0.3, rating: 0.2, acceptance: 0.15, load: 0.15, previous: 0.1, favourite: 0.1 }

export interface BreakdownBar {
  key: BreakdownKey | string
  /** weighted points (as sent) */
  points: number
  /** the factor 0..1 (points / weight) */
  value: number
  /** 0..100, for a bar width */
  percent: number
  /** "0.31" (points) */
  text: string
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0
}

/**
 * The breakdown as bars in a fixed order (known factors first, then any others).
 * The bar shows the factor (points / weight); unknown factors are taken as 0..1 as they are.
 */
export function breakdownBars(b: Record<string, number> | null | undefined): BreakdownBar[] {
  if (!b) return []
  const keys = [...BREAKDOWN_KEYS.filter((k) => k in b), ...Object.keys(b).filter((k) => !(BREAKDOWN_KEYS as readonly string[]).includes(k))]
  return keys.map((key) => {
    const raw = Number(b[key])
    const w = WEIGHTS[key as BreakdownKey]
    const value = clamp01(w ? raw / w : raw)
    return { key, points: Number.isFinite(raw) ? raw : 0, value, percent: Math.round(value * 100), text: Number.isFinite(raw) ? raw.toFixed(2) : '—' }
  })
}

/** Score with two decimals, "—" when the candidate was not scored. */
export function formatScore(score: number | null | undefined): string {
  return typeof score === 'number' && Number.isFinite(score) ? score.toFixed(2) : '—'
}

/** "3.2 km" / "—". */
export function formatKm(km: number | null | undefined): string {
  return typeof km === 'number' && Number.isFinite(km) ? `${km.toFixed(1)} km` : '—'
}

export type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

/** Offer outcome → i18n key suffix + tag colour. Not offered → null. */
export function outcomeTag(offered: boolean, outcome: string | null | undefined): { key: string; type: TagType } | null {
  if (!offered && !outcome) return null
  switch (outcome) {
    case 'accepted':
    case 'assigned':
      return { key: 'accepted', type: 'success' }
    case 'rejected':
      return { key: 'rejected', type: 'danger' }
    case 'expired':
      return { key: 'expired', type: 'warning' }
    case 'withdrawn':
    case 'taken':
    case 'cancelled':
      return { key: 'withdrawn', type: 'info' }
    case null:
    case undefined:
    case '':
    case 'offered':
      return { key: 'offered', type: 'primary' }
    default:
      return { key: outcome, type: 'info' }
  }
}

/** Manual assignment / redispatch are offered in these statuses. */
export function canRedispatch(status: string | undefined): boolean {
  return status === 'paid' || status === 'dispatch_failed'
}
