import type { paths } from '@anjia/shared/src/api/schema'

type Ok<T> = T extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R : never
type Created<T> = T extends { responses: { 201: { content: { 'application/json': infer R } } } } ? R : never
type Body<T> = T extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never

/** All domain types are derived from the OpenAPI `paths`, not written by hand. */
export type TokenPair = Ok<paths['/api/v1/auth/login/password']['post']>
export type User = Ok<paths['/api/v1/me']['get']>
export type UserPage = Ok<paths['/api/v1/admin/users']['get']>
export type Role = Ok<paths['/api/v1/admin/roles']['get']>[number]
export type AuditLogPage = Ok<paths['/api/v1/admin/audit-logs']['get']>
export type AuditLog = AuditLogPage['items'][number]
export type StaffCreate = Body<paths['/api/v1/admin/staff']['post']>
export type StaffCreated = Created<paths['/api/v1/admin/staff']['post']>
export type StaffPatch = Body<paths['/api/v1/admin/staff/{staff_id}']['patch']>
export type UserKind = NonNullable<NonNullable<paths['/api/v1/admin/users']['get']['parameters']['query']>['kind']>

export interface ProblemLike {
  title?: string
  detail?: string | null
  code?: string
  status?: number
}
