"""Issue 13 item 6: no cache content can change what the post-renderer isolates.

Whoever can write the cache directory could plant or re-key an entry (its checksum is no
authentication) and the output then had no NetworkPolicy and no label.  Each case runs the real
``vnp-postrender`` against a cache that was tampered with and compares its output with a run that
uses no cache at all."""
import json
import os
import subprocess
from pathlib import Path

import pytest

from helm_vnp.config import cache

ROOT = Path(__file__).resolve().parents[2]
EXE = ROOT / ".venv" / "bin" / "vnp-postrender"
STREAM = (b"---\n# Source: c/templates/d.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
          b"spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
          b"    spec:\n      containers:\n        - name: app\n          image: nginx\n")
VALUES = "policies:\n  networkPolicy: {enabled: true}\n"
OTHER_UID = 54321


def render(cache_dir, values, *args, no_cache=False):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VNP_", "HELM_"))}
    env["VNP_CACHE_DIR"] = str(cache_dir)
    if no_cache:
        env["VNP_NO_CACHE"] = "1"
    out = subprocess.run([str(EXE), "-f", str(values), "--release", "r", *args], input=STREAM, env=env,
                         capture_output=True, check=True)
    return out.stdout, out.stderr.decode()


def only_entry(cache_dir) -> Path:
    [entry] = Path(cache_dir).glob("*.json")
    return entry


def forge(entry: Path, change) -> None:
    """Rewrite an entry's config as an attacker would, keeping it self-consistent (checksum fixed)."""
    data = json.loads(entry.read_bytes())
    change(data["config"]["policies"])
    data["sha256"] = cache._checksum(data["config"])
    entry.write_text(json.dumps(data))


def isolation_off(policies):
    policies["networkPolicy"]["enabled"] = False


def allow_all_egress(policies):
    policies["networkPolicy"]["workload"]["egress"] = [{}]


@pytest.fixture
def values(tmp_path):
    path = tmp_path / "values.yaml"
    path.write_text(VALUES)
    return path


@pytest.fixture
def expected(tmp_path, values):
    out, _ = render(tmp_path / "unused", values, no_cache=True)
    assert b"kind: NetworkPolicy" in out and b"vnp.helm-plugin.io/release: r" in out
    return out


def test_a_planted_entry_cannot_turn_isolation_off(tmp_path, values, expected):
    c = tmp_path / "c"
    assert render(c, values)[0] == expected
    forge(only_entry(c), isolation_off)
    assert render(c, values)[0] == expected


def test_a_rekeyed_entry_is_not_served(tmp_path, values, expected):
    """The entry another input made (here: every egress allowed), renamed to this input's key, its key
    field and checksum fixed: it carries other inputs than this run's, so it is a miss."""
    c = tmp_path / "c"
    render(c, values)
    mine = only_entry(c)
    other = tmp_path / "other.yaml"
    other.write_text("policies:\n  networkPolicy:\n    enabled: true\n    workload:\n      egress: [{}]\n")
    render(c, other)
    [theirs] = [e for e in c.glob("*.json") if e != mine]
    data = json.loads(theirs.read_bytes())
    assert data["config"]["policies"]["networkPolicy"]["workload"]["egress"] == [{}]
    data["key"] = mine.stem
    mine.write_text(json.dumps(data))
    assert render(c, values)[0] == expected


def test_an_entry_holds_digests_of_its_inputs_not_the_values(tmp_path, values):
    c = tmp_path / "c"
    render(c, values, "--set", "policies.networkPolicy.labels.team=s3cr3t-looking-7")
    raw = only_entry(c).read_text()
    assert "s3cr3t" not in raw.split('"config"')[0]
    inputs = json.loads(raw)["inputs"]
    assert inputs["files"][0][0].endswith(str(values.resolve())) and len(inputs["files"][0][1]) == 64
    assert inputs["flags"][0][0] == "--set" and len(inputs["flags"][0][1]) == 64


@pytest.mark.parametrize("how", ["group-writable", "world-writable", "foreign-owned"])
def test_an_untrusted_cache_directory_is_neither_read_nor_written(tmp_path, values, expected, how):
    c = tmp_path / "c"
    render(c, values)
    forge(only_entry(c), allow_all_egress)  # isolation stays on: only the directory check can refuse it
    if how == "foreign-owned":
        os.chown(c, OTHER_UID, OTHER_UID)
    else:
        os.chmod(c, 0o775 if how == "group-writable" else 0o777)
    out, err = render(c, values)
    assert out == expected
    assert err.count(f"the config cache {c} is not used") == 1, err
    assert ("owned by uid 54321" if how == "foreign-owned" else "writable by group or others") in err
    render(c, values, "--set", "policies.podSecurityStandard=baseline")
    assert len(list(c.glob("*.json"))) == 1  # nothing written there either


@pytest.mark.parametrize("how", ["group-writable", "foreign-owned", "symlink"])
def test_an_untrusted_entry_is_ignored(tmp_path, values, expected, how):
    c = tmp_path / "c"
    render(c, values)
    entry = only_entry(c)
    forge(entry, allow_all_egress)
    if how == "symlink":
        target = tmp_path / "elsewhere.json"
        entry.rename(target)
        entry.symlink_to(target)
    elif how == "foreign-owned":
        os.chown(entry, OTHER_UID, OTHER_UID)
    else:
        os.chmod(entry, 0o664)
    out, err = render(c, values)
    assert out == expected
    if how != "symlink":
        assert err.count("is ignored") == 1 and str(entry) in err
    st = entry.lstat()  # replaced by a private entry of this user's
    assert st.st_uid == os.geteuid() and st.st_mode & 0o777 == 0o600 and not entry.is_symlink()
    assert render(c, values) == (expected, "")


def test_a_new_cache_directory_is_private(tmp_path, values):
    c = tmp_path / "deep" / "c"
    render(c, values)
    assert c.stat().st_mode & 0o777 == 0o700
    assert only_entry(c).stat().st_mode & 0o777 == 0o600


def test_a_directory_made_by_someone_else_in_advance_is_not_used(tmp_path, values, expected):
    """A cache directory another user created first (e.g. under a shared HELM_CACHE_HOME)."""
    c = tmp_path / "c"
    c.mkdir(mode=0o755)
    os.chown(c, OTHER_UID, OTHER_UID)
    out, err = render(c, values)
    assert out == expected and "not used" in err
    assert list(c.iterdir()) == []


def test_the_shape_check_knows_every_top_level_key():
    """A key added to the config but not to POLICY_KEYS would make every entry a miss (slow, silently)."""
    from helm_vnp.config import load_config
    from helm_vnp.config.defaults import DEFAULT_POLICIES
    # mapServices is read from the values' top level (vCluster's key), so it has no place in DEFAULT_POLICIES
    assert cache.POLICY_KEYS == set(DEFAULT_POLICIES) | {"mapServices"} == set(load_config().policies)
