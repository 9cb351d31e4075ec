"""Address errors.
Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

ADDRESS_OUTSIDE_SERVICE_AREA = define("address_outside_service_area", 422, "该地址不在服务范围内",
                                      "This address is outside our service area")
TOO_MANY_ADDRESSES = define("too_many_addresses", 422, "地址数量已达上限", "You have too many addresses")
