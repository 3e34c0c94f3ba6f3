#!/usr/bin/env bash
# The reference trainer on a GPU, end to end through eef4j: a tiny Llama made by eef4j is behaviour-cloned by
# train.py (LoRA) on a stage exported by `trainer: command`, eef4j checks and merges the adapter and evaluates the
# model, then gpu_check.py confirms that the loss fell and that eef4j's merge gives PEFT's logits.
#
#   trainers/reference/gpu-check.sh [OUT_DIR]        (default: $OUT/gpu-check, else /tmp/eef4j-gpu-check)
#
# Needs one CUDA GPU, JDK 25 (bin/jdk.sh finds it), and requirements.txt installed for $PYTHON (default python3) with
# `accelerate` on PATH. EEF4J_JAR=path/to/eef4j-cli.jar runs a prebuilt jar instead of ./eef4j (which builds one with
# Maven). Takes about two minutes on an H100, most of it Python start-up.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-${OUT:-/tmp}/gpu-check}"
python="${PYTHON:-python3}"

"$python" - <<'PY' || { echo "gpu-check: needs torch with CUDA, transformers, peft and accelerate (requirements.txt)" >&2; exit 2; }
import torch, transformers, peft, accelerate
assert torch.cuda.is_available(), "no CUDA device"
print(f"gpu-check: torch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}, "
      f"accelerate {accelerate.__version__}, {torch.cuda.get_device_name(0)}")
PY
command -v accelerate >/dev/null || { echo "gpu-check: 'accelerate' is not on PATH" >&2; exit 2; }

mkdir -p "$out"
if [ -n "${EEF4J_JAR:-}" ]; then
  source "$root/bin/jdk.sh"
  eef4j=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar "$EEF4J_JAR")
else
  eef4j=("$root/eef4j")
fi
start=$(date +%s)
"${eef4j[@]}" run "$here/gpu-check.yaml" --out "$out/run"
echo "gpu-check: the run took $(( $(date +%s) - start ))s; the trainer's log: $out/run/seed-1/sft/trainer/trainer.log"
"$python" "$here/gpu_check.py" "$out/run"
