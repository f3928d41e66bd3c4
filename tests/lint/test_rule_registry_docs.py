"""The rule registry (every family, stable order, --disable patterns) and the generated docs/rules/."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import helm_vnp.rules
from helm_vnp.cli import app
from helm_vnp.k8s.podsecurity import CHECKS
from helm_vnp.rules import registry
from helm_vnp.rules.rule import matches_any

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"


def test_registry_combines_every_family_sorted_and_unique():
    entries = registry.all_rules()
    ids = [rule.id for rule in entries]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert {"pss." + c.id for c in CHECKS} <= set(ids)
    assert {"config.schema", "config.unsupported", "stream.yaml", "render.warning"} <= set(ids)
    for rule in entries:
        assert callable(rule.check) and rule.severity in ("error", "warning", "info")
        assert rule.summary and len(rule.doc.strip()) > 80, rule.id
    # a default run (no podSecurityStandard) lints against restricted as warnings
    assert all(rule.severity == "warning" for rule in entries if rule.id.startswith("pss."))


def test_every_rule_module_in_the_folder_is_registered():
    folder = Path(helm_vnp.rules.__file__).parent
    declaring = {p.stem for p in folder.glob("*.py") if "\nRULE = Rule(" in p.read_text()}
    assert declaring == {m.__name__.rsplit(".", 1)[1] for m in registry.RULE_MODULES}


def test_a_rule_module_that_cannot_be_imported_is_an_error_not_a_silent_drop(monkeypatch):
    monkeypatch.delattr(helm_vnp.rules, "quota_fit")
    monkeypatch.setitem(sys.modules, "helm_vnp.rules.quota_fit", None)  # importing it raises ImportError
    monkeypatch.delitem(sys.modules, "helm_vnp.rules.registry")
    with pytest.raises(ImportError):
        importlib.import_module("helm_vnp.rules.registry")
    monkeypatch.undo()
    importlib.reload(registry)


def test_disable_patterns():
    m = matches_any
    assert m("pss.privileged", ["pss.privileged"]) and m("pss.privileged", ["pss"]) and m("pss.privileged", ["pss.*"])
    assert m("pss.hostPorts", ["pss.host*"]) and m("netpol.dnsPort", ["*"]) and m("pss.privileged", [" pss "])
    assert not m("pss.privileged", ["pss.priv"]) and not m("pssx.a", ["pss"]) and not m("pss.privileged", [""])
    assert registry.unknown_patterns(["pss", "nope", "pss.zzz", "*"]) == ["nope", "pss.zzz"]


def test_committed_rule_docs_are_up_to_date():
    result = CliRunner().invoke(app, ["docs", "--check", "--dir", str(DOCS)])
    assert result.exit_code == 0, f"docs/rules/ is stale; run `helm-vnp docs --write`:\n{result.output}"
    pages = {p.name for p in DOCS.glob("*.md")}
    assert pages == {f"{rule.id}.md" for rule in registry.all_rules()} | {"README.md"}


def test_docs_write_and_check_round_trip(tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["docs", "--check", "--dir", str(tmp_path)]).exit_code == 1
    (tmp_path / "gone.rule.md").write_text("old")
    assert runner.invoke(app, ["docs", "--write", "--dir", str(tmp_path)]).exit_code == 0
    assert not (tmp_path / "gone.rule.md").exists()
    assert runner.invoke(app, ["docs", "--check", "--dir", str(tmp_path)]).exit_code == 0
    page = (tmp_path / "pss.runAsNonRoot.md").read_text()
    assert page.startswith("<!-- generated") and "# pss.runAsNonRoot" in page and "```yaml" in page
    assert "--disable pss.runAsNonRoot" in page
    index = (tmp_path / "README.md").read_text()
    assert "[`pss.runAsNonRoot`](pss.runAsNonRoot.md)" in index
