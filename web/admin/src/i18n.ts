import { createI18n } from 'vue-i18n'
import { bookingEn, bookingZh } from './booking/messages'
import { liveEn, liveZh } from './live/messages'
import { fieldworkEn, fieldworkZh } from './fieldwork/messages'
import { financeEn, financeZh } from './finance/messages'
import { reviewsEn, reviewsZh } from './reviews/messages'
import { couponsEn, couponsZh } from './coupons/messages'
import { customersEn, customersZh } from './customers/messages'
import { supportEn, supportZh } from './support/messages'
import { performanceEn, performanceZh } from './performance/messages'
import { workforceEn, workforceZh } from './workforce/messages'
import { statsEn, statsZh } from './stats/messages'

export const ROLE_CODES = ['admin', 'dispatcher', 'finance', 'support', 'marketing', 'auditor'] as const

const zhCN = {
  app: { title: '安家运营后台', logo: '安家 anjia', subtitle: '家政服务平台 · 运营管理' },
  login: {
    username: '用户名',
    password: '密码',
    submit: '登录',
    required: '请输入用户名和密码',
    failed: '登录失败',
    hint: '演示账号 admin / admin123',
  },
  menu: {
    dashboard: '工作台',
    users: '用户管理',
    staff: '员工与角色',
    audit: '审计日志',
    orders: '订单管理',
    live: '实时监控',
    scheduleChanges: '改期审批',
    reviews: '服务评价',
    performance: '绩效',
    workers: '服务人员',
    workerReview: '入驻审核',
    coupons: '优惠券',
    customers: '客户',
    campaigns: '营销活动',
    catalog: '服务目录',
    regions: '服务区域',
    rules: '预约规则',
    financeOverview: '财务概览',
    payments: '支付流水',
    refunds: '退款',
    paymentIssues: '支付异常',
    statements: '结算单',
    withdrawals: '提现申请',
    commission: '佣金规则',
    reconciliation: '对账',
    reports: '财务报表',
    tickets: '工单',
    supportAnalysis: '投诉分析',
  },
  header: {
    logout: '退出登录',
    logoutConfirm: '确定要退出登录吗？',
    logoutTitle: '提示',
    collapse: '折叠菜单',
    expand: '展开菜单',
    expired: '登录已过期，请重新登录',
  },
  common: {
    confirm: '确定',
    cancel: '取消',
    save: '保存',
    saved: '已保存',
    retry: '重试',
    search: '搜索',
    empty: '暂无数据',
    loadFailed: '加载失败',
    actions: '操作',
    createdAt: '创建时间',
    yes: '是',
    no: '否',
  },
  roles: { admin: '管理员', dispatcher: '调度', finance: '财务', support: '客服', marketing: '运营', auditor: '审计' },
  kind: { all: '全部', customer: '客户', worker: '服务人员', staff: '员工' },
  dashboard: {
    welcome: '欢迎回来，{name}',
    rolesLabel: '角色',
    noRoles: '无角色',
    customers: '客户',
    workers: '服务人员',
    staff: '员工',
    noPermission: '无权限',
  },
  users: {
    searchPlaceholder: '手机号 / 邮箱 / 昵称',
    id: 'ID',
    kind: '类型',
    nickname: '昵称',
    phone: '手机号',
    email: '邮箱',
    active: '状态',
    enabled: '正常',
    disabled: '已停用',
  },
  staff: {
    searchPlaceholder: '用户名 / 昵称',
    create: '新建员工',
    username: '用户名',
    nickname: '昵称',
    password: '密码',
    roles: '角色',
    active: '启用',
    editRoles: '编辑角色',
    created: '员工已创建',
    deactivateConfirm: '确定停用员工 {name} 吗？停用后该账号将无法登录。',
    activateConfirm: '确定启用员工 {name} 吗？',
    confirmTitle: '确认',
    usernameRequired: '请输入用户名',
    passwordRequired: '请输入至少 8 位密码',
    rolesRequired: '请至少选择一个角色',
  },
  audit: {
    actor: '操作人',
    action: '操作',
    target: '对象',
    time: '时间',
    before: '变更前',
    after: '变更后',
  },
  ...bookingZh,
  ...liveZh,
  ...fieldworkZh,
  ...financeZh,
  ...reviewsZh,
  ...couponsZh,
  ...customersZh,
  ...supportZh,
  ...performanceZh,
  ...statsZh,
  ...workforceZh,
}

