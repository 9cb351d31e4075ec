"""Staff roles and their permissions, checked on every admin endpoint."""
from dataclasses import dataclass

ROLES: dict[str, dict] = {
    "admin": {"zh": "管理员", "en": "Administrator", "permissions": ["*"]},
    "dispatcher": {"zh": "调度", "en": "Dispatcher", "permissions": ["users.read", "staff.read"]},
    "finance": {"zh": "财务", "en": "Finance", "permissions": ["users.read"]},
    "support": {"zh": "客服", "en": "Support", "permissions": ["users.read"]},
    "auditor": {"zh": "审计", "en": "Auditor", "permissions": ["users.read", "staff.read", "audit.read"]},
}

PERMISSIONS = ["users.read", "staff.read", "staff.write", "audit.read"]


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
