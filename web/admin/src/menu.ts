export interface MenuItem {
  key: string
  path: string
  /** i18n key of the label */
  label: string
  icon: string
  /** permission required to see the item; none = always visible */
  permission?: string
  /** menu group (i18n key under menuGroup); none = top level */
  group?: MenuGroupKey
}

export type MenuGroupKey = 'ops' | 'finance' | 'config' | 'system'
export const MENU_GROUPS: MenuGroupKey[] = ['ops', 'finance', 'config', 'system']

export const MENU: MenuItem[] = [
  { key: 'dashboard', path: '/dashboard', label: 'menu.dashboard', icon: 'Odometer' },
  { key: 'orders', path: '/orders', label: 'menu.orders', icon: 'Tickets', permission: 'orders.read', group: 'ops' },
  { key: 'scheduleChanges', path: '/schedule-changes', label: 'menu.scheduleChanges', icon: 'Clock', permission: 'orders.read', group: 'ops' },
  { key: 'live', path: '/live', label: 'menu.live', icon: 'Monitor', permission: 'orders.read', group: 'ops' },
  { key: 'customers', path: '/customers', label: 'menu.customers', icon: 'UserFilled', permission: 'customers.read', group: 'ops' },
  { key: 'campaigns', path: '/campaigns', label: 'menu.campaigns', icon: 'Promotion', permission: 'campaigns.read', group: 'ops' },
  { key: 'coupons', path: '/coupons', label: 'menu.coupons', icon: 'Ticket', permission: 'coupons.read', group: 'ops' },
  { key: 'workers', path: '/workers', label: 'menu.workers', icon: 'Suitcase', permission: 'workers.write', group: 'ops' },
  { key: 'tickets', path: '/support/tickets', label: 'menu.tickets', icon: 'ChatLineSquare', permission: 'support.read', group: 'ops' },
  { key: 'supportAnalysis', path: '/support/analysis', label: 'menu.supportAnalysis', icon: 'PieChart', permission: 'support.read', group: 'ops' },
  { key: 'workerReview', path: '/worker-review', label: 'menu.workerReview', icon: 'Stamp', permission: 'workers.write', group: 'ops' },
  { key: 'reviews', path: '/reviews', label: 'menu.reviews', icon: 'Star', permission: 'reviews.read', group: 'ops' },
  { key: 'performance', path: '/performance', label: 'menu.performance', icon: 'Trophy', permission: 'performance.read', group: 'ops' },
  { key: 'financeOverview', path: '/finance/overview', label: 'menu.financeOverview', icon: 'DataLine', permission: 'finance.read', group: 'finance' },
  { key: 'payments', path: '/finance/payments', label: 'menu.payments', icon: 'Wallet', permission: 'finance.read', group: 'finance' },
  { key: 'refunds', path: '/finance/refunds', label: 'menu.refunds', icon: 'RefreshLeft', permission: 'finance.read', group: 'finance' },
  { key: 'paymentIssues', path: '/finance/issues', label: 'menu.paymentIssues', icon: 'Warning', permission: 'finance.read', group: 'finance' },
  { key: 'statements', path: '/finance/statements', label: 'menu.statements', icon: 'Tickets', permission: 'finance.read', group: 'finance' },
  { key: 'withdrawals', path: '/finance/withdrawals', label: 'menu.withdrawals', icon: 'Money', permission: 'finance.read', group: 'finance' },
  { key: 'commission', path: '/finance/commission', label: 'menu.commission', icon: 'Discount', permission: 'finance.read', group: 'finance' },
  { key: 'reconciliation', path: '/finance/reconciliation', label: 'menu.reconciliation', icon: 'Finished', permission: 'finance.read', group: 'finance' },
  { key: 'reports', path: '/finance/reports', label: 'menu.reports', icon: 'TrendCharts', permission: 'finance.read', group: 'finance' },
  { key: 'catalog', path: '/catalog', label: 'menu.catalog', icon: 'Menu', permission: 'catalog.write', group: 'config' },
  { key: 'regions', path: '/regions', label: 'menu.regions', icon: 'Location', permission: 'regions.write', group: 'config' },
  { key: 'rules', path: '/booking-rules', label: 'menu.rules', icon: 'Calendar', permission: 'rules.write', group: 'config' },
  { key: 'users', path: '/users', label: 'menu.users', icon: 'User', permission: 'users.read', group: 'system' },
  { key: 'staff', path: '/staff', label: 'menu.staff', icon: 'Avatar', permission: 'staff.read', group: 'system' },
  { key: 'audit', path: '/audit-logs', label: 'menu.audit', icon: 'Document', permission: 'audit.read', group: 'system' },
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

/** The menu entry a route belongs to: the item whose path is the route's path or a prefix of it. */
export function activeMenuPath(path: string, items: readonly MenuItem[] = MENU): string {
  const hit = items.filter((i) => path === i.path || path.startsWith(i.path + '/')).sort((a, b) => b.path.length - a.path.length)[0]
  return hit?.path ?? '/' + (path.split('/')[1] ?? '')
}

export function hasPermission(perms: ReadonlySet<string>, permission?: string): boolean {
  if (!permission) return true
  return perms.has(permission) || perms.has('*')
}

export function visibleMenu(items: readonly MenuItem[], perms: ReadonlySet<string>): MenuItem[] {
  return items.filter((item) => hasPermission(perms, item.permission))
}

export interface MenuSection {
  /** undefined = ungrouped top-level items */
  group?: MenuGroupKey
  items: MenuItem[]
}

/** Visible items in sections: top-level items first, then each non-empty group in MENU_GROUPS order. */
export function menuSections(items: readonly MenuItem[], perms: ReadonlySet<string>): MenuSection[] {
  const visible = visibleMenu(items, perms)
  const sections: MenuSection[] = []
  const top = visible.filter((i) => !i.group)
  if (top.length) sections.push({ items: top })
  for (const group of MENU_GROUPS) {
    const inGroup = visible.filter((i) => i.group === group)
    if (inGroup.length) sections.push({ group, items: inGroup })
  }
  return sections
}
