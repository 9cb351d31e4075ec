"""Service-day errors: check-in, location, records and media, schedule changes.
Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

CHECK_IN_TOO_FAR = define("check_in_too_far", 422, "距离服务地址太远，请说明原因后再打卡",
                          "Too far from the address: explain to check in")
NOT_IN_SERVICE = define("not_in_service", 409, "当前没有进行中的服务", "No order is on the way or in service")
UNSUPPORTED_MEDIA = define("unsupported_media", 415, "文件格式不支持，请上传照片（JPG/PNG/WebP）或视频（MP4）",
                           "Upload a photo (JPG/PNG/WebP) or a video (MP4)")
UPLOAD_TOO_LARGE = define("upload_too_large", 413, "文件太大", "The file is too large")
VIDEO_TOO_LONG = define("video_too_long", 422, "视频不能超过 60 秒", "Videos may be 60 seconds at most")
INVALID_VIDEO = define("invalid_video", 422, "视频文件已损坏或不完整", "The video is damaged or incomplete")
SCHEDULE_CHANGE_CLOSED = define("schedule_change_closed", 409, "已过可调整时间或申请已处理",
                                "Too late to change, or already decided")
SCHEDULE_CHANGE_PENDING = define("schedule_change_pending", 409, "已有待处理的改期申请",
                                 "A schedule change is already pending")
