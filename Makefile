.PHONY: test run bench lint demo-data

## make test: install what is needed, then lint, type-check and run every test
test:
	scripts/test.sh

## make run: a real Home Assistant (the newest release, from the current lane) with reconnect, on http://127.0.0.1:8123
run:
	scripts/run.sh

## make bench: the benchmarks (setup, logging, storage, Assist) in both lanes; writes benchmarks/results/latest-LANE.*
bench:
	scripts/bench.sh

## make lint: fix what ruff can, and format
lint:
	scripts/ha-env current -- ruff check --fix .
	scripts/ha-env current -- ruff format .

## make demo-data: log a seeded 60-day history into the running dev HA (make run)
demo-data:
	scripts/ha-env current -- python scripts/dev_setup.py demo http://127.0.0.1:8123
