"""A small stand-in for the GitHub Actions runner, enough to run a composite action's `run:` steps as the runner
does: `${{ }}` expressions in env/with/working-directory substituted before the step starts, each step a
`bash --noprofile --norc -eo pipefail` script with its own GITHUB_OUTPUT / GITHUB_PATH / GITHUB_STEP_SUMMARY
files, outputs and PATH additions carried to later steps, the action's outputs from its `outputs:` map.
`uses:` steps (setup-python, setup-helm, upload-sarif) are not run: their conditions are evaluated and recorded,
and the tools they would set up come from the test's PATH."""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass
class ActionRun:
    code: int  # the action's result: the exit code of the step that failed, else 0
    outputs: dict
    log: str  # every run step's stdout and stderr, in order (annotations are its ::lines)
    summary: str
    ran: list = field(default_factory=list)  # names of the steps run (or, for uses: steps, taken)
    skipped: list = field(default_factory=list)


class Context:
    def __init__(self, inputs: dict, workspace: Path, action_path: Path):
        self.inputs, self.steps = inputs, {}
        self.github = {"workspace": str(workspace), "action_path": str(action_path)}

    def value(self, expr: str) -> str:
        parts = expr.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return str(self.inputs[parts[1]])
        if parts[0] == "github" and len(parts) == 2:
            return self.github[parts[1]]
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return self.steps.get(parts[1], {}).get(parts[3], "")
        raise AssertionError(f"expression the stand-in runner does not know: {expr}")

    def substitute(self, text) -> str:
        return _EXPR.sub(lambda m: self.value(m.group(1)), str(text))

    def condition(self, cond: str, failed: bool) -> bool:
        """`a != ''`, `a == 'x'`, `always()`, joined by &&; without always(), only when no step failed."""
        result, always = True, False
        for term in (t.strip() for t in cond.split("&&")):
            if term == "always()":
                always = True
                continue
            m = re.fullmatch(r"([\w.-]+)\s*(==|!=)\s*'([^']*)'", term)
            assert m, f"condition the stand-in runner does not know: {term}"
            left = self.value(m.group(1))
            result = result and ((left == m.group(3)) == (m.group(2) == "=="))
        return result and (always or not failed)


def load(action_yml: Path) -> dict:
    return YAML(typ="safe").load(action_yml.read_text())


def run_action(action_yml: Path, with_: dict, workspace: Path, env: dict, runner_temp: Path,
               reuse: dict | None = None) -> ActionRun:
    """Run the action's steps; ``reuse``: {step id: (outputs, path additions)} for steps run once already."""
    action = load(action_yml)
    inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    unknown = set(with_) - set(inputs)
    assert not unknown, f"inputs the action does not declare: {unknown}"
    inputs.update({k: str(v) for k, v in with_.items()})
    ctx = Context(inputs, workspace, action_yml.parent)
    path_add: list[str] = []
    log, summary, ran, skipped, code = [], [], [], [], 0
    for n, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {n}")
        cond = step.get("if")  # none: success(), the runner's default
        if not (code == 0 if cond is None else ctx.condition(cond, failed=code != 0)):
            skipped.append(name)
            continue
        ran.append(name)
        if "uses" in step:
            continue
        if reuse and step.get("id") in reuse:
            ctx.steps[step["id"]], more = reuse[step["id"]]
            path_add = more + path_add
            continue
        assert step.get("shell") == "bash", f"{name}: run steps must say shell: bash"
        files = {var: runner_temp / f"{n}-{var.lower()}" for var in ("GITHUB_OUTPUT", "GITHUB_PATH",
                                                                      "GITHUB_STEP_SUMMARY")}
        for f in files.values():
            f.write_text("")
        script = runner_temp / f"{n}-script.sh"
        script.write_text(step["run"])
        step_env = {**env, **{k: str(f) for k, f in files.items()}, "GITHUB_WORKSPACE": str(workspace),
                    "GITHUB_ACTION_PATH": str(action_yml.parent), "RUNNER_TEMP": str(runner_temp),
                    "GITHUB_ACTIONS": "true", "CI": "true"}
        step_env["PATH"] = ":".join([*path_add, env["PATH"]])
        step_env.update({k: ctx.substitute(v) for k, v in (step.get("env") or {}).items()})
        cwd = ctx.substitute(step.get("working-directory", str(workspace)))
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd,
                              env=step_env, capture_output=True, text=True, timeout=900)
        log.append(proc.stdout + proc.stderr)
        outputs = dict(line.split("=", 1) for line in files["GITHUB_OUTPUT"].read_text().splitlines() if line)
        if step.get("id"):
            ctx.steps[step["id"]] = outputs
        path_add = [p for p in files["GITHUB_PATH"].read_text().splitlines() if p] + path_add
        summary.append(files["GITHUB_STEP_SUMMARY"].read_text())
        if proc.returncode != 0:
            code = proc.returncode
    outputs = {k: ctx.substitute(v["value"]) for k, v in action.get("outputs", {}).items()}
    return ActionRun(code, outputs, "".join(log), "".join(summary), ran, skipped)
