/** A confirmation that asks for a reason (reject a dispute or a withdrawal): the reason, or null on cancel. */
export async function promptReason(message: string, title: string, t: (k: string) => string, minLength = 2): Promise<string | null> {
  const { ElMessageBox } = await import('element-plus')
  try {
    const { value } = await ElMessageBox.prompt(message, title, {
      type: 'warning',
      confirmButtonText: t('common.confirm'),
      cancelButtonText: t('common.cancel'),
      inputType: 'textarea',
      inputValidator: (v: string) => (String(v ?? '').trim().length >= minLength ? true : t('finance.settle.reasonRule')),
    })
    return String(value).trim()
  } catch {
    return null
  }
}
