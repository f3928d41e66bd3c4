"""The vnp-lint hook of .pre-commit-hooks.yaml, run by pre-commit itself as a user would: a scratch repository
whose .pre-commit-config.yaml names a git copy of this repository (tracked and new files, committed) by path and
rev; pre-commit builds the hook's environment (language: python: pip installs the package from that copy, its
dependencies from PyPI) and `git commit` runs the hook on the files the commit touches."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.integrations.kit import BAD, GOOD, VENV_BIN, clean_env, copy_chart, git, repo_snapshot, run

PRE_COMMIT = VENV_BIN / "pre-commit"


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory):
    """This repository as a git repository pre-commit can clone (its current files, committed)."""
    if not PRE_COMMIT.exists():
        pytest.fail(f"pre-commit is not installed in {VENV_BIN}: it is in the test extra (make venv)")
    src = repo_snapshot(tmp_path_factory.mktemp("hooks") / "helm-vnp")
    git(src, "init", "-q", "-b", "main")
    git(src, "add", "-A")
    git(src, "commit", "-q", "-m", "snapshot")
    return src, git(src, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")  # one hook environment for the module's tests


def scratch(tmp_path, hooks_repo, args: str = "", hook: str = "vnp-lint"):
    src, rev = hooks_repo
    repo = tmp_path / "work"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {src}\n    rev: {rev}\n    hooks:\n      - id: {hook}\n{args}")
    git(repo, "add", ".pre-commit-config.yaml")
    return repo


def env_for(tmp_path, pre_commit_home):
    # the pre-commit and git of a user's shell: pre-commit itself is a console script of the test venv
    env = clean_env(tmp_path / "home", PRE_COMMIT_HOME=str(pre_commit_home))
    # pip's download cache of the real home (HOME is a scratch one): the hook environment's packages once
    env.setdefault("PIP_CACHE_DIR", os.environ.get("PIP_CACHE_DIR") or os.path.expanduser("~/.cache/pip"))
    # helm-vnp must come from the hook's own environment, not from the test venv
    bindir = tmp_path / "home" / "bin"
    (bindir / "pre-commit").symlink_to(PRE_COMMIT)
    env["PATH"] = env["PATH"].replace(str(VENV_BIN), "/nonexistent-venv")
    return env


def test_hook_blocks_a_commit_of_a_bad_chart_and_lets_a_good_one_through(tmp_path, hooks_repo, pre_commit_home):
    repo = scratch(tmp_path, hooks_repo)
    env = env_for(tmp_path, pre_commit_home)
    assert shutil.which("helm-vnp", path=env["PATH"]) is None  # only the hook's environment has it
    installed = run(["pre-commit", "install"], repo, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    copy_chart(GOOD, repo / "charts" / "good")
    (repo / "notes.txt").write_text("not a chart\n")
    git(repo, "add", "-A")
    ok = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-m", "good"],
                        cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    said = ok.stdout + ok.stderr  # git commit: the hook's report on stderr
    assert "helm-vnp lint (charts the commit touches)" in said and "Passed" in said

    copy_chart(BAD, repo / "charts" / "bad")
    git(repo, "add", "-A")
    bad = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-m", "bad"],
                         cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    said = bad.stdout + bad.stderr
    assert "Failed" in said and "exit code: 1" in said
    assert "rbac.tenantEscape" in said and "charts/bad/templates/rbac.yaml:1" in said
    assert "charts/good" not in said  # only the chart the commit touches
    assert git(repo, "log", "--format=%s").split() == ["good"]


def test_hook_args_and_run_all_files(tmp_path, hooks_repo, pre_commit_home):
    # the usual args: the bad chart's error disabled by rule; its remaining warning passes at --fail-on error
    repo = scratch(tmp_path, hooks_repo, "        args: [--disable, rbac.tenantEscape, --fail-on, error]\n")
    env = env_for(tmp_path, pre_commit_home)
    copy_chart(BAD, repo / "charts" / "bad")
    git(repo, "add", "-A")
    proc = run(["pre-commit", "run", "--all-files"], repo, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout

    (repo / "charts" / "bad" / "templates" / "broken.yaml").write_text('{{ fail "broken on purpose" }}\n')
    git(repo, "add", "-A")
    broken = run(["pre-commit", "run", "--files", "charts/bad/templates/broken.yaml"], repo, env)
    assert broken.returncode == 1  # pre-commit's own code for a failed hook; the hook itself said 2
    assert "exit code: 2" in broken.stdout and "broken on purpose" in broken.stdout
    assert "Traceback" not in broken.stdout



def test_rendered_hook_lints_rendered_files_only(tmp_path, hooks_repo, pre_commit_home):
    repo = scratch(tmp_path, hooks_repo, hook="vnp-lint-rendered")
    env = env_for(tmp_path, pre_commit_home)
    (repo / "deploy" / "rendered").mkdir(parents=True)
    (repo / "deploy" / "rendered" / "admin.yaml").write_text(
        (BAD / "templates" / "rbac.yaml").read_text().replace("{{ .Release.Name }}", "r"))
    (repo / "other.yaml").write_text("- not\n- a kubernetes object\n")  # outside rendered/: not its business
    git(repo, "add", "-A")
    proc = run(["pre-commit", "run", "--all-files"], repo, env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "rbac.tenantEscape" in proc.stdout and "deploy/rendered/admin.yaml:1" in proc.stdout
    assert "stream.yaml" not in proc.stdout and "other.yaml" not in proc.stdout
