"""Staff roles and their permissions, checked on every admin endpoint."""
from dataclasses import dataclass

ROLES: dict[str, dict] = {
    "admin": {"zh": "管理员", "en": "Administrator", "permissions": ["*"]},
    "dispatcher": {"zh": "调度", "en": "Dispatcher",
                   "permissions": ["users.read", "staff.read", "catalog.read", "orders.read", "orders.write",
                                   "workers.read", "workers.write", "personal.read", "payments.write",
                                   "performance.read", "performance.write", "stats.read"]},
    "finance": {"zh": "财务", "en": "Finance",
                "permissions": ["users.read", "orders.read", "catalog.read", "payments.write", "finance.read",
                                "finance.write", "finance.approve", "coupons.read", "coupons.write", "performance.read",
                                "stats.read"]},
    "support": {"zh": "客服", "en": "Support", "permissions": ["users.read", "orders.read", "catalog.read",
                                                             "workers.read", "personal.read", "coupons.read",
                                                             "coupons.write", "support.read", "support.write",
                                                             "reviews.read", "reviews.write", "performance.read",
                                                             "customers.read", "customers.write"]},
    "auditor": {"zh": "审计", "en": "Auditor",
                "permissions": ["users.read", "staff.read", "audit.read", "catalog.read", "orders.read",
                                "workers.read", "rules.read", "finance.read", "coupons.read", "support.read",
                                "reviews.read", "performance.read", "customers.read", "campaigns.read", "stats.read"]},
    "marketing": {"zh": "运营", "en": "Marketing",
                  "permissions": ["users.read", "catalog.read", "coupons.read", "customers.read", "customers.write",
                                  "customers.export", "campaigns.read", "campaigns.write", "stats.read"]},
}

PERMISSIONS = ["users.read", "staff.read", "staff.write", "audit.read", "catalog.read", "catalog.write",
               "regions.write", "rules.read", "rules.write", "orders.read", "orders.write", "workers.read",
               "workers.write", "personal.read", "payments.write", "finance.read", "finance.write", "finance.approve",
               "coupons.read", "coupons.write", "support.read", "support.write",
               "reviews.read", "reviews.write", "performance.read", "performance.write",
               "customers.read", "customers.write", "customers.export", "campaigns.read", "campaigns.write", "stats.read"]
# payments.write: record offline payments, show a phone order's QR code, ask for refunds.
# support.read / support.write: see / work complaint, suggestion and follow-up tickets (a refund as
# compensation follows the refund rules: above the threshold finance approves it).
# finance.approve: approve refunds above the threshold and settlement statements.
# coupons.write: issue a coupon to a customer by hand, revoke an unused one.
# performance.read / performance.write: workers' monthly scorecards, ranking, trend, export / evaluate
# and publish a month (publishing grants the reward rules' bonuses, levels and badges), edit the rules.
# stats.read: the operating statistics (dashboard tiles, trends, mix, funnel, cancellations, utilisation,
# the xlsx export — audited): admin, dispatcher (operations), finance, marketing (运营: channels and new
# vs returning customers) and auditor; not support, whose figures are the ticket analysis.
# reviews.write: hide (and show again) a review's content, with a reason (audited).
# customers.read / customers.write: the customer list and profiles (phones masked unless personal.read) /
# tags, notes and running the segment job now. customers.export: the list as CSV (audited).
# campaigns.read / campaigns.write: coupon campaigns to a segment and their reports / launching one.
# personal.read: a customer's full address and phone in an order (each read is audited); without it
# staff see the district and a masked phone.


def has_permission(roles: list[str], permission: str) -> bool:
    for role in roles:
        granted = ROLES.get(role, {}).get("permissions", [])
        if "*" in granted or permission in granted:
            return True
    return False


def permissions_of(roles: list[str]) -> list[str]:
    return [p for p in PERMISSIONS if has_permission(roles, p)]


@dataclass(frozen=True)
class Permission:
    """Marker kept on the dependency so tests can list every admin route's permission."""

    code: str
