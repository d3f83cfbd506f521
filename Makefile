# cxtoolkit — on a fresh machine: `make demo`, `make test`, `make docs`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed
# what the test suite needs on top of the package: test tools, browser driver, Dask, docs builder
EXTRAS  = test,browser,dask,docs

.PHONY: demo test docs venv bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[$(EXTRAS)]"
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

venv: $(STAMP)

# the checkout is the working folder: client_data/demo/ and reports/ are created here
demo: $(STAMP)
	$(VENV)/bin/cxtoolkit demo

test: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider

# static documentation site in site/ (strict: a broken link or a missing page fails)
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir site

bench: $(STAMP)
	$(PY) benchmarks/bench_kpis.py

clean:
	rm -rf $(VENV) reports site .pytest_cache
