"""Every lint rule, one module each, all of one shape (yamllint's ``rules/``).

A module declares ``RULE`` (ID, default severity, summary, options with types
and defaults) and a pure ``check(release, options)``; its docstring is the
rule's documentation page (``helm-vnp docs``).  ``registry`` lists the modules
explicitly; ``pod_security`` declares the ``pss.*`` family from the Pod Security
engine's checks; ``options`` validates what users set (``--rule-option``,
``.vnp-lint.yaml``); ``rule`` defines ``Rule``, ``Option`` and ``Finding``.
Rules read the ``Release`` model and ``helm_vnp.k8s`` semantics, nothing else.
"""
