/** Worker files in the console: pure helpers (tested in __tests__/workforce.spec.ts). */
import type { Certificate, ReasonCode, WorkerFile } from './api'

/** The reasons an operator picks when sending a file back or turning it down. */
export const REVIEW_REASONS: ReasonCode[] = ['id_photo_unclear', 'id_mismatch', 'selfie_mismatch', 'selfie_unclear',
  'certificate_unclear', 'certificate_invalid', 'certificate_missing', 'experience_insufficient', 'area_not_served', 'other']

/** Reasons an operator picks when a worker stops serving (the worker reads them). */
export const EMPLOYMENT_REASONS: Record<'suspend' | 'leave', ReasonCode[]> = {
  suspend: ['complaints', 'conduct', 'investigation', 'certificate_expired', 'other'],
  leave: ['resigned', 'dismissed', 'conduct', 'other'],
}

export type Decision = 'approve' | 'ask' | 'reject'

/** Element Plus tag type of a review status. */
export function reviewTag(status: WorkerFile['review_status']): 'info' | 'primary' | 'warning' | 'danger' | 'success' {
  return ({ draft: 'info', submitted: 'primary', more_info: 'warning', rejected: 'danger', approved: 'success' } as const)[status]
}

/** Element Plus tag type of a certificate's standing. */
export function standingTag(standing: Certificate['standing']): 'info' | 'success' | 'warning' | 'danger' {
  return ({ pending: 'info', valid: 'success', expiring: 'warning', expired: 'danger', rejected: 'danger' } as const)[standing]
}

/** Tag type of a face check (none yet: info). */
export function faceTag(status: WorkerFile['face']['status']): 'info' | 'success' | 'danger' | 'warning' {
  if (status === 'passed') return 'success'
  if (status === 'failed') return 'danger'
  if (status === 'error') return 'warning'
  return 'info'
}

/** A decision that takes something away needs at least one reason (the server says so too). */
export function needsReasons(decision: Decision): boolean {
  return decision !== 'approve'
}
