import { ref } from 'vue'
import { api } from '../api/client'
import { bookingApi } from './api'
import type { Category } from './types'

export interface ServiceChoice {
  id: number
  name: string
  category: string
}

/** Service list for filters/selects: the admin catalog when allowed, else the public published catalog. */
export function useServiceChoices() {
  const services = ref<ServiceChoice[]>([])
  async function load(admin = true) {
    try {
      let cats: Category[] | undefined
      if (admin) cats = (await bookingApi.catalog()).data ?? undefined
      if (!cats) {
        cats = (await api.GET('/api/v1/services')).data
      }
      services.value = (cats ?? []).flatMap((c) =>
        (c.services ?? []).map((s) => ({ id: s.id, name: s.name, category: c.name })),
      )
    } catch {
      services.value = []
    }
  }
  return { services, load }
}
