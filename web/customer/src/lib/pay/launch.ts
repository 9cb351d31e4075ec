/**
 * Carry out a started payment on this platform: the mini program calls wx.requestPayment with the
 * JSAPI params; H5 goes to the provider's page (UnionPay: an auto-posting form). The rules are in logic.ts.
 */
import { buildForm, requestPaymentOptions, type NextStep, type Platform } from './logic'

export const PLATFORM: Platform = (() => {
  let p: Platform = 'h5'
  // #ifdef MP-WEIXIN
  p = 'mp-weixin'
  // #endif
  return p
})()

/** 'settle': go to the result page now; 'left': the browser is on its way to the provider; 'cancelled': the payer closed WeChat's sheet. */
export type Launched = 'settle' | 'left' | 'cancelled'

export function launch(step: NextStep): Promise<Launched> {
  if (step.kind === 'done' || step.kind === 'none' || step.kind === 'qr') return Promise.resolve('settle')
  if (step.kind === 'jsapi') {
    return new Promise((resolve, reject) => {
      uni.requestPayment({
        ...requestPaymentOptions(step.params),
        orderInfo: {},
        success: () => resolve('settle'),
        fail: (e: { errMsg?: string }) => (/cancel/i.test(e?.errMsg || '') ? resolve('cancelled') : reject(new Error(e?.errMsg || 'requestPayment:fail'))),
      })
    })
  }
  // #ifdef H5
  if (step.kind === 'form') {
    const form = buildForm(document, step.url, step.params) as HTMLFormElement
    form.style.display = 'none'
    document.body.appendChild(form)
    form.submit()
  } else {
    window.location.href = step.url
  }
  // #endif
  return Promise.resolve('left')
}
