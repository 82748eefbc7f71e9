#!/usr/bin/env bash
# Shared helpers of the bench scripts (sourced after they set $tmp): timing one call, medians, ratios, rows.

# timed OUTFILE CMD... : runs CMD once, appends "wall_us cpu_us"; fails loudly if CMD fails.
timed() {
  local out=$1 TIMEFORMAT='%3R %3U %3S' t; shift
  t=$( { time "$@" > "$tmp/out" 2>&1; } 2>&1 ) || { echo "failed: $* : $(cat "$tmp/out")" >&2; exit 1; }
  awk '{ printf "%d %d\n", $1 * 1000000, ($2 + $3) * 1000000 }' <<< "$t" >> "$out"
}
stats() { # file -> "median max cpu-median" in ms
  local walls cpus
  walls=($(cut -d' ' -f1 "$1" | sort -n)); cpus=($(cut -d' ' -f2 "$1" | sort -n))
  printf '%8s %8s %8s' "$(ms "${walls[$(( ${#walls[@]} / 2 ))]}")" "$(ms "${walls[$(( ${#walls[@]} - 1 ))]}")" \
    "$(ms "${cpus[$(( ${#cpus[@]} / 2 ))]}")"
}
median() { cut -d' ' -f1 "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int(NR / 2) + 1] }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row() { # label file [go-file]
  local r=-; [ -n "${3:-}" ] && [ -s "${3:-}" ] && r=$(ratio "$(median "$2")" "$(median "$3")")
  printf '%-40s %s %8s\n' "$1" "$(stats "$2")" "$r"
}
