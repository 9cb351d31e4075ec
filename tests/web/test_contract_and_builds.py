"""The front-ends' typed client matches the server, and the mini program builds stay small."""
import json
import shutil
import subprocess

import pytest

from tests.support import ROOT

WEB = ROOT / "web"
MAIN_PACKAGE_LIMIT = 1_500_000  # WeChat's hard limit is 2 MB; we keep headroom


def test_committed_openapi_document_is_fresh(app):
    committed = json.loads((WEB / "shared" / "openapi.json").read_text())
    assert committed == json.loads(json.dumps(app.openapi())), "stale: run `make openapi` and commit"


@pytest.mark.parametrize("generated", ["shared/src/api/schema.d.ts"])
def test_generated_client_types_are_fresh(tmp_path, generated):
    npx = shutil.which("npx")
    assert npx, "node/npx is needed (make test installs the front-ends)"
    out = tmp_path / "schema.d.ts"
    subprocess.run([npx, "openapi-typescript", str(WEB / "shared" / "openapi.json"), "-o", str(out)], cwd=WEB,
                   check=True, capture_output=True, timeout=120)
    assert out.read_text() == (WEB / generated).read_text(), "stale: run `make openapi` and commit"


def _main_package_bytes(root) -> int:
    app_json = json.loads((root / "app.json").read_text())
    sub_roots = [s["root"].rstrip("/") for s in app_json.get("subPackages", app_json.get("subpackages", []))]
    total = 0
    for f in root.rglob("*"):
        rel = f.relative_to(root).as_posix()
        if f.is_file() and not any(rel == r or rel.startswith(r + "/") for r in sub_roots):
            total += f.stat().st_size
    return total


@pytest.mark.parametrize("app_name", ["customer", "worker"])
def test_mp_weixin_main_package_under_limit(app_name):
    root = WEB / app_name / "dist" / "build" / "mp-weixin"
    assert (root / "app.json").exists(), f"build first: npm run build:mp -w {app_name} (make test does)"
    size = _main_package_bytes(root)
    print(f"{app_name} mp-weixin main package: {size / 1024:.0f} KB")
    assert 10_000 < size < MAIN_PACKAGE_LIMIT


@pytest.mark.parametrize("path", ["customer/dist/build/h5/index.html", "worker/dist/build/h5/index.html",
                                  "admin/dist/index.html"])
def test_h5_and_admin_builds_exist(path):
    assert (WEB / path).exists(), f"missing {path}: make build"
