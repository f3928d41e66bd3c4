"""Our -f/--set merge against the real Helm 4 binary (skipped when .tools/bin/helm4 is absent)."""
import json
import os
import subprocess
from pathlib import Path

import pytest

from helm_vnp.config.loader import merged_values
from helm_vnp.config.merge import strip_nulls
from helm_vnp.config.sources import set_flags

HELM = Path(__file__).resolve().parents[2] / ".tools" / "bin" / "helm4"
pytestmark = pytest.mark.skipif(not os.access(HELM, os.X_OK),
                                reason=f"Helm 4 binary not found at {HELM} (run make tools)")

FILE_A = """\
policies:
  networkPolicy:
    enabled: false
    labels: {team: a, keep: "yes"}
    workload:
      publicEgress:
        except: [10.0.0.0/8, 172.16.0.0/12]
  resourceQuota:
    quota: {requests.cpu: 10, count/pods: 20}
on: yes
n1: on
"""
FILE_B = """\
policies:
  networkPolicy:
    labels: {team: b}
    workload:
      publicEgress:
        except: [192.168.0.0/16]
  resourceQuota:
    quota: {count/pods: null}
"""
CASES = [
    dict(),
    dict(sets=["policies.networkPolicy.enabled=true,policies.podSecurityStandard=baseline"]),
    dict(sets=["policies.networkPolicy.workload.egress[0].ports[0].port=5432",
               "policies.networkPolicy.workload.egress[0].to[1].podSelector.matchLabels.app=db"]),
    dict(sets=[r"policies.networkPolicy.labels.app\.kubernetes\.io/name=web", "policies.resourceQuota.quota.x=007"]),
    dict(sets=["policies.networkPolicy.workload.publicEgress.except={1.2.3.0/24,4.5.6.0/24}", "n=-12,f=1.5,t=TRUE"]),
    dict(set_strings=["policies.networkPolicy.enabled=true,num=10"], sets=["num=11"]),
    dict(set_jsons=['policies.networkPolicy.dns={"ports":[53,1053]}', 'list=[1,{"a":null}]']),
    dict(set_jsons=['{"policies":{"podSecurityStandard":"restricted"}}']),
    dict(sets=["policies.networkPolicy.labels=null"]),
    dict(sets=["e={},s=,l[2]=x", r"k=a\,b", "policies.networkPolicy.workload.publicEgress.except[1]=9.9.9.0/24"]),
]


def helm_values(tmp_path, files, sets=(), set_strings=(), set_jsons=()):
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True, exist_ok=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: oracle\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: oracle}\ndata:\n  values: {{ toJson .Values | quote }}\n")
    args = [str(HELM), "template", "r", str(chart)]
    for f in files:
        args += ["-f", f]
    for flag, vals in (("--set", sets), ("--set-string", set_strings), ("--set-json", set_jsons)):
        for v in vals:
            args += [flag, v]
    out = subprocess.run(args, capture_output=True, text=True, check=True,
                         env=dict(os.environ, HELM_CACHE_HOME=str(tmp_path / "h"), HELM_CONFIG_HOME=str(tmp_path / "h"),
                                  HELM_DATA_HOME=str(tmp_path / "h"))).stdout
    import yaml

    doc = yaml.safe_load(out)
    return json.loads(doc["data"]["values"])


@pytest.mark.parametrize("case", CASES, ids=[str(i) for i in range(len(CASES))])
def test_merge_matches_helm(tmp_path, case):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(FILE_A)
    b.write_text(FILE_B)
    files = [str(a), str(b)]
    ours, _, problems = merged_values([(f, open(f, "rb").read()) for f in files],
                                      set_flags(case.get("sets", ()), case.get("set_strings", ()),
                                                case.get("set_jsons", ())))
    assert problems == []
    # Helm keeps a null only where the chart has no default; both sides mean "unset".
    assert strip_nulls(ours) == strip_nulls(helm_values(tmp_path, files, **case))
