"""Values the API server refuses never pass validation (issue 13 item 4): non-finite numbers, and strings
that end in a newline (JSON Schema's ``$`` is the end of the string; Python's also matches before a "\\n")."""
from __future__ import annotations

import pytest

from helm_vnp.base.yamldump import dump
from helm_vnp.base.yamlload import load as load_yaml
from helm_vnp.config.validate import ecma_regex
from tests.config.helpers import errors, load


@pytest.mark.parametrize("number", [".inf", "-.Inf", ".nan", "1e400"])
def test_non_finite_quota_is_refused(tmp_path, number):
    found = errors(tmp_path, f"policies:\n  resourceQuota:\n    enabled: true\n    quota:\n      pods: {number}\n")
    assert any(e.startswith('values.yaml:5: policies.resourceQuota.quota.pods:') and "finite" in e for e in found), \
        found


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
