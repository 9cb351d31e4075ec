/**
 * The save step of an edit dialog: `saving` for the 保存 button, the call, then 已保存 (or the given
 * message) and close — or the problem's message, with the dialog left open.
 */
import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { problemMessage } from './api/client'

export interface SaveOptions<D> {
  /** The success message (or one made from the answer); 已保存 when not given. */
  success?: string | ((data: D) => string)
  /** Runs with the answer after the message, before the dialog closes (e.g. emit `saved`). */
  done?: (data: D) => void
  /** false keeps the dialog open. */
  close?: boolean
}

export function useSaveDialog(close: () => void) {
  const { t } = useI18n()
  const saving = ref(false)

  async function save<D>(call: () => Promise<{ data?: D | null; error?: unknown }>, opts: SaveOptions<D> = {}): Promise<boolean> {
    saving.value = true
    try {
      const { data, error } = await call()
      if (data === undefined || data === null) {
        ElMessage.error(problemMessage(error, t('common.loadFailed')))
        return false
      }
      const success = typeof opts.success === 'function' ? opts.success(data) : opts.success
      ElMessage.success(success ?? t('common.saved'))
      opts.done?.(data)
      if (opts.close !== false) close()
      return true
    } catch (e) {
      ElMessage.error(problemMessage(e, t('common.loadFailed')))
      return false
    } finally {
      saving.value = false
    }
  }

  return { saving, save }
}
