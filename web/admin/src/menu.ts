export interface MenuItem {
  key: string
  path: string
  /** i18n key of the label */
  label: string
  icon: string
  /** permission required to see the item; none = always visible */
  permission?: string
}

export const MENU: MenuItem[] = [
  { key: 'dashboard', path: '/dashboard', label: 'menu.dashboard', icon: 'Odometer' },
  { key: 'users', path: '/users', label: 'menu.users', icon: 'User', permission: 'users.read' },
  { key: 'staff', path: '/staff', label: 'menu.staff', icon: 'Avatar', permission: 'staff.read' },
  { key: 'audit', path: '/audit-logs', label: 'menu.audit', icon: 'Document', permission: 'audit.read' },
]

export interface RoleDef {
  code: string
  permissions: string[]
}

/** Union of the permissions granted by the user's roles. */
export function permissionsFor(userRoles: readonly string[], roles: readonly RoleDef[]): Set<string> {
  const perms = new Set<string>()
  for (const role of roles) {
    if (userRoles.includes(role.code)) for (const p of role.permissions) perms.add(p)
  }
  return perms
}

export function hasPermission(perms: ReadonlySet<string>, permission?: string): boolean {
  if (!permission) return true
  return perms.has(permission) || perms.has('*')
}

export function visibleMenu(items: readonly MenuItem[], perms: ReadonlySet<string>): MenuItem[] {
  return items.filter((item) => hasPermission(perms, item.permission))
}
