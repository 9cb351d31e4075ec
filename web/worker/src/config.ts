/** API origin: same origin in H5 (served behind /api/v1), configurable in the mini program. */
let base = ''
// #ifndef H5
base = import.meta.env.VITE_API_BASE || 'http://127.0.0.1:8000'
// #endif
export const API_BASE: string = base
export const APP = 'worker' as const
export const HOME_PAGE = '/pages/jobs/index'
export const TAB_KEYS = ['tab.jobs', 'tab.schedule', 'tab.me']
