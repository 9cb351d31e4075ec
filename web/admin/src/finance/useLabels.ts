import { useI18n } from 'vue-i18n'

/** Labels of the money codes (provider, statuses, kinds), falling back to the code or the server's label. */
export function useFinanceLabels() {
  const { t, te } = useI18n()
  const label = (group: string, code: string | null | undefined, fallback?: string | null) => {
    if (!code) return fallback || '—'
    const key = `finance.${group}.${code}`
    return te(key) ? t(key) : fallback || code
  }
  return {
    provider: (code: string | null | undefined, fallback?: string | null) => label('provider', code, fallback),
    paymentStatus: (code: string) => label('paymentStatus', code),
    refundStatus: (code: string) => label('refundStatus', code),
    refundKind: (code: string) => label('refundKind', code),
    purpose: (code: string) => label('purpose', code),
    channel: (code: string | null | undefined) => label('channels', code),
  }
}
