import type { components, paths } from '@anjia/shared/src/api/schema'
import { api } from '../api/client'

export type StatsReport = components['schemas']['StatsReportOut']
export type StatsRow = components['schemas']['StatsRow']
export type StatsFigures = components['schemas']['StatsFigures']
export type Funnel = components['schemas']['FunnelOut']
export type Cancellations = components['schemas']['CancellationsOut']
export type LiveTiles = components['schemas']['LiveTilesOut']
export type Utilisation = components['schemas']['UtilisationOut']
export type StatsQuery = NonNullable<paths['/api/v1/admin/stats/orders']['get']['parameters']['query']>
export type FilterQuery = NonNullable<paths['/api/v1/admin/stats/funnel']['get']['parameters']['query']>
export type Period = NonNullable<StatsQuery['period']>
export type Dimension = NonNullable<StatsQuery['by']>
export type Source = NonNullable<StatsQuery['source']>
export type Segment = NonNullable<StatsQuery['segment']>

/** Operating statistics (stats.read), read from the daily rollups; `live` from the live tables. */
export const statsApi = {
  orders: (query: StatsQuery) => api.GET('/api/v1/admin/stats/orders', { params: { query } }),
  funnel: (query: FilterQuery) => api.GET('/api/v1/admin/stats/funnel', { params: { query } }),
  cancellations: (query: FilterQuery) => api.GET('/api/v1/admin/stats/cancellations', { params: { query } }),
  live: () => api.GET('/api/v1/admin/stats/live'),
  utilisation: (query: { from: string; to: string; region_id?: number }) =>
    api.GET('/api/v1/admin/stats/utilisation', { params: { query } }),
  regions: () => api.GET('/api/v1/regions'),
  services: () => api.GET('/api/v1/services'),
}
