"""integrations/helmfile/helmfile.yaml: its post-renderer and arguments given to the real Helm 3 and Helm 4 exactly
as helmfile passes them (`--post-renderer NAME --post-renderer-args=ARG` per item; helmDefaults' items rendered per
release, a release's own items replacing them), and, when a helmfile binary has been built here
(tools/fetch_helmfile.py), `helmfile template` itself."""
from __future__ import annotations

import shutil
import sys

import pytest
from ruamel.yaml import YAML

from tests.integrations.kit import REPO, clean_env, helm_path, run

EXAMPLE = REPO / "integrations" / "helmfile"
LABEL = "vnp.helm-plugin.io/release"
sys.path.insert(0, str(REPO / "tools"))
import fetch_helmfile  # noqa: E402


def helm_env(tmp_path, major):
    env = clean_env(tmp_path / "home", major)
    if major >= 4:  # Helm 4 runs post-renderers as plugins: this repository's, as `helm vnp install-postrenderer` does
        plugins = tmp_path / "home" / "helm" / "data" / "plugins"
        plugins.mkdir(parents=True, exist_ok=True)
        if not (plugins / "vnp-postrender").exists():
            (plugins / "vnp-postrender").symlink_to(REPO / "vnp-postrender")
        env["HELM_PLUGINS"] = str(plugins)
    return env


def helmfile_flags(release: dict, defaults: dict) -> list[str]:
    """What helmfile v1 adds to `helm template` for a release's post-renderer (pkg/state: appendPostRender*)."""
    flags = ["--post-renderer", release.get("postRenderer") or defaults["postRenderer"]]
    args = release.get("postRendererArgs") or [
        a.replace("{{ .Release.Name }}", release["name"]).replace("{{ .Release.Namespace }}", release["namespace"])
        for a in defaults.get("postRendererArgs", [])]
    return flags + [f"--post-renderer-args={a}" for a in args if a]


def by_release(stream: str) -> dict:
    out: dict = {}
    for doc in YAML(typ="safe").load_all(stream):
        if not doc:
            continue
        labels = doc["metadata"].get("labels") or {}
        tmpl = ((doc.get("spec") or {}).get("template") or {}).get("metadata", {}).get("labels", {})
        owner = labels.get(LABEL) or tmpl.get(LABEL) or doc["metadata"]["name"].split("-")[0]
        out.setdefault(owner, []).append(doc)
    return out


def check(stream: str):
    releases = by_release(stream)
    for name in ("web", "api"):
        kinds = {d["kind"] for d in releases[name]}
        assert {"Deployment", "Service", "NetworkPolicy"} <= kinds, (name, kinds)
        deployment = next(d for d in releases[name] if d["kind"] == "Deployment")
        assert deployment["spec"]["template"]["metadata"]["labels"][LABEL] == name
        assert all(d["metadata"].get("namespace") in (None, "shop") for d in releases[name])
    assert "ResourceQuota" in {d["kind"] for d in releases["web"]}
    assert "ResourceQuota" not in {d["kind"] for d in releases["api"]}  # its own --set turned it off


@pytest.mark.parametrize("major", [4, 3])
def test_the_examples_arguments_as_helmfile_passes_them(tmp_path, major):
    spec = YAML(typ="safe").load((EXAMPLE / "helmfile.yaml").read_text())
    env = helm_env(tmp_path, major)
    outputs = []
    for release in spec["releases"]:
        values = []
        for i, inline in enumerate(release.get("values", [])):  # helmfile writes inline values to temp files
            path = tmp_path / f"{release['name']}-values-{i}.yaml"
            YAML().dump(inline, path)
            values += ["-f", str(path)]
        proc = run(["helm", "template", release["name"], release["chart"], "--namespace", release["namespace"],
                    *values, *helmfile_flags(release, spec["helmDefaults"])], EXAMPLE, env)
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
    check("---\n".join(outputs))


@pytest.mark.parametrize("major", [4, 3])
def test_helmfile_template_runs_the_post_renderer(tmp_path, major):
    helmfile = fetch_helmfile.binary()
    if not helmfile.exists():
        pytest.skip(f"no helmfile binary at {helmfile}: build it with `python tools/fetch_helmfile.py` (go build of "
                    f"helmfile {fetch_helmfile.VERSION} from the Go module proxy: tens of minutes on 2 cores)")
    work = tmp_path / "example"
    shutil.copytree(EXAMPLE, work)
    env = helm_env(tmp_path, major)
    proc = run([helmfile, "--helm-binary", helm_path(major), "template", "--skip-deps"], work, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    check(proc.stdout)
    # a bad config fails the template (fail-closed), with the post-renderer's message
    (work / "vnp-values.yaml").write_text("policies:\n  networkPolicy:\n    enabled: maybe\n")
    bad = run([helmfile, "--helm-binary", helm_path(major), "template", "--skip-deps"], work, env)
    assert bad.returncode != 0 and "Deployment" not in bad.stdout
    if major == 3:  # Helm 4 discards a post-renderer's stderr (vnp tells helm's terminal instead)
        assert "networkPolicy.enabled" in bad.stderr + bad.stdout

