/** API origin: same origin in H5 (served behind /api/v1), configurable in the mini program. */
let base = ''
// #ifndef H5
base = import.meta.env.VITE_API_BASE || 'http://127.0.0.1:8000'
// #endif
export const API_BASE: string = base
export const APP = 'customer' as const
export const HOME_PAGE = '/pages/home/index'
export const TAB_KEYS = ['tab.home', 'tab.orders', 'tab.me']
/** The client channel of this build, sent as `X-Client` on every call: orders and new accounts record it. */
let client: 'mp' | 'h5' | 'app' = 'h5'
// #ifdef MP-WEIXIN
client = 'mp'
// #endif
// #ifdef APP-PLUS
client = 'app'
// #endif
export const CLIENT = client
