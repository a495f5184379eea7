#!/usr/bin/env python3
"""Writes benchmark inputs that need more than shell: the monorepo's model folders,
a GGUF v3 file with a large tokenizer header, and the Python baseline's reader.

  make_scenarios.py mono DIR COUNT     # DIR/models/orgNN/model-NNNNN/{README.md,config.json}
  make_scenarios.py gguf FILE TOKENS   # GGUF v3: general.* keys + tokenizer.ggml.tokens[TOKENS]
"""
import json
import os
import random
import struct
import sys

BASES = [
    # (base model, its license, architecture)
    ("meta-llama/Llama-3.1-8B", "llama3.1", "LlamaForCausalLM"),
    ("meta-llama/Llama-3.1-8B-Instruct", "llama3.1", "LlamaForCausalLM"),
    ("google/gemma-2-9b-it", "gemma", "Gemma2ForCausalLM"),
    ("google/gemma-2-9b", "gemma", "Gemma2ForCausalLM"),
    ("mistralai/Mistral-7B-v0.1", "apache-2.0", "MistralForCausalLM"),
    ("Qwen/Qwen2.5-7B-Instruct", "apache-2.0", "Qwen2ForCausalLM"),
]
ORIGINAL_LICENSES = ["apache-2.0", "mit", "cc-by-4.0", "openrail", "bigscience-openrail-m",
                     "cc-by-nc-4.0", "bsd-3-clause", "llama3.1"]
RELATIONS = ["finetune", "adapter", "quantized", "merge"]


def card(i, rng):
    """Returns (front matter lines, config dict); about 1 in 12 models carries a licensing problem."""
    kind = rng.random()
    name = f"model-{i:05d}"
    fm = []
    arch = "LlamaForCausalLM"
    if kind < 0.25:
        # an original model
        fm.append(f"license: {rng.choice(ORIGINAL_LICENSES[:-1])}")
    else:
        base, lic, arch = rng.choice(BASES)
        rel = rng.choice(RELATIONS)
        violation = rng.random() < 0.08
        same_lic = lic
        if lic == "llama3.1" and not violation:
            name = f"Llama-3.1-{name}"
        if violation:
            lic = rng.choice(["mit", "apache-2.0", None])
        if lic:
            fm.append(f"license: {lic}")
        if rel == "merge":
            # merges mix bases of one license; a violation may mix licenses
            same = [b for b in BASES if b[1] == same_lic and b[0] != base] or [b for b in BASES if b[0] != base]
            other = rng.choice(BASES if violation else same)[0]
            fm.append("base_model:")
            fm.append(f"- {base}")
            fm.append(f"- {other}")
        else:
            fm.append(f"base_model: {base}")
        fm.append(f"base_model_relation: {rel}")
        if rel == "adapter":
            fm.append("library_name: peft")
    fm += [
        f"model_name: {name}",
        "pipeline_tag: text-generation",
        "language:",
        "- en",
        "tags:",
        "- text-generation",
        f"- bench-{i % 17}",
        "datasets:",
        "- HuggingFaceH4/ultrachat_200k",
    ]
    config = {"architectures": [arch], "model_type": arch.replace("ForCausalLM", "").lower(),
              "hidden_size": 4096, "num_hidden_layers": 32, "vocab_size": 128256,
              "torch_dtype": "bfloat16"}
    return name, fm, config


def mono(root, count):
    rng = random.Random(20261125)
    for i in range(count):
        name, fm, config = card(i, rng)
        d = os.path.join(root, "models", f"org{i % 50:02d}", f"model-{i:05d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "README.md"), "w") as f:
            f.write("---\n" + "\n".join(fm) + "\n---\n\n" + f"# {name}\n\nBenchmark model card {i}.\n")
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(config, f, indent=2)


def gguf(path, tokens):
    GGUF_STRING, GGUF_UINT32, GGUF_ARRAY = 8, 4, 9

    def s(x):
        b = x.encode()
        return struct.pack("<Q", len(b)) + b

    kv = []

    def put_str(k, v):
        kv.append(s(k) + struct.pack("<I", GGUF_STRING) + s(v))

    def put_u32(k, v):
        kv.append(s(k) + struct.pack("<II", GGUF_UINT32, v))

    put_str("general.architecture", "llama")
    put_str("general.type", "model")
    put_str("general.name", "Bench Merge 8B")
    put_str("general.license", "llama3.1")
    put_u32("general.base_model.count", 2)
    put_str("general.base_model.0.name", "Llama 3.1 8B Instruct")
    put_str("general.base_model.0.organization", "Meta Llama")
    put_str("general.base_model.0.repo_url", "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct")
    put_str("general.base_model.1.name", "Llama 3.1 8B")
    put_str("general.base_model.1.repo_url", "https://huggingface.co/meta-llama/Llama-3.1-8B")
    put_u32("general.file_type", 7)
    put_str("tokenizer.ggml.model", "gpt2")
    arr = bytearray(s("tokenizer.ggml.tokens") + struct.pack("<IIQ", GGUF_ARRAY, GGUF_STRING, tokens))
    for i in range(tokens):
        arr += s(f"tok_{i:06d}_{'x' * (i % 7)}")
    kv.append(bytes(arr))
    with open(path, "wb") as f:
        f.write(b"GGUF" + struct.pack("<IQQ", 3, 1, len(kv)))  # version, tensor count, kv count
        for e in kv:
            f.write(e)
        name = s("token_embd.weight")
        f.write(name + struct.pack("<I", 1) + struct.pack("<Q", 32) + struct.pack("<IQ", 0, 0))  # 1-D f32, offset 0
        pad = (-f.tell()) % 32
        f.write(b"\0" * pad + b"\0" * 128)


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "mono":
        mono(sys.argv[2], int(sys.argv[3]))
    elif what == "gguf":
        gguf(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
