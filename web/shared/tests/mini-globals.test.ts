import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApi, createUniFetch, installFetchGlobals, memoryTokenStore, MiniRequest, type UniRequestFn } from '../src'

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('mini program runtime (no fetch globals)', () => {
  it('works with only the installed Mini* globals', async () => {
    for (const name of ['fetch', 'Headers', 'Request', 'Response', 'FormData']) vi.stubGlobal(name, undefined)
    installFetchGlobals()
    expect((globalThis as Record<string, unknown>).Request).toBe(MiniRequest)
    const calls: Array<{ method: string; header: Record<string, string>; data?: string }> = []
    const uniRequest: UniRequestFn = (o) => {
      calls.push({ method: o.method, header: o.header, data: o.data })
      o.success({ statusCode: 202, header: { 'Content-Type': 'application/json' }, data: { expires_in: 300, resend_after: 60 } })
    }
    const api = createApi({ baseUrl: 'http://127.0.0.1:8000', fetch: createUniFetch(uniRequest), Request: MiniRequest, tokens: memoryTokenStore() })
    const r = await api.auth.sendSmsCode('13800000001')
    expect(r).toEqual({ expires_in: 300, resend_after: 60 })
    expect(calls[0]).toMatchObject({ method: 'POST', data: '{"phone":"13800000001","purpose":"login"}' })
    expect(calls[0].header['content-type']).toBe('application/json')
  })
})
