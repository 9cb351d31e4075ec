import { CATEGORIES, type CategoryTile as CatStyle } from './categories'

/** Category name (zh, as seeded) → the home-grid style key. */
const BY_NAME: Record<string, string> = {
  日常保洁: 'daily_cleaning',
  深度保洁: 'deep_cleaning',
  家电清洗: 'appliance_cleaning',
  家居保养: 'home_care',
  保姆: 'nanny',
  月嫂: 'maternity',
  老人护理: 'elder_care',
  病人护理: 'patient_care',
}

const FALLBACK: CatStyle = { key: 'other', icon: 'app', fg: '#4d80f0', bg: '#eaf0ff' }

/** Style (wot icon + colours) for a category: by its `icon` field when it names a key or wot icon, else by name. */
export function categoryStyle(c: { name: string; icon?: string | null }, index = 0): CatStyle {
  const byKey = CATEGORIES.find((x) => x.key === c.icon || x.key === BY_NAME[c.name])
  if (byKey) return byKey
  const base = CATEGORIES[index % CATEGORIES.length] || FALLBACK
  return { ...base, key: 'other', icon: c.icon && /^[a-z-]+$/.test(c.icon) ? c.icon : base.icon }
}
