import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, problemMessage, tokenStore } from '../api/client'
import type { Role, User } from '../api/types'
import { hasPermission, permissionsFor } from '../menu'
import { bookingApi } from '../booking/api'

const USER_KEY = 'anjia.admin.user'

function cachedUser(): User | null {
  try {
    const raw = localStorage.getItem(USER_KEY)
    return raw ? (JSON.parse(raw) as User) : null
  } catch {
    return null
  }
}

export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(tokenStore.get() ? cachedUser() : null)
  const roleDefs = ref<Role[]>([])
  /** Permissions confirmed by probing list endpoints when the role table itself is not readable. */
  const probedPerms = ref<string[]>([])
  const ready = ref(false)

  const isLoggedIn = computed(() => !!user.value && !!tokenStore.get())
  const permissions = computed(() => {
    const perms = permissionsFor(user.value?.roles ?? [], roleDefs.value)
    for (const p of probedPerms.value) perms.add(p)
    // what the server says the roles grant (roles such as finance cannot read the role table)
    for (const p of user.value?.permissions ?? []) perms.add(p)
    return perms
  })
  const displayName = computed(() => user.value?.nickname || user.value?.username || '')

  function can(permission?: string) {
    return hasPermission(permissions.value, permission)
  }

  function setUser(u: User | null) {
    user.value = u
    if (u) localStorage.setItem(USER_KEY, JSON.stringify(u))
    else localStorage.removeItem(USER_KEY)
  }

  async function loadRoles() {
    // Needs staff.read; without it the menu falls back to the permission-free items.
    const { data, response } = await api.GET('/api/v1/admin/roles')
    roleDefs.value = data ?? []
    probedPerms.value = []
    if (!data && response.status === 403) {
      // Roles such as finance/support can't read the role table (staff.read);
      // ask the server directly which read-only lists they may open.
      const one = { page: 1, page_size: 1 }
      const probes: [string, Promise<{ response?: Response }>][] = [
        ['users.read', api.GET('/api/v1/admin/users', { params: { query: one } })],
        ['audit.read', api.GET('/api/v1/admin/audit-logs', { params: { query: one } })],
        // Only read permissions can be probed safely; write permissions come from the role table.
        ['orders.read', bookingApi.listOrders(one)],
      ]
      const granted = await Promise.all(
        probes.map(async ([perm, req]) => {
          try {
            return (await req).response?.ok ? perm : null
          } catch {
            return null
          }
        }),
      )
      probedPerms.value = granted.filter((p): p is string => !!p)
    }
  }

  async function login(account: string, password: string, fallbackError: string) {
    const { data, error } = await api.POST('/api/v1/auth/login/password', {
      body: { account, password, app: 'admin' },
    })
    if (!data) throw new Error(problemMessage(error, fallbackError))
    tokenStore.set(data)
    setUser(data.user)
    await loadRoles()
    ready.value = true
  }

  /** Load the signed-in user and the role table once per page load. */
  async function bootstrap() {
    if (ready.value || !tokenStore.get()) return
    const { data } = await api.GET('/api/v1/me')
    if (!data) {
      clear()
      return
    }
    setUser(data)
    await loadRoles()
    ready.value = true
  }

  function clear() {
    tokenStore.set(null)
    setUser(null)
    roleDefs.value = []
    probedPerms.value = []
    ready.value = false
  }

  async function logout() {
    const tokens = tokenStore.get()
    if (tokens) {
      try {
        await api.POST('/api/v1/auth/logout', { body: { refresh_token: tokens.refresh_token } })
      } catch {
        /* sign out locally anyway */
      }
    }
    clear()
  }

  return { user, roleDefs, ready, isLoggedIn, permissions, displayName, can, setUser, login, bootstrap, clear, logout, loadRoles }
})
