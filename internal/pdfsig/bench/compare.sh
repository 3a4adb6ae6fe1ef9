#!/bin/sh
# Times `motcua verify-pdf` against poppler's `pdfsig` on the same signed
# files (about 1.16 MB and 6.2 MB), in one run. Both are timed as whole
# processes, so the figures include start-up; the in-process numbers are in
#   go test ./internal/pdfsig -run XXX -bench . -benchmem
#
# usage: internal/pdfsig/bench/compare.sh [ITERATIONS]   (from the repo root)
set -eu
n=${1:-20}
root=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v pdfsig >/dev/null || { echo "pdfsig not found: apt-get install poppler-utils" >&2; exit 2; }

cd "$root"
go build -o "$work/motcua" ./cmd/motcua
MOTCUA_BENCH_OUT="$work" go test -count=1 -run '^TestWriteBenchFixtures$' ./internal/pdfsig >/dev/null

if ! "$work/motcua" verify-pdf --trust "$work/trust" "$work/signed-1mb.pdf" >/dev/null 2>"$work/err"; then
	echo "motcua verify-pdf failed (is the subcommand wired into main.go?):" >&2
	cat "$work/err" >&2
	exit 2
fi

# ms_per_run CMD...: average wall time of n runs in milliseconds.
ms_per_run() {
	start=$(date +%s%N)
	i=0
	while [ "$i" -lt "$n" ]; do
		"$@" >/dev/null 2>&1 || true
		i=$((i + 1))
	done
	end=$(date +%s%N)
	awk -v s="$start" -v e="$end" -v n="$n" 'BEGIN { printf "%.2f", (e - s) / n / 1000000 }'
}

# A one-line "PDF" measures each tool's start-up alone (motcua's includes the
# whole server binary's initialisation, pdfsig's includes NSS's).
printf '%%PDF-1.7\n' >"$work/startup.pdf"

printf '%-16s %10s %14s %14s %8s\n' file bytes motcua_ms pdfsig_ms speedup
for f in startup.pdf signed-1mb.pdf signed-6mb.pdf; do
	size=$(wc -c <"$work/$f")
	m=$(ms_per_run "$work/motcua" verify-pdf --trust "$work/trust" --revocation off "$work/$f")
	p=$(ms_per_run pdfsig "$work/$f")
	s=$(awk -v p="$p" -v m="$m" 'BEGIN { printf "%.1f", p / m }')
	printf '%-16s %10s %14s %14s %7sx\n' "$f" "$size" "$m" "$p" "$s"
done

echo
echo "In-process (no start-up), next to the SHA-256 floor over the same bytes:"
go test -count=1 -run '^$' -bench 'Verify|Floor' -benchmem ./internal/pdfsig | grep '^Benchmark'
