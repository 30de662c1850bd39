#!/usr/bin/env bash
# Installs what the tests need and this machine lacks, then runs the whole test suite.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Ledger]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

# Runs a command as root: directly when we are root, through sudo when it exists.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "test.sh: need root to run '$*' (not root, and no sudo)" >&2
        return 1
    fi
}

apt_updated=false
apt_install() {
    if [ "$apt_updated" = false ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update
        apt_updated=true
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# PostgreSQL server binaries: the database tests start a throwaway cluster with initdb/pg_ctl
# (tests/Recoup.Testing/PostgresServer.cs), unless RECOUP_TEST_PG names an existing server.
have_postgres() {
    local bin
    for bin in /usr/lib/postgresql/*/bin; do
        if [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ]; then
            return 0
        fi
    done
    command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1
}

ensure_postgres() {
    if [ -n "${RECOUP_TEST_PG:-}" ] || have_postgres; then
        return 0
    fi
    echo "test.sh: installing PostgreSQL (initdb/pg_ctl not found)" >&2
    apt_install postgresql
    have_postgres || { echo "test.sh: PostgreSQL installed but initdb/pg_ctl still not found" >&2; return 1; }
}

# Chromium for the browser tests (Playwright drives the Debian Chromium at /usr/bin/chromium;
# Playwright must never download a browser).
ensure_chromium() {
    if [ -x /usr/bin/chromium ]; then
        return 0
    fi
    echo "test.sh: installing Chromium" >&2
    apt_install chromium
}

main() {
    ensure_postgres
    ensure_chromium
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

    dotnet tool restore

    # The test platform kills a test host that has not exited 100 ms after the run; give the
    # throwaway PostgreSQL clusters time to stop and delete their folders at process exit.
    export VSTEST_TESTHOST_SHUTDOWN_TIMEOUT="${VSTEST_TESTHOST_SHUTDOWN_TIMEOUT:-10000}"
    exec dotnet test Recoup.slnx -c Release --nologo "$@"
}

main "$@"
