/** The worker's sign-up file and certificates (worker token, over the shared typed client; the
 * photos and certificates are multipart uploads through `uni.uploadFile`). */
import { ok } from '@anjia/shared/src/api/client'
import type { components } from '@anjia/shared/src/api/schema'
import { useApi } from '@anjia/shared/src/uni/session'
import { uploadTo } from '@anjia/shared/src/uni/upload'

export type WorkerFile = components['schemas']['WorkerFileOut']
export type Certificate = components['schemas']['CertificateOut']
export type CertificateKindInfo = components['schemas']['CertificateKindOut']
export type CertificateKind = CertificateKindInfo['kind']
export type FileIn = components['schemas']['WorkerFileIn']
export type PhotoSlot = 'id_photo' | 'selfie'
export interface CertificateFields {
  kind: CertificateKind
  number: string
  expires_on: string
  issued_on?: string
}

export const signupApi = {
  file: () => ok(useApi().raw.GET('/api/v1/worker/me/file')),
  /** 422 `invalid_id_number`, 409 `id_number_taken` / `file_locked`. */
  identity: (real_name: string, id_number: string) =>
    ok(useApi().raw.PUT('/api/v1/worker/me/file/identity', { body: { real_name, id_number } })),
  update: (body: FileIn) => ok(useApi().raw.PATCH('/api/v1/worker/me/file', { body })),
  /** 422 `file_incomplete` (its `errors` name what is missing). */
  submit: () => ok(useApi().raw.POST('/api/v1/worker/me/file/submit')),
  kinds: () => ok(useApi().raw.GET('/api/v1/worker/certificate-kinds')),
  /** Each skill with the services that need it, in the catalogue's order. */
  skills: () => ok(useApi().raw.GET('/api/v1/worker/skills')),
  regions: () => ok(useApi().raw.GET('/api/v1/regions')),
  removeCertificate: (id: number) =>
    ok(useApi().raw.DELETE('/api/v1/worker/me/certificates/{cert_id}', { params: { path: { cert_id: id } } })),
  /** 413 / 415 for a file that is too large or not a photo. */
  uploadPhoto: (slot: PhotoSlot, filePath: string) => uploadTo<WorkerFile>(`/api/v1/worker/me/file/photos/${slot}`, filePath),
  /** 201; 422 `certificate_expired` / `certificate_dates`, 413 / 415 for the photo. */
  addCertificate: (filePath: string, fields: CertificateFields) =>
    uploadTo<Certificate>('/api/v1/worker/me/certificates', filePath, { ...fields } as Record<string, string>),
}
