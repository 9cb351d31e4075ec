"""What other domains do, in the same transaction, when an order's timeline records an event:
payments refund a cancelled order, settlement posts a completed one's earnings. Domains above
orders register here (orders cannot import them); `anjia.app` and `anjia.jobs` import them, so
the hooks are in place in every process that changes orders."""
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

Hook = Callable[[AsyncSession, object, object], Awaitable[None]]  # (session, order, actor)
_HOOKS: dict[str, list[Hook]] = {}


def on(*events: str) -> Callable[[Hook], Hook]:
    def register(fn: Hook) -> Hook:
        for event in events:
            if fn not in _HOOKS.setdefault(event, []):
                _HOOKS[event].append(fn)
        return fn
    return register


async def run(session: AsyncSession, order, event: str, actor) -> None:
    for hook in _HOOKS.get(event, ()):
        await hook(session, order, actor)
