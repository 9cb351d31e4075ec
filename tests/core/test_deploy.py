"""deploy/ (issue 14): the container image, the compose topology and nginx are linted here — this
machine has no container runtime — and their commands are checked against the real CLI, their
settings against the real Settings, their paths against the repository."""
import re
import shlex
import subprocess

import yaml
from typer.testing import CliRunner

from anjia.app import FRONTENDS
from anjia.cli import app as cli
from anjia.config import Settings
from tests.support import ROOT

DEPLOY = ROOT / "deploy"
ANJIA_SERVICES = {"migrate", "api1", "api2", "jobs"}


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) with continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", (DEPLOY / "Dockerfile").read_text())
    return [(m.group(1).upper(), m.group(2).strip()) for m in
            (re.match(r"^\s*([A-Za-z]+)\s+(.*)$", line) for line in text.splitlines() if not line.lstrip().startswith("#"))
            if m]


def cli_accepts(argv: list[str]) -> None:
    """`anjia …` as written in deploy/: every subcommand and option exists (checked with --help)."""
    assert argv[0] == "anjia", argv
    options = [a for a in argv[1:] if a.startswith("--")]
    words = [a for a in argv[1:] if not a.startswith("-")]
    command = words[:2] if words[:1] == ["db"] else words[:1]
    r = CliRunner().invoke(cli, [*command, "--help"], terminal_width=200)
    assert r.exit_code == 0, (argv, r.output)
    for opt in options:
        assert opt in r.output, f"{' '.join(argv)}: {opt} is not an option of anjia {' '.join(command)}"


def test_compose_topology():
    c = compose()
    services = c["services"]
    assert set(services) >= {"nginx", "api1", "api2", "jobs", "migrate", "db", "db-replica", "minio", "minio-bucket"}
    for name in ANJIA_SERVICES:
        s = services[name]
        assert s["image"].startswith("anjia:") and s["build"]["dockerfile"] == "deploy/Dockerfile"
        assert (DEPLOY / s["build"]["context"] / s["build"]["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
        assert s["environment"]["ANJIA_ENV"] == "production" and s["env_file"] == "production.env"
        cli_accepts(s["command"])
    for name in ("api1", "api2", "jobs"):  # the API and jobs wait for the schema and the bucket
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("nginx", "db", "db-replica", "minio", "minio-bucket"):
        image = services[name]["image"]
        assert ":" in image and not image.endswith(":latest"), f"{name}: pin the image ({image})"
    for name in ("db", "db-replica", "minio", "nginx", "jobs"):
        assert "healthcheck" in services[name], name
    for name, s in services.items():  # every mounted file exists
        for volume in s.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).is_file(), f"{name}: {source}"


def test_compose_settings_are_real_settings():
    """Every variable the compose file and the example env file set is a setting anjia reads."""
    fields = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        fields |= {a.upper() for a in alias.choices} if alias is not None else {name.upper()}
    c = compose()
    names = set(c["x-anjia"]["environment"])
    example = (DEPLOY / "production.env.example").read_text().splitlines()
    names |= {line.split("=", 1)[0] for line in example if line and not line.startswith("#")}
    assert names - fields == set()
    assert c["x-anjia"]["environment"]["STORAGE_BACKEND"] == "s3"


def test_production_example_is_not_startable_with_development_defaults():
    env = dict(line.split("=", 1) for line in (DEPLOY / "production.env.example").read_text().splitlines()
               if line and not line.startswith("#"))
    assert "sandbox" not in env["PAYMENT_PROVIDERS"] and env["SMS_PROVIDER"] != "console"
    assert env["SECRET_KEY"] == ""  # to be filled: the API refuses to start without it (tests/core/test_secrets.py)
    assert "deploy/production.env" in (ROOT / ".gitignore").read_text()


def test_dockerfile():
    steps = dockerfile()
    stages = [args for op, args in steps if op == "FROM"]
    assert len(stages) >= 3 and all(":" in s.split()[0] and ":latest" not in s for s in stages)
    final = steps[max(i for i, (op, _) in enumerate(steps) if op == "FROM"):]
    user = [args for op, args in final if op == "USER"]
    assert user and user[-1] not in ("root", "0"), "the image runs as a non-root user"
    assert any(op == "HEALTHCHECK" and "/api/v1/health" in args for op, args in final)
    cmd = [args for op, args in final if op == "CMD"][-1]
    cli_accepts(yaml.safe_load(cmd))  # a JSON array
    for op, args in steps:  # what is copied from the repository exists
        if op == "COPY" and "--from" not in args:
            for source in shlex.split(args)[:-1]:
                assert (ROOT / source).exists(), source
    # the runtime serves the front-ends from where the app looks for them
    copied = {shlex.split(args)[-1] for op, args in final if op == "COPY" and "--from=web" in args}
    web_dir = dict(a.split("=", 1) for op, args in final if op == "ENV" for a in shlex.split(args))["WEB_DIR"]
    assert {f"{web_dir}/{path}" for _, path in FRONTENDS} <= copied


def test_nginx_conf_routes_to_both_nodes_and_upgrades_websockets():
    conf = (DEPLOY / "nginx.conf").read_text()
    upstream = re.search(r"upstream anjia \{(.*?)\}", conf, re.S).group(1)
    assert set(re.findall(r"server (\w+):8000", upstream)) == {"api1", "api2"} <= set(compose()["services"])
    ws = re.search(r"location /api/v1/ws \{(.*?)\}", conf, re.S).group(1)
    assert "proxy_set_header Upgrade $http_upgrade" in ws and "proxy_http_version 1.1" in ws
    from anjia.realtime.router import router as realtime  # mounted under /api/v1
    assert realtime.prefix + "/ws" in {r.path for r in realtime.routes}
    assert conf.count("{") == conf.count("}")
    assert "X-Forwarded-For" in conf


def test_postgres_scripts_are_valid_bash():
    for script in (DEPLOY / "postgres").glob("*.sh"):
        r = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert r.returncode == 0, (script, r.stderr)
    assert "pg_basebackup" in (DEPLOY / "postgres" / "replica.sh").read_text()
    assert "REPLICATION" in (DEPLOY / "postgres" / "primary-init.sh").read_text()


def test_readme_says_how_to_deploy():
    readme = (ROOT / "README.md").read_text()
    assert "deploy/compose.yaml" in readme and "deploy/Dockerfile" in readme
