.PHONY: test run lint

## make test: install what is needed, then lint, type-check and run every test
test:
	scripts/test.sh

## make run: a real Home Assistant with reconnect, on http://127.0.0.1:8123
run:
	scripts/run.sh

lint:
	scripts/bootstrap.sh test
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .
