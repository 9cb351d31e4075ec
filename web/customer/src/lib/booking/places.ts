/** Address fields from a place the maps provider found (suggestion or reverse geocoding). */
export interface PlaceLike {
  title: string
  address: string
  lat: number
  lng: number
  province: string
  city: string
  district: string
}

/** What the address form takes from a place: the point and, where known, province/city/district and the street line. */
export function fieldsFromPlace(p: PlaceLike): { point: { lat: number; lng: number }; province?: string; city?: string; district?: string; detail?: string } {
  const out: ReturnType<typeof fieldsFromPlace> = { point: { lat: p.lat, lng: p.lng } }
  if (p.province) out.province = p.province
  if (p.city) out.city = p.city
  if (p.district) out.district = p.district
  // "上海市徐汇区漕溪北路88号" → what follows the district, plus the place's name when it adds something
  let street = p.address || ''
  for (const part of [p.province, p.city, p.district]) if (part && street.startsWith(part)) street = street.slice(part.length)
  const detail = street && p.title && !street.includes(p.title) ? `${street} ${p.title}` : street || p.title
  if (detail) out.detail = detail.slice(0, 120)
  return out
}

/** Run `fn` once typing has paused for `ms`; `cancel` drops a pending call. */
export function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | null = null
  const call = (...a: A) => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      fn(...a)
    }, ms)
  }
  call.cancel = () => {
    if (timer) clearTimeout(timer)
    timer = null
  }
  return call
}
