import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createI18n } from 'vue-i18n'
import { messages } from '../i18n'

vi.mock('../api/client', () => ({
  problemMessage: (e: { detail?: string } | undefined, fb: string) => e?.detail ?? fb,
}))

import { useList, type ListResult } from '../useList'
import PagedList from '../components/PagedList.vue'

type Row = { id: number }
type Fetcher = (page: number, pageSize: number) => Promise<ListResult<Row>>

describe('useList', () => {
  it('loads items and total for the current page and size', async () => {
    const fetcher = vi.fn<Parameters<Fetcher>, ReturnType<Fetcher>>(async () => ({ data: { items: [{ id: 1 }], total: 31 } }))
    const list = useList<Row>(fetcher, () => 'fallback')
    list.page.value = 2
    list.pageSize.value = 10
    await list.load()
    expect(fetcher).toHaveBeenCalledWith(2, 10)
    expect(list.items.value).toEqual([{ id: 1 }])
    expect(list.total.value).toBe(31)
    expect(list.loading.value).toBe(false)
    expect(list.error.value).toBe('')
  })

  it('search goes back to page 1', async () => {
    const fetcher = vi.fn<Parameters<Fetcher>, ReturnType<Fetcher>>(async () => ({ data: { items: [], total: 0 } }))
    const list = useList<Row>(fetcher, () => 'fallback')
    list.page.value = 3
    await list.search()
    expect(list.page.value).toBe(1)
    expect(fetcher).toHaveBeenLastCalledWith(1, 20)
  })

  it('an API error clears the rows and keeps the problem detail; a throw uses the fallback', async () => {
    const fetcher = vi.fn<Parameters<Fetcher>, ReturnType<Fetcher>>(async () => ({ data: { items: [{ id: 1 }], total: 1 } }))
    const list = useList<Row>(fetcher, () => 'fallback')
    await list.load()
    fetcher.mockResolvedValueOnce({ error: { detail: '没有权限' } })
    await list.load()
    expect(list.error.value).toBe('没有权限')
    expect(list.items.value).toEqual([])
    expect(list.total.value).toBe(0)
    fetcher.mockRejectedValueOnce(new TypeError('network'))
    await list.load()
    expect(list.error.value).toBe('fallback')
    expect(list.loading.value).toBe(false)
  })

  it('drops a slower, older response', async () => {
    let resolveFirst: (r: ListResult<Row>) => void = () => {}
    const fetcher = vi
      .fn<Parameters<Fetcher>, ReturnType<Fetcher>>()
      .mockImplementationOnce(() => new Promise((r) => (resolveFirst = r)))
      .mockResolvedValueOnce({ data: { items: [{ id: 2 }], total: 1 } })
    const list = useList<Row>(fetcher, () => 'fallback')
    const first = list.load()
    await list.load()
    resolveFirst({ data: { items: [{ id: 1 }], total: 1 } })
    await first
    expect(list.items.value).toEqual([{ id: 2 }])
  })

  it('replace swaps matching rows', async () => {
    const list = useList<Row & { n?: number }>(async () => ({ data: { items: [{ id: 1 }, { id: 2 }], total: 2 } }), () => '')
    await list.load()
    list.replace((r) => r.id === 2, { id: 2, n: 5 })
    expect(list.items.value).toEqual([{ id: 1 }, { id: 2, n: 5 }])
  })
})

describe('PagedList', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  function mountList(fetcher: Fetcher, jumper = false) {
    const Host = defineComponent({
      setup() {
        const list = useList<Row>(fetcher, () => '加载失败')
        return { list }
      },
      render() {
        return h(PagedList, { list: this.list, jumper }, () =>
          h('ul', { 'data-testid': 'rows' }, this.list.items.value.map((r: Row) => h('li', String(r.id)))),
        )
      },
    })
    const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages })
    return mount(Host, { global: { plugins: [ElementPlus, i18n] }, attachTo: document.body })
  }

  it('shows the rows and the pager (with or without the jumper)', async () => {
    const w = mountList(async () => ({ data: { items: [{ id: 1 }, { id: 2 }], total: 42 } }))
    await (w.vm as unknown as { list: { load: () => Promise<void> } }).list.load()
    await flushPromises()
    expect(w.findAll('[data-testid=rows] li').map((li) => li.text())).toEqual(['1', '2'])
    expect(w.find('.pager .el-pagination').exists()).toBe(true)
    expect(w.find('.el-pagination__total').text()).toContain('42')
    expect(w.find('.el-pagination__jump').exists()).toBe(false)
    expect(w.find('[data-testid=list-error]').exists()).toBe(false)

    const j = mountList(async () => ({ data: { items: [], total: 42 } }), true)
    await flushPromises()
    expect(j.find('.el-pagination__jump').exists()).toBe(true)
  })

  it('on error shows 加载失败 with 重试 instead of the rows; 重试 loads again', async () => {
    const fetcher = vi
      .fn<Parameters<Fetcher>, ReturnType<Fetcher>>()
      .mockResolvedValueOnce({ error: { detail: '服务器错误' } })
      .mockResolvedValueOnce({ data: { items: [{ id: 3 }], total: 1 } })
    const w = mountList(fetcher)
    await (w.vm as unknown as { list: { load: () => Promise<void> } }).list.load()
    await flushPromises()
    const box = w.find('[data-testid=list-error]')
    expect(box.exists()).toBe(true)
    expect(box.text()).toContain('加载失败')
    expect(box.text()).toContain('服务器错误')
    expect(w.find('[data-testid=rows]').exists()).toBe(false)
    expect(w.find('.pager').exists()).toBe(false)
    const retry = box.findAll('button').find((b) => b.text() === '重试')!
    await retry.trigger('click')
    await flushPromises()
    expect(fetcher).toHaveBeenCalledTimes(2)
    expect(w.find('[data-testid=list-error]').exists()).toBe(false)
    expect(w.findAll('[data-testid=rows] li').map((li) => li.text())).toEqual(['3'])
  })

  it('paging loads that page; changing the page size goes back to page 1', async () => {
    const fetcher = vi.fn<Parameters<Fetcher>, ReturnType<Fetcher>>(async () => ({ data: { items: [], total: 500 } }))
    const w = mountList(fetcher)
    const list = (w.vm as unknown as { list: ReturnType<typeof useList<Row>> }).list
    list.page.value = 3
    await list.load()
    await flushPromises()
    const pager = w.findComponent({ name: 'ElPagination' })
    pager.vm.$emit('update:page-size', 50)
    pager.vm.$emit('size-change', 50)
    await flushPromises()
    expect(list.page.value).toBe(1)
    expect(fetcher).toHaveBeenLastCalledWith(1, 50)
    pager.vm.$emit('update:current-page', 4)
    pager.vm.$emit('current-change', 4)
    await flushPromises()
    expect(fetcher).toHaveBeenLastCalledWith(4, 50)
  })
})
