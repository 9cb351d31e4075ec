import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createI18n } from 'vue-i18n'
import { messages } from '../i18n'
import type { User } from '../api/types'

const patch = vi.fn()
vi.mock('../api/client', () => ({
  api: { PATCH: (...args: unknown[]) => patch(...args) },
  problemMessage: (e: { detail?: string } | undefined, fb: string) => e?.detail ?? fb,
}))
const success = vi.fn()
const error = vi.fn()
vi.mock('element-plus', async (orig) => {
  const mod = await orig<typeof import('element-plus')>()
  return { ...mod, ElMessage: { success: (m: string) => success(m), error: (m: string) => error(m) } }
})

import RoleDialog from '../components/RoleDialog.vue'

const staff: User = {
  id: 7,
  kind: 'staff',
  username: 'dispatcher1',
  nickname: '调度员一',
  roles: ['dispatcher'],
  is_active: true,
  created_at: '2026-01-01T00:00:00Z',
} as User

function mountDialog() {
  const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages })
  return mount(RoleDialog, {
    props: { modelValue: true, staff },
    global: { plugins: [ElementPlus, i18n] },
    attachTo: document.body,
  })
}

describe('RoleDialog', () => {
  beforeEach(() => {
    patch.mockReset()
    success.mockReset()
    error.mockReset()
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('shows the title, the five Chinese role labels and the current roles checked', async () => {
    const w = mountDialog()
    await flushPromises()
    const dialog = document.body.querySelector('[data-testid="role-dialog"]') as HTMLElement
    expect(dialog).toBeTruthy()
    expect(dialog.textContent).toContain('编辑角色')
    const labels = [...dialog.querySelectorAll('.el-checkbox')].map((el) => el.textContent?.trim())
    expect(labels).toEqual(['管理员', '调度', '财务', '客服', '运营', '审计'])
    const checked = [...dialog.querySelectorAll<HTMLInputElement>('.el-checkbox input')].filter((i) => i.checked)
    expect(checked.map((i) => i.value)).toEqual(['dispatcher'])
    w.unmount()
  })

  it('saves the selected roles with PATCH, toasts 已保存 and emits the updated user', async () => {
    patch.mockResolvedValue({ data: { ...staff, roles: ['dispatcher', 'finance'] } })
    const w = mountDialog()
    await flushPromises()
    const dialog = document.body.querySelector('[data-testid="role-dialog"]') as HTMLElement
    const finance = [...dialog.querySelectorAll<HTMLInputElement>('.el-checkbox input')].find((i) => i.value === 'finance')!
    finance.click()
    await flushPromises()
    const save = [...dialog.querySelectorAll('button')].find((b) => b.textContent?.trim() === '保存')!
    save.click()
    await flushPromises()

    expect(patch).toHaveBeenCalledWith('/api/v1/admin/staff/{staff_id}', {
      params: { path: { staff_id: 7 } },
      body: { roles: ['dispatcher', 'finance'] },
    })
    expect(success).toHaveBeenCalledWith('已保存')
    expect(w.emitted('saved')?.[0]?.[0]).toMatchObject({ id: 7, roles: ['dispatcher', 'finance'] })
    expect(w.emitted('update:modelValue')?.[0]).toEqual([false])
    w.unmount()
  })

  it('shows the problem detail and stays open when the PATCH fails', async () => {
    patch.mockResolvedValue({ error: { code: 'forbidden', detail: '没有权限' } })
    const w = mountDialog()
    await flushPromises()
    const save = [...document.body.querySelectorAll('[data-testid="role-dialog"] button')].find((b) => b.textContent?.trim() === '保存') as HTMLButtonElement
    save.click()
    await flushPromises()
    expect(error).toHaveBeenCalledWith('没有权限')
    expect(success).not.toHaveBeenCalled()
    expect(w.emitted('update:modelValue')).toBeUndefined()
    w.unmount()
  })
})
