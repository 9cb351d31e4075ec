"""Finance errors. Codes and texts are stable: the console shows them."""
from anjia.core.errors import define

PROVIDER_NOT_ENABLED = define("reconciliation_provider", 422, "该支付渠道不存在或未启用，无法对账",
                              "This payment provider does not exist or is not enabled")
DAY_NOT_CLOSED = define("reconciliation_day", 422, "只能对账已结束的日期（北京时间昨天及以前）",
                        "Only days that have ended (Asia/Shanghai) can be reconciled")
RUN_NOT_FOUND = define("reconciliation_run_not_found", 404, "对账批次不存在", "Reconciliation run not found")
DIFFERENCE_NOT_FOUND = define("reconciliation_difference_not_found", 404, "对账差异不存在",
                              "Reconciliation difference not found")
ALREADY_RESOLVED = define("reconciliation_resolved", 409, "该差异已处理", "This difference is already resolved")
ADJUSTMENT_ACCOUNT = define("reconciliation_adjustment_account", 422, "调账需要选择对方科目",
                            "An adjustment needs the counter account")
NOTHING_TO_ADJUST = define("reconciliation_nothing_to_adjust", 409, "账单与账务金额一致，无需调账",
                           "The bill and the ledger agree: nothing to adjust")
PAGE_OUT_OF_RANGE = define("page_out_of_range", 422, "页码超出范围", "The page is past the last page")
REPORT_RANGE = define("report_range", 422, "报表日期范围无效（起始不晚于结束，按日最多 366 天，按月最多 36 个月）",
                      "Invalid report range (from ≤ to; at most 366 days by day, 36 months by month)")
