"""Customer and campaign errors. Codes and texts are stable: the console shows them."""
from anjia.core.errors import define

CUSTOMER_NOT_FOUND = define("customer_not_found", 404, "顾客不存在", "Customer not found")
TAG_NOT_FOUND = define("customer_tag_not_found", 404, "该顾客没有这个标签", "The customer has no such tag")
NOTE_NOT_FOUND = define("customer_note_not_found", 404, "备注不存在", "Note not found")
CAMPAIGN_NOT_FOUND = define("campaign_not_found", 404, "营销活动不存在", "Campaign not found")
INVALID_CAMPAIGN = define("invalid_campaign", 422, "营销活动内容不正确", "The campaign is not valid")
CAMPAIGN_EMPTY_SEGMENT = define("campaign_empty_segment", 422, "该分群当前没有顾客", "The segment has no customers now")
INVALID_TAG = define("invalid_customer_tag", 422, "标签不能为空白", "A tag cannot be blank")
