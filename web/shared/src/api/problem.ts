/** RFC 7807 problem raised by every failed API call. Callers switch on `code`. */
export interface ProblemFieldError {
  field: string
  message: string
}

export class ApiProblem extends Error {
  readonly code: string
  readonly status: number
  readonly detail: string
  readonly title: string
  readonly errors: ProblemFieldError[]
  /** The whole problem body, for the members some problems add (e.g. `alternatives` of `slot_unavailable`). */
  readonly body: Record<string, unknown>

  constructor(init: {
    code: string
    status: number
    detail?: string
    title?: string
    errors?: ProblemFieldError[]
    body?: Record<string, unknown>
  }) {
    super(init.detail || init.title || init.code)
    this.name = 'ApiProblem'
    this.code = init.code
    this.status = init.status
    this.detail = init.detail || init.title || init.code
    this.title = init.title || ''
    this.errors = init.errors || []
    this.body = init.body || {}
  }

  /** Build from a parsed problem body (or anything else the server sent). */
  static from(status: number, body: unknown): ApiProblem {
    if (body && typeof body === 'object') {
      const b = body as Record<string, unknown>
      if (typeof b.code === 'string') {
        return new ApiProblem({
          code: b.code,
          status: typeof b.status === 'number' ? b.status : status,
          detail: typeof b.detail === 'string' ? b.detail : undefined,
          title: typeof b.title === 'string' ? b.title : undefined,
          errors: Array.isArray(b.errors) ? (b.errors as ProblemFieldError[]) : [],
          body: b,
        })
      }
      // FastAPI default validation error shape: {"detail": [{loc, msg}]}
      if (Array.isArray(b.detail)) {
        const errors = (b.detail as Array<{ loc?: unknown[]; msg?: string }>).map((e) => ({
          field: String((e.loc || []).slice(-1)[0] ?? ''),
          message: String(e.msg ?? ''),
        }))
        return new ApiProblem({ code: 'validation_error', status, detail: errors[0]?.message, errors })
      }
      if (typeof b.detail === 'string') return new ApiProblem({ code: `http_${status}`, status, detail: b.detail })
    }
    return new ApiProblem({ code: `http_${status}`, status, detail: typeof body === 'string' && body ? body : undefined })
  }

  /** The message of the first error on a field, if any. */
  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.message
  }
}

/** A network failure (no answer from the server). */
export function networkProblem(err: unknown): ApiProblem {
  return new ApiProblem({ code: 'network_error', status: 0, detail: err instanceof Error ? err.message : String(err) })
}
