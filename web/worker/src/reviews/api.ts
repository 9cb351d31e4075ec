/** The worker's reviews and their reply (worker token, over the shared typed client). */
import { ok } from '@anjia/shared/src/api/client'
import type { components } from '@anjia/shared/src/api/schema'
import { useApi } from '@anjia/shared/src/uni/session'

export type WorkerReview = components['schemas']['WorkerReviewOut']
export type WorkerReviews = components['schemas']['WorkerReviewsOut']

export const reviewsApi = {
  list: (page: number) => ok(useApi().raw.GET('/api/v1/worker/reviews', { params: { query: { page, page_size: 20 } } })),
  reply: (id: number, text: string) =>
    ok(useApi().raw.POST('/api/v1/worker/reviews/{review_id}/reply', { params: { path: { review_id: id } }, body: { text } })),
}
