"""Renders conversations.json with each model's chat template the way transformers' apply_chat_template does (Jinja2
sandbox, trim_blocks, lstrip_blocks, loopcontrols, its tojson/raise_exception/strftime_now) and writes expected-<model>.json.

Run from this folder:  python3 render_expected.py ../../../../../../shared/fixtures/tokenizers   (needs jinja2 3.x)
"""
import json, sys, os, datetime
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.ext import loopcontrols

fixtures = sys.argv[1]

def raise_exception(message):
    raise ValueError(message)

def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
env.globals["strftime_now"] = lambda fmt: datetime.datetime(2026, 1, 2, 3, 4, 5).strftime(fmt)

conversations = json.load(open("conversations.json", encoding="utf-8"))
for model in ["llama3", "qwen3"]:
    config = json.load(open(os.path.join(fixtures, model, "tokenizer_config.json"), encoding="utf-8"))
    template = env.from_string(config["chat_template"])
    specials = {k: config.get(k) for k in ["bos_token", "eos_token", "unk_token", "pad_token"]}
    out = []
    for conv in conversations:
        for gen in [False, True]:
            text = template.render(messages=conv["messages"], tools=conv.get("tools"), add_generation_prompt=gen,
                                   **specials, **conv.get("kwargs", {}))
            out.append({"name": conv["name"], "add_generation_prompt": gen, "text": text})
    with open("expected-" + model + ".json", "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
