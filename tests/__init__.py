"""helm-vnp's tests, as a package: helper modules import by their path (``tests.rules.rulekit``)
and same-named test files in different folders are different modules."""
