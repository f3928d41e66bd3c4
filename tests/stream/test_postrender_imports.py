"""The post-renderer runs on every `helm install`: the opt-in features' modules (release.mutations,
generate.mapservices, release.tenant) are imported only when their config is on."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import io, json, sys
from helm_vnp.config import ValuesInput, load_config
from helm_vnp.release.pipeline import post_render
policies = load_config(ValuesInput([sys.argv[1]], env=False), use_cache=False).policies
doc = (b"apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: web}\\nspec:\\n  template:\\n"
       b"    spec: {containers: [{name: c, image: x}]}\\n")
post_render(doc, policies, "r", "team")
OPT_IN = ("helm_vnp.release.mutations", "helm_vnp.generate.mapservices", "helm_vnp.release.tenant")
print(json.dumps(sorted(m for m in OPT_IN if m in sys.modules)))
"""


def loaded(tmp_path, values: str) -> list[str]:
    path = tmp_path / "values.yaml"
    path.write_text(values)
    out = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, cwd=ROOT,
                         check=True, env={"PYTHONPATH": str(ROOT), "VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout)


def test_isolation_alone_imports_neither(tmp_path):
    assert loaded(tmp_path, "policies:\n  networkPolicy:\n    enabled: true\n") == []


def test_each_feature_imports_its_module(tmp_path):
    on = "policies:\n  networkPolicy:\n    enabled: true\n"
    assert loaded(tmp_path, on + "  hardening:\n    enabled: true\n") == ["helm_vnp.release.mutations"]
    mapped = on + "mapServices:\n  fromHost:\n    - from: shared/postgres\n      to: team/db\n"
    assert loaded(tmp_path, mapped) == ["helm_vnp.generate.mapservices"]


def test_tenant_checks_import_their_package_only_when_a_group_is_set(tmp_path):
    on = "policies:\n  networkPolicy:\n    enabled: true\n"
    assert loaded(tmp_path, on + "  tenant:\n    mode: warn\n") == []  # a mode alone checks nothing
    # the image checks read pod specs with the mutations' walker (release.mutations.pod_specs)
    assert loaded(tmp_path, on + "  tenant:\n    images:\n      requireDigest: false\n") == [
        "helm_vnp.release.mutations", "helm_vnp.release.tenant"]
