import { describe, expect, it } from 'vitest'
import { reviewQuery, scoreTag } from '../reviews/model'
import { reviewsEn, reviewsZh } from '../reviews/messages'

describe('reviews list', () => {
  it('maps a filter to the query', () => {
    expect(reviewQuery('low', null, null, 1, 20)).toEqual({ page: 1, page_size: 20, low: true })
    expect(reviewQuery('hidden', 7, 2, 2, 50)).toEqual({ page: 2, page_size: 50, hidden: true, worker_id: 7, max_score: 2 })
    expect(reviewQuery('visible', 0, 9, 1, 20)).toEqual({ page: 1, page_size: 20, hidden: false })
  })
  it('colours scores', () => {
    expect([1.7, 2, 3.3, 4, 5].map(scoreTag)).toEqual(['danger', 'danger', 'warning', 'success', 'success'])
  })
  it('has every text in both languages', () => {
    expect(Object.keys(reviewsEn.reviews).sort()).toEqual(Object.keys(reviewsZh.reviews).sort())
  })
})
