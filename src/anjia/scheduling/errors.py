"""Booking-rule errors: when a visit may start.
Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

SLOT_UNAVAILABLE = define("slot_unavailable", 409, "该时段已约满，请选择其他时间",
                          "That time is no longer free; pick another")
START_IN_PAST = define("start_in_past", 422, "预约时间已过", "The start time is in the past")
START_TOO_SOON = define("start_too_soon", 422, "预约时间太近，请选择更晚的时间", "The start time is too soon")
START_BEYOND_HORIZON = define("start_beyond_horizon", 422, "超出可预约的日期范围", "The start time is too far ahead")
OUTSIDE_OPENING_HOURS = define("outside_opening_hours", 422, "不在服务时间内", "Outside service hours")
DATE_OUT_OF_RANGE = define("date_out_of_range", 422, "日期超出可查询范围", "The dates are out of range")
