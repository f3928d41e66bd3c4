"""Rule settings a user can change, validated in one place against what each rule declares.

Two sources, as linters usually have them (later wins):

* a lint config file, ``.vnp-lint.yaml`` (or ``.vnp-lint.yml``) found in the
  working directory or the nearest parent up to the repository root (the first
  directory holding ``.git``), or named with ``--lint-config FILE``::

      disable: [netpol.metadata]      # as --disable
      rules:
        quota.fit: {headroom: 0.9, nodes: 3}
        pss: {level: restricted}      # a family or glob sets every rule it names

* ``--rule-option RULE.OPTION=VALUE`` (repeatable), e.g.
  ``--rule-option quota.fit.nodes=3``.

A rule, family or glob that names no rule, an option none of the named rules
declares, a value of the wrong type, out of range or not among the choices is
an error (exit 2) that says where it was written and what is expected.
"""
from __future__ import annotations

import os

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.base.record import field, record
from helm_vnp.rules.rule import LintRule, Option, matches_any

CONFIG_NAMES = (".vnp-lint.yaml", ".vnp-lint.yml")
FLAG = "--rule-option"
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


@record(frozen=True)
class Setting:
    """One ``pattern.option = value`` as the user wrote it, and where."""
    pattern: str
    option: str
    value: object  # a str from a flag (converted to the option's type), YAML data from a file
    file: str | None = None
    line: int | None = None
    path: str = FLAG


@record
class LintConfig:
    """What a lint config file says: rules to disable and option settings."""
    file: str | None = None
    disable: list[str] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)


def find_config(start: str | None = None) -> str | None:
    """The nearest ``.vnp-lint.yaml`` from ``start`` (the working directory) up to the repository root."""
    here = os.path.abspath(start or os.getcwd())
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(here, name)
            if os.path.isfile(candidate):
                return candidate
        parent = os.path.dirname(here)
        if os.path.exists(os.path.join(here, ".git")) or parent == here:
            return None
        here = parent


def read_config(path: str) -> LintConfig:
    """Parse a lint config file; raises VnpError (located) when it is not what is documented."""
    from helm_vnp.base.yamlload import compose

    try:
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise VnpError(Problem(f"cannot read the lint config: {getattr(exc, 'strerror', None) or exc}",
                               file=path, path="--lint-config")) from None
    root = compose(text, path)
    config = LintConfig(file=path)
    if root is None:
        return config
    problems: list[Problem] = []
    top = _mapping(root, "", path, problems)
    for key, (knode, vnode) in top.items():
        if key == "disable":
            items = _plain(vnode)
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                problems.append(_at(vnode, path, "disable", "expected a list of rule IDs, families or globs"))
            else:
                config.disable = items
        elif key == "rules":
            for pattern, (pnode, onode) in _mapping(vnode, "rules", path, problems).items():
                for option, (okey, value) in _mapping(onode, f"rules[{pattern!r}]", path, problems).items():
                    config.settings.append(Setting(pattern, option, _plain(value), path, okey.start_mark.line + 1,
                                                   f"rules[{pattern!r}].{option}"))
        else:
            problems.append(_at(knode, path, key, "unknown key (expected disable or rules)"))
    if problems:
        raise VnpError(problems)
    return config


def parse_flag(text: str) -> Setting:
    """``RULE.OPTION=VALUE`` -> Setting; the rule ID is everything before the last dot of the name."""
    name, eq, value = text.partition("=")
    pattern, dot, option = name.strip().rpartition(".")
    if not eq or not dot or not pattern or not option:
        raise VnpError(Problem(f"invalid value {text!r} (expected RULE.OPTION=VALUE, e.g. quota.fit.nodes=3)",
                               path=FLAG, expected="RULE.OPTION=VALUE"))
    return Setting(pattern, option, value)


