"""Our -f/--set merge against the real Helm 4 binary (skipped when .tools/bin/helm4 is absent)."""
import json
import os
import subprocess
from pathlib import Path

import pytest

from helm_vnp.config.loader import OUR_KEYS, merged_values
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
    # Helm keeps a null only where the chart has no default; both sides mean "unset".  vnp reads only
    # its own keys of the values (the rest is the chart's, and Helm's to check).
    helm = helm_values(tmp_path, files, **case)
    assert strip_nulls(ours) == strip_nulls({k: helm[k] for k in helm if k in OUR_KEYS or k in ours})


# plain scalars as go-yaml v2 (Helm's reader) resolves them, under keys vnp reads
NUMBERS = """policies:
  resourceQuota:
    quota:
      a: 0o17
      b: 017
      c: 09
      d: 1:20
      e: +.5
      f: 0x1F
      g: 1_000
      h: 1e3
      i: 0b101
      j: -0x1F
      k: 1e400
      l: .5e3
      m: 2024-01-01
      n: 0_17
      o: 1.
      p: "017"
      q: !!str 017
      r: 00
      s: +12
  networkPolicy:
    enabled: on
    a: yes
    b: Y
    c: n
    d: Off
    e: TRUE
    f: tRUE
    y: ~
    on: 1
    0x10: hex-key
    1.5: float-key
  <<: {podSecurityStandard: baseline}
"""


def test_values_numbers_and_booleans_as_helm_reads_them(tmp_path):
    """0o17, 017, 09, 1:20, +.5, 0x1F, 1_000, on/yes/y: what the chart sees through Helm is what vnp reads."""
    f = tmp_path / "n.yaml"
    f.write_text(NUMBERS)
    ours, _, problems = merged_values([(str(f), f.read_bytes())], [])
    assert problems == []
    helm = helm_values(tmp_path, [str(f)])
    assert ours == {"policies": helm["policies"]}
    assert all(type(ours["policies"]["networkPolicy"][k]) is bool for k in "abcdef" if k != "f")
    quota = ours["policies"]["resourceQuota"]["quota"]
    assert (quota["a"], quota["c"], quota["d"], quota["e"], quota["k"]) == (15, 9, "1:20", 0.5, "1e400")


@pytest.mark.parametrize("value", [".inf", "-.Inf", ".nan"])
def test_infinity_and_nan_are_refused_as_helm_refuses_them(tmp_path, value):
    f = tmp_path / "n.yaml"
    f.write_text(f"policies:\n  resourceQuota:\n    quota:\n      cpu: {value}\n")
    _, _, problems = merged_values([(str(f), f.read_bytes())], [])
    assert [(p.line, p.path) for p in problems] == [(4, "policies.resourceQuota.quota.cpu")], problems
    with pytest.raises(subprocess.CalledProcessError):
        helm_values(tmp_path, [str(f)])


def test_flow_list_with_colons_is_read_as_helm_reads_it(tmp_path):
    """libyaml refuses a ':' inside a plain scalar of a flow list; go-yaml v2 (Helm) reads it, and so does vnp."""
    f = tmp_path / "v6.yaml"
    f.write_text("policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n"
                 "        except: [10.0.0.0/8, 2001:db8::/32]\n    labels: {a: 2001:db8::1}\n")
    ours, _, problems = merged_values([(str(f), f.read_bytes())], [])
    assert problems == [] and ours == {"policies": helm_values(tmp_path, [str(f)])["policies"]}
