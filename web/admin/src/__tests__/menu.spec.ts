import { describe, expect, it } from 'vitest'
import { MENU, hasPermission, permissionsFor, visibleMenu } from '../menu'

const roles = [
  { code: 'admin', permissions: ['users.read', 'staff.read', 'staff.write', 'audit.read'] },
  { code: 'dispatcher', permissions: ['users.read', 'orders.read'] },
  { code: 'auditor', permissions: ['audit.read'] },
]
const keys = (userRoles: string[]) => visibleMenu(MENU, permissionsFor(userRoles, roles)).map((m) => m.key)

describe('permission → menu filtering', () => {
  it('admin sees every item', () => {
    expect(keys(['admin'])).toEqual(['dashboard', 'users', 'staff', 'audit'])
  })
  it('dispatcher sees dashboard and users only', () => {
    expect(keys(['dispatcher'])).toEqual(['dashboard', 'users'])
  })
  it('combines permissions of several roles', () => {
    expect(keys(['dispatcher', 'auditor'])).toEqual(['dashboard', 'users', 'audit'])
  })
  it('no roles or unknown roles → dashboard only', () => {
    expect(keys([])).toEqual(['dashboard'])
    expect(keys(['nobody'])).toEqual(['dashboard'])
  })
  it('no role table (roles endpoint forbidden) → dashboard only', () => {
    expect(visibleMenu(MENU, permissionsFor(['admin'], [])).map((m) => m.key)).toEqual(['dashboard'])
  })
  it('hasPermission treats a missing permission as public', () => {
    expect(hasPermission(new Set(), undefined)).toBe(true)
    expect(hasPermission(new Set(['a']), 'b')).toBe(false)
  })
})
