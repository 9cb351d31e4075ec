import { idempotencyKey } from '@anjia/shared/src/api/client'
import { api } from '../api/client'
import type {
  DisputeAccept, DisputeQuery, DisputeReject, Payout, RuleCreate, RulePatch, StatementQuery, StatementRun, WithdrawalQuery, WithdrawalReject,
} from './settlementTypes'

const rule = (id: number) => ({ path: { rule_id: id } })
const statement = (id: number) => ({ path: { statement_id: id } })
const dispute = (id: number) => ({ path: { dispute_id: id } })
const withdrawal = (id: number) => ({ path: { withdrawal_id: id } })

/** Commission rules, statements, disputes and withdrawals (finance.read / finance.write / finance.approve). */
export const settlementApi = {
  rules: (includeArchived: boolean) => api.GET('/api/v1/admin/settlement/rules', { params: { query: { include_archived: includeArchived } } }),
  createRule: (body: RuleCreate) => api.POST('/api/v1/admin/settlement/rules', { body, params: { header: idempotencyKey() } as never }),
  updateRule: (id: number, body: RulePatch) => api.PATCH('/api/v1/admin/settlement/rules/{rule_id}', { params: rule(id), body }),
  archiveRule: async (id: number) => {
    const r = await api.DELETE('/api/v1/admin/settlement/rules/{rule_id}', { params: rule(id) })
    return r.response.ok ? { data: true as const } : { error: r.error }
  },
  statements: (q: StatementQuery) => api.GET('/api/v1/admin/settlement/statements', { params: { query: q } }),
  statement: (id: number) => api.GET('/api/v1/admin/settlement/statements/{statement_id}', { params: statement(id) }),
  run: (body: StatementRun) => api.POST('/api/v1/admin/settlement/runs', { body, params: { header: idempotencyKey() } as never }),
  approve: (id: number) => api.POST('/api/v1/admin/settlement/statements/{statement_id}/approve', { params: statement(id) }),
  pay: (id: number, body: Payout) => api.POST('/api/v1/admin/settlement/statements/{statement_id}/pay', { params: statement(id), body }),
  disputes: (q: DisputeQuery) => api.GET('/api/v1/admin/settlement/disputes', { params: { query: q } }),
  acceptDispute: (id: number, body: DisputeAccept) => api.POST('/api/v1/admin/settlement/disputes/{dispute_id}/accept', { params: dispute(id), body }),
  rejectDispute: (id: number, body: DisputeReject) => api.POST('/api/v1/admin/settlement/disputes/{dispute_id}/reject', { params: dispute(id), body }),
  withdrawals: (q: WithdrawalQuery) => api.GET('/api/v1/admin/settlement/withdrawals', { params: { query: q } }),
  approveWithdrawal: (id: number) => api.POST('/api/v1/admin/settlement/withdrawals/{withdrawal_id}/approve', { params: withdrawal(id) }),
  rejectWithdrawal: (id: number, body: WithdrawalReject) =>
    api.POST('/api/v1/admin/settlement/withdrawals/{withdrawal_id}/reject', { params: withdrawal(id), body }),
}
