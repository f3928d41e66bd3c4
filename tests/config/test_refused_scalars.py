"""Values the API server refuses never pass validation (issue 13 item 4): non-finite numbers, and strings
that end in a newline (JSON Schema's ``$`` is the end of the string; Python's also matches before a "\\n")."""
from __future__ import annotations

import pytest

from helm_vnp.base.yamldump import dump
from helm_vnp.base.yamlload import load as load_yaml
from helm_vnp.config.validate import ecma_regex
from tests.config.helpers import errors, load


@pytest.mark.parametrize("number", [".inf", "-.Inf", ".nan"])
def test_non_finite_quota_is_refused(tmp_path, number):
    """Refused when the file is read, as Helm refuses it (sigs.k8s.io/yaml cannot make JSON of them)."""
    found = errors(tmp_path, f"policies:\n  resourceQuota:\n    enabled: true\n    quota:\n      pods: {number}\n")
    assert any(e.startswith('values.yaml:5: policies.resourceQuota.quota.pods:') and "infinity or NaN" in e
               for e in found), found


def test_out_of_range_number_is_the_string_helm_reads():
    """go-yaml v2 keeps `1e400` (out of float range) as the string "1e400", and the chart sees that string;
    so does vnp (a quantity the API server reads as 10^400)."""
    from helm_vnp.config.sources import parse_values_file

    src, problems = parse_values_file("v", b"policies:\n  resourceQuota:\n    quota:\n      pods: 1e400\n")
    assert problems == [] and src.data["policies"]["resourceQuota"]["quota"]["pods"] == "1e400"


@pytest.mark.parametrize("text,where", [
    ('policies:\n  resourceQuota:\n    enabled: true\n    quota:\n      pods: "1\\n"\n', "values.yaml:5:"),
    ('policies:\n  networkPolicy:\n    enabled: true\n    labels:\n      "team\\n": a\n', "values.yaml:5:"),
    ('policies:\n  networkPolicy:\n    enabled: true\n    labels:\n      team: "a\\n"\n', "values.yaml:5:"),
])
def test_trailing_newline_is_not_valid(tmp_path, text, where):
    assert any(e.startswith(where) for e in errors(tmp_path, text))


def test_dollar_is_the_end_of_the_string():
    assert ecma_regex("^[a-z]+$").search("team")
    assert not ecma_regex("^[a-z]+$").search("team\n")
    assert ecma_regex("^[$a]+$").search("$a$")


def test_dumped_strings_keep_a_trailing_newline():
    for value in ("team\n", "hello\n", "a\nb\n", "x"):
        assert load_yaml(dump({"k": value})) == {"k": value}


def test_one_line_block_annotation_keeps_its_newline(tmp_path):
    """``note: |`` with one line is "hello\\n"; the dumper wrote it plain (``note: hello``) and lost the newline."""
    from helm_vnp.base.yamldump import dump_all
    from helm_vnp.generate import generate_all
    config = load(tmp_path, "policies:\n  networkPolicy:\n    enabled: true\n    annotations:\n      note: |\n"
                            "        hello\n")
    objs = generate_all(config.policies, "app", "ns", [])
    text = dump_all(objs)
    notes = [d["metadata"]["annotations"]["note"] for d in map(load_yaml, text.split("---\n")[1:])
             if d["kind"] == "NetworkPolicy"]
    assert notes and all(n == "hello\n" for n in notes)
