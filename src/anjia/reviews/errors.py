"""Review errors. Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

REVIEW_NOT_FOUND = define("review_not_found", 404, "评价不存在", "Review not found")
ORDER_NOT_REVIEWABLE = define("order_not_reviewable", 409, "订单完成后才能评价", "Only a completed order can be reviewed")
REVIEW_EXISTS = define("review_exists", 409, "该订单已评价过", "This order has already been reviewed")
REVIEW_EDIT_CLOSED = define("review_edit_closed", 409, "评价超过 7 天，不能再修改",
                            "A review can be edited for 7 days only")
REVIEW_ALREADY_REPLIED = define("review_already_replied", 409, "已回复过该评价", "You have already replied")
REVIEW_ALREADY_HIDDEN = define("review_already_hidden", 409, "该评价已被隐藏", "The review is already hidden")
REVIEW_NOT_HIDDEN = define("review_not_hidden", 409, "该评价未被隐藏", "The review is not hidden")
PHOTO_NOT_FOUND = define("review_photo_not_found", 422, "照片不存在或已被使用，请重新上传",
                         "A photo was not found or is already used: upload it again")