def resolve(rules, settings: list[Setting]) -> dict[str, dict]:
    """Rule ID -> every declared option with its value (defaults, then ``settings`` in order).

    Raises VnpError listing every problem with the settings."""
    resolved = {r.id: {o.name: o.default for o in r.options} for r in rules}
    declared = {r.id: {o.name: o for o in r.options} for r in rules}
    problems: list[Problem] = []
    for s in settings:
        named = [r for r in rules if matches_any(r.id, [s.pattern])]
        where = {"file": s.file, "line": s.line, "path": s.path}
        if not named:
            problems.append(Problem(f"{s.pattern!r} names no rule", hint="`helm vnp lint --list-rules` lists them",
                                    **where))
            continue
        having = [r for r in named if s.option in declared[r.id]]
        if not having:
            known = sorted({o.name for r in named for o in r.options})
            expected = ", ".join(known) if known else "none"
            problems.append(Problem(f"{_subject(s.pattern, named)} has no option {s.option!r} (options: {expected})",
                                    expected=expected, **where))
            continue
        value, error = convert(declared[having[0].id][s.option], s.value)
        if error:
            described = declared[having[0].id][s.option].describe()
            problems.append(Problem(f"{s.pattern}.{s.option}: {error} (expected {described})", expected=described,
                                    **where))
            continue
        for r in having:
            resolved[r.id][s.option] = value
    if problems:
        raise VnpError(problems)
    return resolved


def convert(option: Option, value) -> tuple[object, str | None]:
    """(value of the option's type, None) or (None, what is wrong); flag values arrive as text."""
    if isinstance(value, str) and option.type is not str:
        text = value.strip().lower()
        try:
            if option.type is bool:
                if text not in _TRUE + _FALSE:
                    raise ValueError
                value = text in _TRUE
            else:
                value = option.type(text)
        except ValueError:
            return None, f"invalid value {value!r} (expected {option.type.__name__})"
    if option.type is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, option.type) or (option.type is not bool and isinstance(value, bool)):
        return None, f"invalid value {value!r} (expected {option.type.__name__})"
    if option.choices and value not in option.choices:
        return None, f"invalid value {value!r}"
    if option.minimum is not None and (value < option.minimum
                                       or (option.exclusive_minimum and value == option.minimum)):
        return None, f"{value!r} is out of range"
    if option.maximum is not None and value > option.maximum:
        return None, f"{value!r} is out of range"
    return value, None


def _subject(pattern: str, named: list[LintRule]) -> str:
    return f"rule {named[0].id}" if len(named) == 1 and named[0].id == pattern else f"no rule named by {pattern!r}"


def _mapping(node, path: str, file: str, problems: list[Problem]) -> dict:
    """key -> (key node, value node) of a mapping node; a problem when it is something else."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    if not isinstance(node, MappingNode):
        problems.append(_at(node, file, path, "expected a mapping"))
        return {}
    out = {}
    for knode, vnode in node.value:
        if not isinstance(knode, ScalarNode):
            problems.append(_at(knode, file, path, "expected a text key"))
            continue
        out[str(knode.value)] = (knode, vnode)
    return out


def _plain(node):
    """A node as plain data (scalars typed as YAML reads them: numbers, booleans, text)."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if isinstance(node, SequenceNode):
        return [_plain(n) for n in node.value]
    if isinstance(node, MappingNode):
        return {str(k.value): _plain(v) for k, v in node.value}
    if isinstance(node, ScalarNode):
        return _scalar(node)
    return None


def _scalar(node):
    text, tag = node.value, node.tag
    tag = getattr(tag, "value", tag) or ""
    if node.style:  # quoted: text
        return text
    if tag.endswith(":bool") or text.lower() in ("true", "false"):
        return text.lower() == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return None if text in ("", "~", "null") else text


def _at(node, file: str, path: str, message: str) -> Problem:
    line = node.start_mark.line + 1 if node is not None and getattr(node, "start_mark", None) else None
    return Problem(message, path=path, file=file, line=line)
