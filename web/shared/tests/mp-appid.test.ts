import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM helper without types
import { mpAppId, readDotEnv, writeMpAppId } from '../scripts/mp-appid.mjs'

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'mp-appid-'))
}

describe('the mini program AppID from settings', () => {
  it('reads WECHAT_APPID for the customer app and WECHAT_WORKER_APPID for the worker app, env before .env', () => {
    const d = dir()
    const dotEnv = join(d, '.env')
    writeFileSync(dotEnv, '# settings\nWECHAT_APPID="wx00000000000000aa"\nexport WECHAT_WORKER_APPID=wx00000000000000bb\n')
    expect(readDotEnv(dotEnv)).toEqual({ WECHAT_APPID: 'wx00000000000000aa', WECHAT_WORKER_APPID: 'wx00000000000000bb' })
    expect(mpAppId('customer', {}, dotEnv)).toBe('wx00000000000000aa')
    expect(mpAppId('worker', {}, dotEnv)).toBe('wx00000000000000bb')
    expect(mpAppId('customer', { WECHAT_APPID: 'wx1234567890abcdef' }, dotEnv)).toBe('wx1234567890abcdef')
    expect(mpAppId('customer', {}, join(d, 'missing.env'))).toBe('')
    expect(mpAppId('admin', { WECHAT_APPID: 'wx1234567890abcdef' }, dotEnv)).toBe('')
  })

  it('refuses a malformed AppID', () => {
    expect(() => mpAppId('customer', { WECHAT_APPID: 'touristappid' }, '/nonexistent')).toThrow(/WECHAT_APPID/)
    expect(() => mpAppId('worker', { WECHAT_WORKER_APPID: 'wx123' }, '/nonexistent')).toThrow(/not a mini program AppID/)
  })

  it('writes it into the built project.config.json, and leaves uni-app\'s touristappid when unset', () => {
    const d = dir()
    const file = join(d, 'project.config.json')
    writeFileSync(file, JSON.stringify({ appid: 'touristappid', projectname: '安家', setting: { es6: true } }))
    expect(writeMpAppId(d, '')).toBe(false)
    expect(JSON.parse(readFileSync(file, 'utf8')).appid).toBe('touristappid')
    expect(writeMpAppId(d, 'wx1234567890abcdef')).toBe(true)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ appid: 'wx1234567890abcdef', projectname: '安家', setting: { es6: true } })
    expect(writeMpAppId(join(d, 'nowhere'), 'wx1234567890abcdef')).toBe(false)
  })
})
