#!/usr/bin/env bash
# Runs the whole test suite. Root-only integration tests skip with a visible reason when not root.
# The first pass packages dist/ (plugin launchers + jars) so that real-process tests in any module can exec
# dist/bin/<plugin> regardless of reactor order; the second pass runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# a UTF-8 JVM for the tests themselves (the non-ASCII identifier tests run plugins under LC_ALL=C on purpose)
export LC_ALL=C.UTF-8
bash scripts/setup.sh test   # Debian packages the tests use (as root; without root it names what is missing)
mvn -B -ntp -q -DskipTests package
exec mvn -B -ntp verify "$@"
