# SlimLab — the two set-up commands of README.md, and a few more.
#   make run    install readline, zlib and Fashion-MNIST if missing, build in release, start the REPL
#   make test   install them if missing, build, run every test (lessons included)
#   make install [PREFIX=/usr/local]   the binary in PREFIX/bin, Lessons and Datasets in
#               PREFIX/share/slimlab, where the binary finds them from any directory

SWIFT      ?= swift
CHECK      := --explicit-target-dependency-import-check error
CONFIG     ?= release
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PREFIX     ?= /usr/local
SHARE      := $(PREFIX)/share/slimlab

.PHONY: run test build install deps bench lessons bless clean

run: deps build
	./.build/$(CONFIG)/slimlab

build: deps
	$(SWIFT) build -c $(CONFIG) $(CHECK)

test: deps
	$(SWIFT) build -c $(CONFIG) $(CHECK)
	$(SWIFT) test -c $(CONFIG) $(CHECK) --parallel --xunit-output .build/xunit.xml
	@tests=$$(grep -o '<testcase ' .build/xunit.xml | wc -l); \
	 failed=$$(grep -o '<failure' .build/xunit.xml | wc -l); \
	 echo; echo "tests: $$((tests - failed)) passed, $$failed failed"; \
	 [ "$$tests" -gt 0 ] && [ "$$failed" -eq 0 ]

install: build
	install -d "$(PREFIX)/bin" "$(SHARE)"
	install -m 755 .build/$(CONFIG)/slimlab "$(PREFIX)/bin/slimlab"
	rm -rf "$(SHARE)/Lessons" "$(SHARE)/Datasets"
	cp -R Lessons Datasets "$(SHARE)/"

bench: deps
	$(SWIFT) run -c release $(CHECK) slimbench $(ARGS)

lessons: build
	./.build/$(CONFIG)/slimlab lesson check

bless: build
	./.build/$(CONFIG)/slimlab lesson bless

# readline's headers and pkg-config file come from libreadline-dev, zlib's from zlib1g-dev;
# dataset-fashion-mnist puts Fashion-MNIST in /usr/share/datasets/fashion-mnist.
FASHION_MNIST := /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists readline zlib \
	    || [ ! -f $(FASHION_MNIST) ]; then \
	  echo "Installing libreadline-dev, zlib1g-dev, pkg-config and dataset-fashion-mnist with apt-get…"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libreadline-dev zlib1g-dev pkg-config \
	    dataset-fashion-mnist; \
	fi

clean:
	rm -rf .build
