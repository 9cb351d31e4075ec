import type { components, paths } from '@anjia/shared/src/api/schema'
import { idempotencyKey } from '@anjia/shared/src/api/client'
import { api } from '../api/client'

export type CustomerRow = components['schemas']['CustomerRow']
export type CustomerProfile = components['schemas']['CustomerProfile']
export type CustomerQuery = NonNullable<paths['/api/v1/admin/customers']['get']['parameters']['query']>
export type Segment = CustomerRow['segment'] & string
export type SegmentsOut = components['schemas']['SegmentsOut']
export type SegmentPeriod = components['schemas']['SegmentPeriod']
export type TagCount = components['schemas']['TagCount']
export type Campaign = components['schemas']['CampaignOut']
export type CampaignBody = components['schemas']['CampaignIn']
export type CampaignReport = components['schemas']['CampaignReport']
export type ArmResult = components['schemas']['ArmResult']

const customer = (id: number) => ({ path: { customer_id: id } })

/** Customers (customers.read / customers.write; export: customers.export) and campaigns (campaigns.*). */
export const customersApi = {
  list: (q: CustomerQuery) => api.GET('/api/v1/admin/customers', { params: { query: q } }),
  profile: (id: number) => api.GET('/api/v1/admin/customers/{customer_id}', { params: customer(id) }),
  orders: (id: number, page: number, pageSize: number) =>
    api.GET('/api/v1/admin/customers/{customer_id}/orders', { params: { path: { customer_id: id }, query: { page, page_size: pageSize } } }),
  tags: () => api.GET('/api/v1/admin/customers/tags'),
  segments: () => api.GET('/api/v1/admin/customers/segments'),
  recompute: () => api.POST('/api/v1/admin/customers/segments/recompute'),
  addTag: (id: number, tag: string) => api.POST('/api/v1/admin/customers/{customer_id}/tags', { params: customer(id), body: { tag } }),
  removeTag: (id: number, tag: string) =>
    api.DELETE('/api/v1/admin/customers/{customer_id}/tags/{tag}', { params: { path: { customer_id: id, tag } } }),
  addNote: (id: number, body: string) => api.POST('/api/v1/admin/customers/{customer_id}/notes', { params: customer(id), body: { body } }),
  /** The URL of the filtered list's CSV (the server audits each export); fetch it with `downloadWithAuth`. */
  exportUrl: (q: Omit<CustomerQuery, 'page' | 'page_size'>): string => {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
    return `/api/v1/admin/customers/export?${params}`
  },
}

export const campaignsApi = {
  list: (page: number, pageSize: number) => api.GET('/api/v1/admin/campaigns', { params: { query: { page, page_size: pageSize } } }),
  create: (body: CampaignBody) => api.POST('/api/v1/admin/campaigns', { body, params: { header: idempotencyKey() } as never }),
  report: (id: number) => api.GET('/api/v1/admin/campaigns/{campaign_id}', { params: { path: { campaign_id: id } } }),
}
