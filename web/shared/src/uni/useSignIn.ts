import { computed, reactive, ref } from 'vue'
import type { Api, MobileApp } from '../api/client'
import { ApiProblem } from '../api/problem'
import { t } from '../i18n'
import { isPhone, isSmsCode } from '../validate'
import { useCountdown } from './countdown'

export const CONSENT_VERSION = '2026-11'

export interface SignInDeps {
  api: Api
  app: MobileApp
  /** Show a message to the user (uni.showToast in the apps). */
  notify: (msg: string) => void
  /** Called after tokens are stored. */
  onSignedIn: () => void
  /** uni.login wrapper; returns the WeChat code. */
  wechatCode?: () => Promise<string>
}

/** All state and actions of the sign-in page, independent of the view. */
export function useSignIn(deps: SignInDeps) {
  const mode = ref<'sms' | 'password' | 'bind'>('sms')
  const form = reactive({ phone: '', code: '', account: '', password: '', consent: false })
  const errors = reactive({ phone: '', code: '', account: '', password: '' })
  const sending = ref(false)
  const submitting = ref(false)
  const wechatLoading = ref(false)
  const bindingToken = ref('')
  const countdown = useCountdown()

  const codeButtonText = computed(() =>
    countdown.running.value ? t('login.resend', { n: countdown.remaining.value }) : t('login.getCode'),
  )

  function fail(e: unknown) {
    if (e instanceof ApiProblem) {
      for (const fe of e.errors) if (fe.field in errors) (errors as Record<string, string>)[fe.field] = fe.message
      deps.notify(e.code === 'network_error' ? t('common.networkError') : e.detail)
    } else deps.notify(t('common.networkError'))
  }

  function checkPhone(): boolean {
    errors.phone = isPhone(form.phone) ? '' : t('login.phoneInvalid')
    return !errors.phone
  }

  async function sendCode() {
    if (sending.value || countdown.running.value) return
    if (!checkPhone()) {
      deps.notify(errors.phone)
      return
    }
    sending.value = true
    try {
      const r = await deps.api.auth.sendSmsCode(form.phone.trim(), mode.value === 'bind' ? 'bind' : 'login')
      countdown.start(r?.resend_after || 60)
      deps.notify(t('login.codeSent'))
    } catch (e) {
      if (e instanceof ApiProblem && e.code === 'sms_rate_limited') countdown.start(60)
      fail(e)
    } finally {
      sending.value = false
    }
  }

  function requireConsent(): boolean {
    if (!form.consent) deps.notify(t('login.consentRequired'))
    return form.consent
  }

  async function submit() {
    if (submitting.value) return
    errors.phone = errors.code = errors.account = errors.password = ''
    if (mode.value === 'password') {
      if (!form.account.trim()) errors.account = t('login.accountRequired')
      if (!form.password) errors.password = t('login.passwordRequired')
      if (errors.account || errors.password) return deps.notify(errors.account || errors.password)
    } else {
      if (!checkPhone()) return deps.notify(errors.phone)
      if (!isSmsCode(form.code)) {
        errors.code = t('login.codeInvalid')
        return deps.notify(errors.code)
      }
    }
    if (mode.value !== 'bind' && !requireConsent()) return
    submitting.value = true
    try {
      if (mode.value === 'password') {
        await deps.api.auth.loginPassword({ account: form.account.trim(), password: form.password, app: deps.app })
      } else if (mode.value === 'bind') {
        await deps.api.auth.bindWechatPhone({ binding_token: bindingToken.value, phone: form.phone.trim(), code: form.code.trim() })
      } else {
        await deps.api.auth.loginSms({ phone: form.phone.trim(), code: form.code.trim(), app: deps.app, consent_version: CONSENT_VERSION })
      }
      countdown.stop()
      deps.onSignedIn()
    } catch (e) {
      fail(e)
    } finally {
      submitting.value = false
    }
  }

  async function loginWechat() {
    if (wechatLoading.value || !deps.wechatCode) return
    if (!requireConsent()) return
    wechatLoading.value = true
    try {
      const code = await deps.wechatCode()
      const r = await deps.api.auth.loginWechat({ code, app: deps.app })
      if ('access_token' in r) deps.onSignedIn()
      else {
        bindingToken.value = r.binding_token
        form.code = ''
        countdown.stop()
        mode.value = 'bind'
      }
    } catch (e) {
      fail(e)
    } finally {
      wechatLoading.value = false
    }
  }

  function setMode(m: 'sms' | 'password') {
    mode.value = m
    errors.phone = errors.code = errors.account = errors.password = ''
  }

  return { mode, form, errors, sending, submitting, wechatLoading, countdown, codeButtonText, sendCode, submit, loginWechat, setMode, checkPhone }
}
