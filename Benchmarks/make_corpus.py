#!/usr/bin/env python3
"""Writes a Hub model-info JSONL corpus for the audit benchmark: COUNT lines shaped like
`GET /api/models?full=true&cardData=true` objects (id, sha, tags with license:/base_model:,
cardData with the card's front matter, siblings, the other fields the Hub sends), about 1.6 KB a
line. Lineage mixes finetunes, quantizations, adapters and merges of registry models and of
earlier lines (chains inside the corpus), with licenses kept, changed or missing.

usage: make_corpus.py COUNT OUT.jsonl [SEED]
"""
import json
import random
import sys

count = int(sys.argv[1])
out = sys.argv[2]
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)

ROOTS = [
    ("meta-llama/Llama-3.1-8B", "llama3.1"), ("meta-llama/Llama-3.1-8B-Instruct", "llama3.1"),
    ("meta-llama/Meta-Llama-3-8B", "llama3"), ("meta-llama/Meta-Llama-3-8B-Instruct", "llama3"),
    ("meta-llama/Llama-2-7b-hf", "llama2"), ("meta-llama/Llama-2-7b-chat-hf", "llama2"),
    ("mistralai/Mistral-7B-v0.1", "apache-2.0"), ("google/gemma-2-9b-it", "gemma"),
    ("Qwen/Qwen2.5-7B-Instruct", "apache-2.0"), ("Qwen/Qwen2.5-3B-Instruct", "qwen-research"),
    ("CompVis/stable-diffusion-v1-4", "creativeml-openrail-m"), ("stabilityai/stablelm-3b-4e1t", "cc-by-sa-4.0"),
    ("microsoft/Phi-3-mini-4k-instruct", "mit"), ("black-forest-labs/FLUX.1-dev", "flux-1-dev-non-commercial-license"),
]
DECLARED = ["apache-2.0", "mit", "llama3.1", "llama3", "llama2", "gemma", "cc-by-nc-4.0", "cc-by-4.0",
            "cc-by-nc-nd-4.0", "cc-by-sa-4.0", "gpl-3.0", "openrail", "creativeml-openrail-m", None, "other"]
ORGS = ["acme", "bartowski", "TheBloke", "mradermacher", "unsloth-fans", "lab-%d", "user%d", "org%d"]
LANGS = ["en", "fr", "de", "zh", "ja", "es", "ko", "ru"]
DATASETS = ["HuggingFaceH4/ultrachat_200k", "Open-Orca/SlimOrca", "teknium/OpenHermes-2.5", "tatsu-lab/alpaca"]


def sha(n):
    return "%040x" % rng.getrandbits(160)


def siblings(relation, name):
    files = [".gitattributes", "README.md", "config.json", "generation_config.json", "tokenizer.json",
             "tokenizer_config.json", "special_tokens_map.json"]
    if relation == "quantized":
        files += ["%s.Q%d_K_M.gguf" % (name, q) for q in (2, 3, 4, 5, 6, 8)]
    elif relation == "adapter":
        files = [".gitattributes", "README.md", "adapter_config.json", "adapter_model.safetensors", "training_args.bin"]
    else:
        files += ["model-%05d-of-00004.safetensors" % i for i in range(1, 5)] + ["model.safetensors.index.json"]
    if rng.random() < 0.2:
        files.append("LICENSE")
    return [{"rfilename": f} for f in files]


ids = []
with open(out, "w") as f:
    for i in range(count):
        org = rng.choice(ORGS)
        if "%d" in org:
            org = org % rng.randrange(5000)
        r = rng.random()
        relation = ("finetune" if r < 0.40 else "quantized" if r < 0.60 else "adapter" if r < 0.75
                    else "merge" if r < 0.80 else None)
        name = "model-%d-%s" % (i, rng.choice(["chat", "instruct", "base", "v2", "dpo", "sft"]))
        if relation == "quantized":
            name += "-GGUF"
        mid = "%s/%s" % (org, name)
        card = {}
        tags = ["transformers", "safetensors", "text-generation", "conversational"]
        bases = []
        if relation:
            n = 2 + (rng.random() < 0.3) if relation == "merge" else 1
            for _ in range(n):
                # Half the bases are earlier lines of the corpus: chains inside it.
                if ids and rng.random() < 0.5:
                    bases.append(rng.choice(ids))
                else:
                    bases.append(rng.choice(ROOTS)[0])
            card["base_model"] = bases[0] if len(bases) == 1 else bases
            if rng.random() < 0.5:
                card["base_model_relation"] = relation
            tags += ["base_model:%s" % b for b in bases] + ["base_model:%s:%s" % (relation, b) for b in bases]
        lic = rng.choice(DECLARED)
        if lic == "other":
            card["license"] = "other"
            if rng.random() < 0.6:
                card["license_name"] = rng.choice(["qwen", "llama-3-community-license", "custom-license"])
        elif lic:
            card["license"] = lic
            tags.append("license:%s" % lic)
        card["language"] = rng.sample(LANGS, rng.randrange(1, 4))
        card["library_name"] = "peft" if relation == "adapter" else "transformers"
        card["pipeline_tag"] = "text-generation"
        card["datasets"] = rng.sample(DATASETS, rng.randrange(0, 3))
        card["tags"] = ["trl", "sft"] + (["lora", "peft"] if relation == "adapter" else []) + (["gguf"] if relation == "quantized" else [])
        if rng.random() < 0.15:
            card["model-index"] = [{"name": name, "results": [{"task": {"type": "text-generation"},
                                    "dataset": {"name": "MMLU", "type": "cais/mmlu"},
                                    "metrics": [{"type": "acc", "value": round(rng.random(), 4)}]}]}]
        line = {
            "_id": "%024x" % rng.getrandbits(96), "id": mid, "modelId": mid, "author": org, "sha": sha(i),
            "lastModified": "2025-%02d-%02dT12:00:00.000Z" % (rng.randrange(1, 13), rng.randrange(1, 29)),
            "private": False, "disabled": False, "gated": False, "downloads": rng.randrange(100000),
            "likes": rng.randrange(300), "library_name": card["library_name"], "tags": tags + ["region:us"],
            "pipeline_tag": "text-generation", "createdAt": "2024-06-01T00:00:00.000Z", "cardData": card,
            "siblings": siblings(relation, name), "spaces": [], "widgetData": [{"text": "Hello"}],
            "config": {"architectures": ["LlamaForCausalLM"], "model_type": "llama",
                       "tokenizer_config": {"bos_token": "<s>", "eos_token": "</s>"}},
            "safetensors": {"parameters": {"BF16": 8030261248}, "total": 8030261248},
        }
        f.write(json.dumps(line) + "\n")
        ids.append(mid)
