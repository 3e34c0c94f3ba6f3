"""Renders snippets.json with Jinja2 set up as transformers sets it up, writing expected-snippets.json.

Run from this folder:  python3 render_snippets.py   (needs jinja2 3.x)
"""
import json
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.ext import loopcontrols

def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
env.filters["tojson"] = tojson
messages = [{"role": "system", "content": "sys"}, {"role": "user", "content": " hi "},
            {"role": "assistant", "content": "yo"}, {"role": "user", "content": "more"}]
out = []
for s in json.load(open("snippets.json", encoding="utf-8")):
    out.append({"name": s["name"], "text": env.from_string(s["template"]).render(messages=messages)})
with open("expected-snippets.json", "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=1)
    f.write("\n")
