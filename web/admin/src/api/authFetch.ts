export interface Tokens {
  access_token: string
  refresh_token: string
}

export interface TokenStore {
  get(): Tokens | null
  set(tokens: Tokens | null): void
}

export interface AuthFetchOptions {
  tokens: TokenStore
  /** Absolute or same-origin URL of `POST /auth/refresh`. */
  refreshUrl: string
  /** Called once the session cannot be recovered (refresh failed / token invalid). */
  onSignOut?: () => void
  /** Called with the new pair after a successful rotation. */
  onRefreshed?: (pair: Tokens & Record<string, unknown>) => void
  getLanguage?: () => string
  baseFetch?: (req: Request) => Promise<Response>
}

export function localStorageTokenStore(key: string): TokenStore {
  return {
    get() {
      try {
        const raw = localStorage.getItem(key)
        return raw ? (JSON.parse(raw) as Tokens) : null
      } catch {
        return null
      }
    },
    set(tokens) {
      if (tokens) localStorage.setItem(key, JSON.stringify({ access_token: tokens.access_token, refresh_token: tokens.refresh_token }))
      else localStorage.removeItem(key)
    },
  }
}

async function problemCode(res: Response): Promise<string | undefined> {
  try {
    const body = await res.clone().json()
    return typeof body?.code === 'string' ? body.code : undefined
  } catch {
    return undefined
  }
}

/**
 * A fetch that adds the bearer token and, on `401 token_expired`, rotates the
 * refresh token once (single flight shared by concurrent requests) and replays
 * the request. If the refresh fails the tokens are cleared and `onSignOut` runs.
 */
export function createAuthFetch(opts: AuthFetchOptions): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  const baseFetch = opts.baseFetch ?? ((req: Request) => globalThis.fetch(req))
  let inflight: Promise<boolean> | null = null

  function refresh(): Promise<boolean> {
    if (inflight) return inflight
    const current = opts.tokens.get()
    if (!current?.refresh_token) return Promise.resolve(false)
    inflight = (async () => {
      try {
        const headers: Record<string, string> = { 'Content-Type': 'application/json' }
        if (opts.getLanguage) headers['Accept-Language'] = opts.getLanguage()
        const res = await baseFetch(
          new Request(opts.refreshUrl, {
            method: 'POST',
            headers,
            body: JSON.stringify({ refresh_token: current.refresh_token }),
          }),
        )
        if (!res.ok) return false
        const pair = await res.json()
        if (!pair?.access_token || !pair?.refresh_token) return false
        opts.tokens.set(pair)
        opts.onRefreshed?.(pair)
        return true
      } catch {
        return false
      } finally {
        inflight = null
      }
    })()
    return inflight
  }

  function signOut() {
    opts.tokens.set(null)
    opts.onSignOut?.()
  }

  function prepare(req: Request, access: string | undefined): Request {
    const r = req.clone()
    if (access) r.headers.set('Authorization', `Bearer ${access}`)
    if (opts.getLanguage && !r.headers.has('Accept-Language')) r.headers.set('Accept-Language', opts.getLanguage())
    return r
  }

  return async (input, init) => {
    const original = input instanceof Request && !init ? input : new Request(input as RequestInfo, init)
    const explicitAuth = original.headers.has('Authorization')
    const usedAccess = explicitAuth ? undefined : opts.tokens.get()?.access_token
    const res = await baseFetch(prepare(original, usedAccess))
    if (res.status !== 401 || explicitAuth || !usedAccess) return res

    const code = await problemCode(res)
    if (code !== 'token_expired') {
      if (code === 'token_invalid' || code === 'not_authenticated') signOut()
      return res
    }
    // Another request may already have rotated the tokens while this one was in flight.
    const latest = opts.tokens.get()?.access_token
    const ok = latest && latest !== usedAccess ? true : await refresh()
    if (!ok) {
      signOut()
      return res
    }
    return baseFetch(prepare(original, opts.tokens.get()?.access_token))
  }
}
