/**
 * Worker-app strings of the main package (我的 entries, weekdays, 日程 overlay), merged into the shared dictionaries on import (t() then finds them).
 * Import once for its side effect: `import '@anjia/shared/src/worker/i18n'`.
 */
import { messages } from '../i18n'

const zh = {
  'work.section': '工作设置',
  'work.hours': '工作时间',
  'work.leaves': '请假',
  'work.area': '服务范围',
  'wday.0': '周一',
  'wday.1': '周二',
  'wday.2': '周三',
  'wday.3': '周四',
  'wday.4': '周五',
  'wday.5': '周六',
  'wday.6': '周日',
  'skill.cleaning': '保洁',
  'skill.appliance': '家电清洗',
  'skill.home_care': '家居保养',
  'skill.nanny': '保姆',
  'skill.maternity': '月嫂',
  'skill.elderly_care': '老人护理',
  'skill.patient_care': '病人护理',
  'schedule.hoursToday': '今日工作时间',
  'schedule.hoursDay': '当日工作时间',
  'schedule.rest': '休息',
  'schedule.onLeave': '请假中',
  'schedule.leavePart': '请假 {range}',
  'schedule.editHours': '设置',
  'schedule.hoursFailed': '工作时间加载失败',
  'offers.title': '可接订单',
  'offers.live': '实时更新',
  'offers.offline': '重新连接中',
  'offers.loadFailed': '订单加载失败',
  'offers.emptyHint': '新订单会自动出现在这里',
  'offers.offlineNote': '您正在休息，开启接单后才能接新单',
  'offer.pay': '预计收入',
  'offer.expiresIn': '{time} 后失效',
  'offer.expired': '已失效',
  'offer.minutes': '{n}分钟',
  'offer.round': '第{n}轮',
  'orders.day': '当日订单',
  'orders.loadFailed': '订单加载失败',
} as const

export type WorkerMessageKey = keyof typeof zh

const en: Record<WorkerMessageKey, string> = {
  'work.section': 'Work settings',
  'work.hours': 'Working hours',
  'work.leaves': 'Time off',
  'work.area': 'Service area',
  'wday.0': 'Mon',
  'wday.1': 'Tue',
  'wday.2': 'Wed',
  'wday.3': 'Thu',
  'wday.4': 'Fri',
  'wday.5': 'Sat',
  'wday.6': 'Sun',
  'skill.cleaning': 'Cleaning',
  'skill.appliance': 'Appliances',
  'skill.home_care': 'Home care',
  'skill.nanny': 'Nanny',
  'skill.maternity': 'Maternity',
  'skill.elderly_care': 'Elder care',
  'skill.patient_care': 'Patient care',
  'schedule.hoursToday': 'Hours today',
  'schedule.hoursDay': 'Working hours',
  'schedule.rest': 'Day off',
  'schedule.onLeave': 'On leave',
  'schedule.leavePart': 'Time off {range}',
  'schedule.editHours': 'Edit',
  'schedule.hoursFailed': 'Could not load working hours',
  'offers.title': 'Open offers',
  'offers.live': 'Live',
  'offers.offline': 'Reconnecting',
  'offers.loadFailed': 'Could not load offers',
  'offers.emptyHint': 'New offers show up here automatically',
  'offers.offlineNote': 'You are offline; go online to take new orders',
  'offer.pay': 'Expected pay',
  'offer.expiresIn': 'Expires in {time}',
  'offer.expired': 'Expired',
  'offer.minutes': '{n} min',
  'offer.round': 'Round {n}',
  'orders.day': 'Orders this day',
  'orders.loadFailed': 'Could not load orders',
}

Object.assign(messages['zh-CN'] as Record<string, string>, zh)
Object.assign(messages.en as Record<string, string>, en)

export const workerMessages = { 'zh-CN': zh, en }
