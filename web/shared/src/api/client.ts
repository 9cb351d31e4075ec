import createClient from 'openapi-fetch'
import type { components, paths } from './schema'
import { ApiProblem, networkProblem } from './problem'
import { createAuthFetch, type TokenStore } from './authFetch'

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
/** The order states (the `status` filter of the order lists). */
export type OrderStatus = NonNullable<NonNullable<paths['/api/v1/orders']['get']['parameters']['query']>['status']>
export type AppName = 'customer' | 'worker' | 'admin'
export type MobileApp = 'customer' | 'worker'

export type { TokenStore } from './authFetch'

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
  /** The client channel sent as `X-Client` (`mp`, `h5`, `app`): orders and new accounts record it. */
  client?: 'mp' | 'h5' | 'app' | 'admin'
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

/** Unwrap an openapi-fetch result: the data, or the problem (already thrown by the client's fetch). */
export async function ok<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const r = await p
  if (r.error !== undefined || !r.response.ok) throw ApiProblem.from(r.response.status, r.error)
  return r.data as T
}

/** A fresh Idempotency-Key header for a create call. */
export function idempotencyKey(): { 'Idempotency-Key': string } {
  const c = globalThis.crypto as Crypto | undefined
  const key = c?.randomUUID ? c.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
  return { 'Idempotency-Key': key }
}

/**
 * Typed API client. Every method resolves with the response data or rejects with ApiProblem.
 * Tokens go through `createAuthFetch` (one refresh on `token_expired`, shared between concurrent calls).
 */
export function createApi(opts: ApiOptions) {
  const { tokens } = opts
  const authFetch = createAuthFetch({
    tokens,
    refreshUrl: opts.baseUrl + REFRESH_PATH,
    baseFetch: opts.fetch,
    Request: opts.Request,
    getLocale: opts.getLocale,
    client: opts.client,
    onSignOut: (reason) => opts.onSignedOut?.(reason),
  })

  /** The client's fetch: network failures and error answers become ApiProblem. */
  async function problemFetch(request: Request): Promise<Response> {
    let res: Response
    try {
      res = await authFetch(request)
    } catch (e) {
      throw networkProblem(e)
    }
    if (res.ok) return res
    throw await readProblem(res)
  }

  const client = createClient<paths>({
    baseUrl: opts.baseUrl,
    fetch: problemFetch as typeof fetch,
    ...(opts.Request ? { Request: opts.Request as typeof Request } : {}),
  })

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
        const r: WechatLoginResult = await ok(client.POST('/api/v1/auth/login/wechat', { body }))
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
