export const PHONE_RE = /^1[3-9]\d{9}$/
export const SMS_CODE_RE = /^\d{6}$/

export function isPhone(v: string | null | undefined): boolean {
  return PHONE_RE.test((v || '').trim())
}

export function isSmsCode(v: string | null | undefined): boolean {
  return SMS_CODE_RE.test((v || '').trim())
}

/** Password rule shared with the backend: at least 8 characters. */
export function isPassword(v: string | null | undefined): boolean {
  return (v || '').length >= 8
}
