# Regenerates the GGUF fixtures with gguf-py (tested with gguf 0.19.0):
#   python -m venv /tmp/venv && /tmp/venv/bin/pip install gguf
#   /tmp/venv/bin/python make-fixtures.py
import numpy as np
import gguf


def lineage(path):
    """llama-lineage.gguf: lineage keys as convert_hf_to_gguf.py writes them, a 2000-token vocabulary."""
    w = gguf.GGUFWriter(path, "llama")
    w.add_type("model")
    w.add_name("Tiny Llama 3.1 Finetune")
    w.add_organization("Example Org")
    w.add_license("llama3.1")
    w.add_license_name("llama3.1")
    w.add_license_link("https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/blob/main/LICENSE")
    w.add_base_model_count(2)
    w.add_base_model_name(0, "Llama 3.1 8B Instruct")
    w.add_base_model_organization(0, "Meta Llama")
    w.add_base_model_version(0, "3.1")
    w.add_base_model_repo_url(0, "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct")
    w.add_base_model_name(1, "Other")
    w.add_base_model_repo_url(1, "https://huggingface.co/example/other-model")
    w.add_source_repo_url("https://huggingface.co/example/tiny-finetune")
    w.add_tags(["text-generation", "llama"])
    w.add_languages(["en"])
    w.add_file_type(7)
    w.add_quantization_version(2)
    w.add_context_length(4096)
    w.add_float32("llama.rope.freq_base", 500000.0)
    w.add_bool("tokenizer.ggml.add_bos_token", True)
    w.add_tokenizer_model("gpt2")
    w.add_token_list([f"tok{i}" for i in range(2000)])
    w.add_token_scores([float(i) for i in range(2000)])
    w.add_uint64("test.uint64", 2**40 + 5)
    w.add_int64("test.int64", -(2**40))
    w.add_float64("test.float64", 3.25)
    w.add_int8("test.int8", -5)
    w.add_uint16("test.uint16", 65000)
    w.add_tensor("tok_embd.weight", np.zeros((4, 8), dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def big_endian(path):
    """big-endian.gguf: a few keys written with GGUFEndian.BIG."""
    w = gguf.GGUFWriter(path, "llama", endianess=gguf.GGUFEndian.BIG)
    w.add_license("apache-2.0")
    w.add_base_model_count(1)
    w.add_base_model_repo_url(0, "https://huggingface.co/mistralai/Mistral-7B-v0.1")
    w.add_uint32("test.uint32", 0x01020304)
    w.add_array("test.strings", ["a", "bc"])
    w.add_tensor("t", np.zeros((2,), dtype=np.float32).byteswap().view(np.dtype('>f4')), raw_dtype=gguf.GGMLQuantizationType.F32)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


if __name__ == "__main__":
    lineage("llama-lineage.gguf")
    big_endian("big-endian.gguf")
