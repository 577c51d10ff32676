#!/usr/bin/env bash
# A user's first build (#14 point 2): one clean build each, side by side in
# one session, of
#   floor          reqwest (rustls) + tokio + serde and one hand-written struct
#   user           a binary that depends on the packaged zoom-accounts (default
#                  features: pre-generated code, rustls) and calls one operation
#   user-generate  the same with `--features generate` (build-time generation)
#   user-dashboards  the pre-generated client with one API area: zoom-accounts
#                  with `rustls` and `dashboards` only, calling a dashboards
#                  operation
# Both sides use reqwest's `rustls` feature (aws-lc-rs), so the TLS provider is
# the same. The packaged crates come from `cargo package` (as `cargo xtask
# package` makes them), extracted next to the bench crates and reached through
# [patch.crates-io]; Cargo.lock is the repository's. Target dirs are created
# fresh under scratch/first-build/ and deleted afterwards (arguments: only
# these cases, e.g. `run.sh floor user-dashboards`); each line prints the
# wall time and the 1-minute load average before and after. The --timings
# reports are summarized (critical path) before the target dirs go.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$root/scratch/first-build"
rm -rf "$work" && mkdir -p "$work/vendor"
(cd "$root" && cargo package -q --no-verify --exclude-lockfile --allow-dirty \
    -p zoom-api-meta -p zoom-api-runtime -p zoom-api-codegen -p zoom-accounts)
for f in "$root"/target/package/zoom-*-0.1.0.crate; do tar -xzf "$f" -C "$work/vendor"; done
for crate in floor user; do
    cp -r "$here/$crate" "$work/$crate"
    cp "$root/Cargo.lock" "$work/$crate/"
done
cases=(floor user user-generate user-dashboards)
[ $# -gt 0 ] && cases=("$@")
for case in "${cases[@]}"; do
    dir=${case%%-*}
    features=()
    [ "$case" = user-generate ] && features=(--features generate)
    [ "$case" = user-dashboards ] && features=(--no-default-features --features dashboards)
    load=$(cut -d' ' -f1 /proc/loadavg)
    start=$(date +%s.%N)
    (cd "$work/$dir" && CARGO_TARGET_DIR="$work/target-$case" \
        cargo build --offline --timings "${features[@]}" >"$work/$case.log" 2>&1)
    end=$(date +%s.%N)
    echo "$case: wall $(echo "$end - $start" | bc) s, load before $load, after $(cut -d' ' -f1 /proc/loadavg)"
    python3 "$here/critical_path.py" "$work/target-$case"/cargo-timings/cargo-timing-*.html
    rm -rf "$work/target-$case"
done
rm -rf "$work"
