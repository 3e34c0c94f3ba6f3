#!/usr/bin/env python3
"""Checks what gpu-check.sh's run produced: the reference trainer's loss fell, and the adapter it wrote, merged by
eef4j into the model the run went on with, gives the logits PEFT's own merge gives.

  gpu_check.py RUN_DIR

Reads RUN_DIR/seed-1/sft/trainer/ (the exported rows, the adapter in out/ with its trainer_state.json), the base model
eef4j handed the trainer (RUN_DIR/inputs/trainer-base) and eef4j's merged checkpoint (RUN_DIR/seed-1/sft/checkpoint).
Exits 0 when both hold, 1 otherwise, printing the figures either way.
"""
import json
import os
import sys

import torch
from peft import PeftModel
from transformers import AutoModelForCausalLM


def main(run):
    stage = os.path.join(run, "seed-1", "sft")
    adapter = os.path.join(stage, "trainer", "out")
    history = json.load(open(os.path.join(adapter, "trainer_state.json")))["log_history"]
    losses = [h["loss"] for h in history]
    k = max(1, len(losses) // 5)
    first, last = sum(losses[:k]) / k, sum(losses[-k:]) / k
    fell = last < first
    print(f"loss over {len(losses)} steps: first {k} mean {first:.4f}, last {k} mean {last:.4f}: "
          f"{'falls' if fell else 'DOES NOT FALL'}")

    base = AutoModelForCausalLM.from_pretrained(os.path.join(run, "inputs", "trainer-base"), dtype=torch.float32)
    peft_merged = PeftModel.from_pretrained(base, adapter).merge_and_unload().eval()
    ours = AutoModelForCausalLM.from_pretrained(os.path.join(stage, "checkpoint"), dtype=torch.float32).eval()
    worst = 0.0
    with open(os.path.join(stage, "trainer", "train.tokens.jsonl")) as f:
        rows = [json.loads(line) for line, _ in zip(f, range(8))]
    with torch.no_grad():
        for r in rows:
            ids = torch.tensor([r["input_ids"]])
            a = peft_merged(input_ids=ids).logits
            b = ours(input_ids=ids).logits
            worst = max(worst, (a - b).abs().max().item() / max(1.0, a.abs().max().item()))
    same = worst < 1e-4
    print(f"logits of eef4j's merge against PEFT's merge_and_unload over {len(rows)} rows: largest relative "
          f"difference {worst:.2e}: {'equal' if same else 'DIFFERENT'}")
    return 0 if fell and same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
