"""The worker's two status machines, pure tables (like orders.state): the sign-up review and
employment. `verified` / `active` on the profile are generated from these statuses.

review:      draft --submit--> submitted --approve--> approved
                                         --reject--> rejected  --submit--> submitted
                                         --ask-->    more_info --submit--> submitted
employment:  active --suspend--> suspended --reinstate--> active;  active|suspended --leave--> left
             left --rehire--> active
"""
from anjia.core.errors import AppError

REVIEW = {
    ("draft", "submit"): "submitted",
    ("more_info", "submit"): "submitted",
    ("rejected", "submit"): "submitted",
    ("submitted", "approve"): "approved",
    ("submitted", "reject"): "rejected",
    ("submitted", "ask"): "more_info",
}
EMPLOYMENT = {
    ("active", "suspend"): "suspended",
    ("suspended", "reinstate"): "active",
    ("active", "leave"): "left",
    ("suspended", "leave"): "left",
    ("left", "rehire"): "active",
}
REVIEW_ACTIONS = sorted({a for _, a in REVIEW} - {"submit"})  # the operator's decisions
EMPLOYMENT_ACTIONS = sorted({a for _, a in EMPLOYMENT})
NEED_REASONS = {"reject", "ask", "suspend", "leave"}
WITHDRAWING = {"suspend", "leave"}  # the worker stops serving: their future orders go back to dispatch

# Reasons an operator picks (the worker reads the label; a note may add detail).
REASONS: dict[str, tuple[str, str]] = {
    "id_photo_unclear": ("身份证照片不清晰", "The ID card photo is not readable"),
    "id_mismatch": ("身份信息与证件不符", "The details do not match the ID card"),
    "selfie_mismatch": ("自拍与证件照不是同一人", "The selfie does not match the ID photo"),
    "selfie_unclear": ("自拍照不清晰", "The selfie is not clear"),
    "certificate_unclear": ("证书照片不清晰", "A certificate photo is not readable"),
    "certificate_invalid": ("证书信息无法核实", "A certificate could not be verified"),
    "certificate_missing": ("缺少所需证书", "A required certificate is missing"),
    "certificate_expired": ("证书已过期", "A certificate has expired"),
    "certificate_renewed": ("证书已更新", "The certificate was renewed"),
    "experience_insufficient": ("从业经验不足", "Not enough experience"),
    "area_not_served": ("服务区域暂未开通", "We do not serve that area yet"),
    "complaints": ("投诉较多", "Repeated complaints"),
    "conduct": ("违反服务规范", "Broke the service rules"),
    "investigation": ("事件调查中", "Under investigation"),
    "resigned": ("本人申请离职", "Resigned"),
    "dismissed": ("解除合作", "Contract ended"),
    "other": ("其他", "Other"),
}


def next_review(status: str, action: str) -> str:
    try:
        return REVIEW[(status, action)]
    except KeyError:
        raise AppError("worker_transition", extra={"current_status": status, "action": action}) from None


def next_employment(status: str, action: str) -> str:
    try:
        return EMPLOYMENT[(status, action)]
    except KeyError:
        raise AppError("worker_transition", extra={"current_status": status, "action": action}) from None
