import { afterEach, describe, expect, it } from 'vitest'
import { locale, messages, setLocale, t } from '../src/i18n'

afterEach(() => setLocale('zh-CN'))

describe('i18n', () => {
  it('defaults to zh-CN', () => {
    expect(locale.value).toBe('zh-CN')
    expect(t('login.submit')).toBe('登录')
    expect(t('login.phonePlaceholder')).toBe('请输入手机号')
  })
  it('switches to English', () => {
    setLocale('en')
    expect(t('login.submit')).toBe('Sign in')
  })
  it('fills placeholders and falls back to the key', () => {
    expect(t('login.resend', { n: 42 })).toBe('42秒后重发')
    expect(t('no.such.key')).toBe('no.such.key')
  })
  it('ignores unknown locales', () => {
    setLocale('fr' as never)
    expect(locale.value).toBe('zh-CN')
  })
  it('has the same keys in every dictionary', () => {
    expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages['zh-CN']).sort())
  })
})
