#!/usr/bin/env bash
# run-fuzzer.sh BINARY TARGET SECONDS WORKDIR [LIBFUZZER-OPTION...]
#
# Runs one libFuzzer target of tests/fuzz for SECONDS. The seeds are gathered afresh each time:
# tests/data/input/TARGET__* (a ".link" input stands for the shared file it names),
# tests/fuzz/seeds/TARGET/ and tests/fuzz/regressions/TARGET/. What the fuzzer finds that is new
# is kept in WORKDIR/corpus/TARGET, so each run starts where the last one stopped; a crash, a
# hang or a leak is written to WORKDIR/crashes/TARGET/ and the script exits non-zero.
# ctest runs it briefly for every target (label "fuzz"); tools/devenv fuzz runs it for longer.
set -euo pipefail

[ $# -ge 4 ] || {
    echo "usage: $0 BINARY TARGET SECONDS WORKDIR [LIBFUZZER-OPTION...]" >&2
    exit 1
}
binary=$1 target=$2 seconds=$3 work=$4
shift 4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
shared=${ATLAS_SHARED_DIR:-$source_dir/../shared}

# Sanitizer reports with file and line (addr2line comes with binutils); ctest sets its own.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:external_symbolizer_path=/usr/bin/addr2line}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:external_symbolizer_path=/usr/bin/addr2line}

corpus=$work/corpus/$target
seeds=$work/seeds/$target
crashes=$work/crashes/$target
rm -rf "$seeds"
mkdir -p "$corpus" "$seeds" "$crashes"

for input in "$source_dir/tests/data/input/$target"__*; do
    [ -f "$input" ] || continue
    case $input in
    *.link)
        linked="$shared/$(tr -d '\r\n' <"$input")"
        [ -f "$linked" ] && cp "$linked" "$seeds/$(basename "$input" .link)"
        ;;
    *) cp "$input" "$seeds/" ;;
    esac
done
for folder in "$here/seeds/$target" "$here/regressions/$target"; do
    [ -d "$folder" ] || continue
    find "$folder" -maxdepth 1 -type f ! -name README.md -exec cp {} "$seeds/" \;
done

echo "fuzzing $target for $seconds s: $(find "$seeds" -type f | wc -l) seeds, $(find "$corpus" -type f | wc -l) inputs kept from earlier runs"
# -timeout: an input that takes this long is a hang. -max_len: longer seeds are cut to 16 KB,
# which keeps the executions per second up (a 64 KB Markdown list takes a second under the
# sanitizers); long and deep inputs are mutation_test's part.
status=0
"$binary" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=4096 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$@" "$corpus" "$seeds" || status=$?
if [ "$status" -ne 0 ]; then
    echo "the fuzzer stopped with status $status; what it found is in $crashes/:" >&2
    ls -l "$crashes" >&2 || true
    echo "reproduce with: $binary $crashes/<file>; once fixed, copy the file to tests/fuzz/regressions/$target/" >&2
fi
exit "$status"
