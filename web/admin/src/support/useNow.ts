import { onMounted, onUnmounted, ref } from 'vue'

/** The current time in ms, ticking every `everyMs` while the component lives (SLA countdowns). */
export function useNow(everyMs = 30_000) {
  const now = ref(Date.now())
  let timer: ReturnType<typeof setInterval> | null = null
  onMounted(() => (timer = setInterval(() => (now.value = Date.now()), everyMs)))
  onUnmounted(() => timer && clearInterval(timer))
  return now
}
