#!/usr/bin/env bash
# Coverage-guided fuzzing of the request decoders and the model file parsers with libFuzzer, for a
# bounded time each (run by hand, not in CI). Usage: tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Targets: v2 v2binary v1 json onnx xgboost lightgbm csv config (all when none is named). json is
# differential: the lean request reader against Foundation's JSONDecoder.
# Seeds come from the repository's own models, fixtures and Fuzz/Regressions; a crash leaves its
# input in .build-fuzz/crashes/<target>/ — copy it to Fuzz/Regressions/<target>/ with the fix, and
# FuzzRegressionTests replays it in every test run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(v2 v2binary v1 json onnx xgboost lightgbm csv config)
scratch="$root/.build-fuzz"
mkdir -p "$scratch"
swift build --scratch-path "$scratch" --product VigilFuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING >"$scratch/build.log" 2>&1 || { tail -20 "$scratch/build.log"; exit 1; }
binary="$scratch/debug/VigilFuzz"
fixtures=Tests/VigilModelsTests/Fixtures
for target in "${targets[@]}"; do
    corpus="$scratch/corpus/$target" crashes="$scratch/crashes/$target"
    mkdir -p "$corpus" "$crashes"
    case $target in
        v2|v2binary|v1) seeds=(Fuzz/Seeds/$target) ;;
        onnx) seeds=(models/*/model.onnx "$fixtures"/onnx/*/model.onnx "$fixtures"/categorical/*/model.onnx) ;;
        xgboost) seeds=(models/*/model.xgb.json "$fixtures"/xgboost/*/model.xgb.json "$fixtures"/categorical/*/model.xgb.json) ;;
        lightgbm) seeds=(models/*/model.lgb.txt "$fixtures"/lightgbm/*/model.lgb.txt "$fixtures"/categorical/*/model.lgb.txt) ;;
        csv) seeds=(models/*/reference.csv) ;;
        config) seeds=(Fuzz/Seeds/config) ;;
        json) seeds=(Fuzz/Seeds/v2 Fuzz/Seeds/v1 Fuzz/Seeds/json) ;;
    esac
    [ -d "Fuzz/Regressions/$target" ] && seeds+=("Fuzz/Regressions/$target")
    for seed in "${seeds[@]}"; do
        if [ -d "$seed" ]; then cp -n "$seed"/* "$corpus"/ 2>/dev/null || true; elif [ -f "$seed" ]; then cp -n "$seed" "$corpus/$(echo "$seed" | tr / _)"; fi
    done
    echo "== $target: ${seconds}s"
    # Swift's own crash handler would take the signal before libFuzzer could save the input.
    SWIFT_BACKTRACE=enable=no VIGIL_FUZZ_TARGET=$target "$binary" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=1048576 \
        -artifact_prefix="$crashes/" -print_final_stats=1 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|.*crash-|.*timeout-|.*oom-)" || true
    found=$(ls "$crashes" | wc -l)
    echo "   $found crashing inputs in $crashes"
done
