"""Tests of helm_vnp.generate (a package so its helpers import relatively)."""
