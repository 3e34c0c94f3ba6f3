#!/usr/bin/env python3
"""Checks a LoRA adapter directory against Hugging Face PEFT's format, independently of the Java code that wrote it.

Usage: check_peft_adapter.py ADAPTER_DIR BASE_MODEL.safetensors MERGED_MODEL.safetensors

Needs only Python 3 and torch (peft and safetensors are not installed here): safetensors files are parsed by hand
(an 8-byte little-endian header length, a JSON header of name -> {dtype, shape, data_offsets}, then the raw data).
Checked, as PEFT's save_pretrained writes and PeftModel.from_pretrained / vLLM's LoRA loader read them:
  - adapter_config.json: peft_type "LORA", task_type "CAUSAL_LM", an integer r, lora_alpha (an integer when whole, as
    PEFT's config declares it), target_modules as a list of module names, bias "none", fan_in_fan_out false, neither
    DoRA nor rsLoRA, base_model_name_or_path;
  - adapter_model.safetensors: only keys base_model.model.model.layers.N.<self_attn|mlp>.<module>.lora_<A|B>.weight, with
    lora_A [r, in] and lora_B [out, r] for every targeted module of every layer, metadata format "pt";
  - the merged model: each targeted W equals W_base + (lora_alpha / r) * B @ A (PEFT's merge), every other tensor equals
    the base's.
Prints one line per problem and exits 1 when there is any, else prints a summary and exits 0.
"""
import json
import re
import struct
import sys
from pathlib import Path

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}
KEY = re.compile(r"base_model\.model\.model\.layers\.(\d+)\.(self_attn|mlp)\.(\w+)\.lora_([AB])\.weight")
MODULES = {"q_proj": "self_attn", "k_proj": "self_attn", "v_proj": "self_attn", "o_proj": "self_attn",
           "gate_proj": "mlp", "up_proj": "mlp", "down_proj": "mlp"}


def read_safetensors(path):
    data = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    metadata = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        raw = bytearray(data[base + start:base + end])
        t = torch.frombuffer(raw, dtype=DTYPES[info["dtype"]]) if raw else torch.empty(0, dtype=DTYPES[info["dtype"]])
        tensors[name] = t.reshape(info["shape"]).to(torch.float64)
    return tensors, metadata


def main(adapter_dir, base_file, merged_file):
    problems = []
    config = json.loads((Path(adapter_dir) / "adapter_config.json").read_text())
    if config.get("peft_type") != "LORA":
        problems.append(f"peft_type is {config.get('peft_type')!r}, PEFT needs 'LORA'")
    if config.get("task_type") != "CAUSAL_LM":
        problems.append(f"task_type is {config.get('task_type')!r}, a causal LM adapter has 'CAUSAL_LM'")
    r = config.get("r")
    alpha = config.get("lora_alpha")
    if not isinstance(r, int) or r < 1:
        problems.append(f"r is {r!r}, PEFT needs a positive integer")
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or alpha <= 0:
        problems.append(f"lora_alpha is {alpha!r}, PEFT needs a positive number")
    elif isinstance(alpha, float) and alpha.is_integer():
        problems.append(f"lora_alpha is written {alpha!r}: PEFT declares it an int and writes a whole alpha as one")
    targets = config.get("target_modules")
    if not isinstance(targets, list) or not targets or any(t not in MODULES for t in targets):
        problems.append(f"target_modules is {targets!r}, expected a list of Llama module names")
        targets = []
    if config.get("bias", "none") != "none":
        problems.append(f"bias is {config.get('bias')!r}, expected 'none'")
    if config.get("fan_in_fan_out"):
        problems.append("fan_in_fan_out is true: PEFT would transpose the weights (Llama's nn.Linear stores [out, in])")
    if config.get("use_dora") or config.get("use_rslora"):
        problems.append("use_dora / use_rslora set: the scale would not be lora_alpha / r")
    if not isinstance(config.get("base_model_name_or_path"), str):
        problems.append("base_model_name_or_path is missing")
    if problems:
        return problems

    adapter, metadata = read_safetensors(Path(adapter_dir) / "adapter_model.safetensors")
    base, _ = read_safetensors(base_file)
    merged, _ = read_safetensors(merged_file)
    if metadata.get("format") != "pt":
        problems.append(f"adapter metadata {metadata!r}: PEFT writes format 'pt'")
    pairs = {}
    for key, t in adapter.items():
        m = KEY.fullmatch(key)
        if not m:
            problems.append(f"{key}: not a PEFT LoRA key for a Llama-style causal LM")
            continue
        layer, block, module, which = int(m.group(1)), m.group(2), m.group(3), m.group(4)
        if MODULES.get(module) != block:
            problems.append(f"{key}: {module} does not live in {block}")
            continue
        if module not in targets:
            problems.append(f"{key}: {module} is not in target_modules {targets}")
        pairs.setdefault((layer, block, module), {})[which] = t
    layers = sorted({int(k.split(".")[2]) for k in base if k.startswith("model.layers.")})
    scale = alpha / r
    checked = 0
    for layer in layers:
        for module in targets:
            block = MODULES[module]
            p = pairs.get((layer, block, module), {})
            name = f"model.layers.{layer}.{block}.{module}.weight"
            if "A" not in p or "B" not in p:
                problems.append(f"layer {layer} {module}: lora_A or lora_B is missing")
                continue
            w = base[name]
            a, b = p["A"], p["B"]
            if tuple(a.shape) != (r, w.shape[1]) or tuple(b.shape) != (w.shape[0], r):
                problems.append(f"layer {layer} {module}: lora_A {tuple(a.shape)} / lora_B {tuple(b.shape)} do not fit "
                                f"W {tuple(w.shape)} at r={r} (PEFT: A [r, in], B [out, r])")
                continue
            want = w + scale * (b @ a)
            err = (merged[name] - want).abs().max().item()
            tol = 1e-5 * max(1.0, want.abs().max().item())
            if err > tol:
                problems.append(f"{name}: merged differs from W + (alpha/r)·B·A by {err:.3g} (tolerance {tol:.3g})")
            checked += 1
    for name, w in base.items():
        if name not in merged:
            problems.append(f"{name}: missing from the merged model")
        elif not any(name == f"model.layers.{l}.{MODULES[m]}.{m}.weight" for l in layers for m in targets):
            if not torch.equal(merged[name], w):
                problems.append(f"{name}: not targeted, yet the merged model changed it")
    if not problems:
        print(f"ok: {checked} adapted weights (r={r}, lora_alpha={alpha}, targets {targets}) merge as PEFT does")
    return problems


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    found = main(*sys.argv[1:])
    for problem in found:
        print(problem)
    sys.exit(1 if found else 0)
