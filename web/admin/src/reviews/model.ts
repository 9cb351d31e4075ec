/** Reviews list helpers (pure; tested in __tests__/reviews.spec.ts). */
import type { ReviewQuery } from './api'

export type ReviewFilter = 'all' | 'low' | 'hidden' | 'visible'

/** The list's query for a filter tab and an optional worker id / max average score. */
export function reviewQuery(filter: ReviewFilter, workerId: number | null, maxScore: number | null, page: number, pageSize: number): ReviewQuery {
  const q: ReviewQuery = { page, page_size: pageSize }
  if (filter === 'low') q.low = true
  if (filter === 'hidden') q.hidden = true
  if (filter === 'visible') q.hidden = false
  if (workerId && workerId > 0) q.worker_id = workerId
  if (maxScore && maxScore >= 1 && maxScore <= 5) q.max_score = maxScore
  return q
}

/** Element Plus tag type for an average score: red at 2 or below, orange below 4, green otherwise. */
export function scoreTag(score: number): 'danger' | 'warning' | 'success' {
  return score <= 2 ? 'danger' : score < 4 ? 'warning' : 'success'
}
