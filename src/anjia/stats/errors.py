"""Statistics errors. Codes and texts are stable: the console shows them."""
from anjia.core.errors import define

STATS_RANGE = define("stats_range", 422, "统计日期范围无效（起始不晚于结束；按日最多 366 天，按周最多 104 周，按月最多 36 个月）",
                     "Invalid date range (start not after end; at most 366 days by day, 104 weeks by week, "
                     "36 months by month)")
