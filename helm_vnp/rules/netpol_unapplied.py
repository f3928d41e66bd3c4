"""netpol.unapplied: a mapping or rewrite the config asks for that vnp cannot apply.

**What it checks.** What the post-renderer would refuse (exit 2) among the
isolation features that change or add objects on request:

- ``mapServices.fromHost``/``fromVirtual`` entries whose Service would land in
  another namespace than the release's while ``networkPolicy.otherNamespaces``
  is ``refuse``, whose name the chart already renders, that are mapped twice, or
  (``fromVirtual``) that name a Service the release does not render or one
  without a selector;
- ``networkPolicy.confineChartPolicies``: a chart NetworkPolicy that cannot be
  rewritten safely (a YAML anchor, alias or merge key on its rules, a layout the
  planner cannot edit), or confinement asked for while the release's pods carry
  no release label (isolation off, or ``selection: workloadSelectors``).

**Why.** Each is isolation or connectivity the user asked for and would not
get; the post-renderer fails closed rather than install a release that is half
of what was configured, and lint says so before install, for every entry at
once.

**Example that triggers it** (release namespace ``team-a``)::

    mapServices:
      fromHost:
        - {from: shared/postgres, to: team-b/db}

**Fix.** Map into the release namespace (``team-a/db``), or set
``policies.networkPolicy.otherNamespaces: allow``; for a chart policy, write it
in plain YAML, or leave ``confineChartPolicies`` off (``netpol.chartWidens``
shows what the chart policy opens).  See docs/services-and-projects.md.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import ObjectRef, Release, Source
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="netpol.unapplied", severity="error",
            summary="a service mapping or chart-policy confinement the config asks for cannot be applied")


def check(release: Release, options: dict) -> Iterable[Finding]:
    for u in release.unapplied:
        where = Source(u.file, u.line) if u.file else release.config_source(u.path)
        text = f"{u.path}: {u.message}" + (f"; {u.hint}" if u.hint else "")
        yield Finding(RULE.id, RULE.severity, text, ObjectRef(), where)
