/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
interface ImportMetaEnv {
  readonly VITE_API_BASE?: string
}

/** The mini program's global (only referenced inside `#ifdef MP-WEIXIN`). */
declare const wx: { previewMedia(o: Record<string, unknown>): void }
