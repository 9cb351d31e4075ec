/** The worker's earnings, statements, disputes and withdrawals (worker token, over the shared typed client). */
import { ok } from '@anjia/shared/src/api/client'
import { useApi } from '@anjia/shared/src/uni/session'
import type { Period } from './logic'

export const earningsApi = {
  summary: () => ok(useApi().raw.GET('/api/v1/worker/earnings/summary')),
  earnings: (period: Period | null, page: number) =>
    ok(useApi().raw.GET('/api/v1/worker/earnings', { params: { query: { ...(period ? { period } : {}), page, page_size: 20 } } })),
  statements: (page: number) => ok(useApi().raw.GET('/api/v1/worker/statements', { params: { query: { page, page_size: 20 } } })),
  statement: (id: number) => ok(useApi().raw.GET('/api/v1/worker/statements/{statement_id}', { params: { path: { statement_id: id } } })),
  dispute: (statementId: number, lineId: number, reason: string) =>
    ok(
      useApi().raw.POST('/api/v1/worker/statements/{statement_id}/lines/{line_id}/dispute', {
        params: { path: { statement_id: statementId, line_id: lineId } },
        body: { reason },
      }),
    ),
  withdraw: (amount: number) => ok(useApi().raw.POST('/api/v1/worker/withdrawals', { body: { amount } })),
  withdrawals: (page: number) => ok(useApi().raw.GET('/api/v1/worker/withdrawals', { params: { query: { page, page_size: 20 } } })),
}
