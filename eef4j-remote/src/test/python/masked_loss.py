#!/usr/bin/python3
"""An independent reader of eef4j's pre-tokenized training rows: recomputes each row's masked loss in PyTorch.

  masked_loss.py ROWS.jsonl MODEL_DIR TORCH_REFERENCE.py

Reads the rows as a trainer would (input_ids, assistant_masks, and labels, which must agree with them), loads the
model's config.json and model.safetensors into the Llama of TORCH_REFERENCE.py (../shared/tools/torch_reference.py,
a PyTorch implementation written apart from eef4j's engine) and prints one line per row, "ID LOSS TRAINED", where
LOSS is the mean cross-entropy over the positions whose target token has mask 1 (position t predicts t+1; the first
token predicts nothing), exactly as transformers computes it with labels -100 elsewhere. Exits 1 on a malformed row.
Needs only python3 and torch.
"""
import importlib.util
import json
import os
import struct
import sys

import torch


def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        blob = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise SystemExit(f"{path}: {name} is {info['dtype']}; this reader takes F32 only")
        a, b = info["data_offsets"]
        out[name] = torch.frombuffer(bytearray(blob[a:b]), dtype=torch.float32).reshape(info["shape"])
    return out


def main():
    rows_path, model_dir, reference = sys.argv[1:4]
    spec = importlib.util.spec_from_file_location("torch_reference", reference)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    config = json.load(open(os.path.join(model_dir, "config.json")))
    model = ref.Llama(config)
    tensors = load_safetensors(os.path.join(model_dir, "model.safetensors"))
    with torch.no_grad():
        for name, p in model.hf_named_parameters().items():
            if name not in tensors:
                raise SystemExit(f"{model_dir}: no tensor {name}")
            p.copy_(tensors[name])
    with open(rows_path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            ids, mask = row["input_ids"], row["assistant_masks"]
            if len(ids) != len(mask):
                print(f"{rows_path}:{number}: {len(ids)} input_ids, {len(mask)} assistant_masks")
                return 1
            labels = row.get("labels")
            if labels is not None and labels != [i if m == 1 else -100 for i, m in zip(ids, mask)]:
                print(f"{rows_path}:{number}: labels disagree with input_ids and assistant_masks")
                return 1
            with torch.no_grad():
                logits = model(torch.tensor([ids]))
                loss = ref.masked_loss(logits, torch.tensor([ids]), torch.tensor([mask]))
            print(f"{row.get('id', number)} {loss.item():.8f} {sum(mask[1:])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
