import createClient from 'openapi-fetch'
import type { paths } from '@anjia/shared/src/api/schema'
import type { ProblemLike } from './types'
import { createAuthFetch, localStorageTokenStore } from './authFetch'

export const API_PREFIX = '/api/v1'
export const tokenStore = localStorageTokenStore('anjia.admin.tokens')

type Hook = () => void
let signOutHook: Hook | null = null
let languageGetter: () => string = () => 'zh-CN'

export function onSessionExpired(fn: Hook) {
  signOutHook = fn
}
export function setLanguageGetter(fn: () => string) {
  languageGetter = fn
}

export const authFetch = createAuthFetch({
  tokens: tokenStore,
  refreshUrl: `${API_PREFIX}/auth/refresh`,
  onSignOut: () => signOutHook?.(),
  getLanguage: () => languageGetter(),
})

export const api = createClient<paths>({
  baseUrl: typeof window !== 'undefined' ? window.location.origin : 'http://localhost',
  fetch: (req: Request) => authFetch(req),
})

/** Human message for an openapi-fetch `error` (problem+json) or a thrown error. */
export function problemMessage(error: unknown, fallback: string): string {
  if (error && typeof error === 'object') {
    const p = error as ProblemLike & { message?: string }
    if (p.detail) return p.detail
    if (p.title) return p.title
    if (p.message) return p.message
  }
  return fallback
}
