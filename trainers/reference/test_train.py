#!/usr/bin/python3
"""A CPU test of train.py's own logic (rows, masks, loss, schedule, DPO, output files) with python3 and torch only:
transformers, accelerate and peft are replaced by small stand-ins (the model is ../shared/tools/torch_reference.py's
Llama), so this checks the script, not those libraries; gpu-check.sh runs it with the real ones.

  test_train.py TORCH_REFERENCE.py

Prints what it checked and exits 0 when every check holds.
"""
import contextlib
import importlib.util
import json
import os
import random
import struct
import sys
import tempfile
import types

import torch

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("torch_reference", sys.argv[1])
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)


class Output:
    def __init__(self, logits):
        self.logits = logits


class CausalLM(torch.nn.Module):
    """transformers' AutoModelForCausalLM as far as train.py uses it."""

    def __init__(self, config):
        super().__init__()
        self.llama = ref.Llama(config)
        self.config = types.SimpleNamespace(use_cache=True, **config)
        self.raw = config

    @classmethod
    def from_pretrained(cls, path, dtype=None):
        config = json.load(open(os.path.join(path, "config.json")))
        m = cls(config)
        m.load_state_dict(torch.load(os.path.join(path, "weights.pt")))
        return m

    def forward(self, input_ids, attention_mask=None):
        return Output(self.llama(input_ids))

    def gradient_checkpointing_enable(self):
        pass

    def save_pretrained(self, out, state_dict=None, safe_serialization=True):
        json.dump(self.raw, open(os.path.join(out, "config.json"), "w"))
        ref.save_safetensors({k: v for k, v in (state_dict or self.state_dict()).items()},
                             os.path.join(out, "model.safetensors"))


class Accelerator:
    def __init__(self, gradient_accumulation_steps=1):
        assert gradient_accumulation_steps == 1, "the stand-in steps every micro-batch"
        self.device, self.num_processes, self.process_index, self.is_main_process = "cpu", 1, 0, True
        self.sync_gradients = True

    @contextlib.contextmanager
    def accumulate(self, model):
        yield

    def prepare(self, *objects):
        return objects

    def prepare_model(self, model, evaluation_mode=False):
        return model

    def backward(self, loss):
        loss.backward()

    def clip_grad_norm_(self, params, norm):
        torch.nn.utils.clip_grad_norm_(params, norm)

    def wait_for_everyone(self):
        pass

    def get_state_dict(self, model):
        return model.state_dict()

    def unwrap_model(self, model):
        return model


sys.modules["transformers"] = types.SimpleNamespace(AutoModelForCausalLM=CausalLM)
sys.modules["accelerate"] = types.SimpleNamespace(Accelerator=Accelerator)
sys.modules["accelerate.utils"] = types.SimpleNamespace(set_seed=torch.manual_seed)
sys.path.insert(0, here)
import train  # noqa: E402

CONFIG = dict(ref.TINY, vocab_size=50, hidden_size=32, intermediate_size=64, num_hidden_layers=1)


def stage(tmp, kind, rows):
    base = os.path.join(tmp, "base")
    os.makedirs(base, exist_ok=True)
    torch.manual_seed(0)
    model = CausalLM(CONFIG)
    json.dump(CONFIG, open(os.path.join(base, "config.json"), "w"))
    torch.save(model.state_dict(), os.path.join(base, "weights.pt"))
    open(os.path.join(base, "tokenizer.json"), "w").write("{}")
    data = os.path.join(tmp, f"{kind}.jsonl")
    with open(data, "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    manifest = {"format": "eef4j-trainer-stage", "version": 1, "kind": kind, "data": {"path": data},
                "base_model": base, "output_dir": os.path.join(tmp, f"out-{kind}"), "seed": 5,
                "hyperparameters": {"epochs": "30", "lr": "0.01", "warmup": "0.1", "max_seq": "64"}}
    path = os.path.join(tmp, f"{kind}-manifest.json")
    json.dump(manifest, open(path, "w"))
    return path, manifest


def conversation(rng):
    """An instruction, an observation (mask 0) and the agent's answer (mask 1): the answer copies the instruction."""
    word = [rng.randrange(10, 50) for _ in range(3)]
    ids = [1, 2] + word + [3, 4] + word + [5]
    return ids, [0] * 7 + [1] * 3 + [1]


def main():
    rng = random.Random(1)
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for i in range(16):
            ids, mask = conversation(rng)
            rows.append({"id": f"r{i}", "input_ids": ids, "assistant_masks": mask,
                         "labels": [t if m else -100 for t, m in zip(ids, mask)]})
        path, manifest = stage(tmp, "sft", rows)
        train.main(["--manifest", path, "--batch-size", "4", "--grad-accum", "1", "--dtype", "float32"])
        out = manifest["output_dir"]
        state = json.load(open(os.path.join(out, "trainer_state.json")))
        losses = [h["loss"] for h in state["log_history"]]
        print(f"sft: {len(losses)} steps, loss {losses[0]:.3f} -> {losses[-1]:.3f}")
        if not losses[-1] < 0.5 * losses[0]:
            failures.append("sft loss did not fall by half")
        if len(losses) != 30 * 4:
            failures.append(f"sft: {len(losses)} steps, expected 120 (30 epochs x 16 rows / 4)")
        for name in ("config.json", "model.safetensors", "tokenizer.json", "trainer_state.json"):
            if not os.path.isfile(os.path.join(out, name)):
                failures.append(f"sft: no {name} in the output")
        if state["loss"] != losses[-1]:
            failures.append("trainer_state.json's loss is not the last step's")

        # the loss counts exactly the masked targets: a row whose mask covers everything gives a different loss
        ids = torch.tensor([rows[0]["input_ids"]])
        mask = torch.tensor([rows[0]["assistant_masks"]], dtype=torch.float)
        model = CausalLM.from_pretrained(manifest["base_model"])
        nll = train.token_nll(model, ids, None)
        ours = (nll * mask[:, 1:]).sum() / mask[:, 1:].sum()
        theirs = ref.masked_loss(model(ids).logits, ids, mask.long())
        print(f"masked loss: train.py {ours.item():.6f}, torch_reference {theirs.item():.6f}")
        if abs(ours.item() - theirs.item()) > 1e-5:
            failures.append("train.py's masked loss differs from torch_reference's")

        pairs = []
        for i in range(8):
            ids, mask = conversation(rng)
            wrong = [rng.randrange(10, 50) for _ in range(3)] + [5]
            pairs.append({"id": f"p{i}", "prompt_input_ids": ids[:7], "chosen_input_ids": ids[7:],
                          "chosen_assistant_masks": [1] * 4, "rejected_input_ids": wrong,
                          "rejected_assistant_masks": [1] * 4})
        path, manifest = stage(tmp, "dpo", pairs)
        train.main(["--manifest", path, "--batch-size", "4", "--grad-accum", "1", "--epochs", "10", "--lr", "0.003",
                    "--dtype", "float32"])
        losses = [h["loss"] for h in json.load(open(os.path.join(manifest["output_dir"], "trainer_state.json")))
                  ["log_history"]]
        print(f"dpo: {len(losses)} steps, loss {losses[0]:.3f} -> {losses[-1]:.3f}")
        if not (abs(losses[0] - 0.6931) < 0.01 and losses[-1] < 0.5):
            failures.append("dpo: the loss did not start at log 2 and fall below 0.5")
    for f in failures:
        print("FAILED: " + f)
    print("ok" if not failures else f"{len(failures)} check(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
