"""`make cluster` runs nginx from deploy/nginx.conf itself (one template), only the addresses changed."""
import re
import subprocess

import pytest

from anjia.system.cluster import NGINX_TEMPLATE, Ports, nginx_binary, nginx_conf


def test_local_conf_is_the_deploy_template_with_local_addresses(tmp_path):
    conf = nginx_conf(Ports(nginx=18180, api=(18181, 18182, 18183)), tmp_path)
    assert re.findall(r"server (\S+) max_fails=2 fail_timeout=5s;", conf) == [
        "127.0.0.1:18181", "127.0.0.1:18182", "127.0.0.1:18183"]
    assert "listen 127.0.0.1:18180;" in conf and not re.search(r"listen 80;|server api\d", conf)
    template = NGINX_TEMPLATE.read_text()
    for line in ("proxy_next_upstream error timeout http_502 http_503;", "location /api/v1/ws {", "least_conn;"):
        assert line in template and line in conf
    assert f"pid {tmp_path / 'nginx.pid'};" in conf


def test_nginx_accepts_it(tmp_path):
    binary = nginx_binary()
    if binary is None:
        pytest.skip("Debian's nginx is not installed (make nginx)")
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "tmp" / sub).mkdir(parents=True)
    (tmp_path / "nginx.conf").write_text(nginx_conf(Ports(), tmp_path))
    r = subprocess.run([binary, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
