"""Test helpers with no side effects (the benchmarks import them too)."""
import os
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real `uvicorn` process serving the app on the test database."""

    def __init__(self, env: dict[str, str] | None = None, serve_frontends: bool = False, workers: int = 1,
                 port: int | None = None):
        """`port`: listen there (pick it with free_port() when the environment must name the URL, e.g. PUBLIC_URL)."""
        factory = "anjia.app:create_app" if serve_frontends else "anjia.app:create_api_app"
        self._start(lambda port: [sys.executable, "-m", "uvicorn", factory, "--factory", "--host", "127.0.0.1",
                                  "--port", str(port), "--log-level", "warning", "--workers", str(workers),
                                  "--no-proxy-headers"],
                    {**os.environ, "WEB_DIR": str(ROOT / "web"), **(env or {})}, port=port)

    def _start(self, command, env: dict[str, str], seconds: float = 60, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(command(self.port), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                if httpx.get(self.url + "/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
            if self.proc.poll() is not None:
                raise RuntimeError(self.proc.stderr.read().decode())
        self.stop()
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class CliServer(Server):
    """`anjia serve` exactly as `make run` starts it, on the test database (no demo data, no
    migrations, no jobs) with its own DATA_DIR and the environment given."""

    def __init__(self, data_dir, env: dict[str, str]):
        self._start(lambda port: [sys.executable, "-m", "anjia.cli", "serve", "--port", str(port), "--no-demo",
                                  "--no-migrate", "--no-jobs"], {**env, "DATA_DIR": str(data_dir)})


# ---------------------------------------------------------------- booking times and requests
SH = ZoneInfo("Asia/Shanghai")


def local(days_ahead: int, hour: int, minute: int = 0) -> datetime:
    d = datetime.now(SH).date() + timedelta(days=days_ahead)
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=SH)


def next_weekday(weekday: int, hour: int) -> datetime:
    """The next given weekday (Mon = 0) at least two days from now, local time."""
    today = datetime.now(SH).date()
    ahead = (weekday - today.weekday()) % 7 or 7
    if ahead < 2:
        ahead += 7
    d = today + timedelta(days=ahead)
    return datetime(d.year, d.month, d.day, hour, tzinfo=SH)


KITCHEN = {"items": [{"code": "kitchen_deep", "quantity": 1}], "options": {"focus_areas": ["stove", "hood"], "depth": "deep"}}
