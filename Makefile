# Article Viewer: every target does the setup it needs, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test test-fast lint bench bench-50k clean install-desktop uninstall-desktop

setup: $(STAMP)

# Reinstall only when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	# An editable install compiles nothing: compile now, so the first start does not pay for it.
	$(PY) -m compileall -q -j 0 viewer benchmarks
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m viewer --corpus corpus

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# The fast loop while working: everything but the tests marked slow (over ~2 s each).
test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not slow"

# Format check, lint and static types (configured in pyproject.toml); `ruff format` fixes the first.
lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

# Also start-up, memory and first launch at 50,000 articles (generating and indexing it once
# takes many minutes; later runs reuse it from benchmarks/_data).
bench-50k: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks --with-50k

# The application menu entry, icon and AppStream metadata for this user, launching this
# checkout's .venv (a wheel install carries the same files in its share/ data).
DATA_HOME ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
DESKTOP_FILES := applications/article-viewer.desktop metainfo/article-viewer.metainfo.xml \
	icons/hicolor/scalable/apps/article-viewer.svg

install-desktop:
	install -d $(DATA_HOME)/applications $(DATA_HOME)/metainfo $(DATA_HOME)/icons/hicolor/scalable/apps
	sed 's|^Exec=article-viewer|Exec=$(abspath $(VENV))/bin/article-viewer|' \
		resources/desktop/article-viewer.desktop > $(DATA_HOME)/applications/article-viewer.desktop
	install -m 644 resources/desktop/article-viewer.metainfo.xml $(DATA_HOME)/metainfo/
	install -m 644 resources/icons/article-viewer.svg $(DATA_HOME)/icons/hicolor/scalable/apps/
	-update-desktop-database -q $(DATA_HOME)/applications 2>/dev/null
	@echo "Article Viewer is in the application menu (run 'make setup' first if .venv is missing)."

uninstall-desktop:
	rm -f $(addprefix $(DATA_HOME)/,$(DESKTOP_FILES))

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
