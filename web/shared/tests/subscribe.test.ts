import { describe, expect, it, vi } from 'vitest'
import { useSubscribe, type RequestSubscribe, type SubscribePort } from '../src/uni/subscribe'

const mockRequest = (impl: RequestSubscribe = () => undefined) => vi.fn(impl)

function port(ids: string[] = ['T1', 'T2']) {
  return {
    templates: vi.fn(async () => ids),
    record: vi.fn(async () => ({})),
  } satisfies SubscribePort
}

describe('useSubscribe', () => {
  it('asks WeChat for the moment’s templates and records what the user allowed', async () => {
    const p = port()
    const request = mockRequest((o) => {
      o.success?.({ errMsg: 'requestSubscribeMessage:ok', T1: 'accept', T2: 'reject' })
      o.complete?.()
    })
    const s = useSubscribe(p, 'booked', request)
    await s.prepare()
    expect(p.templates).toHaveBeenCalledWith('booked')
    await s.ask()
    expect(request.mock.calls[0][0].tmplIds).toEqual(['T1', 'T2'])
    expect(p.record).toHaveBeenCalledWith({ T1: 'accept', T2: 'reject' }) // errMsg is not a template
  })

  it('does nothing outside the mini program, or when nothing is configured', async () => {
    const p = port()
    const none = useSubscribe(p, 'booked', null)
    await none.prepare()
    await none.ask()
    expect(p.templates).not.toHaveBeenCalled()
    const request = mockRequest()
    const empty = useSubscribe(port([]), 'accepted', request)
    await empty.prepare()
    await empty.ask()
    expect(request).not.toHaveBeenCalled()
  })

  it('never throws: a failed template fetch, a closed dialog or a failed record', async () => {
    const p = { templates: vi.fn(async () => Promise.reject(new Error('offline'))), record: vi.fn() }
    const request = mockRequest()
    const s = useSubscribe(p, 'booked', request)
    await s.prepare()
    await s.ask()
    expect(request).not.toHaveBeenCalled()
    const failing = { templates: vi.fn(async () => ['T1']), record: vi.fn(async () => Promise.reject(new Error('x'))) }
    const closed = mockRequest((o) => o.complete?.()) // the user closed it: no success
    const s2 = useSubscribe(failing, 'accepted', closed)
    await s2.prepare()
    await s2.ask()
    expect(failing.record).not.toHaveBeenCalled()
    const answered = mockRequest((o) => {
      o.success?.({ T1: 'accept' })
      o.complete?.()
    })
    const s3 = useSubscribe(failing, 'accepted', answered)
    await s3.prepare()
    await expect(s3.ask()).resolves.toBeUndefined()
  })
})
