import { computed, ref } from 'vue'

/** A resend countdown (seconds). `start(60)` ticks down to 0 once a second. */
export function useCountdown() {
  const remaining = ref(0)
  let timer: ReturnType<typeof setInterval> | null = null
  const running = computed(() => remaining.value > 0)

  function stop() {
    if (timer) clearInterval(timer)
    timer = null
    remaining.value = 0
  }

  function start(seconds = 60) {
    stop()
    remaining.value = Math.max(0, Math.floor(seconds))
    if (!remaining.value) return
    timer = setInterval(() => {
      remaining.value -= 1
      if (remaining.value <= 0) stop()
    }, 1000)
  }

  return { remaining, running, start, stop }
}
