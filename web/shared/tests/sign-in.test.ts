import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiProblem, type Api } from '../src'
import { useCountdown } from '../src/uni/countdown'
import { CONSENT_VERSION, useSignIn } from '../src/uni/useSignIn'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

function fakeApi(overrides: Partial<Api['auth']> = {}) {
  const auth = {
    sendSmsCode: vi.fn(async () => ({ expires_in: 300, resend_after: 60 })),
    loginSms: vi.fn(async () => ({}) as never),
    loginPassword: vi.fn(async () => ({}) as never),
    loginWechat: vi.fn(async () => ({ binding_token: 'B', needs_phone: true }) as never),
    bindWechatPhone: vi.fn(async () => ({}) as never),
    logout: vi.fn(),
    ...overrides,
  }
  return { auth } as unknown as Api & { auth: typeof auth }
}

describe('useCountdown', () => {
  it('counts down once a second and stops at zero', () => {
    const c = useCountdown()
    c.start(3)
    expect(c.running.value).toBe(true)
    vi.advanceTimersByTime(1000)
    expect(c.remaining.value).toBe(2)
    vi.advanceTimersByTime(2000)
    expect(c.remaining.value).toBe(0)
    expect(c.running.value).toBe(false)
  })
})

describe('useSignIn', () => {
  it('validates the phone before asking for a code', async () => {
    const api = fakeApi()
    const notify = vi.fn()
    const s = useSignIn({ api, app: 'customer', notify, onSignedIn: vi.fn() })
    s.form.phone = '12345'
    await s.sendCode()
    expect(api.auth.sendSmsCode).not.toHaveBeenCalled()
    expect(s.errors.phone).toBe('请输入正确的11位手机号')
    s.form.phone = '13800000001'
    await s.sendCode()
    expect(api.auth.sendSmsCode).toHaveBeenCalledWith('13800000001', 'login')
    expect(s.codeButtonText.value).toBe('60秒后重发')
    await s.sendCode() // ignored while counting down
    expect(api.auth.sendSmsCode).toHaveBeenCalledTimes(1)
  })

  it('needs consent, then logs in with consent_version', async () => {
    const api = fakeApi()
    const notify = vi.fn()
    const onSignedIn = vi.fn()
    const s = useSignIn({ api, app: 'worker', notify, onSignedIn })
    s.form.phone = '13900000001'
    s.form.code = '123456'
    await s.submit()
    expect(notify).toHaveBeenLastCalledWith('请先阅读并同意《隐私政策》')
    expect(api.auth.loginSms).not.toHaveBeenCalled()
    s.form.consent = true
    await s.submit()
    expect(api.auth.loginSms).toHaveBeenCalledWith({ phone: '13900000001', code: '123456', app: 'worker', consent_version: CONSENT_VERSION })
    expect(onSignedIn).toHaveBeenCalled()
  })

  it('shows the server detail on failure', async () => {
    const api = fakeApi({ loginSms: vi.fn(async () => Promise.reject(new ApiProblem({ code: 'sms_code_invalid', status: 400, detail: '验证码错误' }))) as never })
    const notify = vi.fn()
    const s = useSignIn({ api, app: 'customer', notify, onSignedIn: vi.fn() })
    Object.assign(s.form, { phone: '13800000001', code: '000000', consent: true })
    await s.submit()
    expect(notify).toHaveBeenLastCalledWith('验证码错误')
    expect(s.submitting.value).toBe(false)
  })

  it('switches to phone binding when WeChat needs a phone', async () => {
    const api = fakeApi()
    const onSignedIn = vi.fn()
    const s = useSignIn({ api, app: 'customer', notify: vi.fn(), onSignedIn, wechatCode: async () => 'wx-code' })
    s.form.consent = true
    await s.loginWechat()
    expect(api.auth.loginWechat).toHaveBeenCalledWith({ code: 'wx-code', app: 'customer' })
    expect(s.mode.value).toBe('bind')
    Object.assign(s.form, { phone: '13800000001', code: '654321' })
    await s.submit()
    expect(api.auth.bindWechatPhone).toHaveBeenCalledWith({ binding_token: 'B', phone: '13800000001', code: '654321' })
    expect(onSignedIn).toHaveBeenCalled()
  })

  it('logs in with a password', async () => {
    const api = fakeApi()
    const s = useSignIn({ api, app: 'customer', notify: vi.fn(), onSignedIn: vi.fn() })
    s.setMode('password')
    Object.assign(s.form, { account: '13800000001', password: 'demo1234', consent: true })
    await s.submit()
    expect(api.auth.loginPassword).toHaveBeenCalledWith({ account: '13800000001', password: 'demo1234', app: 'customer' })
  })
})
