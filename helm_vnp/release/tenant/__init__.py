"""Tenant guardrails at render time (issue 17): ``base`` (what a rule reports), ``classes`` (allowed and default
runtime, priority, storage, ingress and gateway classes).  The framework that runs every group is tenant-checks'."""
