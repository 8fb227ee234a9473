# cookiewatch: build and install. `make install PREFIX=/usr/local DESTDIR=/tmp/stage`
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
DOCDIR = $(PREFIX)/share/doc/cookiewatch
UNITDIR ?= /etc/systemd/system
CONFDIR ?= /etc/cookiewatch

COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

.PHONY: build install test deb
build:
	swift build -c release --product cookiewatch -Xcc '-DCOOKIEWATCH_COMMIT="$(COMMIT)"'

# cookiewatch_VERSION_amd64.deb in .build/deb (scripts/package; scripts/check-package also lints,
# installs, verifies and purges it).
deb:
	scripts/package .build/deb

test:
	scripts/test

# Installs the binary, the unit (with its paths rewritten for PREFIX), the shipped charter and an
# example configuration (never over an existing one), and the docs.
install: build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(CONFDIR)/charters
	install -m 0755 "$$(swift build -c release --show-bin-path -Xcc '-DCOOKIEWATCH_COMMIT="$(COMMIT)"')/cookiewatch" $(DESTDIR)$(BINDIR)/cookiewatch
	sed 's|/usr/local|$(PREFIX)|g' systemd/cookiewatch.service > $(DESTDIR)$(UNITDIR)/cookiewatch.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/cookiewatch.service
	install -m 0644 charters/opendatasoft.json $(DESTDIR)$(CONFDIR)/charters/opendatasoft.json
	test -e $(DESTDIR)$(CONFDIR)/config.json || install -m 0644 config.example.json $(DESTDIR)$(CONFDIR)/config.json
	install -m 0644 README.md BENCHMARKS.md $(DESTDIR)$(DOCDIR)/
	cp -r docs $(DESTDIR)$(DOCDIR)/
