/**
 * The console's token storage (localStorage) on top of the one refresh path of all apps
 * (`createAuthFetch` in web/shared/src/api/authFetch.ts).
 */
import { createAuthFetch as sharedAuthFetch, type TokenStore as PairStore } from '@anjia/shared/src/api/authFetch'

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

/** A fetch that adds the bearer token and refreshes once on `401 token_expired` (see the shared module). */
export function createAuthFetch(opts: AuthFetchOptions): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  const store = opts.tokens
  const tokens: PairStore = {
    getAccess: () => store.get()?.access_token ?? null,
    getRefresh: () => store.get()?.refresh_token ?? null,
    set: (pair) => store.set(pair),
    clear: () => store.set(null),
  }
  return sharedAuthFetch({
    tokens,
    refreshUrl: opts.refreshUrl,
    baseFetch: opts.baseFetch,
    getLocale: opts.getLanguage,
    client: 'admin', // the console's orders (phone / back office) record the `admin` channel
    onRefreshed: opts.onRefreshed,
    onSignOut: () => opts.onSignOut?.(),
  })
}
