/**
 * The one token-refresh path of every app: a fetch that adds the bearer token and the language, and on
 * `401 token_expired` rotates the refresh token once (a single flight shared by concurrent requests) and
 * replays the request. Used by `createApi` (customer and worker apps) and by the admin console's client.
 */
import { ApiProblem } from './problem'

/** Where tokens live (uni storage in the apps, localStorage in the console, memory in tests). */
export interface TokenStore {
  getAccess(): string | null
  getRefresh(): string | null
  set(pair: { access_token: string; refresh_token: string }): void
  clear(): void
}

type FetchLike = (input: any, init?: any) => Promise<Response>

export interface AuthFetchOptions {
  tokens: TokenStore
  /** Absolute or same-origin URL of `POST /api/v1/auth/refresh`. */
  refreshUrl: string
  /** The transport (globalThis.fetch, or the uni.request adapter in mini programs). */
  baseFetch?: FetchLike
  /** Request class; defaults to globalThis.Request (MiniRequest in mini programs). */
  Request?: unknown
  getLocale?: () => string
  /** The client channel sent as `X-Client` on every request (`mp`, `h5`, `app`, `admin`): orders and new accounts record it. */
  client?: string
  /** Called with the new pair after a successful rotation. */
  onRefreshed?: (pair: { access_token: string; refresh_token: string } & Record<string, unknown>) => void
  /** Called once the session cannot be recovered (refresh failed, token invalid); tokens are already cleared. */
  onSignOut?: (reason: ApiProblem) => void
}

async function problemOf(res: Response): Promise<ApiProblem> {
  let body: unknown = null
  try {
    body = await res.clone().json()
  } catch {
    body = null
  }
  return ApiProblem.from(res.status, body)
}

/** Calls to /auth/* (login, refresh …) answer 401 for wrong credentials: never refresh or sign out on them. */
const isAuthCall = (url: string) => url.includes('/api/v1/auth/') && !url.includes('/auth/logout')

export function createAuthFetch(opts: AuthFetchOptions): (input: any, init?: any) => Promise<Response> {
  const R = (opts.Request || globalThis.Request) as typeof Request
  const baseFetch: FetchLike = opts.baseFetch ?? ((req: Request) => globalThis.fetch(req))
  const { tokens } = opts
  let inflight: Promise<boolean> | null = null

  function refresh(): Promise<boolean> {
    if (inflight) return inflight
    const current = tokens.getRefresh()
    if (!current) return Promise.resolve(false)
    inflight = (async () => {
      try {
        const headers: Record<string, string> = { 'Content-Type': 'application/json' }
        if (opts.getLocale) headers['Accept-Language'] = opts.getLocale()
        const res = await baseFetch(
          new R(opts.refreshUrl, { method: 'POST', headers, body: JSON.stringify({ refresh_token: current }) }),
        )
        if (!res.ok) return false
        const pair = (await res.json()) as { access_token?: string; refresh_token?: string } & Record<string, unknown>
        if (!pair?.access_token || !pair?.refresh_token) return false
        tokens.set({ access_token: pair.access_token, refresh_token: pair.refresh_token })
        opts.onRefreshed?.(pair as Parameters<NonNullable<AuthFetchOptions['onRefreshed']>>[0])
        return true
      } catch {
        return false
      } finally {
        inflight = null
      }
    })()
    return inflight
  }

  async function signOut(res: Response) {
    const reason = await problemOf(res)
    tokens.clear()
    opts.onSignOut?.(reason)
  }

  function prepare(req: Request, access: string | null): Request {
    const r = req.clone()
    if (access) r.headers.set('Authorization', `Bearer ${access}`)
    if (opts.getLocale && !r.headers.has('Accept-Language')) r.headers.set('Accept-Language', opts.getLocale())
    if (opts.client && !r.headers.has('X-Client')) r.headers.set('X-Client', opts.client)
    return r
  }

  return async (input, init) => {
    const original: Request = input instanceof R && !init ? input : new R(input, init)
    const explicitAuth = original.headers.has('Authorization')
    const usedAccess = explicitAuth ? null : tokens.getAccess()
    const res = await baseFetch(prepare(original, usedAccess))
    if (res.status !== 401 || explicitAuth || isAuthCall(original.url)) return res
    if (!usedAccess && !tokens.getRefresh()) {
      // nobody was signed in: nothing to recover or forget
      opts.onSignOut?.(await problemOf(res))
      return res
    }
    if ((await problemOf(res)).code !== 'token_expired') {
      await signOut(res)
      return res
    }
    // Another request may already have rotated the tokens while this one was in flight.
    const latest = tokens.getAccess()
    const ok = latest && latest !== usedAccess ? true : await refresh()
    if (!ok) {
      await signOut(res)
      return res
    }
    const again = await baseFetch(prepare(original, tokens.getAccess()))
    if (again.status === 401) await signOut(again)
    return again
  }
}
