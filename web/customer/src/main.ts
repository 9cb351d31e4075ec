import { createSSRApp } from 'vue'
import { initSession } from '@anjia/shared/src/uni/session'
import App from './App.vue'
import { API_BASE, APP, HOME_PAGE } from './config'

initSession({ app: APP, baseUrl: API_BASE, homePage: HOME_PAGE })

export function createApp() {
  const app = createSSRApp(App)
  return { app }
}
