import { describe, expect, it } from 'vitest'
import { isPassword, isPhone, isSmsCode } from '../src/validate'

describe('validate', () => {
  it('accepts China mobile numbers', () => {
    expect(isPhone('13800000001')).toBe(true)
    expect(isPhone('19912345678')).toBe(true)
    expect(isPhone(' 13800000001 ')).toBe(true)
  })
  it('rejects other numbers', () => {
    for (const v of ['12800000001', '1380000000', '138000000012', 'abcdefghijk', '', null, undefined]) expect(isPhone(v)).toBe(false)
  })
  it('checks 6-digit codes', () => {
    expect(isSmsCode('123456')).toBe(true)
    expect(isSmsCode('12345')).toBe(false)
    expect(isSmsCode('12345a')).toBe(false)
  })
  it('checks password length', () => {
    expect(isPassword('demo1234')).toBe(true)
    expect(isPassword('short')).toBe(false)
  })
})
