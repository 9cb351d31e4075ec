import type { Ref } from 'vue'
import { createApi, installFetchGlobals, createUniFetch, MiniRequest, type Api, type AppName, type TokenStore } from '../index'
import * as i18n from '../i18n'
import { locale, setLocale, type Locale } from '../i18n'
import { ApiProblem } from '../api/problem'

export const LOGIN_PAGE = '/pages/login/index'

/** Tokens in uni storage, per app so one device can run both apps side by side in H5. */
export function uniTokenStore(app: AppName): TokenStore {
  const ka = `anjia.${app}.access`
  const kr = `anjia.${app}.refresh`
  const read = (k: string) => {
    try {
      return (uni.getStorageSync(k) as string) || null
    } catch {
      return null
    }
  }
  return {
    getAccess: () => read(ka),
    getRefresh: () => read(kr),
    set: (p) => {
      uni.setStorageSync(ka, p.access_token)
      uni.setStorageSync(kr, p.refresh_token)
    },
    clear: () => {
      uni.removeStorageSync(ka)
      uni.removeStorageSync(kr)
    },
  }
}

const LOCALE_KEY = 'anjia.locale'

export function loadLocale(): void {
  try {
    const l = uni.getStorageSync(LOCALE_KEY) as Locale
    if (l) setLocale(l)
  } catch {
    /* ignore */
  }
}

/** Change the language, remember it, and relabel the tab bar (and the title, if given). */
export function switchLocale(l: Locale, titleKey?: string): void {
  setLocale(l)
  uni.setStorageSync(LOCALE_KEY, l)
  if (current) syncChrome(current.config.tabKeys || [], titleKey)
}

export interface SessionConfig {
  app: 'customer' | 'worker'
  /** Origin of the API ("" = same origin in H5). */
  baseUrl: string
  /** Path of the first tab, e.g. "/pages/home/index". */
  homePage: string
  /** i18n keys of the tab bar items, in order. */
  tabKeys?: string[]
  /** The build's client channel (`mp` mini program, `h5`, `app`), sent as `X-Client`. */
  client?: 'mp' | 'h5' | 'app'
}

let current: { api: Api; config: SessionConfig } | null = null

type PageLike = { route?: string; options?: Record<string, string>; $page?: { options?: Record<string, string> } }

function returnKey(): string {
  return `anjia.${current?.config.app || 'app'}.returnTo`
}

/** The page's URL with its query, to come back to after signing in. */
function pageUrl(page: PageLike): string {
  const query = page.options || page.$page?.options || {}
  const qs = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&')
  return `/${page.route}${qs ? `?${qs}` : ''}`
}

function goLogin() {
  const pages = getCurrentPages()
  const top = pages[pages.length - 1] as PageLike | undefined
  if (top && `/${top.route}` === LOGIN_PAGE) return
  if (top?.route) uni.setStorageSync(returnKey(), pageUrl(top))
  uni.reLaunch({ url: LOGIN_PAGE })
}

/** After signing in: back to the page that asked for it (once), else the home page. */
export function goBackAfterSignIn(): void {
  const url = uni.getStorageSync(returnKey())
  uni.removeStorageSync(returnKey())
  if (typeof url === 'string' && url.startsWith('/') && !url.startsWith(LOGIN_PAGE)) uni.reLaunch({ url })
  else goHome()
}

/** Create the app-wide API client. Call once from main.ts. */
export function initSession(config: SessionConfig): Api {
  const hasFetch = typeof fetch === 'function' && typeof Request === 'function'
  if (!hasFetch) installFetchGlobals()
  const api = createApi({
    baseUrl: config.baseUrl,
    fetch: hasFetch ? fetch.bind(globalThis) : createUniFetch(uni.request as never),
    Request: hasFetch ? undefined : MiniRequest,
    tokens: uniTokenStore(config.app),
    getLocale: () => locale.value,
    client: config.client,
    onSignedOut: () => goLogin(),
  })
  loadLocale()
  current = { api, config }
  return api
}

export function useApi(): Api {
  if (!current) throw new Error('initSession() was not called')
  return current.api
}

export function sessionConfig(): SessionConfig {
  if (!current) throw new Error('initSession() was not called')
  return current.config
}

/** Guard for pages that need a user: redirects to the sign-in page and returns false. */
export function ensureSignedIn(): boolean {
  if (useApi().isSignedIn()) return true
  goLogin()
  return false
}

export function goHome(): void {
  uni.reLaunch({ url: sessionConfig().homePage })
}

/** Show a problem (or any error) as a Chinese/English toast using the server's detail. */
export function toastError(e: unknown, fallback = ''): void {
  let msg = fallback
  if (e instanceof ApiProblem) msg = e.code === 'network_error' ? '' : e.detail
  if (!msg) msg = e instanceof ApiProblem && e.code === 'network_error' ? networkMessage() : String((e as Error)?.message || fallback)
  uni.showToast({ title: msg, icon: 'none', duration: 2500 })
}

/**
 * Run a user action (save, mark all read, …) with its busy flag up: a failure is shown with
 * toastError. Resolves whether the action went through.
 */
export async function withBusy(busy: Ref<boolean>, action: () => Promise<unknown>): Promise<boolean> {
  busy.value = true
  try {
    await action()
    return true
  } catch (e) {
    toastError(e)
    return false
  } finally {
    busy.value = false
  }
}

function networkMessage() {
  return locale.value === 'en' ? 'Network error, please try again' : '网络异常，请稍后重试'
}

/** Tab bar texts and the navigation title follow the locale (pages.json holds zh-CN). */
export function syncChrome(tabKeys: string[], titleKey?: string): void {
  const { t } = i18n
  tabKeys.forEach((key, index) => {
    try {
      uni.setTabBarItem({ index, text: t(key) })
    } catch {
      /* not a tab page */
    }
  })
  if (titleKey) uni.setNavigationBarTitle({ title: t(titleKey) })
}
