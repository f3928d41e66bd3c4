"""Helm's precedence: later -f files win, maps merge, lists are replaced, --set wins, null deletes."""
from helm_vnp.config.loader import merged_values
from helm_vnp.config.merge import coalesce
from helm_vnp.config.sources import set_flags
from tests.config.helpers import load, write


def merged(files, sets=(), set_strings=(), set_jsons=()):
    data = [(f, open(f, "rb").read()) for f in files]
    values, _, problems = merged_values(data, set_flags(sets, set_strings, set_jsons))
    assert problems == []
    return values


def test_later_file_wins_maps_merge_lists_replace(tmp_path):
    a = write(tmp_path, "a.yaml", "policies: {keep: 1, over: 1, list: [1, 2, 3]}\nw: 1\n")
    b = write(tmp_path, "b.yaml", "policies: {over: 2, list: [9]}\nz: 2\n")
    assert merged([a, b]) == {"policies": {"keep": 1, "over": 2, "list": [9]}}  # vnp keeps only its own keys


def test_set_beats_files_and_set_string_beats_set(tmp_path):
    a = write(tmp_path, "a.yaml", "x: {a: 1, b: 1}\n")
    values = merged([a], sets=["x.a=2,x.c=3"], set_strings=["x.c=4"], set_jsons=['x.b={"j":1}', "x.a=7"])
    # order: files, --set-json, --set, --set-string
    assert values == {"x": {"a": 2, "b": {"j": 1}, "c": "4"}}


def test_null_kept_while_merging_then_deletes_key_and_default():
    user = {"q": {"requests.cpu": None, "extra": "1"}, "gone": None}
    assert coalesce(user, {"q": {"requests.cpu": "10", "limits.cpu": "20"}, "gone": 5, "kept": 1}) == \
        {"q": {"limits.cpu": "20", "extra": "1"}, "kept": 1}


def test_null_removes_a_quota_default(tmp_path):
    cfg = load(tmp_path, "policies:\n  resourceQuota:\n    enabled: true\n"
                         "    quota: {requests.storage: null, count/pods: 5}\n")
    quota = cfg.policies["resourceQuota"]["quota"]
    assert "requests.storage" not in quota and quota["count/pods"] == "5" and quota["requests.cpu"] == "10"


def test_list_set_by_user_replaces_default_except(tmp_path):
    cfg = load(tmp_path, "policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n"
                         "        except: [10.0.0.0/8]\n")
    assert cfg.policies["networkPolicy"]["workload"]["publicEgress"]["ipBlocks"][0] == \
        {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}


def test_origins_name_file_and_line_or_set_flag(tmp_path):
    a = write(tmp_path, "a.yaml", "policies:\n  networkPolicy:\n    enabled: false\n    labels: {team: a}\n")
    b = write(tmp_path, "b.yaml", "other: 1\npolicies:\n  networkPolicy:\n    labels: {team: b}\n")
    from helm_vnp.config import ValuesInput, load_config

    cfg = load_config(ValuesInput([a, b], sets=["policies.networkPolicy.enabled=true"]), use_cache=False)
    assert cfg.policies["networkPolicy"]["enabled"] is True
    assert cfg.origins["policies.networkPolicy.enabled"] == ("--set", None)
    assert cfg.origins["policies.networkPolicy.labels.team"] == (b, 4)
    assert cfg.policies["networkPolicy"]["labels"] == {"team": "b"}


def test_stdin_values(tmp_path):
    from helm_vnp.config import ValuesInput, load_config

    cfg = load_config(ValuesInput(["-"], stdin=b"policies: {podSecurityStandard: restricted}\n"), use_cache=False)
    assert cfg.policies["podSecurityStandard"] == "restricted"
    assert cfg.origins["policies.podSecurityStandard"] == ("<stdin>", 1)


def test_yaml_11_booleans_like_helm(tmp_path):
    cfg = load(tmp_path, "policies:\n  networkPolicy:\n    enabled: yes\n")
    assert cfg.policies["networkPolicy"]["enabled"] is True


def test_unrelated_top_level_keys_are_ignored(tmp_path):
    cfg = load(tmp_path, "image: {repository: nginx}\nreplicaCount: 3\n")
    assert cfg.policies["networkPolicy"]["enabled"] is False and cfg.warnings == []


def test_misspelt_policies_is_a_warning(tmp_path):
    cfg = load(tmp_path, "polices:\n  podSecurityStandard: baseline\n")
    assert [w.render().replace(str(tmp_path) + "/", "") for w in cfg.warnings] == \
        ['values.yaml:1: polices: top-level key "polices" is not read by helm-vnp (did you mean "policies"?)']


def test_values_files_helm_accepts_are_accepted(tmp_path):
    """A chart key repeated (Helm keeps the last), a trailing `---`, several documents (merged, as Helm 4 does)."""
    from helm_vnp.config import ValuesInput, load_config
    path = tmp_path / "values.yaml"
    path.write_text("greeting: a\ngreeting: b\npolicies:\n  networkPolicy:\n    enabled: true\n---\n")
    assert load_config(ValuesInput([str(path)]), use_cache=False).policies["networkPolicy"]["enabled"] is True
    path.write_text("image: x\n---\npolicies:\n  resourceQuota:\n    enabled: true\n---\n"
                    "policies:\n  networkPolicy:\n    enabled: true\n")
    loaded = load_config(ValuesInput([str(path)]), use_cache=False)
    assert loaded.policies["networkPolicy"]["enabled"] is True and loaded.policies["resourceQuota"]["enabled"] is True
    assert loaded.origins["policies.networkPolicy.enabled"] == (str(path), 9)
