import type { components, paths } from '@anjia/shared/src/api/schema'
import { api } from '../api/client'

export type WorkerFile = components['schemas']['AdminWorkerFileOut']
export type Certificate = components['schemas']['CertificateOut']
export type Training = components['schemas']['TrainingOut']
export type TrainingIn = components['schemas']['TrainingIn']
export type StatusEvent = components['schemas']['StatusEventOut']
export type ReviewDecision = components['schemas']['ReviewDecisionIn']
export type ReasonCode = NonNullable<ReviewDecision['reasons']>[number]
export type Employment = components['schemas']['EmploymentIn']
export type WorkerQuery = NonNullable<paths['/api/v1/admin/workers']['get']['parameters']['query']>

const worker = (id: number) => ({ path: { worker_id: id } })

/** Worker files (workers.read) and the decisions on them (workers.write, audited). */
export const workforceApi = {
  list: (q: WorkerQuery) => api.GET('/api/v1/admin/workers', { params: { query: q } }),
  file: (id: number) => api.GET('/api/v1/admin/workers/{worker_id}/file', { params: worker(id) }),
  review: (id: number, body: ReviewDecision) => api.POST('/api/v1/admin/workers/{worker_id}/review', { params: worker(id), body }),
  employment: (id: number, body: Employment) => api.POST('/api/v1/admin/workers/{worker_id}/employment', { params: worker(id), body }),
  decideCertificate: (id: number, certId: number, action: 'approve' | 'reject', note: string) =>
    api.POST('/api/v1/admin/workers/{worker_id}/certificates/{cert_id}/decision', {
      params: { path: { worker_id: id, cert_id: certId } }, body: { action, note } }),
  addTraining: (id: number, body: TrainingIn) => api.POST('/api/v1/admin/workers/{worker_id}/trainings', { params: worker(id), body }),
  /** The open regions (public: dispatchers may not read the admin list). */
  regions: () => api.GET('/api/v1/regions'),
  addNote: (id: number, text: string) => api.POST('/api/v1/admin/workers/{worker_id}/notes', { params: worker(id), body: { text } }),
}
