"""Every job opens and commits its transaction through core.jobs.in_transaction, and the job
registry holds every domain's tasks."""
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "anjia"


def test_every_tasks_module_runs_its_work_through_in_transaction():
    modules = sorted(SRC.glob("*/tasks.py"))
    assert len(modules) >= 5
    for path in modules:
        source = path.read_text(encoding="utf-8")
        assert "in_transaction(" in source, path
        assert not re.search(r"sessionmaker|\.commit\(|\.begin\(", source), path


def test_the_registry_has_every_domains_tasks():
    from anjia.jobs import job_app

    names = set(job_app().tasks)
    for path in SRC.glob("*/tasks.py"):
        assert any(n.startswith(f"{path.parent.name}:") for n in names), path.parent.name
