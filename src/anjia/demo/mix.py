"""What the demo city's business looks like: the service mix, the requests, the hours, the channels and
how orders end. One place, so the demo history, `anjia demo live` and the statistics bench draw from
the same distributions."""

# service name -> (weight, requests to choose from: the booking page's request for that service)
SERVICES: dict[str, tuple[int, list[dict]]] = {
    "全屋清洁": (30, [{"hours": 2}, {"hours": 2}, {"hours": 3}, {"hours": 3, "options": {"focus_areas": ["kitchen"]}},
                    {"hours": 4, "options": {"focus_areas": ["kitchen", "windows"], "eco": True}}]),
    "厨房清洁": (9, [{"items": [{"code": "kitchen", "quantity": 1}]},
                   {"items": [{"code": "kitchen", "quantity": 1}], "options": {"focus_areas": ["stove", "hood"]}}]),
    "卫生间清洁": (8, [{"items": [{"code": "bathroom", "quantity": 1}]}, {"items": [{"code": "bathroom", "quantity": 2}]}]),
    "全屋深度保洁": (6, [{"items": [{"code": "home", "quantity": 1}], "options": {"area": 60}},
                      {"items": [{"code": "home", "quantity": 1}], "options": {"area": 90}}]),
    "厨房深度清洁": (5, [{"items": [{"code": "kitchen_deep", "quantity": 1}], "options": {"depth": "normal"}},
                      {"items": [{"code": "kitchen_deep", "quantity": 1}], "options": {"depth": "deep"}}]),
    "空调清洗": (14, [{"items": [{"code": "wall", "quantity": 1}]}, {"items": [{"code": "wall", "quantity": 2}]},
                    {"items": [{"code": "wall", "quantity": 2}, {"code": "floor", "quantity": 1}]}]),
    "洗衣机清洗": (5, [{"items": [{"code": "front", "quantity": 1}]}, {"items": [{"code": "top", "quantity": 1}]}]),
    "油烟机清洗": (7, [{"items": [{"code": "european", "quantity": 1}]}, {"items": [{"code": "chinese", "quantity": 1}]}]),
    "冰箱清洗": (4, [{"items": [{"code": "double", "quantity": 1}]}, {"items": [{"code": "side_by_side", "quantity": 1}]}]),
    "地板打蜡": (2, [{"items": [{"code": "floor", "quantity": 1}], "options": {"area": 40}}]),
    "家具擦拭": (3, [{"hours": 2}, {"hours": 3}]),
    "居家老人陪护": (5, [{"hours": 4, "options": {"care_level": "independent"}},
                      {"hours": 4, "options": {"care_level": "partial"}}]),
    "居家病人护理": (2, [{"hours": 4, "options": {"care_level": "partial"}}]),
}

# local start hour -> weight (mornings and early afternoons are busiest)
HOURS: dict[int, int] = {8: 6, 9: 12, 10: 11, 11: 6, 12: 3, 13: 8, 14: 11, 15: 8, 16: 5, 17: 3, 18: 2}

# the client the order came from (orders.source) -> weight
SOURCES: dict[str, int] = {"mp": 55, "app": 18, "h5": 17, "admin": 10}

# how an order that is over ended -> weight
ENDINGS: dict[str, int] = {"completed": 82, "expired": 5, "cancelled_unpaid": 3, "cancelled_paid": 7,
                           "dispatch_failed": 3}

# why customers cancel (orders.schemas.CancelRequest.reason_code) -> weight
CANCEL_REASONS: dict[str, int] = {"change_of_plans": 50, "booked_by_mistake": 15, "price": 15, "worker_issue": 5,
                                  "other": 15}

# hours between placing an order and the visit -> weight (most book a day or two ahead)
LEAD_HOURS: dict[int, int] = {3: 8, 6: 10, 20: 25, 44: 25, 68: 15, 116: 10, 164: 7}
