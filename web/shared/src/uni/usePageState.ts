/**
 * The loading / error / 重试 state of a uni-app page (or panel) that loads its data, shown by
 * `components/PageState.vue`. `load(fn)` runs a load: the spinner only while nothing is shown yet
 * (`keep: true` reloads quietly), then `ready`, or `error` with the server's message.
 */
import { ref } from 'vue'
import { ApiProblem } from '../api/problem'
import { t } from '../i18n'

export type PageStatus = 'loading' | 'ready' | 'error'

/** The message of a failed load: the server's detail, a network hint, or '' (→ 加载失败). */
export function loadError(e: unknown): string {
  if (!(e instanceof ApiProblem)) return ''
  return e.code === 'network_error' ? t('common.networkError') : e.detail
}

export function usePageState<S extends string = PageStatus>(initial: PageStatus | S = 'loading') {
  const state = ref<PageStatus | S>(initial)
  const error = ref('')

  async function load<T>(fn: () => Promise<T>, opts: { keep?: boolean } = {}): Promise<T | undefined> {
    if (!opts.keep) state.value = 'loading'
    try {
      const out = await fn()
      state.value = 'ready'
      return out
    } catch (e) {
      error.value = loadError(e)
      if (!opts.keep) state.value = 'error'
      return undefined
    }
  }

  function fail(e: unknown) {
    error.value = loadError(e)
    state.value = 'error'
  }

  return { state, error, load, fail }
}
