/** Service categories shown on the home page (booking pages come later). */
export interface CategoryTile {
  key: string
  icon: string
  fg: string
  bg: string
}

export const CATEGORIES: CategoryTile[] = [
  { key: 'daily_cleaning', icon: 'home', fg: '#4d80f0', bg: '#eaf0ff' },
  { key: 'deep_cleaning', icon: 'star', fg: '#7b61ff', bg: '#f0edff' },
  { key: 'appliance_cleaning', icon: 'laptop', fg: '#14a9b8', bg: '#e5f7f9' },
  { key: 'home_care', icon: 'tools', fg: '#f08c2e', bg: '#fff3e6' },
  { key: 'nanny', icon: 'user', fg: '#e8588a', bg: '#fdebf2' },
  { key: 'maternity', icon: 'heart', fg: '#f25c5c', bg: '#feecec' },
  { key: 'elder_care', icon: 'usergroup', fg: '#2f9e6e', bg: '#e7f6ef' },
  { key: 'patient_care', icon: 'service', fg: '#3a8ee6', bg: '#e8f2fd' },
]
