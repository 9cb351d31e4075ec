import createClient from 'openapi-fetch'
import type { components, paths } from './schema'
import { ApiProblem, networkProblem } from './problem'

// Types are derived from paths (not schema names) so they survive renames in the backend.
type JsonBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } }
}
  ? B
  : never
type JsonOk<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer R } } }
}
  ? R
  : never

export type Schemas = components['schemas']
export type User = JsonOk<'/api/v1/me', 'get'>
export type TokenPair = JsonOk<'/api/v1/auth/login/sms', 'post'>
export type WechatLoginResult = JsonOk<'/api/v1/auth/login/wechat', 'post'>
export type ProfileUpdate = JsonBody<'/api/v1/me', 'patch'>
export type AppName = 'customer' | 'worker' | 'admin'
export type MobileApp = 'customer' | 'worker'

/** Where tokens live (uni storage in the apps, memory in tests). */
export interface TokenStore {
  getAccess(): string | null
  getRefresh(): string | null
  set(pair: { access_token: string; refresh_token: string }): void
  clear(): void
}

export function memoryTokenStore(): TokenStore {
  let access: string | null = null
  let refresh: string | null = null
  return {
    getAccess: () => access,
    getRefresh: () => refresh,
    set: (p) => {
      access = p.access_token
      refresh = p.refresh_token
    },
    clear: () => {
      access = null
      refresh = null
    },
  }
}

type FetchLike = (input: any, init?: any) => Promise<Response>

export interface ApiOptions {
  /** Origin + nothing else, e.g. "" for same origin or "http://127.0.0.1:8000". Paths carry /api/v1. */
  baseUrl: string
  fetch: FetchLike
  /** Request class; defaults to globalThis.Request (install MiniRequest in mini programs). */
  Request?: unknown
  tokens: TokenStore
  getLocale?: () => string
  /** Called once the session is gone (refresh failed or token invalid). */
  onSignedOut?: (reason: ApiProblem) => void
}

const REFRESH_PATH = '/api/v1/auth/refresh'

async function readProblem(res: Response): Promise<ApiProblem> {
  let body: unknown = ''
  try {
    const text = await res.text()
    try {
      body = text ? JSON.parse(text) : ''
    } catch {
      body = text
    }
  } catch {
    body = ''
  }
  return ApiProblem.from(res.status, body)
}

/**
 * Typed API client. Every method resolves with the response data or rejects with ApiProblem.
 * A 401 `token_expired` triggers one refresh (shared between concurrent calls) and one retry.
 */
export function createApi(opts: ApiOptions) {
  const { tokens } = opts
  let refreshing: Promise<boolean> | null = null

  function decorate(req: Request, access: string | null) {
    if (access) req.headers.set('Authorization', `Bearer ${access}`)
    else req.headers.delete('Authorization')
    if (opts.getLocale) req.headers.set('Accept-Language', opts.getLocale())
  }

  function signOut(reason: ApiProblem) {
    tokens.clear()
    opts.onSignedOut?.(reason)
  }

  async function doRefresh(): Promise<boolean> {
    const refresh = tokens.getRefresh()
    if (!refresh) return false
    const R = (opts.Request || globalThis.Request) as typeof Request
    const req = new R(opts.baseUrl + REFRESH_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: refresh }),
    })
    if (opts.getLocale) req.headers.set('Accept-Language', opts.getLocale())
    try {
      const res = await opts.fetch(req)
      if (!res.ok) return false
      const pair = (await res.json()) as TokenPair
      tokens.set(pair)
      return true
    } catch {
      return false
    }
  }

  function refreshOnce(): Promise<boolean> {
    if (!refreshing) refreshing = doRefresh().finally(() => (refreshing = null))
    return refreshing
  }

  /** fetch with auth headers, refresh-and-retry and problem decoding. */
  async function authFetch(request: Request): Promise<Response> {
    const retry = request.clone()
    decorate(request, tokens.getAccess())
    let res: Response
    try {
      res = await opts.fetch(request)
    } catch (e) {
      throw networkProblem(e)
    }
    if (res.ok) return res
    let problem = await readProblem(res)
    const isAuthCall = request.url.includes('/api/v1/auth/') && !request.url.includes('/auth/logout')
    if (problem.status === 401 && !isAuthCall) {
      if (problem.code === 'token_expired' && (await refreshOnce())) {
        decorate(retry, tokens.getAccess())
        try {
          res = await opts.fetch(retry)
        } catch (e) {
          throw networkProblem(e)
        }
        if (res.ok) return res
        problem = await readProblem(res)
        if (problem.status === 401) signOut(problem)
        throw problem
      }
      signOut(problem)
    }
    throw problem
  }

  const client = createClient<paths>({
    baseUrl: opts.baseUrl,
    fetch: authFetch as unknown as typeof fetch,
    ...(opts.Request ? { Request: opts.Request as typeof Request } : {}),
  })

  /** Unwrap an openapi-fetch result; errors were already thrown by authFetch. */
  async function ok<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    const r = await p
    if (r.error !== undefined || !r.response.ok) throw ApiProblem.from(r.response.status, r.error)
    return r.data as T
  }

  async function storePair(p: Promise<TokenPair>): Promise<TokenPair> {
    const pair = await p
    tokens.set(pair)
    return pair
  }

  return {
    raw: client,
    tokens,
    isSignedIn: () => !!tokens.getAccess() || !!tokens.getRefresh(),
    auth: {
      sendSmsCode: (phone: string, purpose: JsonBody<'/api/v1/auth/sms-codes', 'post'>['purpose'] = 'login') =>
        ok(client.POST('/api/v1/auth/sms-codes', { body: { phone, purpose } })),
      loginSms: (body: JsonBody<'/api/v1/auth/login/sms', 'post'>) =>
        storePair(ok(client.POST('/api/v1/auth/login/sms', { body }))),
      loginPassword: (body: JsonBody<'/api/v1/auth/login/password', 'post'>) =>
        storePair(ok(client.POST('/api/v1/auth/login/password', { body }))),
      loginWechat: async (body: JsonBody<'/api/v1/auth/login/wechat', 'post'>): Promise<WechatLoginResult> => {
        const r = (await ok(client.POST('/api/v1/auth/login/wechat', { body }))) as WechatLoginResult
        if ('access_token' in r) tokens.set(r)
        return r
      },
      bindWechatPhone: (body: JsonBody<'/api/v1/auth/wechat/bind-phone', 'post'>) =>
        storePair(ok(client.POST('/api/v1/auth/wechat/bind-phone', { body }))),
      /** Revoke the refresh token server-side (best effort) and forget tokens locally. */
      logout: async () => {
        const refresh = tokens.getRefresh()
        try {
          if (refresh) await ok(client.POST('/api/v1/auth/logout', { body: { refresh_token: refresh } }))
        } finally {
          tokens.clear()
        }
      },
    },
    me: {
      get: () => ok(client.GET('/api/v1/me')),
      update: (body: ProfileUpdate) => ok(client.PATCH('/api/v1/me', { body })),
      changePassword: (body: JsonBody<'/api/v1/me/password', 'post'>) =>
        ok(client.POST('/api/v1/me/password', { body })),
      consent: (version: string) => ok(client.POST('/api/v1/me/consent', { body: { version } })),
      remove: async () => {
        await ok(client.DELETE('/api/v1/me'))
        tokens.clear()
      },
    },
  }
}

export type Api = ReturnType<typeof createApi>
