import type { Api } from '../api/client'
import { ApiProblem } from '../api/problem'
import type { LeaveIn, RegionSummary, WeeklyRange, WorkerAvailability, WorkerSettingsIn } from './types'

type Result = Promise<{ data?: unknown; error?: unknown; response: Response }>
type Call = (path: string, init?: Record<string, unknown>) => Result
/** The openapi-fetch client without path typing (these paths are not in schema.d.ts yet). */
interface UntypedClient {
  GET: Call
  PUT: Call
  PATCH: Call
  POST: Call
  DELETE: Call
}

async function ok<T>(p: Result): Promise<T> {
  const r = await p
  if (r.error !== undefined || !r.response.ok) throw ApiProblem.from(r.response.status, r.error)
  return r.data as T
}

/** Worker availability calls over the shared client (auth, refresh and problems included). */
export function workerApi(api: Api) {
  const c = api.raw as unknown as UntypedClient
  return {
    get: () => ok<WorkerAvailability>(c.GET('/api/v1/worker/availability')),
    /** Replaces the whole week; resolves with the updated availability. */
    putWeekly: (weekly: WeeklyRange[]) =>
      ok<WorkerAvailability>(c.PUT('/api/v1/worker/availability/weekly', { body: { weekly } })),
    update: (body: WorkerSettingsIn) => ok<WorkerAvailability>(c.PATCH('/api/v1/worker/availability', { body })),
    /** 201 with the updated availability (its `leaves` include the new one). */
    addLeave: (body: LeaveIn) => ok<WorkerAvailability>(c.POST('/api/v1/worker/leaves', { body })),
    /** 204 */
    deleteLeave: (leaveId: number) =>
      ok<unknown>(c.DELETE('/api/v1/worker/leaves/{leave_id}', { params: { path: { leave_id: leaveId } } })),
    regions: () => ok<RegionSummary[]>(c.GET('/api/v1/regions')),
  }
}

export type WorkerApi = ReturnType<typeof workerApi>
