#!/usr/bin/env python3
"""eef4j's reference trainer: supervised fine-tuning (and ETO's DPO) on the pre-tokenized rows a run exports.

One training stage per call, as `trainer: command` runs it:

    accelerate launch --config_file accelerate/1gpu.yaml train.py --manifest {manifest}

The manifest (STAGE/trainer/manifest.json, written by eef4j) names the data, the model to start from, the output
directory and the hyperparameters (and start_adapter: a PEFT adapter over the model that this stage continues, an
earlier stage's); flags given here override the manifest's. It reads exactly the contract:
  sft rows  input_ids, assistant_masks (1 = the loss counts this token as a target), optional weight
  dpo rows  prompt_input_ids, chosen_input_ids, rejected_input_ids, chosen_assistant_masks, rejected_assistant_masks
and writes into the output directory either a PEFT LoRA adapter (--lora-rank R > 0) or a full Hugging Face checkpoint
(with the base's tokenizer files beside it), plus trainer_state.json with the loss history. eef4j checks that output
and makes it the next rollouts' model.

The loss is the mean next-token cross-entropy over the positions whose target has mask 1, over all rows of an
optimiser step (a token-level mean, as eef4j's engine computes it), each row's tokens scaled by its weight. DPO's
log-probabilities sum over the masked tokens of each continuation only (the agent's turns, not the observations).

Distributed: FSDP or DeepSpeed ZeRO-3 by accelerate config (accelerate/fsdp-8gpu.yaml, accelerate/zero3-8gpu.yaml).
"""
import argparse
import json
import math
import os
import random
import shutil
import sys
import time

import torch
import torch.nn.functional as F
from accelerate import Accelerator
from accelerate.utils import set_seed
from transformers import AutoModelForCausalLM

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json",
                   "tokenizer.model", "vocab.json", "merges.txt")
LORA_TARGETS = "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj"


