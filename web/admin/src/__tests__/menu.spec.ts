import { describe, expect, it } from 'vitest'
import { MENU, hasPermission, menuSections, permissionsFor, visibleMenu } from '../menu'

const roles = [
  {
    code: 'admin',
    permissions: [
      'users.read', 'staff.read', 'staff.write', 'audit.read',
      'catalog.write', 'regions.write', 'rules.write', 'orders.read', 'orders.write', 'workers.write',
    ],
  },
  { code: 'dispatcher', permissions: ['users.read', 'orders.read', 'orders.write', 'workers.write'] },
  { code: 'support', permissions: ['users.read', 'orders.read'] },
  { code: 'auditor', permissions: ['audit.read'] },
]
const keys = (userRoles: string[]) => visibleMenu(MENU, permissionsFor(userRoles, roles)).map((m) => m.key)

describe('permission → menu filtering', () => {
  it('admin sees every item', () => {
    expect(keys(['admin'])).toEqual(['dashboard', 'orders', 'scheduleChanges', 'live', 'workers', 'workerReview', 'catalog', 'regions', 'rules', 'users', 'staff', 'audit'])
  })
  it('"*" grants everything', () => {
    expect(visibleMenu(MENU, new Set(['*'])).length).toBe(MENU.length)
  })
  it('dispatcher sees orders, 实时监控 and workers but no catalog, regions or rules', () => {
    expect(keys(['dispatcher'])).toEqual(['dashboard', 'orders', 'scheduleChanges', 'live', 'workers', 'workerReview', 'users'])
  })
  it('support sees orders only among the booking pages', () => {
    expect(keys(['support'])).toEqual(['dashboard', 'orders', 'scheduleChanges', 'live', 'users'])
  })
  it('combines permissions of several roles', () => {
    expect(keys(['dispatcher', 'auditor'])).toEqual(['dashboard', 'orders', 'scheduleChanges', 'live', 'workers', 'workerReview', 'users', 'audit'])
  })
  it('groups visible items: top level, then 预约业务 / 服务配置 / 系统管理, skipping empty groups', () => {
    const perms = permissionsFor(['support'], roles)
    const sections = menuSections(MENU, perms)
    expect(sections.map((s) => s.group ?? 'top')).toEqual(['top', 'ops', 'system'])
    expect(sections[1].items.map((i) => i.key)).toEqual(['orders', 'scheduleChanges', 'live'])
    const all = menuSections(MENU, permissionsFor(['admin'], roles))
    expect(all.map((s) => s.group ?? 'top')).toEqual(['top', 'ops', 'config', 'system'])
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
