"""What higher domains do, in the same transaction, when something happens to a worker's file.

`withdrawn` (session, worker_id, reason): the worker was suspended or left and must not serve
again; `skills_lost` (same arguments): a certificate lapsed or was rejected and some skills went
with it. Dispatch registers for both and sends the accepted future orders the worker can no longer
serve back to dispatch (workforce cannot import dispatch, a higher layer). `anjia.app` and `anjia.jobs` import every domain, so the
hooks are in place in every process that changes workers."""
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

Hook = Callable[[AsyncSession, int, str], Awaitable[None]]  # (session, worker_id, reason)
EVENTS = ("withdrawn", "skills_lost")
_HOOKS: dict[str, list[Hook]] = {}


def on(*events: str) -> Callable[[Hook], Hook]:
    def register(fn: Hook) -> Hook:
        for event in events:
            if event not in EVENTS:
                raise ValueError(f"unknown workforce event {event!r}")
            if fn not in _HOOKS.setdefault(event, []):
                _HOOKS[event].append(fn)
        return fn
    return register


async def run(session: AsyncSession, event: str, worker_id: int, reason: str) -> None:
    for hook in _HOOKS.get(event, ()):
        await hook(session, worker_id, reason)
