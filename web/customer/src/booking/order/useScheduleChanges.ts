/** The worker's requests to move an order: the one waiting for the customer, the history, and the answer. */
import { computed, ref } from 'vue'
import { t } from '@anjia/shared/src/i18n'
import { toastError } from '@anjia/shared/src/uni/session'
import { changeHistory, pendingForCustomer, shanghaiWhen, type ScheduleChange } from '../../lib/fieldwork'
import { fieldworkApi } from '../../lib/fieldworkApi'

export function useScheduleChanges(orderId: () => number, reload: () => void) {
  const changes = ref<ScheduleChange[]>([])
  const deciding = ref(false)
  const pendingChange = computed(() => pendingForCustomer(changes.value))
  const history = computed(() => changeHistory(changes.value))

  async function loadChanges() {
    try {
      changes.value = await fieldworkApi.changes(orderId())
    } catch {
      /* the card stays hidden; the next reload tries again */
    }
  }

  function decideChange(decision: 'consent' | 'decline') {
    const c = pendingChange.value
    if (!c || deciding.value) return
    uni.showModal({
      title: t('change.title'),
      content:
        decision === 'consent'
          ? t('change.consentConfirm', { to: shanghaiWhen(c.to_start, t) })
          : t('change.declineConfirm', { from: shanghaiWhen(c.from_start, t) }),
      confirmText: decision === 'consent' ? t('change.consent') : t('change.decline'),
      cancelText: t('common.cancel'),
      success: async (r) => {
        if (!r.confirm) return
        deciding.value = true
        try {
          await fieldworkApi.decide(c.id, decision)
          uni.showToast({ title: t(decision === 'consent' ? 'change.consented' : 'change.declined'), icon: 'success' })
        } catch (e) {
          toastError(e)
        } finally {
          deciding.value = false
          reload()
        }
      },
    })
  }

  return { pendingChange, history, deciding, loadChanges, decideChange }
}
