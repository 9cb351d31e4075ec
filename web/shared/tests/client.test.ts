import { describe, expect, it, vi } from 'vitest'
import { ApiProblem, createApi, memoryTokenStore, type TokenStore } from '../src'

const USER = { id: 1, kind: 'customer', phone: '13800000001', nickname: 'a' }
const pair = (n: number) => ({ access_token: `A${n}`, refresh_token: `R${n}`, token_type: 'bearer', expires_in: 900, user: USER })
const json = (status: number, body: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })
const problem = (status: number, code: string, detail = code) => json(status, { type: 'x', title: 't', status, code, detail, errors: [] })

type Handler = (req: Request) => Response | Promise<Response>

function setup(handler: Handler, tokens: TokenStore = memoryTokenStore()) {
  const seen: Array<{ method: string; path: string; auth: string | null; lang: string | null; body: string }> = []
  const fetch = vi.fn(async (req: Request) => {
    const body = req.method === 'GET' || req.method === 'DELETE' ? '' : await req.clone().text()
    seen.push({ method: req.method, path: new URL(req.url).pathname, auth: req.headers.get('Authorization'), lang: req.headers.get('Accept-Language'), body })
    return handler(req)
  })
  const onSignedOut = vi.fn()
  const api = createApi({ baseUrl: 'http://api.test', fetch, tokens, getLocale: () => 'en', onSignedOut })
  return { api, seen, fetch, onSignedOut, tokens }
}

describe('client', () => {
  it('stores tokens on login and sends them with Accept-Language', async () => {
    const { api, seen, tokens } = setup((req) => (new URL(req.url).pathname === '/api/v1/auth/login/sms' ? json(200, pair(1)) : json(200, USER)))
    await api.auth.loginSms({ phone: '13800000001', code: '123456', app: 'customer', consent_version: '2026-11' })
    expect(tokens.getAccess()).toBe('A1')
    const me = await api.me.get()
    expect(me.nickname).toBe('a')
    expect(seen[0].body).toContain('"consent_version":"2026-11"')
    expect(seen[1]).toMatchObject({ path: '/api/v1/me', auth: 'Bearer A1', lang: 'en' })
  })

  it('sends the client channel as X-Client on every call, the refresh included', async () => {
    const seen: Array<string | null> = []
    const tokens = memoryTokenStore()
    tokens.set(pair(1))
    const fetch = vi.fn(async (req: Request) => {
      seen.push(req.headers.get('X-Client'))
      if (new URL(req.url).pathname === '/api/v1/auth/refresh') return json(200, pair(2))
      return req.headers.get('Authorization') === 'Bearer A1' ? problem(401, 'token_expired') : json(200, USER)
    })
    const api = createApi({ baseUrl: 'http://api.test', fetch, tokens, client: 'mp' })
    await api.me.get()
    expect(seen).toEqual(['mp', null, 'mp'])
  })

  it('refreshes once on token_expired and retries the call', async () => {
    const tokens = memoryTokenStore()
    tokens.set(pair(1))
    const { api, seen, onSignedOut } = setup(async (req) => {
      const path = new URL(req.url).pathname
      if (path === '/api/v1/auth/refresh') return json(200, pair(2))
      if (req.headers.get('Authorization') === 'Bearer A1') return problem(401, 'token_expired')
      return json(200, { ...USER, nickname: 'b' })
    }, tokens)
    const updated = await api.me.update({ nickname: 'b' })
    expect(updated.nickname).toBe('b')
    expect(seen.map((s) => s.path)).toEqual(['/api/v1/me', '/api/v1/auth/refresh', '/api/v1/me'])
    expect(seen[1].body).toBe(JSON.stringify({ refresh_token: 'R1' }))
    expect(seen[2]).toMatchObject({ method: 'PATCH', auth: 'Bearer A2', body: '{"nickname":"b"}' })
    expect(tokens.getRefresh()).toBe('R2')
    expect(onSignedOut).not.toHaveBeenCalled()
  })

  it('shares one refresh between concurrent calls', async () => {
    const tokens = memoryTokenStore()
    tokens.set(pair(1))
    const { api, seen } = setup(async (req) => {
      if (new URL(req.url).pathname === '/api/v1/auth/refresh') return json(200, pair(2))
      return req.headers.get('Authorization') === 'Bearer A1' ? problem(401, 'token_expired') : json(200, USER)
    }, tokens)
    await Promise.all([api.me.get(), api.me.get(), api.me.get()])
    expect(seen.filter((s) => s.path === '/api/v1/auth/refresh')).toHaveLength(1)
  })

  it('signs out when the refresh fails', async () => {
    const tokens = memoryTokenStore()
    tokens.set(pair(1))
    const { api, onSignedOut, seen } = setup(async (req) => {
      if (new URL(req.url).pathname === '/api/v1/auth/refresh') return problem(401, 'refresh_token_reused')
      return problem(401, 'token_expired', 'expired')
    }, tokens)
    await expect(api.me.get()).rejects.toMatchObject({ code: 'token_expired', status: 401 })
    expect(onSignedOut).toHaveBeenCalledTimes(1)
    expect(tokens.getAccess()).toBeNull()
    expect(seen.map((s) => s.path)).toEqual(['/api/v1/me', '/api/v1/auth/refresh'])
  })

  it('signs out without refreshing on token_invalid', async () => {
    const tokens = memoryTokenStore()
    tokens.set(pair(1))
    const { api, onSignedOut, seen } = setup(() => problem(401, 'token_invalid'), tokens)
    await expect(api.me.get()).rejects.toBeInstanceOf(ApiProblem)
    expect(onSignedOut).toHaveBeenCalledTimes(1)
    expect(seen).toHaveLength(1)
  })

  it('does not refresh or sign out on a failed login', async () => {
    const { api, onSignedOut } = setup(() => problem(400, 'sms_code_invalid', '验证码错误'))
    const err = await api.auth.loginSms({ phone: '13800000001', code: '000000', app: 'customer' }).catch((e) => e)
    expect(err).toBeInstanceOf(ApiProblem)
    expect(err).toMatchObject({ code: 'sms_code_invalid', status: 400, detail: '验证码错误' })
    expect(onSignedOut).not.toHaveBeenCalled()
  })

  it('keeps field errors', async () => {
    const { api } = setup(() =>
      json(422, { type: 'x', title: 't', status: 422, code: 'validation_error', detail: 'bad', errors: [{ field: 'phone', message: '手机号格式不正确' }] }),
    )
    const err: ApiProblem = await api.auth.sendSmsCode('1').catch((e) => e)
    expect(err.fieldError('phone')).toBe('手机号格式不正确')
  })

  it('turns network failures into network_error', async () => {
    const { api } = setup(() => {
      throw new TypeError('Failed to fetch')
    })
    await expect(api.me.get()).rejects.toMatchObject({ code: 'network_error', status: 0 })
  })

  it('handles 204 answers and clears tokens on logout', async () => {
    const tokens = memoryTokenStore()
    tokens.set(pair(1))
    const { api, seen } = setup(() => new Response(null, { status: 204 }), tokens)
    await api.auth.logout()
    expect(seen[0]).toMatchObject({ path: '/api/v1/auth/logout', body: '{"refresh_token":"R1"}' })
    expect(tokens.getRefresh()).toBeNull()
  })
})
