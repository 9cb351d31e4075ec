"""Address errors.
Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

ADDRESS_OUTSIDE_SERVICE_AREA = define("address_outside_service_area", 422, "该地址不在服务范围内",
                                      "This address is outside our service area")
TOO_MANY_ADDRESSES = define("too_many_addresses", 422, "地址数量已达上限", "You have too many addresses")
PLACES_UNAVAILABLE = define("places_unavailable", 503, "地点搜索暂不可用，请直接填写地址",
                            "Place search is unavailable; please type the address")
PLACES_RATE_LIMITED = define("places_rate_limited", 429, "搜索太频繁，请稍后再试", "Too many searches; try again shortly")
