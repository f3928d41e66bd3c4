"""docs/migration.md against helm_vnp/config/legacy.py: every key the page's tables name is converted as the page
says (a values file with the old key loads to the same config as one with the new key, and the key has an
effect), and every key legacy.py converts or refuses is in the page."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from helm_vnp.config.legacy import ISOLATION_MAP, ISOLATION_REJECTED, OLD_TO_NEW
from tests.config.helpers import errors, load

PAGE = Path(__file__).resolve().parents[2] / "docs" / "migration.md"
TEXT = PAGE.read_text()
ROW = re.compile(r"^\| `([^`]+)` \| (.+?) \|(.*?)\|$", re.M)


def section(title: str) -> str:
    start = TEXT.index(f"## {title}")
    end = TEXT.find("\n## ", start + 1)
    return TEXT[start:end if end > 0 else None]


V030 = [(old, new.strip("`"), note.strip()) for old, new, note in ROW.findall(section("vCluster v0.20–v0.30 keys"))]
V019 = [(old, new, note.strip()) for old, new, note in ROW.findall(section("vCluster v0.19 and earlier"))]
V019_MAPPED = [(old, new.strip("`"), note) for old, new, note in V019 if new.startswith("`policies.")]
V019_REFUSED = [old for old, new, _ in V019 if new == "refused"]
# a value per key (by its last name) that differs from the default, so that converting it must change the config
SAMPLES = {
    "podSecurityStandard": "restricted", "enabled": False, "quota": {"requests.cpu": "3"},
    "scopes": ["NotTerminating"],
    "scopeSelector": {"matchExpressions": [{"scopeName": "PriorityClass", "operator": "In", "values": ["low"]}]},
    "default": {"cpu": "2"}, "defaultRequest": {"cpu": "200m"}, "cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"],
    "extraIpBlocks": [{"cidr": "2001:db8::/32"}], "platform": True,
    "egress": [{"to": [{"ipBlock": {"cidr": "10.1.0.0/16"}}]}],
}
SAME_AS_DEFAULT = {"cidr"}  # no other cidr keeps the default excepts inside it: checked for equality only


def nest(path: str, value) -> dict:
    out = value
    for seg in reversed(path.split(".")):
        out = {seg: out}
    return out


def merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def policies_of(tmp_path: Path, doc: dict, name: str) -> dict:
    folder = tmp_path / name
    folder.mkdir()
    buf = io.StringIO()
    YAML(typ="safe", pure=True).dump(doc, buf)
    return load(folder, buf.getvalue()).policies


def test_the_v030_table_is_legacy_py():
    assert {(o, n) for o, n, _ in V030} == {(".".join(o), ".".join(n)) for o, n in OLD_TO_NEW}


def test_the_isolation_table_is_legacy_py():
    assert {(o, n) for o, n, _ in V019_MAPPED} == {
        ("isolation." + ".".join(o), "policies." + ".".join(n)) for o, n, _ in ISOLATION_MAP}
    assert set(V019_REFUSED) == {f"isolation.{k}" for k in ISOLATION_REJECTED}
    assert [old for old, _, _ in V019 if old not in {o for o, _, _ in V019_MAPPED} | set(V019_REFUSED)] == [
        "isolation.enabled"]
    implied = {o: n for o, _, n in V019_MAPPED if n.startswith("implied")}
    assert implied == {"isolation." + ".".join(o): "implied `" + ("true" if d is True else str(d)) + "`"
                       for o, _, d in ISOLATION_MAP if d is not None}


@pytest.mark.parametrize("old, new", [(o, n) for o, n, _ in V030])
def test_a_v030_key_loads_as_its_v031_key(tmp_path, old, new):
    value = SAMPLES[new.split(".")[-1]]
    got = policies_of(tmp_path, {"policies": {"networkPolicy": nest(old, value)}}, "old")
    want = policies_of(tmp_path, {"policies": {"networkPolicy": nest(new, value)}}, "new")
    assert got == want
    if new.split(".")[-1] not in SAME_AS_DEFAULT:
        assert got != policies_of(tmp_path, {"policies": {}}, "default")


@pytest.mark.parametrize("old, new", [(o, n) for o, n, _ in V019_MAPPED])
def test_an_isolation_key_loads_as_its_policies_key(tmp_path, old, new):
    value = SAMPLES[new.split(".")[-1]]
    on = {"isolation": {"enabled": True}}
    got = policies_of(tmp_path, merge(on, nest(old, value)), "old")
    want = policies_of(tmp_path, merge(on, nest(new, value)), "new")  # an explicit policies value beats the implied
    assert got == want
    if new.split(".")[-1] not in SAME_AS_DEFAULT:
        assert got != policies_of(tmp_path, on, "enabled-only")


@pytest.mark.parametrize("old", V019_REFUSED + ["isolation.noSuchKey"])
def test_a_refused_isolation_key_is_an_error(tmp_path, old):
    value = "{enabled: true}" if old.endswith("nodeProxyPermission") else "x"
    problems = errors(tmp_path, f"isolation:\n  enabled: true\n  {old.split('.', 1)[1]}: {value}\n")
    assert any(old in p for p in problems), problems


def test_the_pages_example_becomes_what_it_says(tmp_path):
    blocks = re.findall(r"```yaml\n(.*?)```", section("vCluster v0.19 and earlier"), re.S)
    before, after = blocks[:2]
    assert before.startswith("isolation:") and after.startswith("policies:")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert load(tmp_path / "a", before).policies == load(tmp_path / "b", after).policies
