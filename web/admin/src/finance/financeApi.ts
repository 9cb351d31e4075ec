import { idempotencyKey } from '@anjia/shared/src/api/client'
import { api, authFetch, problemMessage } from '../api/client'
import type { DifferenceQuery, ReportQuery, ResolveBody, RunIn, RunQuery } from './financeTypes'
import { dispositionName } from './reportModel'

/** Overview, reports and reconciliation (finance.read / finance.write). */
export const financeApi = {
  overview: () => api.GET('/api/v1/admin/finance/overview'),
  report: (q: ReportQuery) => api.GET('/api/v1/admin/finance/reports', { params: { query: q } }),
  runs: (q: RunQuery) => api.GET('/api/v1/admin/finance/reconciliation/runs', { params: { query: q } }),
  run: (runId: number, q: DifferenceQuery) =>
    api.GET('/api/v1/admin/finance/reconciliation/runs/{run_id}', { params: { path: { run_id: runId }, query: q } }),
  runNow: (body: RunIn) =>
    api.POST('/api/v1/admin/finance/reconciliation/runs', { body, params: { header: idempotencyKey() } as never }),
  resolve: (differenceId: number, body: ResolveBody) =>
    api.POST('/api/v1/admin/finance/reconciliation/differences/{difference_id}/resolve', {
      params: { path: { difference_id: differenceId } },
      body,
    }),
}

/**
 * Download a file the API serves to signed-in staff only: fetched with the bearer token (a plain link would
 * carry none), then saved under the name of its Content-Disposition.
 */
export async function downloadWithAuth(url: string, fallbackName: string, fallbackError: string): Promise<string> {
  const res = await authFetch(new Request(new URL(url, window.location.origin)))
  if (!res.ok) {
    let problem: unknown = null
    try {
      problem = await res.json()
    } catch {
      /* not problem+json */
    }
    throw new Error(problemMessage(problem, fallbackError))
  }
  const name = dispositionName(res.headers.get('content-disposition'), fallbackName)
  const href = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = href
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(href), 1000)
  return name
}
