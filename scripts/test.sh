#!/usr/bin/env bash
# Runs the whole test suite. Root-only integration tests skip with a visible reason when not root.
# One Maven pass: unit and kernel tests per module (surefire), then the packaged trees (dist/target/jcni, and
# integration-tests/target/jcni with the examples) and the tests that execute them as real processes (failsafe).
set -euo pipefail
cd "$(dirname "$0")/.."
# a UTF-8 JVM for the tests themselves (the non-ASCII identifier tests run plugins under LC_ALL=C on purpose)
export LC_ALL=C.UTF-8
bash scripts/setup.sh test   # Debian packages the tests use (as root; without root it names what is missing)
# JCNI_MVN_GOAL=install (CI) also puts the artifacts into ~/.m2 for the sample outside project (scripts/outside.sh)
exec mvn -B -ntp "${JCNI_MVN_GOAL:-verify}" "$@"
