import { ref, shallowRef, type Ref } from 'vue'
import { problemMessage } from './api/client'

export interface ListResult<T> {
  data?: { items: T[]; total: number }
  error?: unknown
}

/** What `components/PagedList.vue` needs from a `useList` result (error box, pager). */
export interface PagedState {
  page: Ref<number>
  pageSize: Ref<number>
  total: Ref<number>
  error: Ref<string>
  load: () => unknown
  search: () => unknown
}

/** Paged-list state: loading / error / items / total, with page + page size. */
export function useList<T>(fetcher: (page: number, pageSize: number) => Promise<ListResult<T>>, fallbackError: () => string) {
  const items = shallowRef<T[]>([])
  const total = ref(0)
  const page = ref(1)
  const pageSize = ref(20)
  const loading = ref(false)
  const error = ref('')
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const { data, error: err } = await fetcher(page.value, pageSize.value)
      if (mine !== seq) return
      if (!data) {
        error.value = problemMessage(err, fallbackError())
        items.value = []
        total.value = 0
        return
      }
      items.value = data.items
      total.value = data.total
    } catch (e) {
      if (mine === seq) error.value = problemMessage(e, fallbackError())
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function search() {
    page.value = 1
    return load()
  }

  function replace(pred: (item: T) => boolean, next: T) {
    items.value = items.value.map((it) => (pred(it) ? next : it))
  }

  return { items, total, page, pageSize, loading, error, load, search, replace }
}

export function formatTime(iso?: string | null): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}
