"""Support errors. Codes and texts are stable: the apps and the console show them."""
from anjia.core.errors import define

TICKET_NOT_FOUND = define("ticket_not_found", 404, "工单不存在", "Ticket not found")
TICKET_TRANSITION = define("ticket_transition", 409, "工单当前状态不允许此操作",
                           "Not allowed in the ticket's current state")
TICKET_ORDER = define("ticket_order", 404, "订单不存在或不属于您", "The order does not exist or is not yours")
TICKET_OPEN_EXISTS = define("ticket_open_exists", 409, "该订单已有处理中的投诉，请在原投诉中跟进",
                            "This order already has an open complaint: follow it up there")
TICKET_PHOTO_NOT_IMAGE = define("ticket_photo_not_image", 415, "只能上传照片（JPG/PNG/WebP）",
                                "Only photos (JPG/PNG/WebP) can be attached")
TICKET_PHOTOS = define("ticket_photos", 422, "照片无效：最多 9 张，且须是您刚上传、未使用过的照片",
                       "Invalid photos: at most 9, each one you uploaded and not attached yet")
TICKET_REOPEN_LIMIT = define("ticket_reopen_limit", 409, "每个工单只能重新打开一次，如仍有问题请联系客服",
                             "A ticket can be reopened only once; please contact support")
TICKET_ASSIGNEE = define("ticket_assignee", 422, "只能分派给有客服处理权限的员工",
                         "Tickets can only be assigned to staff who may work them")
TICKET_COMPENSATION = define("ticket_compensation", 422,
                             "补偿无效：仅成立的投诉可补偿；退款须针对订单投诉",
                             "Invalid compensation: only upheld tickets are compensated, and a refund needs the "
                             "ticket's order")
ANALYSIS_RANGE = define("ticket_analysis_range", 422, "统计日期范围无效（起始不晚于结束，最多 366 天）",
                        "Invalid range (from ≤ to, at most 366 days)")
