/** Strings of 我的评价 (the "reviews" subpackage), merged into the shared dictionaries on import. */
import { addMessages, messagesFromRows } from '@anjia/shared/src/i18n'

const rows: [string, string, string][] = [
  ['rev.title', '我的评价', 'My reviews'],
  ['rev.rating', '综合评分', 'Rating'],
  ['rev.count', '共 {n} 条评价', '{n} reviews'],
  ['rev.quality', '服务质量', 'Quality'],
  ['rev.attitude', '服务态度', 'Attitude'],
  ['rev.skill', '专业技能', 'Skill'],
  ['rev.empty', '还没有收到评价', 'No reviews yet'],
  ['rev.emptyHint', '认真完成每一单，客户的好评会出现在这里', 'Customers’ reviews of your work show here'],
  ['rev.reply', '回复', 'Reply'],
  ['rev.replied', '我的回复', 'My reply'],
  ['rev.replyPh', '感谢客户或说明情况（只能回复一次）', 'Thank the customer or explain (one reply only)'],
  ['rev.replySend', '发送回复', 'Send'],
  ['rev.replyConfirm', '每条评价只能回复一次，确定发送？', 'You can reply only once. Send?'],
  ['rev.replyDone', '已回复', 'Replied'],
  ['rev.hidden', '该评价因违反社区规范已被平台隐藏，评分仍计入', 'Hidden by the platform for its content; the scores still count'],
  ['rev.order', '订单 {no}', 'Order {no}'],
  ['rev.more', '加载更多', 'Load more'],
]

addMessages(messagesFromRows(rows))
