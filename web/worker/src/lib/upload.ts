/**
 * Service-record upload: `POST /worker/orders/{id}/records` with fields `stage`, `note` and the file `file`
 * through `uni.uploadFile` (multipart; on H5 it takes the blob URL from chooseImage / chooseVideo), the bearer
 * token (one refresh + retry on 401), progress and the server's problem detail (413 / 415 / 422).
 * A note without a file can't go through uploadFile: it is sent by `uni.request` as
 * `application/x-www-form-urlencoded`, which the server's Form() fields accept as well.
 */
import { ApiProblem, networkProblem } from '@anjia/shared/src/api/problem'
import { locale } from '@anjia/shared/src/i18n'
import { sessionConfig, uniTokenStore, useApi } from '@anjia/shared/src/uni/session'
import { mediaUrl, recordFields, uploadResult, type RecordDraft } from './fieldwork'
import type { ServiceRecord } from './types'

export interface UploadHandle {
  promise: Promise<ServiceRecord>
  abort(): void
}

function recordsUrl(orderId: number) {
  return mediaUrl(sessionConfig().baseUrl, `/api/v1/worker/orders/${orderId}/records`)
}

function headers(): Record<string, string> {
  const access = uniTokenStore(sessionConfig().app).getAccess()
  const h: Record<string, string> = { 'Accept-Language': locale.value }
  if (access) h.Authorization = `Bearer ${access}`
  return h
}

/** Any authenticated call refreshes an expired access token (the shared client does the refresh). */
async function refreshToken(): Promise<boolean> {
  try {
    await useApi().me.get()
    return true
  } catch {
    return false
  }
}

function once(orderId: number, fields: Record<string, string>, filePath: string | null,
  onProgress: (p: number) => void, setAbort: (f: () => void) => void): Promise<{ statusCode: number; data: unknown }> {
  return new Promise((resolve, reject) => {
    if (filePath) {
      const task = uni.uploadFile({
        url: recordsUrl(orderId),
        filePath,
        name: 'file',
        formData: fields,
        header: headers(),
        success: (r) => resolve({ statusCode: r.statusCode, data: r.data }),
        fail: (e) => reject(e),
      })
      task?.onProgressUpdate?.((p) => onProgress(p.progress))
      setAbort(() => task?.abort?.())
    } else {
      const body = Object.entries(fields)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .join('&')
      const task = uni.request({
        url: recordsUrl(orderId),
        method: 'POST',
        data: body,
        header: { ...headers(), 'Content-Type': 'application/x-www-form-urlencoded' },
        dataType: 'text',
        success: (r) => resolve({ statusCode: r.statusCode, data: r.data }),
        fail: (e) => reject(e),
      })
      setAbort(() => task?.abort?.())
    }
  })
}

/** Add a record; rejects with an ApiProblem (413 / 415 / 422 carry the server's detail). */
export function uploadRecord(orderId: number, draft: RecordDraft, onProgress: (percent: number) => void = () => {}): UploadHandle {
  let abort = () => {}
  const setAbort = (f: () => void) => (abort = f)
  const promise = (async () => {
    const r = recordFields(draft)
    if (!r.fields) throw new ApiProblem({ code: 'local_validation', status: 0, detail: r.error })
    let res
    for (let attempt = 0; ; attempt++) {
      try {
        res = await once(orderId, r.fields, draft.filePath, onProgress, setAbort)
      } catch (e) {
        throw networkProblem(e)
      }
      if (res.statusCode === 401 && attempt === 0 && (await refreshToken())) continue
      break
    }
    const out = uploadResult<ServiceRecord>(res.statusCode, res.data)
    if (out.problem) throw out.problem
    onProgress(100)
    return out.record as ServiceRecord
  })()
  return { promise, abort: () => abort() }
}
