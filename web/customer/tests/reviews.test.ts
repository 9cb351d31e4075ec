import { describe, expect, it } from 'vitest'
import { changes, complete, scoreText, starBars, starsKey } from '../src/lib/reviews/logic'

describe('reviews', () => {
  it('needs all three scores from 1 to 5', () => {
    expect(complete({ quality: 5, attitude: 4, skill: 3 })).toBe(true)
    expect(complete({ quality: 5, attitude: 0, skill: 3 })).toBe(false)
    expect(complete({ quality: 6, attitude: 4, skill: 3 })).toBe(false)
  })
  it('formats scores and words', () => {
    expect(scoreText(4.666)).toBe('4.7')
    expect(scoreText(null)).toBe('—')
    expect(starsKey(5)).toBe('review.stars.5')
    expect(starsKey(0)).toBe('')
  })
  it('draws the stars histogram from 5 down', () => {
    const bars = starBars({ '1': 1, '2': 0, '3': 0, '4': 1, '5': 2 })
    expect(bars.map((b) => [b.star, b.percent])).toEqual([[5, 50], [4, 25], [3, 0], [2, 0], [1, 25]])
    expect(starBars(null).every((b) => b.percent === 0)).toBe(true)
  })
  it('sends only what changed', () => {
    expect(changes({ quality: 5, text: 'a', photo_ids: [1, 2] }, { quality: 4, text: 'a', photo_ids: [2, 1] })).toEqual({ quality: 4, photo_ids: [2, 1] })
  })
})
