import { describe, expect, it } from 'vitest'
import { createApi, createUniFetch, memoryTokenStore, MiniRequest, type UniRequestFn } from '../src'

describe('uni.request fetch', () => {
  it('drives the typed client through a fake uni.request, including refresh', async () => {
    const calls: Array<{ url: string; method: string; header: Record<string, string>; data?: string }> = []
    const uniRequest: UniRequestFn = (o) => {
      calls.push({ url: o.url, method: o.method, header: o.header, data: o.data })
      const path = o.url.replace('http://127.0.0.1:8000', '')
      setTimeout(() => {
        if (path === '/api/v1/auth/refresh')
          return o.success({ statusCode: 200, header: {}, data: JSON.stringify({ access_token: 'A2', refresh_token: 'R2', token_type: 'bearer', expires_in: 900, user: {} }) })
        if (o.header.authorization === 'Bearer A1')
          return o.success({ statusCode: 401, header: { 'Content-Type': 'application/problem+json' }, data: '{"code":"token_expired","status":401,"detail":"expired"}' })
        o.success({ statusCode: 200, header: { 'Content-Type': 'application/json' }, data: '{"id":1,"nickname":"n"}' })
      })
    }
    const tokens = memoryTokenStore()
    tokens.set({ access_token: 'A1', refresh_token: 'R1' })
    const api = createApi({ baseUrl: 'http://127.0.0.1:8000', fetch: createUniFetch(uniRequest), Request: MiniRequest, tokens, getLocale: () => 'zh-CN' })
    const me = await api.me.get()
    expect(me).toMatchObject({ nickname: 'n' })
    expect(calls.map((c) => [c.method, c.url.replace('http://127.0.0.1:8000', '')])).toEqual([
      ['GET', '/api/v1/me'],
      ['POST', '/api/v1/auth/refresh'],
      ['GET', '/api/v1/me'],
    ])
    expect(calls[1].data).toBe('{"refresh_token":"R1"}')
    expect(calls[2].header['accept-language']).toBe('zh-CN')
    expect(calls[1].header['content-type']).toBe('application/json')
  })

  it('rejects with a TypeError on fail', async () => {
    const f = createUniFetch((o) => o.fail({ errMsg: 'request:fail timeout' }))
    await expect(f(new MiniRequest('http://x/api'))).rejects.toThrow('request:fail timeout')
  })
})
