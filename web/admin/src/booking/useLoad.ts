import { ref, shallowRef } from 'vue'
import { problemMessage } from '../api/client'
import type { Result } from './api'

/** Load-once state for non-paged resources: data / loading / error, with a retry. */
export function useLoad<T>(fetcher: () => Promise<Result<T>>, fallbackError: () => string) {
  const data = shallowRef<T | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const res = await fetcher()
      if (mine !== seq) return
      if (res.data === undefined) {
        error.value = problemMessage(res.error, fallbackError())
        return
      }
      data.value = res.data
    } catch (e) {
      if (mine === seq) error.value = problemMessage(e, fallbackError())
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  return { data, loading, error, load }
}

/** Confirm with ElMessageBox; resolves false on cancel. */
export async function confirmed(message: string, title: string, t: (k: string) => string, type: 'warning' | 'info' = 'warning') {
  const { ElMessageBox } = await import('element-plus')
  try {
    await ElMessageBox.confirm(message, title, {
      type,
      confirmButtonText: t('common.confirm'),
      cancelButtonText: t('common.cancel'),
    })
    return true
  } catch {
    return false
  }
}
