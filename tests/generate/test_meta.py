"""Object names: always a valid DNS subdomain, stable, and distinct for distinct inputs."""
from __future__ import annotations

import re

import pytest

from helm_vnp.generate.meta import object_name

SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


def test_short_valid_names_are_kept_as_is():
    assert object_name("shop", "deployment", "web.v2") == "vnp-shop-deployment-web.v2"


@pytest.mark.parametrize(
    "parts",
    [
        ("shop", "deployment", "a" * 260),
        ("shop", "deployment", "b" * 240 + "." + "c" * 20),
        ("shop", "deployment", "x" * 236 + "-" * 10 + "y"),  # the cut lands on dashes
        ("shop", "deployment", "Web_Server"),  # not valid as written
        ("shop", "deployment", "web-"),
        ("shop", "deployment", "a..b"),
    ],
)
def test_names_are_always_valid_and_stable(parts):
    name = object_name(*parts)
    assert len(name) <= 253 and SUBDOMAIN.fullmatch(name), name
    assert name == object_name(*parts)
    assert name.startswith("vnp-shop-deployment-")


def test_cut_names_stay_distinct():
    a, b = object_name("shop", "job", "z" * 300 + "1"), object_name("shop", "job", "z" * 300 + "2")
    assert a != b and a[:-9] == b[:-9]


def test_repaired_names_do_not_collide_with_valid_ones():
    assert object_name("shop", "deployment", "Web") != object_name("shop", "deployment", "web")
