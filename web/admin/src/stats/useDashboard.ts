/**
 * The dashboard's data: each chart's section loads on its own (loading / error / data), all again when
 * the filters change.
 */
import { reactive, ref, watch } from 'vue'
import { problemMessage } from '../api/client'
import { statsApi, type Cancellations, type Funnel, type StatsReport, type Utilisation } from './api'
import { filterQuery, lastDays, periodFor, reportQuery, type StatsFilters } from './model'

export interface Section<T> {
  data: T | null
  loading: boolean
  error: string
}

function section<T>(): Section<T> {
  return reactive({ data: null, loading: false, error: '' }) as Section<T>
}

async function fill<T>(s: Section<T>, call: () => Promise<{ data?: T; error?: unknown }>, fallback: string) {
  s.loading = true
  s.error = ''
  try {
    const { data, error } = await call()
    if (data) s.data = data
    else s.error = problemMessage(error, fallback)
  } catch (e) {
    s.error = problemMessage(e, fallback)
  } finally {
    s.loading = false
  }
}

export function useDashboard(loadFailed: string) {
  const filters = ref<StatsFilters>({ range: lastDays(30), source: '', segment: '' })
  const trend = section<StatsReport>()
  const services = section<StatsReport>()
  const regions = section<StatsReport>()
  const sources = section<StatsReport>()
  const segments = section<StatsReport>()
  const funnel = section<Funnel>()
  const cancels = section<Cancellations>()
  const utilisation = section<Utilisation>()

  const loaders = {
    trend: () => fill(trend, () => statsApi.orders(reportQuery(filters.value, periodFor(filters.value.range))), loadFailed),
    services: () => fill(services, () => statsApi.orders(reportQuery(filters.value, 'all', 'service')), loadFailed),
    regions: () => fill(regions, () => statsApi.orders(reportQuery(filters.value, 'all', 'region')), loadFailed),
    sources: () => fill(sources, () => statsApi.orders(reportQuery(filters.value, 'all', 'source')), loadFailed),
    segments: () => fill(segments, () => statsApi.orders(reportQuery(filters.value, 'all', 'segment')), loadFailed),
    funnel: () => fill(funnel, () => statsApi.funnel(filterQuery(filters.value)), loadFailed),
    cancels: () => fill(cancels, () => statsApi.cancellations(filterQuery(filters.value)), loadFailed),
    utilisation: () => {
      const [from, to] = filters.value.range
      const days = (Date.parse(to) - Date.parse(from)) / 86400000
      const start = days > 92 ? new Date(Date.parse(to) - 92 * 86400000).toISOString().slice(0, 10) : from
      return fill(utilisation, () => statsApi.utilisation({ from: start, to, ...(filters.value.regionId ? { region_id: filters.value.regionId } : {}) }), loadFailed)
    },
  }

  function loadAll() {
    return Promise.all(Object.values(loaders).map((l) => l()))
  }
  watch(filters, () => void loadAll(), { deep: true })

  return { filters, trend, services, regions, sources, segments, funnel, cancels, utilisation, loaders, loadAll }
}