const en: typeof zhCN = {
  app: { title: 'Anjia Admin Console', logo: '安家 anjia', subtitle: 'Home services platform · Operations' },
  login: {
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    required: 'Enter username and password',
    failed: 'Sign-in failed',
    hint: 'Demo account admin / admin123',
  },
  menu: {
    dashboard: 'Dashboard',
    users: 'Users',
    staff: 'Staff & roles',
    audit: 'Audit log',
    orders: 'Orders',
    live: 'Live monitor',
    scheduleChanges: 'Reschedules',
    reviews: 'Reviews',
    performance: 'Performance',
    workers: 'Workers',
    workerReview: 'Sign-up review',
    coupons: 'Coupons',
    customers: 'Customers',
    campaigns: 'Campaigns',
    catalog: 'Service catalog',
    regions: 'Service regions',
    rules: 'Booking rules',
    financeOverview: 'Finance overview',
    payments: 'Payments',
    refunds: 'Refunds',
    paymentIssues: 'Payment issues',
    statements: 'Statements',
    withdrawals: 'Withdrawals',
    commission: 'Commission rules',
    reconciliation: 'Reconciliation',
    reports: 'Finance reports',
    tickets: 'Tickets',
    supportAnalysis: 'Complaint analysis',
  },
  header: {
    logout: 'Sign out',
    logoutConfirm: 'Sign out now?',
    logoutTitle: 'Notice',
    collapse: 'Collapse menu',
    expand: 'Expand menu',
    expired: 'Your session has expired, please sign in again',
  },
  common: {
    confirm: 'OK',
    cancel: 'Cancel',
    save: 'Save',
    saved: 'Saved',
    retry: 'Retry',
    search: 'Search',
    empty: 'No data',
    loadFailed: 'Failed to load',
    actions: 'Actions',
    createdAt: 'Created at',
    yes: 'Yes',
    no: 'No',
  },
  roles: { admin: 'Administrator', dispatcher: 'Dispatcher', finance: 'Finance', support: 'Support', marketing: 'Marketing', auditor: 'Auditor' },
  kind: { all: 'All', customer: 'Customers', worker: 'Workers', staff: 'Staff' },
  dashboard: {
    welcome: 'Welcome back, {name}',
    rolesLabel: 'Roles',
    noRoles: 'No roles',
    customers: 'Customers',
    workers: 'Workers',
    staff: 'Staff',
    noPermission: 'No permission',
  },
  users: {
    searchPlaceholder: 'Phone / email / nickname',
    id: 'ID',
    kind: 'Type',
    nickname: 'Nickname',
    phone: 'Phone',
    email: 'Email',
    active: 'Status',
    enabled: 'Active',
    disabled: 'Disabled',
  },
  staff: {
    searchPlaceholder: 'Username / nickname',
    create: 'New staff',
    username: 'Username',
    nickname: 'Nickname',
    password: 'Password',
    roles: 'Roles',
    active: 'Active',
    editRoles: 'Edit roles',
    created: 'Staff member created',
    deactivateConfirm: 'Deactivate {name}? The account will no longer be able to sign in.',
    activateConfirm: 'Activate {name}?',
    confirmTitle: 'Confirm',
    usernameRequired: 'Enter a username',
    passwordRequired: 'Enter a password of at least 8 characters',
    rolesRequired: 'Select at least one role',
  },
  audit: {
    actor: 'Actor',
    action: 'Action',
    target: 'Target',
    time: 'Time',
    before: 'Before',
    after: 'After',
  },
  ...bookingEn,
  ...liveEn,
  ...fieldworkEn,
  ...financeEn,
  ...reviewsEn,
  ...workforceEn,
  ...couponsEn,
  ...customersEn,
  ...supportEn,
  ...performanceEn,
  ...statsEn,
}

export type Locale = 'zh-CN' | 'en'
const LOCALE_KEY = 'anjia.admin.locale'

function initialLocale(): Locale {
  try {
    return localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

export const messages = { 'zh-CN': zhCN, en }

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages,
})

export function setLocale(locale: Locale) {
  i18n.global.locale.value = locale
  try {
    localStorage.setItem(LOCALE_KEY, locale)
  } catch {
    /* ignore */
  }
  document.documentElement.lang = locale
}

export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale
}
