/** The worker's file and the certificate kinds, loaded together for the sign-up pages. */
import { ref } from 'vue'
import { locale } from '@anjia/shared/src/i18n'
import { usePageState } from '@anjia/shared/src/uni/usePageState'
import { signupApi, type CertificateKind, type CertificateKindInfo, type WorkerFile } from './api'

export function useWorkerFile() {
  const file = ref<WorkerFile | null>(null)
  const kinds = ref<CertificateKindInfo[]>([])
  const page = usePageState()

  /** `keep`: reload quietly (after a save) instead of showing the spinner. */
  async function reload(keep = false) {
    await page.load(async () => {
      const [f, k] = await Promise.all([signupApi.file(), kinds.value.length ? kinds.value : signupApi.kinds()])
      file.value = f
      kinds.value = k
    }, { keep })
  }

  function kindLabel(kind: CertificateKind | string): string {
    const k = kinds.value.find((x) => x.kind === kind)
    if (!k) return kind
    return locale.value === 'en' ? k.label_en : k.label
  }

  /** The kinds the declared skills need (every skill needs the `*` ones). */
  function neededKinds(skills: readonly string[]): CertificateKind[] {
    return kinds.value.filter((k) => k.required_for.some((s) => s === '*' || skills.includes(s))).map((k) => k.kind)
  }

  return { file, kinds, ...page, reload, kindLabel, neededKinds }
}
