/** The page's localised title: set on load and again once the page is ready (H5 applies the pages.json title after onLoad). */
import { onReady } from '@dcloudio/uni-app'

export function usePageTitle(): (title: string) => void {
  let titleText = ''
  onReady(() => titleText && uni.setNavigationBarTitle({ title: titleText }))
  return (title: string) => {
    titleText = title
    uni.setNavigationBarTitle({ title })
  }
}
