import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createI18n } from 'vue-i18n'
import { messages } from '../i18n'
import DialogFooter from '../components/DialogFooter.vue'

function mountFooter(props: { saving: boolean; disabled?: boolean; testid?: string }) {
  const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages })
  return mount(DialogFooter, { props, global: { plugins: [ElementPlus, i18n] } })
}

describe('DialogFooter', () => {
  it('取消 emits cancel, 保存 emits save and carries the test id', async () => {
    const w = mountFooter({ saving: false, testid: 'thing-save' })
    const [cancel, save] = w.findAll('button')
    expect(cancel.text()).toBe('取消')
    expect(save.text()).toBe('保存')
    expect(save.attributes('data-testid')).toBe('thing-save')
    await cancel.trigger('click')
    await save.trigger('click')
    expect(w.emitted('cancel')).toHaveLength(1)
    expect(w.emitted('save')).toHaveLength(1)
  })

  it('保存 shows loading while saving and can be disabled; no test id unless given', () => {
    const w = mountFooter({ saving: true, disabled: true })
    const save = w.findAll('button')[1]
    expect(save.classes()).toContain('is-loading')
    expect(save.attributes('disabled')).toBeDefined()
    expect(save.attributes('data-testid')).toBeUndefined()
    expect(w.findAll('button')[0].attributes('disabled')).toBeUndefined()
  })
})
