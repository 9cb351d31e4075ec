import { describe, expect, it } from 'vitest'
import { bucketsOf, filterQuery, heat, heatText, lastDays, periodFor, reportQuery, toCsv, trendOption, xlsxUrl } from '../stats/model'
import type { StatsReport } from '../stats/api'

const figures = { orders: 0, paid_orders: 0, gmv: 0, paid_amount: 0, refunded_amount: 0, net_amount: 0, completed: 0, cancelled: 0, reviewed: 0, customers: 0, new_customers: 0, returning_customers: 0, avg_price: 0 }

describe('stats model', () => {
  it('builds the query from the filters, leaving out what is not chosen', () => {
    expect(filterQuery({ range: ['2026-11-01', '2026-11-30'], source: '' })).toEqual({ from: '2026-11-01', to: '2026-11-30' })
    expect(reportQuery({ range: ['2026-11-01', '2026-11-30'], regionId: 2, serviceId: 5, source: 'mp' }, 'week', 'service')).toEqual({
      from: '2026-11-01', to: '2026-11-30', region_id: 2, service_id: 5, source: 'mp', period: 'week', by: 'service',
    })
    expect(xlsxUrl({ range: ['2026-11-01', '2026-11-30'], regionId: 2 }, 'day')).toBe('/api/v1/admin/stats/orders.xlsx?from=2026-11-01&to=2026-11-30&region_id=2&period=day')
  })

  it('picks a readable period and Beijing days', () => {
    expect(periodFor(['2026-11-01', '2026-11-30'])).toBe('day')
    expect(periodFor(['2026-01-01', '2026-11-30'])).toBe('week')
    expect(periodFor(['2024-01-01', '2026-11-30'])).toBe('month')
    // 2026-12-01 17:00 UTC is already the 2nd in Beijing
    expect(lastDays(7, new Date(Date.UTC(2026, 11, 1, 17)))).toEqual(['2026-11-26', '2026-12-02'])
  })

  it('colours the heat table from white to blue, with readable text', () => {
    expect(heat(0, 10)).toBe('rgb(255, 255, 255)')
    expect(heat(10, 10)).toBe('rgb(64, 158, 255)')
    expect(heat(5, 0)).toBe('rgb(255, 255, 255)')
    expect(heatText(9, 10)).toBe('#fff')
    expect(heatText(1, 10)).toBe('#303133')
  })

  it('writes CSV Excel reads (BOM, quoted cells)', () => {
    expect(toCsv(['区域', '备注'], [['上海', 'a,"b"'], ['杭州', 3]])).toBe('\ufeff区域,备注\r\n上海,"a,""b"""\r\n杭州,3\r\n')
  })

  it('draws orders as bars and GMV in yuan as a line', () => {
    const rep: StatsReport = {
      start: '2026-11-01', period: 'day', by: null, keys: [], totals: figures, computed_at: null,
      end: '2026-11-03',
      rows: [{ ...figures, bucket: '2026-11-01', key: null, label: null, orders: 3, gmv: 12345 }, { ...figures, bucket: '2026-11-03', key: null, label: null, orders: 1, gmv: 100 }],
    }
    const o = trendOption(rep, { orders: '订单数', gmv: '成交额' })
    expect(o.xAxis.data).toEqual(['11-01', '11-02', '11-03'])
    expect(o.series[0].data).toEqual([3, 0, 1])
    expect(o.series[1].data).toEqual([123.45, 0, 1])
  })
})

describe('stats buckets', () => {
  it('lists every day, Monday or month of the range', () => {
    expect(bucketsOf('2026-11-29', '2026-12-02', 'day')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'])
    expect(bucketsOf('2026-11-29', '2026-12-09', 'week')).toEqual(['2026-11-23', '2026-11-30', '2026-12-07'])
    expect(bucketsOf('2026-10-15', '2026-12-02', 'month')).toEqual(['2026-10-01', '2026-11-01', '2026-12-01'])
  })
})
