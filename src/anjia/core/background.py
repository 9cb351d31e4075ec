"""Per-process background tasks (the realtime hub and relay, the reference-data cache's listener)."""
import asyncio
import contextlib


async def cancel(task: asyncio.Task | None) -> None:
    """Cancel a background task and wait until it has ended (its own errors stay its own)."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task


class Background:
    """A task each process runs beside its requests (started and stopped by the app's lifespan):
    subclasses define `run()`."""

    _task: asyncio.Task | None = None

    async def run(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run())

    async def stop(self) -> None:
        await cancel(self._task)
        self._task = None
