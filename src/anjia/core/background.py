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
        """Start the task, unless it runs already on this event loop (one left on a closed loop, as
        an app served in a second loop leaves it, is replaced)."""
        if not self.running_here():
            self._task = asyncio.create_task(self.run())

    def running_here(self) -> bool:
        t = self._task
        return t is not None and not t.done() and t.get_loop() is asyncio.get_running_loop()

    async def stop(self) -> None:
        await cancel(self._task)
        self._task = None
