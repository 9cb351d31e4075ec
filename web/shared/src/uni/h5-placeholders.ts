/**
 * uni-app's H5 <input> draws its placeholder as a <div> over a native <input> that has no
 * placeholder attribute, so assistive tech and tests (getByPlaceholder) can't find it.
 * This copies the drawn placeholder onto the native element and hides the native rendering
 * (the uni overlay keeps showing it). H5 only; a no-op elsewhere.
 */
export function installNativePlaceholders(): void {
  if (typeof document === 'undefined' || typeof MutationObserver === 'undefined') return
  const style = document.createElement('style')
  style.textContent =
    '.uni-input-input::placeholder,.uni-textarea-textarea::placeholder{color:transparent!important;opacity:0!important}'
  document.head.appendChild(style)

  let scheduled = false
  const sync = () => {
    scheduled = false
    document.querySelectorAll('.uni-input-wrapper, .uni-textarea-wrapper').forEach((wrapper) => {
      const ph = wrapper.querySelector('.uni-input-placeholder, .uni-textarea-placeholder')
      const field = wrapper.querySelector('input, textarea') as HTMLInputElement | HTMLTextAreaElement | null
      if (!field) return
      const text = (ph?.textContent || '').trim()
      if (field.getAttribute('placeholder') !== text) {
        if (text) field.setAttribute('placeholder', text)
        else field.removeAttribute('placeholder')
      }
    })
  }
  const schedule = () => {
    if (scheduled) return
    scheduled = true
    requestAnimationFrame(sync)
  }
  new MutationObserver(schedule).observe(document.documentElement, { childList: true, subtree: true, characterData: true })
  schedule()
}