def arguments(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--manifest", required=True, help="the stage's manifest.json")
    p.add_argument("--epochs", type=int)
    p.add_argument("--lr", type=float)
    p.add_argument("--warmup", type=float, help="share of the steps warming up (then cosine decay to 0)")
    p.add_argument("--weight-decay", type=float)
    p.add_argument("--max-grad-norm", type=float)
    p.add_argument("--max-seq", type=int, help="rows are cut to this many tokens")
    p.add_argument("--batch-size", type=int, help="rows per GPU per micro-step")
    p.add_argument("--grad-accum", type=int, help="micro-steps per optimiser step")
    p.add_argument("--lora-rank", type=int, help="0 for full fine-tuning")
    p.add_argument("--lora-alpha", type=float)
    p.add_argument("--lora-dropout", type=float)
    p.add_argument("--lora-targets")
    p.add_argument("--beta", type=float, help="DPO's beta")
    p.add_argument("--gradient-checkpointing", type=int, choices=(0, 1))
    p.add_argument("--max-steps", type=int, help="stop after this many optimiser steps (a smoke test)")
    p.add_argument("--dtype", choices=("bfloat16", "float32"), help="weights' dtype (default bfloat16 on GPU)")
    return p.parse_args(argv)


def settings(args, manifest):
    """The manifest's hyperparameters (strings) with the flags over them, typed."""
    h = dict(manifest.get("hyperparameters", {}))
    defaults = {"epochs": 3, "lr": 2e-5, "warmup": 0.03, "weight_decay": 0.0, "max_grad_norm": 1.0, "max_seq": 4096,
                "batch_size": 1, "grad_accum": 16, "lora_rank": 0, "lora_alpha": 16.0, "lora_dropout": 0.05,
                "lora_targets": LORA_TARGETS, "beta": 0.1, "gradient_checkpointing": 1, "max_steps": 0,
                "dtype": "bfloat16" if torch.cuda.is_available() else "float32"}
    out = {}
    for key, default in defaults.items():
        flag = getattr(args, key)
        value = flag if flag is not None else h.get(key, default)
        out[key] = type(default)(float(value)) if isinstance(default, int) and not isinstance(default, bool) \
            else type(default)(value)
    return out


def read_rows(path, kind):
    rows = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            r = json.loads(line)
            where = f"{path}:{number}"
            if kind == "sft":
                if len(r["input_ids"]) != len(r["assistant_masks"]):
                    sys.exit(f"{where}: input_ids and assistant_masks differ in length")
                if sum(r["assistant_masks"][1:]) == 0:
                    sys.exit(f"{where}: no trained token")
            rows.append(r)
    if not rows:
        sys.exit(f"{path}: no rows")
    return rows


def sft_batch(rows, max_seq, device):
    """Right-padded ids, masks (0 on padding) and per-token weights."""
    n = min(max(len(r["input_ids"]) for r in rows), max_seq)
    ids = torch.zeros(len(rows), n, dtype=torch.long)
    mask = torch.zeros(len(rows), n)
    for i, r in enumerate(rows):
        k = min(len(r["input_ids"]), n)
        ids[i, :k] = torch.tensor(r["input_ids"][:k])
        mask[i, :k] = torch.tensor(r["assistant_masks"][:k], dtype=torch.float) * float(r.get("weight", 1.0))
    attention = torch.zeros(len(rows), n, dtype=torch.long)
    for i, r in enumerate(rows):
        attention[i, :min(len(r["input_ids"]), n)] = 1
    return ids.to(device), mask.to(device), attention.to(device)


def token_nll(model, ids, attention):
    """-log p(token t | tokens before t) for t >= 1, shape [rows, seq - 1]."""
    logits = model(input_ids=ids, attention_mask=attention).logits[:, :-1].float()
    return F.cross_entropy(logits.reshape(-1, logits.size(-1)), ids[:, 1:].reshape(-1), reduction="none") \
        .view(ids.size(0), -1)


def dpo_side(rows, side, max_seq, device):
    seqs, masks = [], []
    for r in rows:
        seqs.append(r["prompt_input_ids"] + r[f"{side}_input_ids"])
        masks.append([0] * len(r["prompt_input_ids"]) + r[f"{side}_assistant_masks"])
    return sft_batch([{"input_ids": s, "assistant_masks": m} for s, m in zip(seqs, masks)], max_seq, device)


def sequence_logp(model, batch):
    ids, mask, attention = batch
    return -(token_nll(model, ids, attention) * mask[:, 1:]).sum(-1)


def schedule(optimizer, warmup_steps, total):
    def factor(step):
        if step < warmup_steps:
            return (step + 1) / max(1, warmup_steps)
        progress = (step - warmup_steps) / max(1, total - warmup_steps)
        return 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))
    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def starting_model(manifest, start_adapter, dtype):
    """The base with the start adapter merged in, frozen: DPO's reference when training continues that adapter."""
    from peft import PeftModel
    base = AutoModelForCausalLM.from_pretrained(manifest["base_model"], dtype=dtype)
    reference = PeftModel.from_pretrained(base, start_adapter).merge_and_unload().eval()
    reference.requires_grad_(False)
    return reference


