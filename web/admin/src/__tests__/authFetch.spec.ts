// @vitest-environment node
import { describe, expect, it, vi } from 'vitest'
import { createAuthFetch, type TokenStore, type Tokens } from '../api/authFetch'

const BASE = 'http://test.local'
const REFRESH = `${BASE}/api/v1/auth/refresh`

function memoryStore(initial: Tokens | null): TokenStore & { value: Tokens | null } {
  const s = {
    value: initial,
    get: () => s.value,
    set: (t: Tokens | null) => {
      s.value = t ? { access_token: t.access_token, refresh_token: t.refresh_token } : null
    },
  }
  return s
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const expired = () => json(401, { code: 'token_expired', detail: 'expired' })

/** Fake server: access token `a2` is valid; `r1` rotates to a2/r2 exactly once. */
function server() {
  const calls: { url: string; auth: string | null; body?: string }[] = []
  let rotated = false
  const fetch = vi.fn(async (req: Request) => {
    const body = req.method === 'POST' ? await req.clone().text() : undefined
    calls.push({ url: req.url, auth: req.headers.get('Authorization'), body })
    if (req.url === REFRESH) {
      const { refresh_token } = JSON.parse(body!)
      if (refresh_token === 'r1' && !rotated) {
        rotated = true
        await new Promise((r) => setTimeout(r, 5))
        return json(200, { access_token: 'a2', refresh_token: 'r2', token_type: 'bearer', expires_in: 900 })
      }
      return json(401, { code: 'refresh_token_reused' })
    }
    if (req.headers.get('Authorization') === 'Bearer a2') return json(200, { ok: true, echo: body ?? null })
    return expired()
  })
  return { fetch, calls }
}

describe('createAuthFetch', () => {
  it('adds the bearer token and language', async () => {
    const tokens = memoryStore({ access_token: 'a2', refresh_token: 'r2' })
    const srv = server()
    const f = createAuthFetch({ tokens, refreshUrl: REFRESH, baseFetch: srv.fetch, getLanguage: () => 'en' })
    const res = await f(`${BASE}/api/v1/me`)
    expect(res.status).toBe(200)
    expect(srv.calls[0].auth).toBe('Bearer a2')
    const req = srv.fetch.mock.calls[0][0] as Request
    expect(req.headers.get('Accept-Language')).toBe('en')
  })

  it('refreshes on 401 token_expired, stores the rotated pair and replays the request with its body', async () => {
    const tokens = memoryStore({ access_token: 'a1', refresh_token: 'r1' })
    const srv = server()
    const onRefreshed = vi.fn()
    const f = createAuthFetch({ tokens, refreshUrl: REFRESH, baseFetch: srv.fetch, onRefreshed })
    const res = await f(`${BASE}/api/v1/admin/staff`, { method: 'POST', body: JSON.stringify({ username: 'x' }) })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, echo: '{"username":"x"}' })
    expect(tokens.value).toEqual({ access_token: 'a2', refresh_token: 'r2' })
    expect(onRefreshed).toHaveBeenCalledOnce()
    expect(srv.calls.map((c) => c.url.replace(BASE, ''))).toEqual(['/api/v1/admin/staff', '/api/v1/auth/refresh', '/api/v1/admin/staff'])
  })

  it('shares one refresh between concurrent requests (rotating token used once)', async () => {
    const tokens = memoryStore({ access_token: 'a1', refresh_token: 'r1' })
    const srv = server()
    const onSignOut = vi.fn()
    const f = createAuthFetch({ tokens, refreshUrl: REFRESH, baseFetch: srv.fetch, onSignOut })
    const results = await Promise.all([f(`${BASE}/a`), f(`${BASE}/b`), f(`${BASE}/c`)])
    expect(results.map((r) => r.status)).toEqual([200, 200, 200])
    expect(srv.calls.filter((c) => c.url === REFRESH)).toHaveLength(1)
    expect(onSignOut).not.toHaveBeenCalled()
  })

  it('signs out when the refresh fails', async () => {
    const tokens = memoryStore({ access_token: 'a1', refresh_token: 'stale' })
    const srv = server()
    const onSignOut = vi.fn()
    const f = createAuthFetch({ tokens, refreshUrl: REFRESH, baseFetch: srv.fetch, onSignOut })
    const res = await f(`${BASE}/api/v1/me`)
    expect(res.status).toBe(401)
    expect(onSignOut).toHaveBeenCalledOnce()
    expect(tokens.value).toBeNull()
  })

  it('signs out on token_invalid without refreshing', async () => {
    const tokens = memoryStore({ access_token: 'bad', refresh_token: 'r1' })
    const onSignOut = vi.fn()
    const baseFetch = vi.fn(async () => json(401, { code: 'token_invalid' }))
    const f = createAuthFetch({ tokens, refreshUrl: REFRESH, baseFetch, onSignOut })
    await f(`${BASE}/api/v1/me`)
    expect(baseFetch).toHaveBeenCalledOnce()
    expect(onSignOut).toHaveBeenCalledOnce()
  })

  it('leaves anonymous requests (e.g. login failures) alone', async () => {
    const tokens = memoryStore(null)
    const onSignOut = vi.fn()
    const baseFetch = vi.fn(async () => json(401, { code: 'token_expired' }))
    const f = createAuthFetch({ tokens, refreshUrl: REFRESH, baseFetch, onSignOut })
    const res = await f(`${BASE}/api/v1/auth/login/password`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(401)
    expect(baseFetch).toHaveBeenCalledOnce()
    expect(onSignOut).not.toHaveBeenCalled()
  })
})
