/** Pure logic of the 服务记录 section and the 改期审批 page (tests: __tests__/fieldwork.spec.ts). */
import type { ScheduleChange, ServiceRecord } from './api'

export const STAGES = ['before', 'during', 'after'] as const
export type Stage = (typeof STAGES)[number]

/** el-tag type of each stage. */
export function stageTagType(stage: string): 'info' | 'warning' | 'success' {
  return stage === 'before' ? 'info' : stage === 'during' ? 'warning' : 'success'
}

/** Records in stage order (服务前 → 服务中 → 服务后), oldest first within a stage. */
export function sortRecords<T extends Pick<ServiceRecord, 'stage' | 'created_at'>>(list: readonly T[]): T[] {
  const rank = (s: string) => {
    const i = (STAGES as readonly string[]).indexOf(s)
    return i < 0 ? STAGES.length : i
  }
  return [...list].sort((a, b) => rank(a.stage) - rank(b.stage) || a.created_at.localeCompare(b.created_at))
}

/** Image urls of the records, in order, for el-image's preview list. */
export function previewList(list: readonly Pick<ServiceRecord, 'media_type' | 'url'>[]): string[] {
  return list.filter((r) => r.media_type === 'image' && r.url).map((r) => r.url as string)
}

export const CHANGE_STATUSES = ['pending_operator', 'pending_customer', 'applied', 'declined_by_operator', 'declined_by_customer'] as const

export function changeStatusTagType(status: string): 'warning' | 'success' | 'danger' | 'info' {
  if (status.startsWith('pending')) return 'warning'
  if (status === 'applied') return 'success'
  if (status.startsWith('declined')) return 'danger'
  return 'info'
}

/** The operator can decide a change waiting for the operator. */
export function canDecide(c: Pick<ScheduleChange, 'status'>, canWrite: boolean): boolean {
  return canWrite && c.status === 'pending_operator'
}

/** Shift between the old and the new start, in minutes (positive: later). */
export function shiftMinutes(c: Pick<ScheduleChange, 'from_start' | 'to_start'>): number {
  return Math.round((Date.parse(c.to_start) - Date.parse(c.from_start)) / 60000)
}
