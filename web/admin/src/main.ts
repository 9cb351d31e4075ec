import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import * as Icons from '@element-plus/icons-vue'
import App from './App.vue'
import { i18n, currentLocale } from './i18n'
import { router } from './router'
import { onSessionExpired, setLanguageGetter } from './api/client'
import { useAuthStore } from './stores/auth'
import './styles.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia).use(i18n).use(router).use(ElementPlus)
for (const [name, comp] of Object.entries(Icons)) app.component(name, comp)

setLanguageGetter(() => currentLocale())
document.documentElement.lang = currentLocale()
onSessionExpired(() => {
  useAuthStore(pinia).clear()
  if (router.currentRoute.value.name !== 'login') {
    void router.replace({ path: '/login', query: { expired: '1' } })
  }
})

app.mount('#app')
