# helm-vnp: every target sets up what it needs (virtual environment, pinned Helm binaries).
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HELM4   := .tools/bin/helm4
HELMENV := HELM_DATA_HOME=$(CURDIR)/.tools/helm/data HELM_CONFIG_HOME=$(CURDIR)/.tools/helm/config HELM_CACHE_HOME=$(CURDIR)/.tools/helm/cache

.PHONY: all venv tools oracle chromium cluster-bin cluster cluster-down lint test demo bench fuzz docs docs-site plugin-package clean

all: test

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]' --config-settings editable_mode=compat
	rm -f $(VENV)/.installed-*; touch $@

venv: $(STAMP)

$(HELM4): tools/fetch_helm.py
	$(PY) tools/fetch_helm.py

tools: $(HELM4)

# the Go decoder the differential tests compare vnp with (tests/oracle); built once per source hash.
# Without go it is skipped (exit 2) and the tests that need it skip, saying why.
oracle:
	@$(PY) tools/build_go.py decoder || test $$? -eq 2

# a headless Chromium for the tests of `graph --format html` (tests/graph/test_html.py): on PATH, or Debian's
# package and the libraries this machine lacks unpacked into .tools/chromium without root (first time: about
# 15-60 s, ~150-350 MB).  When none can be had it says why (exit 2) and those tests skip; the build goes on.
chromium:
	@$(PY) tools/fetch_chromium.py >/dev/null || test $$? -eq 2

# the Kubernetes control plane the tests under tests/cluster install into (testinfra/cluster: etcd,
# kube-apiserver, kube-controller-manager v1.37.2 in one process); built once per source hash.
# A cold build downloads ~700 MB of Go modules and compiles for minutes (it says so, with progress).
cluster-bin:
	@$(PY) tools/build_go.py cluster >/dev/null || test $$? -eq 2

# start it in the background (state in .tools/cluster), wait until ready, print how to use it
cluster:
	@$(PY) tools/cluster.py up

cluster-down:
	@$(PY) tools/cluster.py down

lint: venv
	$(BIN)/ruff check .

test: venv tools oracle chromium cluster-bin lint
	$(BIN)/python -m pytest -q

demo: venv tools
	@$(BIN)/python examples/demo.py

bench: venv tools
	$(BIN)/python -m compileall -q helm_vnp  # as an installed plugin runs: byte-compiled (see bin/install-hook)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/netpol_engine.py --nca  # the connectivity engine at 100, 1,000, 5,000 workloads, vs nca
	$(BIN)/python benchmarks/netpol_engine.py --policies-per 200  # a fixed policy set: growth in workloads alone
	if [ -d ../shared/corpus ]; then $(BIN)/python benchmarks/netpol_engine.py --corpus ../shared/corpus; else echo 'netpol corpus bench skipped: ../shared/corpus is absent'; fi

fuzz: venv oracle
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[fuzz]'
	$(BIN)/python fuzz/run.py --target all --seconds $${FUZZ_SECONDS:-300}

docs: venv
	$(BIN)/python -m helm_vnp.config.docs > docs/config.md
	$(BIN)/helm-vnp docs --write

# the Helm plugin archive dist/vnp-<version>.tgz, signed (dist/vnp-<version>.tgz.prov) with the GnuPG key KEY from
# KEYRING (legacy format, default ~/.gnupg/secring.gpg); KEY unset: refused.  See docs/recipes/install.md.
plugin-package: tools
	$(PY) tools/package_plugin.py --key "$(KEY)" $(if $(KEYRING),--keyring "$(KEYRING)")

# the documentation site (mkdocs.yml, docs/) into site/; --strict: any warning fails the build
docs-site: venv
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

clean:
	rm -rf site $(VENV) .tools .bench-venv build *.egg-info
