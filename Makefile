.PHONY: test run bench lint demo-data

## make test: install what is needed, then lint, type-check and run every test
test:
	scripts/test.sh

## make run: a real Home Assistant with reconnect, on http://127.0.0.1:8123
run:
	scripts/run.sh

## make bench: the benchmarks (setup, logging, storage, Assist); writes benchmarks/results/
bench:
	scripts/bench.sh

lint:
	scripts/bootstrap.sh
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

## make demo-data: log a seeded 60-day history into the running dev HA (make run)
demo-data:
	.venv/bin/python scripts/dev_setup.py demo http://127.0.0.1:8123
