#!/usr/bin/env bash
# The install of README.md, checked for real: `make install PREFIX=…` into a fresh folder, then
# the installed binary — started from `/` by its path, through PATH, and through a symbolic link
# elsewhere — must list every lesson of Lessons/ and load a shipped dataset, with none of the
# SLIMLAB_* variables set. Run by .ci/run after `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$(mktemp -d)
links=$(mktemp -d)
trap 'rm -rf "$prefix" "$links"' EXIT
make install PREFIX="$prefix" >/dev/null
ln -s "$prefix/bin/slimlab" "$links/slimlab-link"

lessons=$(ls Lessons/[0-9]*.md | wc -l)
failed=0
check() {
    local how=$1
    shift
    local output
    if ! output=$(cd / && env -u SLIMLAB_LESSONS -u SLIMLAB_DATASETS -u SLIMLAB_HOME "$@" 2>&1); then
        echo "install check ($how): slimlab failed:"; echo "$output" | head -20
        failed=1; return
    fi
    # `lesson list` prints one row per lesson, numbered 00, 01, …
    local listed
    listed=$(echo "$output" | grep -cE '^ *[▸ ]? *[0-9]{2} ' || true)
    if [ "$listed" -ne "$lessons" ] || ! echo "$output" | grep -q '^loaded digits'; then
        echo "install check ($how): expected $lessons lessons and digits loaded, got $listed:"; echo "$output" | head -30
        failed=1; return
    fi
    echo "install check ($how): $listed lessons listed, digits loaded"
}
commands='lesson list; data load digits'
check "by its path" "$prefix/bin/slimlab" -c "$commands"
check "through PATH" env PATH="$prefix/bin:/usr/bin:/bin" slimlab -c "$commands"
check "through a symbolic link" "$links/slimlab-link" -c "$commands"
exit $failed
