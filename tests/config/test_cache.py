"""The disk cache: hits skip YAML/JSON Schema, entries can't go stale, trouble is a silent miss."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helm_vnp.config import ValuesInput, cache, load_config

ROOT = Path(__file__).resolve().parents[2]
VALUES = "policies:\n  networkPolicy: {enabled: true}\n"

PROBE = """
import json, sys
from helm_vnp.config import ValuesInput, load_config
cfg = load_config(ValuesInput([sys.argv[1]], sets=sys.argv[2:]))
print(json.dumps({"np": cfg.policies["networkPolicy"]["enabled"], "pss": cfg.policies["podSecurityStandard"],
                  "heavy": sorted(m for m in ("jsonschema", "ruamel.yaml") if m in sys.modules)}))
"""


def run_probe(cache_dir, values, *sets, extra_env=None):
    env = dict(os.environ, VNP_CACHE_DIR=str(cache_dir), PYTHONPATH=str(ROOT))
    env.pop("VNP_NO_CACHE", None)
    env.update(extra_env or {})
    out = subprocess.run([sys.executable, "-c", PROBE, str(values), *sets], env=env, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


@pytest.fixture
def values(tmp_path):
    path = tmp_path / "values.yaml"
    path.write_text(VALUES)
    return path


def test_a_hit_does_not_import_yaml_or_jsonschema(tmp_path, values):
    first = run_probe(tmp_path / "c", values)
    second = run_probe(tmp_path / "c", values)
    assert first["heavy"] == ["jsonschema", "ruamel.yaml"]
    assert second == {"np": True, "pss": "", "heavy": []}


def test_changed_file_or_flags_are_never_served_stale(tmp_path, values):
    run_probe(tmp_path / "c", values)
    values.write_text(VALUES + "  podSecurityStandard: baseline\n")
    assert run_probe(tmp_path / "c", values)["pss"] == "baseline"
    assert run_probe(tmp_path / "c", values, "policies.podSecurityStandard=restricted")["pss"] == "restricted"


def test_key_covers_version_schema_paths_bytes_and_flags():
    base = dict(version="0.1.0", schema=b"{}", files=[("/a.yaml", b"x: 1")], flags=[("--set", "a=1")])
    key = cache.cache_key(**base)
    variants = [dict(base, version="0.1.1"), dict(base, schema=b"{ }"), dict(base, files=[("/b.yaml", b"x: 1")]),
                dict(base, files=[("/a.yaml", b"x: 2")]), dict(base, flags=[("--set-string", "a=1")]),
                dict(base, flags=[("--set", "a=1"), ("--set", "")]), dict(base, files=[("/a.yaml", b"x: 1")] * 2)]
    keys = {cache.cache_key(**v) for v in variants}
    assert key not in keys and len(keys) == len(variants)
    assert cache.cache_key(**base) == key


def test_corrupt_entries_are_misses_and_get_replaced(tmp_path, values, monkeypatch):
    monkeypatch.setenv("VNP_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.delenv("VNP_NO_CACHE", raising=False)
    load_config(ValuesInput([str(values)]))
    entries = list((tmp_path / "c").glob("*.json"))
    assert len(entries) == 1
    for garbage in (b"{not json", b'{"format": "vnp-config-cache/1", "key": "x"}', b"", json.dumps(
            {"format": "vnp-config-cache/1", "key": entries[0].stem, "config": {"policies": 1}}).encode()):
        entries[0].write_bytes(garbage)
        assert load_config(ValuesInput([str(values)])).policies["networkPolicy"]["enabled"] is True
    assert json.loads(entries[0].read_bytes())["config"]["policies"]["networkPolicy"]["enabled"] is True


def test_unwritable_cache_is_bypassed(tmp_path, values, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("VNP_CACHE_DIR", str(blocker / "sub"))
    monkeypatch.delenv("VNP_NO_CACHE", raising=False)
    assert load_config(ValuesInput([str(values)])).policies["networkPolicy"]["enabled"] is True


def test_no_cache_env_disables_it(tmp_path, values, monkeypatch):
    monkeypatch.setenv("VNP_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("VNP_NO_CACHE", "1")
    load_config(ValuesInput([str(values)]))
    assert not (tmp_path / "c").exists()


def test_cache_dir_follows_helm_and_xdg(monkeypatch, tmp_path):
    """VNP_CACHE_DIR, else helm-vnp under Helm's cache home as Helm computes it; relative XDG/Helm
    values are ignored (XDG spec: they would write into the working directory); no home: no cache."""
    for name in ("VNP_NO_CACHE", "VNP_CACHE_DIR", "HELM_CACHE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == str(tmp_path / "home" / ".cache" / "helm" / "helm-vnp")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache.cache_dir() == str(tmp_path / "home" / ".cache" / "helm" / "helm-vnp")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == str(tmp_path / "xdg" / "helm" / "helm-vnp")
    monkeypatch.setenv("HELM_CACHE_HOME", "rel")
    assert cache.cache_dir() == str(tmp_path / "xdg" / "helm" / "helm-vnp")
    monkeypatch.setenv("HELM_CACHE_HOME", str(tmp_path / "helmcache"))
    assert cache.cache_dir() == str(tmp_path / "helmcache" / "helm-vnp")
    monkeypatch.setenv("VNP_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == str(tmp_path / "mine")
    for name in ("VNP_CACHE_DIR", "HELM_CACHE_HOME", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name)
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # no HOME, no passwd entry
    assert cache.cache_dir() is None


def test_a_relative_xdg_cache_home_writes_nothing_into_the_working_directory(tmp_path, values):
    work = tmp_path / "work"
    work.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": "cache"}
    exe = ROOT / ".venv" / "bin" / "vnp-postrender"
    subprocess.run([str(exe), "-f", str(values), "--release", "r"], input=b"", env=env, cwd=work, check=True,
                   capture_output=True)
    assert list(work.iterdir()) == []
    assert len(list((tmp_path / "home" / ".cache" / "helm" / "helm-vnp").glob("*.json"))) == 1


def test_the_cache_is_bounded(tmp_path, values, monkeypatch):
    """650 files after one afternoon: a write keeps the MAX_ENTRIES most recently used entries."""
    monkeypatch.setenv("VNP_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.delenv("VNP_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "MAX_ENTRIES", 5)
    first = load_config(ValuesInput([str(values)]))
    [kept] = (tmp_path / "c").glob("*.json")
    os.utime(kept, (1, 1))  # the oldest entry ...
    stale_tmp = tmp_path / "c" / ".0123456789abcdef.x.tmp"
    stale_tmp.write_text("{")
    os.utime(stale_tmp, (1, 1))  # ... and a killed writer's temp file
    for n in range(3):
        load_config(ValuesInput([str(values)], sets=[f"policies.resourceQuota.quota.count/pods={n + 1}"]))
    assert load_config(ValuesInput([str(values)])).policies == first.policies  # a hit: it is the newest now
    assert not stale_tmp.exists()
    for n in range(3, 6):
        load_config(ValuesInput([str(values)], sets=[f"policies.resourceQuota.quota.count/pods={n + 1}"]))
    assert len(list((tmp_path / "c").glob("*.json"))) == 5
    assert kept.exists()  # used last: kept, while two entries written after it went


def test_concurrent_processes_share_one_cache_safely(tmp_path, values):
    env = dict(os.environ, VNP_CACHE_DIR=str(tmp_path / "c"), PYTHONPATH=str(ROOT))
    env.pop("VNP_NO_CACHE", None)
    procs = [subprocess.Popen([sys.executable, "-c", PROBE, str(values), f"policies.podSecurityStandard={pss}"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for pss in ["baseline", "restricted"] * 6]
    results = []
    for proc in procs:
        out, err = proc.communicate()
        assert proc.returncode == 0, err
        results.append(json.loads(out)["pss"])
    assert results == ["baseline", "restricted"] * 6
    entries = sorted(os.listdir(tmp_path / "c"))
    assert len(entries) == 2 and all(e.endswith(".json") for e in entries)  # no temp files left behind
    for name in entries:
        json.loads((tmp_path / "c" / name).read_bytes())


def test_cold_and_warm_cache_give_the_same_bytes(tmp_path):
    """Same input, same bytes: user rules keep the key order they were written in, cached or not."""
    values = tmp_path / "values.yaml"
    values.write_text("policies:\n  networkPolicy:\n    enabled: true\n    workload:\n      egress:\n"
                      "      - to: [{ipBlock: {cidr: 10.1.0.0/16}}]\n        ports: [{protocol: TCP, port: 5432}]\n")
    env = {**os.environ, "VNP_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("VNP_NO_CACHE", None)
    exe = ROOT / ".venv" / "bin" / "vnp-postrender"
    runs = [subprocess.run([str(exe), "-f", str(values), "--release", "r"], input=b"", capture_output=True,
                           env=env, check=True).stdout for _ in range(3)]
    assert list((tmp_path / "cache").glob("*.json")), "the cache was not used"
    assert runs[0] == runs[1] == runs[2]


def test_the_key_covers_the_config_code():
    """A changed loader or default (same version after `helm plugin update`) changes every key."""
    names = cache.code_fingerprint().decode()
    for module in ("normalise.py", "defaults.py", "loader.py", "legacy.py", "vnp.schema.json"):
        assert module + ":" in names


def test_cached_origins_name_the_file_as_given(tmp_path, monkeypatch):
    """The same file named two ways: each run's messages and origins use its own spelling."""
    monkeypatch.setenv("VNP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("VNP_NO_CACHE", raising=False)
    (tmp_path / "sub").mkdir()
    values = tmp_path / "sub" / "values.yaml"
    values.write_text(VALUES)
    monkeypatch.chdir(tmp_path)
    first = load_config(ValuesInput(["sub/values.yaml"]))
    monkeypatch.chdir(tmp_path / "sub")
    second = load_config(ValuesInput(["values.yaml"]))
    assert first.origins["policies.networkPolicy.enabled"][0] == "sub/values.yaml"
    assert second.origins["policies.networkPolicy.enabled"][0] == "values.yaml"