def main(argv):
    args = arguments(argv)
    manifest = json.load(open(args.manifest))
    if manifest.get("format") != "eef4j-trainer-stage":
        sys.exit(f"{args.manifest}: not an eef4j-trainer-stage manifest")
    if manifest.get("version", 0) > 1:
        sys.exit(f"{args.manifest}: version {manifest['version']} is too new for this trainer")
    s = settings(args, manifest)
    kind = manifest["kind"]
    out = manifest["output_dir"]
    accelerator = Accelerator(gradient_accumulation_steps=s["grad_accum"])
    set_seed(int(manifest["seed"]) % (2 ** 32))
    dtype = torch.bfloat16 if s["dtype"] == "bfloat16" else torch.float32
    model = AutoModelForCausalLM.from_pretrained(manifest["base_model"], dtype=dtype)
    if s["gradient_checkpointing"]:
        model.gradient_checkpointing_enable()
        model.config.use_cache = False
    reference = None
    # an earlier stage's adapter over base_model that this stage continues (checkpoint: continue, ETO's DPO from the
    # SFT model): the model training starts from is the base under it
    start_adapter = manifest.get("start_adapter")
    if s["lora_rank"] > 0:
        from peft import LoraConfig, PeftModel, get_peft_model
        if start_adapter:
            # the adapter trains on with its own rank, alpha and targets
            model = PeftModel.from_pretrained(model, start_adapter, is_trainable=True)
        else:
            model = get_peft_model(model, LoraConfig(r=s["lora_rank"], lora_alpha=s["lora_alpha"],
                                                     lora_dropout=s["lora_dropout"], task_type="CAUSAL_LM",
                                                     target_modules=s["lora_targets"].split(",")))
        if kind == "dpo" and start_adapter:
            # DPO's reference is the model training starts from, the base under the start adapter, not the bare base
            # that disable_adapter() would give: a frozen merged copy (one more copy of the weights in memory)
            reference = starting_model(manifest, start_adapter, dtype)
    elif start_adapter:
        from peft import PeftModel
        model = PeftModel.from_pretrained(model, start_adapter).merge_and_unload()
        if kind == "dpo":
            reference = starting_model(manifest, start_adapter, dtype)
    elif kind == "dpo":
        # full fine-tuning keeps a frozen copy as DPO's reference (a LoRA run uses the base under its adapter)
        reference = AutoModelForCausalLM.from_pretrained(manifest["base_model"], dtype=dtype).eval()
        reference.requires_grad_(False)

    rows = read_rows(manifest["data"]["path"], kind)
    order = list(range(len(rows)))
    micro = s["batch_size"]
    per_epoch = math.ceil(len(rows) / (micro * accelerator.num_processes))
    total = max(1, math.ceil(per_epoch * s["epochs"] / s["grad_accum"]))
    if s["max_steps"] > 0:
        total = min(total, s["max_steps"])
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=s["lr"], weight_decay=s["weight_decay"], betas=(0.9, 0.999), eps=1e-8)
    scheduler = schedule(optimizer, round(s["warmup"] * total), total)
    model, optimizer, scheduler = accelerator.prepare(model, optimizer, scheduler)
    if reference is not None:
        reference = accelerator.prepare_model(reference, evaluation_mode=True)

    history = []
    step = 0
    started = time.time()
    model.train()
    rng = random.Random(int(manifest["seed"]))
    running = []
    for epoch in range(s["epochs"]):
        rng.shuffle(order)
        mine = order[accelerator.process_index::accelerator.num_processes]
        for start in range(0, len(mine), micro):
            batch = [rows[i] for i in mine[start:start + micro]]
            with accelerator.accumulate(model):
                if kind == "sft":
                    ids, mask, attention = sft_batch(batch, s["max_seq"], accelerator.device)
                    nll = token_nll(model, ids, attention)
                    target = mask[:, 1:]
                    loss = (nll * target).sum() / target.sum().clamp(min=1)
                else:
                    chosen = dpo_side(batch, "chosen", s["max_seq"], accelerator.device)
                    rejected = dpo_side(batch, "rejected", s["max_seq"], accelerator.device)
                    pc, pr = sequence_logp(model, chosen), sequence_logp(model, rejected)
                    with torch.no_grad():
                        if reference is not None:
                            rc, rr = sequence_logp(reference, chosen), sequence_logp(reference, rejected)
                        else:
                            with accelerator.unwrap_model(model).disable_adapter():
                                rc, rr = sequence_logp(model, chosen), sequence_logp(model, rejected)
                    loss = -F.logsigmoid(s["beta"] * ((pc - rc) - (pr - rr))).mean()
                accelerator.backward(loss)
                if accelerator.sync_gradients:
                    accelerator.clip_grad_norm_(params, s["max_grad_norm"])
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
            running.append(loss.detach().float().item())
            if accelerator.sync_gradients:
                step += 1
                mean = sum(running) / len(running)
                running = []
                history.append({"step": step, "epoch": epoch + 1, "loss": mean, "lr": scheduler.get_last_lr()[0]})
                if accelerator.is_main_process:
                    print(f"step {step}/{total} epoch {epoch + 1} loss {mean:.4f} lr {scheduler.get_last_lr()[0]:.2e} "
                          f"{time.time() - started:.0f}s", flush=True)
                if step >= total:
                    break
        if step >= total:
            break

    accelerator.wait_for_everyone()
    state = accelerator.get_state_dict(model)  # gathered from every rank under FSDP / ZeRO-3
    if accelerator.is_main_process:
        os.makedirs(out, exist_ok=True)
        accelerator.unwrap_model(model).save_pretrained(out, state_dict=state, safe_serialization=True)
        if s["lora_rank"] == 0:
            for name in TOKENIZER_FILES:
                src = os.path.join(manifest["base_model"], name)
                if os.path.isfile(src):
                    shutil.copyfile(src, os.path.join(out, name))
        with open(os.path.join(out, "trainer_state.json"), "w") as f:
            json.dump({"loss": history[-1]["loss"] if history else None, "global_step": step,
                       "log_history": history, "settings": s}, f, indent=2)
        print(f"done: {step} steps, last loss {history[-1]['loss'] if history else float('nan'):.4f}, model in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
