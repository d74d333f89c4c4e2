#!/usr/bin/env bash
# Prints a Postgres URL the tests can create databases with, starting the machine's local
# cluster when we may (root + Debian's pg_ctlcluster). Prints nothing when no Postgres is available;
# the Postgres tests then report that they were skipped and why.
set -uo pipefail
if [ -n "${TEST_POSTGRES_URL:-}" ]; then echo "$TEST_POSTGRES_URL"; exit 0; fi
url="postgresql://aisle:aisle@127.0.0.1:5432/postgres"
if command -v pg_isready > /dev/null && pg_isready -q -h 127.0.0.1 -p 5432 2> /dev/null; then :; else
  if [ "$(id -u)" = "0" ] && command -v pg_ctlcluster > /dev/null; then
    cluster="$(pg_lsclusters -h 2> /dev/null | awk 'NR==1 {print $1" "$2}')"
    # Shared buffers that hold a 100,000-product search catalog (about 5 KB a product: rows,
    # full-text index, option look-ups), as docs/deployment.md sizes a production server
    # (decision 141); with the 128 MB default the large benchmarks measure the OS cache.
    [ -n "$cluster" ] &&
      pg_ctlcluster $cluster start -- -o "-c shared_buffers=${AISLE_POSTGRES_SHARED_BUFFERS:-1GB}" > /dev/null 2>&1
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  fi
fi
pg_isready -q -h 127.0.0.1 -p 5432 2> /dev/null || exit 0
if [ "$(id -u)" = "0" ] && id postgres > /dev/null 2>&1; then
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='aisle'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"CREATE ROLE aisle LOGIN PASSWORD 'aisle' CREATEDB\"" > /dev/null
fi
psql "$url" -qtAc "SELECT 1" > /dev/null 2>&1 && echo "$url"
exit 0
