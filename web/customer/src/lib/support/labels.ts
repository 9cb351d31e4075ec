/** Words of a ticket in the current language: our dictionary first, the server's (Chinese) label otherwise. */
import { t } from '@anjia/shared/src/i18n'

function tr(key: string, fallback: string): string {
  const v = t(key)
  return v === key ? fallback : v
}

export const kindText = (kind: string) => tr('support.kind.' + kind, kind)
export const categoryText = (x: { category: string; category_label: string }) => tr('support.cat.' + x.category, x.category_label)
export const statusText = (x: { status: string; status_label: string }) => tr('support.status.' + x.status, x.status_label)

/** The tag class of a status tone (booking.scss's tags). */
export const TONE_TAG: Record<string, string> = { warn: 'tag--warning', info: 'tag--primary', ok: 'tag--success', done: 'tag--muted' }
