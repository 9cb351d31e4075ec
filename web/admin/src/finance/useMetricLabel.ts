import { useI18n } from 'vue-i18n'
import type { ReportMetric } from './financeTypes'

/** A report metric's name in the console's language (the server's label when the console has none). */
export function useMetricLabel() {
  const { t, te, locale } = useI18n()
  return (m: ReportMetric) => (te(`finance.metric.${m.key}`) ? t(`finance.metric.${m.key}`) : locale.value === 'en' ? m.label_en : m.label)
}
