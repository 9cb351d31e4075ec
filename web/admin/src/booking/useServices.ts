import { ref } from 'vue'
import { API_PREFIX, authFetch } from '../api/client'
import { bookingApi } from './api'
import type { Category } from './types'

export interface ServiceChoice {
  id: number
  name: string
  category: string
  skill?: string | null
}

/** Service list for filters/selects: the admin catalog when allowed, else the public published catalog. */
export function useServiceChoices() {
  const services = ref<ServiceChoice[]>([])
  async function load(admin: boolean) {
    try {
      let cats: Category[] | undefined
      if (admin) cats = (await bookingApi.catalog()).data ?? undefined
      if (!cats) {
        const res = await authFetch(`${API_PREFIX}/services`, { headers: { Accept: 'application/json' } })
        if (res.ok) cats = (await res.json()) as Category[]
      }
      services.value = (cats ?? []).flatMap((c) =>
        (c.services ?? []).map((s) => ({ id: s.id, name: s.name, category: c.name, skill: s.skill })),
      )
    } catch {
      services.value = []
    }
  }
  return { services, load }
}
