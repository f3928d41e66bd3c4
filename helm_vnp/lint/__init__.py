"""`helm vnp lint`: what the cluster would refuse and where isolation leaks, before install.

The driver loads the ``Release`` (``helm_vnp.release.load``: a chart rendered by
the real ``helm template`` or ``--rendered`` files, through the same post-render
the post-renderer runs, so the linted release is exactly what would be
installed), then runs every enabled rule over it with its validated options
and returns the findings, sorted and filtered by ``--disable`` and the
per-object ``vnp.helm-plugin.io/disable`` annotation.  Config problems never abort a lint:
they become ``config.*`` findings and the lint goes on with the defaults.
Formats live in ``helm_vnp.report``; this package knows nothing of them.
"""
from __future__ import annotations

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.base.names import DISABLE_ANNOTATION
from helm_vnp.base.record import field, record
from helm_vnp.release.load import LoadOptions, load_release
from helm_vnp.release.model import ObjectRef, Release, Source
from helm_vnp.rules.rule import SEVERITY_ORDER, Finding, matches_any

PSS_LEVELS = ("baseline", "restricted")


@record
class LintOptions(LoadOptions):
    """What to lint (``LoadOptions``) and how: rules to skip, the Pod Security level, rule options."""
    disable: list[str] = field(default_factory=list)
    pss_level: str | None = None
    rule_options: list[str] = field(default_factory=list)  # --rule-option RULE.OPTION=VALUE
    lint_config: str | None = None  # --lint-config FILE; else .vnp-lint.yaml found from the working directory


@record
class LintReport:
    findings: list[Finding]
    rules: list  # the enabled LintRules, sorted by ID
    objects: int  # chart objects linted (List items count one each)
    generated: int  # objects vnp would add
    release: str
    namespace: str

    def counts(self) -> dict:
        by_severity = {s: 0 for s in ("error", "warning", "info")}
        by_rule: dict[str, int] = {}
        for f in self.findings:
            by_severity[f.severity] += 1
            by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
        return {"bySeverity": by_severity, "byRule": dict(sorted(by_rule.items())),
                "objects": self.objects, "generated": self.generated, "total": len(self.findings)}


def exit_code(report: LintReport, fail_on: str) -> int:
    """0 clean, 1 a finding at or above ``fail_on`` (error|warning|never)."""
    if fail_on == "never":
        return 0
    threshold = SEVERITY_ORDER[fail_on]
    return 1 if any(SEVERITY_ORDER[f.severity] >= threshold for f in report.findings) else 0


def run_lint(opts: LintOptions) -> LintReport:
    """Lint per ``opts``; raises VnpError for usage and input errors (exit 2)."""
    from helm_vnp.rules import registry

    _check_usage(opts)
    config = _lint_config(opts)
    disabled = config.disable + list(opts.disable)
    entries = registry.select(disabled)
    settings = _settings(opts, config)
    release = load_release(opts, registry.rule_ids())
    findings = []
    for rule in entries:
        findings += _run_rule(rule, release, settings[rule.id])
    findings = _drop_annotated([f for f in findings if not matches_any(f.rule, disabled)], release)
    findings.sort(key=_order)
    return LintReport(findings, entries, len(release.docs), len(release.generated), release.name, release.namespace)


def _check_usage(opts: LintOptions) -> None:
    from helm_vnp.rules import registry

    problems = []
    if opts.chart is None and not opts.rendered:
        problems.append(Problem("nothing to lint: give a CHART or --rendered PATH"))
    if opts.chart is not None and opts.rendered:
        problems.append(Problem("give a CHART or --rendered PATH, not both"))
    if opts.values.files.count("-") + list(opts.rendered).count("-") > 1:
        problems.append(Problem("standard input can be read only once: use '-' for one of -f and --rendered"))
    if opts.pss_level is not None and opts.pss_level not in PSS_LEVELS:
        problems.append(Problem(f"invalid value {opts.pss_level!r} (expected baseline or restricted)",
                                path="--pss-level", expected="baseline or restricted"))
    unknown = registry.unknown_patterns(opts.disable)
    if unknown:
        problems.append(Problem(f"--disable names no rule: {', '.join(unknown)}", path="--disable",
                                hint="`helm vnp lint --list-rules` lists them"))
    problems += opts.values.unreadable()
    if problems:
        raise VnpError(problems)


def _lint_config(opts: LintOptions):
    """The lint config file (``--lint-config``, else the nearest ``.vnp-lint.yaml``), its ``disable``
    checked like ``--disable``."""
    from helm_vnp.rules.options import LintConfig, find_config, read_config
    from helm_vnp.rules.registry import rule_ids
    from helm_vnp.rules.rule import unknown_patterns

    path = opts.lint_config or find_config()
    config = read_config(path) if path else LintConfig()
    unknown = unknown_patterns(config.disable, rule_ids())
    if unknown:
        raise VnpError(Problem(f"disable names no rule: {', '.join(unknown)}", file=config.file, path="disable",
                               hint="`helm vnp lint --list-rules` lists them"))
    return config


def _settings(opts: LintOptions, config) -> dict[str, dict]:
    """Every rule's options: defaults, then the lint config file, then ``--pss-level`` and ``--rule-option``."""
    from helm_vnp.rules.options import Setting, parse_flag, resolve
    from helm_vnp.rules.registry import all_rules

    settings = list(config.settings)
    if opts.pss_level:
        settings.append(Setting("pss", "level", opts.pss_level, path="--pss-level"))
    settings += [parse_flag(text) for text in opts.rule_options]
    return resolve(all_rules(), settings)


def _run_rule(rule, release: Release, options: dict) -> list[Finding]:
    try:
        return list(rule.check(release, options))
    except VnpError as exc:  # a rule read a document that is not YAML: report it, keep going
        p = exc.problems[0]
        return [Finding("stream.yaml", "error", p.message, ObjectRef(), Source(p.file or "", p.line or 0))]
    except RecursionError:  # a 10,000-level document: what the API server refuses too
        return [Finding("stream.yaml", "error", f"a document nests too deeply for rule {rule.id} to read it",
                        ObjectRef(), Source())]
    except Exception as exc:  # a bug in the rule: show it as a finding rather than lose the run
        return [Finding(rule.id, "error", f"internal error in rule {rule.id}: {type(exc).__name__}: {exc} "
                        "(please report it)", ObjectRef(), Source())]


def _drop_annotated(findings: list[Finding], release: Release) -> list[Finding]:
    """Drop findings on objects whose ``vnp.helm-plugin.io/disable`` annotation names their rule."""
    opted_out: dict[ObjectRef, list[str]] = {}
    for doc in release.docs:
        value = doc.annotations.get(DISABLE_ANNOTATION) if DISABLE_ANNOTATION.encode() in doc.raw else None
        if value:
            opted_out[release.ref(doc)] = [p for p in value.split(",") if p.strip()]
    if not opted_out:
        return findings
    return [f for f in findings if not matches_any(f.rule, opted_out.get(f.object, ()))]


def _order(f: Finding):
    has_object = bool(f.object.kind or f.object.name)
    return (has_object, f.source.file, f.source.line, f.object.label(), f.rule, f.container or "", f.message)
