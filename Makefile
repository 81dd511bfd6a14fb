# bpcourse: `make lab` to work, `make test` to check everything. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The course's JupyterLab settings (no news question, no update check), installed in the venv.
LAB_SETTINGS := jupyter/lab/settings/overrides.d/bpcourse.json
LAB_SETTINGS_INSTALLED := $(VENV)/share/jupyter/lab/settings/overrides.d/bpcourse.json
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: grade lock student-repo hub-deps help setup lab test test-browser browser-deps lint format execute figures slides handouts site student doctor clean

help:
	@echo "make lab           set up .venv (first time) and start JupyterLab on notebooks/"
	@echo "make test          set up .venv, then ruff, the decks (slides/, for their export tests), unit tests, every notebook under nbval"
	@echo "make test-browser  install Chromium + Playwright, print the handouts, run the browser tests"
	@echo "make execute       re-run every notebook and store its outputs (Restart & Run All)"
	@echo "make figures       regenerate figures/ from the notebooks"
	@echo "make slides        export the lecture decks to slides/ (SOLUTIONS=1: also slides/solutions/)"
	@echo "make handouts      print every deck to handouts/: one slide per page, and two per A4 sheet"
	@echo "make site          build the course website into site/ from the stored outputs, offline"
	@echo "make student       write the student edition to student/"
	@echo "make student-repo DEST=DIR  publish the student repository (a git repo) into DIR"
	@echo "make lock          move .venv to the newest allowed versions, write requirements.lock"
	@echo "make doctor        check this environment and say how to fix it"
	@echo "make grade SUBMISSIONS=DIR  grade submitted notebooks into grades/ (CSV + feedback)"

# The venv is made once and refreshed when requirements.txt, requirements.lock or
# pyproject.toml change; it gets the lock's versions, exactly those a class gets.
$(STAMP): requirements.txt requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "bpcourse needs Python 3.10 or newer; found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

$(LAB_SETTINGS_INSTALLED): $(LAB_SETTINGS) $(STAMP)
	$(BIN)/python -m bpcourse setup-lab

setup: $(STAMP) $(LAB_SETTINGS_INSTALLED)

lab: setup
	$(BIN)/jupyter trust notebooks/*.ipynb
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/

lint: setup
	$(BIN)/ruff check bpcourse tests notebooks benchmarks tools

format: setup
	$(BIN)/ruff format bpcourse tests notebooks benchmarks tools

test: lint slides
	$(BIN)/python -m pytest -m "not browser"

# The JupyterHub of tests/browser/test_hub.py: a Python with requirements.lock and
# deploy/hub-requirements.txt, and configurable-http-proxy from npm (tools/make_hub_env.py).
HUB_STAMP := build/hub/.installed
$(HUB_STAMP): requirements.lock deploy/hub-requirements.txt tools/make_hub_env.py
	$(PYTHON) tools/make_hub_env.py build/hub
	touch $(HUB_STAMP)

hub-deps: $(HUB_STAMP)

browser-deps: setup $(HUB_STAMP)
	@command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium and poppler-utils (needs root)"; \
	  apt-get update -q && apt-get install -y -q chromium poppler-utils; }
	$(BIN)/python -m pip install --quiet -r tests/browser/requirements.txt -c requirements.lock

test-browser: browser-deps handouts site
	$(BIN)/python -m pytest -m browser tests/browser

execute: setup
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=300 notebooks/*.ipynb

figures: setup
	$(BIN)/python tools/make_figures.py figures

# The lecture decks; SOLUTIONS=1 adds the instructor's decks and live notebooks (slides/solutions/).
slides: setup
	$(BIN)/python tools/build_slides.py $(if $(SOLUTIONS),--solutions)

# PDF handouts of the lecture decks, 1-up and 2-up on A4, printed by headless Chromium.
handouts: browser-deps slides
	$(BIN)/python tools/build_handouts.py

# The website: Sphinx + myst-nb + sphinx-book-theme, MathJax fetched once with npm; no kernel runs.
site: setup
	$(BIN)/python -m pip install --quiet -r tools/site_requirements.txt
	$(BIN)/python tools/build_site.py

student: setup
	$(BIN)/python tools/make_student.py notebooks student

# The repository a class clones: the student edition, the package, the pinned environment.
# Again on the same DEST: one more commit with what changed (how a fix is published).
student-repo: setup
	@test -n "$(DEST)" || { echo "usage: make student-repo DEST=DIR [MESSAGE='what you fixed']"; exit 2; }
	$(BIN)/python tools/make_student_repo.py "$(DEST)" $(if $(MESSAGE),-m "$(MESSAGE)")

# Move the class to the newest versions requirements.txt allows: upgrade .venv, write
# requirements.lock and environment.yml from it. Then make test, and commit both files.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade --upgrade-strategy eager -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python tools/make_lock.py

doctor: setup
	$(BIN)/python -m bpcourse doctor

# Grade a folder of submitted notebooks with the course's checks (see README, Running a class).
grade: setup
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=DIR [GRADES=grades]"; exit 2; }
	$(BIN)/python -m bpcourse grade "$(SUBMISSIONS)" --out "$(or $(GRADES),grades)"

clean:
	rm -rf slides handouts site student build test-artifacts
