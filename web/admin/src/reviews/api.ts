import type { components, paths } from '@anjia/shared/src/api/schema'
import { api } from '../api/client'

export type AdminReview = components['schemas']['AdminReviewOut']
export type ReviewQuery = NonNullable<paths['/api/v1/admin/reviews']['get']['parameters']['query']>

const review = (id: number) => ({ path: { review_id: id } })

/** Reviews (reviews.read) and their moderation (reviews.write, audited). */
export const reviewsApi = {
  list: (q: ReviewQuery) => api.GET('/api/v1/admin/reviews', { params: { query: q } }),
  hide: (id: number, reason: string) => api.POST('/api/v1/admin/reviews/{review_id}/hide', { params: review(id), body: { reason } }),
  unhide: (id: number, reason: string) => api.POST('/api/v1/admin/reviews/{review_id}/unhide', { params: review(id), body: { reason } }),
}
