# DeputyHome: `make run` serves the site with demo data, `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Reinstall the pinned requirements only when requirements.txt changes.
DEPS_STAMP := $(VENV)/.requirements.stamp
CHROMIUM := /usr/bin/chromium
# Debian's build of Chromium's headless shell (package chromium-headless-shell): the browser tests run in it
# (decision 172); the full browser stays installed beside it.
HEADLESS_SHELL := /usr/bin/chromium-headless-shell
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
DEMO_PASSWORD := Demo-2026!

.PHONY: run test test-sqlite test-postgres lint fmt deps system-deps test-assets bench

# Python keeps what it compiles (in __pycache__, which git ignores) even where the environment says not to
# (PYTHONDONTWRITEBYTECODE): otherwise every process, each test worker among them, compiled Django and our code
# again, and pytest rewrote the asserts of every test module again (about 5 s a worker).
unexport PYTHONDONTWRITEBYTECODE

$(PY):
	$(PYTHON) -m venv $(VENV)

# --no-compile: Python compiles a module the first time it is imported, so only the modules used are compiled
# (compiling every installed file took half of the install's 20 seconds).
$(DEPS_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --no-compile -r requirements.txt
	touch $@

deps: $(DEPS_STAMP)

# Chromium (its headless shell too) and CJK fonts for the browser tests; installed only when missing and we are root.
system-deps:
	@if [ -x $(CHROMIUM) ] && [ -x $(HEADLESS_SHELL) ] && [ -e $(CJK_FONT) ]; then \
		:; \
	elif [ "$$(id -u)" -eq 0 ]; then \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update </dev/null && apt-get install -y chromium chromium-headless-shell fonts-noto-cjk </dev/null; \
	else \
		echo "warning: chromium, chromium-headless-shell or fonts-noto-cjk is missing; as root:" \
			"apt-get install -y chromium chromium-headless-shell fonts-noto-cjk" >&2; \
	fi

# axe-core for the browser sweep's accessibility checks: used by the tests only, never served by the site.
AXE := var/npm/node_modules/axe-core/axe.min.js
AXE_VERSION := 4.14.1

test-assets:
	@if [ ! -e $(AXE) ]; then \
		if command -v npm >/dev/null 2>&1; then \
			mkdir -p var/npm && npm install --prefix var/npm --no-audit --no-fund --no-save axe-core@$(AXE_VERSION) </dev/null; \
		else \
			echo "warning: npm is missing; the browser sweep needs axe-core (apt-get install -y npm)" >&2; \
		fi; \
	fi

run: deps
	mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --noinput
	@# Exit 0: deputies exist; 10: none yet; anything else is an error and stops here.
	@status=0; DEBUG=1 $(PY) manage.py shell -v 0 -c "from deputyhome.deputies.models import Deputy; import sys; sys.exit(0 if Deputy.objects.exists() else 10)" || status=$$?; \
	if [ $$status -eq 10 ]; then \
		echo "Loading demo data (manage.py demo)..."; \
		DEBUG=1 $(PY) manage.py demo; \
	elif [ $$status -ne 0 ]; then \
		exit $$status; \
	else \
		echo "Database already has deputies; demo data not loaded again."; \
	fi
	@echo
	@echo "Demo logins (password for all: $(DEMO_PASSWORD); the local demo runs without the TOTP second factor, OTP_REQUIRED=0)"
	@echo "  city        市人大常委会代工委工作人员"
	@echo "  township    乡镇（街道）人大工作人员（六角亭街道）"
	@echo "  townshipcongress  乡镇人大工作人员（白杨坪镇人大主席团办公室）"
	@echo "  group       代表小组组长"
	@echo "  deputy      人大代表"
	@echo "  unit        承办单位经办人（市住房和城乡建设局）"
	@echo "  townshipunit      承办单位经办人（白杨坪镇农业服务中心）"
	@echo "  supervisor  督办人员"
	@echo "  leader      领导"
	@echo "  sysadmin    系统管理员"
	@echo "  secadmin    安全管理员"
	@echo "  auditor     审计管理员"
	@echo
	@echo "Serving http://127.0.0.1:8000  (Ctrl-C to stop)"
	DEBUG=1 OTP_REQUIRED=0 $(PY) manage.py runserver 127.0.0.1:8000

# DEPUTYHOME_TESTING=1 lets settings load without SECRET_KEY. Tests never read a developer's
# DATABASE_URL by accident: the SQLite run unsets it, the PostgreSQL run gets its own.
# pytest-xdist runs the tests in TEST_WORKERS processes per database, each with its own test database (SQLite in
# memory; on PostgreSQL test_deputyhome_gw0, _gw1, ... in one throwaway cluster). Whole files go to
# one worker (--dist loadfile), so a module's fixtures (the demo city, the security data set) are
# built once; the longest files are handed out first (conftest.py, LONG_FILES_FIRST). TEST_WORKERS=0 runs
# everything in this one process.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -ra -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=10
# The large test data sets (the demo city) are built once per database kind and shared by the test processes
# of this run (deputyhome/testing_snapshots.py, cached_snapshot); a new run starts from an empty folder.
SNAPSHOTS := $(CURDIR)/var/test-snapshots
test test-sqlite test-postgres: export DEPUTYHOME_TESTING := 1
test test-sqlite test-postgres: export DEPUTYHOME_SNAPSHOT_CACHE := $(SNAPSHOTS)
test: deps system-deps test-assets
	rm -rf $(SNAPSHOTS)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(PY) scripts/check_file_sizes.py
	@# bandit and the migrations' check side by side (each takes one core for a few seconds).
	$(BIN)/bandit -q -r deputyhome config -x '*/tests/*,*/migrations/*' --severity-level high & bandit=$$!; \
		DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run || exit 1; \
		wait $$bandit
	@# One database after the other: side by side (make -j2) four workers on two cores took longer (decision 88).
	$(MAKE) --no-print-directory test-sqlite test-postgres

# One pytest run per database, the browser tests among the others on PostgreSQL: a browser test empties the database
# after itself, and the migrations' rows are put back at once (conftest.py, `_refill_after_flush`), so the next file of
# the worker finds them (decision 103).
# The browser tests (marker `browser`: the sweep of every page and the journeys) run on PostgreSQL, the database a
# deployment uses: what a browser adds (scripts, htmx swaps, CSP, layout, axe) is the same on either database, and
# every request they make is also made on both databases by the view tests and the crawlers of core/tests
# (decisions 97 and 104). The personal-data crawl (marker `crawl`: every page as every role, for full ID numbers
# and phones) runs on SQLite only, as the sweep, its walk of every page as every role, runs on PostgreSQL: what it
# looks for is decided in Python; every route is still requested on both by the IDOR tests and the fuzz (decision 107).
# The check that the demo is built the same from the same seed runs on SQLite only too (marker `sqlite_only`, decision
# 158): the draws from the seed are decided in Python.
test-sqlite: deps
	@echo "== pytest on SQLite =="
	env -u DATABASE_URL $(PYTEST) -m "not browser"

test-postgres: deps
	@echo "== pytest on PostgreSQL =="
	scripts/with-postgres.sh $(PYTEST) -m "not crawl and not sqlite_only"

lint: deps
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

fmt: deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The province-scale bench (docs/decisions.md, "make bench"): builds the bench province at SCALE (1: 100,000
# deputies) on a throwaway PostgreSQL, or with DB=sqlite in var/bench/bench.sqlite3, then times every main page
# as each persona against the floor, and the import, exports, annual report and similar lookup. Results:
# var/bench/latest.json and latest.md. BENCH_ROUNDS rounds per page (default 5); BENCH_ARGS more bench_run options.
SCALE ?= 1
DB ?= postgres
BENCH_ROUNDS ?= 5
bench: deps
	mkdir -p var/bench
	@if [ "$(DB)" = "sqlite" ]; then \
		rm -f var/bench/bench.sqlite3 var/bench/bench.sqlite3-wal var/bench/bench.sqlite3-shm; \
		DATABASE_URL=sqlite:///$(CURDIR)/var/bench/bench.sqlite3 SCALE=$(SCALE) BENCH_ROUNDS=$(BENCH_ROUNDS) \
			PY=$(PY) scripts/bench.sh; \
	else \
		SCALE=$(SCALE) BENCH_ROUNDS=$(BENCH_ROUNDS) PY=$(PY) scripts/with-postgres.sh scripts/bench.sh; \
	fi
