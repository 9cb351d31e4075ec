/**
 * One file to an API path through `uni.uploadFile` (multipart field `file`; on H5 the blob URL from
 * chooseImage), with the bearer token, one refresh + retry on 401, and the server's problem detail
 * (413 / 415 / 422) as an ApiProblem. Answers the JSON body.
 */
import { ApiProblem, networkProblem } from '../api/problem'
import { locale } from '../i18n'
import { sessionConfig, uniTokenStore, useApi } from './session'

function headers(): Record<string, string> {
  const access = uniTokenStore(sessionConfig().app).getAccess()
  const h: Record<string, string> = { 'Accept-Language': locale.value }
  if (access) h.Authorization = `Bearer ${access}`
  return h
}

function send(url: string, filePath: string, formData?: Record<string, string>): Promise<{ statusCode: number; data: unknown }> {
  return new Promise((resolve, reject) => {
    uni.uploadFile({
      url,
      filePath,
      name: 'file',
      formData,
      header: headers(),
      success: (r) => resolve({ statusCode: r.statusCode, data: r.data }),
      fail: (e) => reject(e),
    })
  })
}

/** The parsed answer of an upload: the body on 2xx, else the problem. */
export function parseUpload<T>(statusCode: number, data: unknown): T {
  let body: unknown = data
  if (typeof data === 'string') {
    try {
      body = data ? JSON.parse(data) : null
    } catch {
      body = data
    }
  }
  if (statusCode >= 200 && statusCode < 300 && body && typeof body === 'object') return body as T
  throw ApiProblem.from(statusCode, body)
}

/** `formData`: form fields sent with the file (a certificate's kind, number and dates). */
export async function uploadTo<T>(path: string, filePath: string, formData?: Record<string, string>): Promise<T> {
  const url = sessionConfig().baseUrl.replace(/\/+$/, '') + path
  for (let attempt = 0; ; attempt++) {
    let res
    try {
      res = await send(url, filePath, formData)
    } catch (e) {
      throw networkProblem(e)
    }
    if (res.statusCode === 401 && attempt === 0) {
      try {
        await useApi().me.get() // any authenticated call refreshes an expired access token
        continue
      } catch {
        /* fall through to the 401 */
      }
    }
    return parseUpload<T>(res.statusCode, res.data)
  }
}
