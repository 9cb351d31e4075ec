/** Reviews, the worker card, preferences and favourites (customer token, over the shared typed client). */
import { ok } from '@anjia/shared/src/api/client'
import type { components } from '@anjia/shared/src/api/schema'
import { useApi } from '@anjia/shared/src/uni/session'

type S = components['schemas']
export type Review = S['ReviewOut']
export type ReviewIn = S['ReviewIn']
export type ReviewChange = S['ReviewChange']
export type PublicReview = S['PublicReviewOut']
export type WorkerCard = S['WorkerCardOut']
export type Photo = S['PhotoOut']
export type Preferences = S['PreferencesIn']
export type Favourites = S['FavouritesOut']

const order = (id: number) => ({ params: { path: { order_id: id } } })

export const reviewsApi = {
  ofOrder: (orderId: number) => ok(useApi().raw.GET('/api/v1/orders/{order_id}/review', order(orderId))),
  create: (orderId: number, body: ReviewIn) => ok(useApi().raw.POST('/api/v1/orders/{order_id}/review', { ...order(orderId), body })),
  edit: (reviewId: number, body: ReviewChange) =>
    ok(useApi().raw.PATCH('/api/v1/reviews/{review_id}', { params: { path: { review_id: reviewId } }, body })),
  mine: (page: number) => ok(useApi().raw.GET('/api/v1/reviews/mine', { params: { query: { page, page_size: 20 } } })),
  card: (workerId: number) => ok(useApi().raw.GET('/api/v1/workers/{worker_id}/card', { params: { path: { worker_id: workerId } } })),
  workerReviews: (workerId: number, page: number) =>
    ok(useApi().raw.GET('/api/v1/workers/{worker_id}/reviews', { params: { path: { worker_id: workerId }, query: { page, page_size: 20 } } })),
}

export const preferencesApi = {
  get: () => ok(useApi().raw.GET('/api/v1/me/preferences')),
  put: (body: Preferences) => ok(useApi().raw.PUT('/api/v1/me/preferences', { body })),
  favourites: () => ok(useApi().raw.GET('/api/v1/me/favourites')),
  likeService: (id: number, on: boolean) => {
    const params = { params: { path: { service_id: id } } }
    return ok(on ? useApi().raw.PUT('/api/v1/me/favourites/services/{service_id}', params) : useApi().raw.DELETE('/api/v1/me/favourites/services/{service_id}', params))
  },
  likeWorker: (id: number, on: boolean) => {
    const params = { params: { path: { worker_id: id } } }
    return ok(on ? useApi().raw.PUT('/api/v1/me/favourites/workers/{worker_id}', params) : useApi().raw.DELETE('/api/v1/me/favourites/workers/{worker_id}', params))
  },
}
