/** Pure review helpers (tested in tests/reviews.test.ts). */

export type Dimension = 'quality' | 'attitude' | 'skill'
export const DIMENSIONS: Dimension[] = ['quality', 'attitude', 'skill']
export const MAX_PHOTOS = 9

/** "4.7" — one decimal, "—" when unknown. */
export function scoreText(score: number | null | undefined): string {
  return typeof score === 'number' && Number.isFinite(score) ? score.toFixed(1) : '—'
}

/** The i18n key of a star count's words (很差 … 非常满意); '' for 0. */
export function starsKey(n: number): string {
  return n >= 1 && n <= 5 ? `review.stars.${Math.round(n)}` : ''
}

/** A review can be sent once all three are rated 1..5. */
export function complete(scores: Record<Dimension, number>): boolean {
  return DIMENSIONS.every((d) => Number.isInteger(scores[d]) && scores[d] >= 1 && scores[d] <= 5)
}

/** Stars histogram as bars, 5 down to 1, with a percent of the total. */
export function starBars(stars: Record<string, number> | null | undefined): { star: number; count: number; percent: number }[] {
  const counts = [5, 4, 3, 2, 1].map((s) => ({ star: s, count: Math.max(0, Number(stars?.[String(s)] ?? 0) || 0) }))
  const total = counts.reduce((a, b) => a + b.count, 0)
  return counts.map((c) => ({ ...c, percent: total ? Math.round((c.count / total) * 100) : 0 }))
}

/** Only what changed, for PATCH (photo ids compared in order). */
export function changes<T extends Record<string, unknown>>(before: T, after: T): Partial<T> {
  const out: Partial<T> = {}
  for (const k of Object.keys(after) as (keyof T)[]) {
    const a = after[k]
    const b = before[k]
    if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = a
  }
  return out
}
