#!/usr/bin/env bash
# Runs the whole test suite. Root-only integration tests skip with a visible reason when not root.
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -ntp verify "$@"
