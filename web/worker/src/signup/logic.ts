/** Sign-up: pure helpers (tests/signup.test.ts). What is required is the server's word (`missing`);
 * these only map it onto the wizard's steps and the page's words. */
import type { Certificate, WorkerFile } from './api'

export const STEPS = ['identity', 'photos', 'skills', 'certificates', 'submit'] as const
export type Step = (typeof STEPS)[number]

/** The step that answers a `missing` code (`certificate:<kind>` → certificates). */
export function stepOf(code: string): Step {
  if (code === 'identity') return 'identity'
  if (code === 'id_photo' || code === 'selfie') return 'photos'
  if (code === 'skills' || code === 'area') return 'skills'
  return 'certificates'
}

/** Where the wizard opens: the first step with something missing, else the last. */
export function firstOpenStep(missing: readonly string[]): Step {
  const steps = new Set(missing.map(stepOf))
  return STEPS.find((s) => steps.has(s)) ?? 'submit'
}

export function stepDone(step: Step, missing: readonly string[]): boolean {
  return step !== 'submit' && !missing.some((m) => stepOf(m) === step)
}

/** Which page a worker who is not approved belongs on. */
export function signupPage(file: Pick<WorkerFile, 'review_status'>): string | null {
  if (file.review_status === 'approved') return null
  return file.review_status === 'draft' ? '/signup/index/index' : '/signup/status/index'
}

export type Tone = 'info' | 'warn' | 'danger' | 'ok'

export function statusTone(status: WorkerFile['review_status']): Tone {
  return ({ draft: 'info', submitted: 'info', more_info: 'warn', rejected: 'danger', approved: 'ok' } as const)[status]
}

export function standingTone(standing: Certificate['standing']): Tone {
  return ({ pending: 'info', valid: 'ok', expiring: 'warn', expired: 'danger', rejected: 'danger' } as const)[standing]
}

/** yyyy-mm-dd of a date `years` years after `from` (the expiry picker's starting value). */
export function yearsAfter(from: Date, years: number): string {
  const d = new Date(from.getFullYear() + years, from.getMonth(), from.getDate())
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}
