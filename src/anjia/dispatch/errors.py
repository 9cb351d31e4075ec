"""Dispatch errors: offers, assignment.
Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

OFFER_TAKEN = define("offer_taken", 409, "订单已被其他师傅接走", "Someone else took this order")
OFFER_EXPIRED = define("offer_expired", 409, "接单已超时", "The offer has expired")
WORKER_BUSY = define("worker_busy", 409, "该时段师傅已有安排", "The worker is booked at that time")
WORKER_NOT_ELIGIBLE = define("worker_not_eligible", 422, "该师傅不具备此服务技能", "This worker cannot do this service")
