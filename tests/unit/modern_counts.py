"""Independent counts of today's models' parts, written from the modules' definitions.

Each function counts the tensors the module holds, one by one, as the library that
defines it does (nanoGPT's GPT, Hugging Face's LlamaDecoderLayer and MixtralConfig,
PEFT's LoRA, torch.nn's convolutions), not by the template's formulas.
"""

from __future__ import annotations

from typing import Any


def linear(n_in: int, n_out: int, bias: bool = True) -> int:
    """nn.Linear(n_in, n_out, bias): weight n_out × n_in, bias n_out."""
    return n_in * n_out + (n_out if bias else 0)


def gpt(v: dict[str, Any]) -> int:
    """nanoGPT's GPT: wte, wpe, blocks of (ln_1, c_attn, c_proj, ln_2, c_fc, c_proj), ln_f."""
    d, bias = v["n_embd"], v["bias"]
    norm = 2 * d if bias else d
    block = (
        norm
        + linear(d, 3 * d, bias)
        + linear(d, d, bias)
        + norm
        + linear(d, v["n_inner"], bias)
        + linear(v["n_inner"], d, bias)
    )
    wte = v["vocab_size"] * d
    wpe = v["n_positions"] * d if v["learned_positions"] else 0
    head = 0 if v["tie_word_embeddings"] else linear(d, v["vocab_size"], False)
    return wte + wpe + v["n_layer"] * block + norm + head


def gqa(v: dict[str, Any]) -> int:
    """LlamaAttention: q_proj, k_proj, v_proj, o_proj, none with a bias."""
    d = v["hidden_size"]
    kv = v["num_key_value_heads"] * (d // v["num_attention_heads"])
    return linear(d, d, False) + 2 * linear(d, kv, False) + linear(d, d, False)


def kv_cache(v: dict[str, Any]) -> float:
    size = 4 if v["dtype"] == "float32" else 2
    keys = v["num_hidden_layers"] * v["num_key_value_heads"] * v["head_dim"] * v["seq_len"]
    return 2 * keys * v["batch_size"] * size / 1e9


def lora(v: dict[str, Any]) -> int:
    """PEFT's lora_A (r × d_in) and lora_B (d_out × r) for each target module."""
    d, r = v["hidden_size"], v["r"]
    modules = [name.strip() for name in v["target_modules"].split(",")]
    return v["num_hidden_layers"] * len(modules) * (r * d + d * r)


def moe(v: dict[str, Any]) -> int:
    """Mixtral's experts: w1, w2, w3 without biases, all counted or only the top-k."""
    expert = 3 * linear(v["hidden_size"], v["intermediate_size"], False)
    used = v["num_local_experts"] if v["asked"] == "total" else v["num_experts_per_tok"]
    return v["shared"] + v["num_hidden_layers"] * used * expert


def mixed_precision(v: dict[str, Any]) -> float:
    mixed = v["precision"] == "mixed fp16"
    weights = 2 + 4 if mixed else 4  # fp16 working copy and fp32 master copy
    gradients = 2 if mixed else 4
    moments = 4 + 4 if v["optimizer"] == "adam" else 0
    return v["num_params"] * (weights + gradients + moments) / 1e9


def llama_block(v: dict[str, Any]) -> int:
    """LlamaDecoderLayer: self_attn, mlp (gate, up, down), two RMSNorm gains."""
    d, f = v["hidden_size"], v["intermediate_size"]
    mlp = linear(d, f, False) + linear(d, f, False) + linear(f, d, False)
    return gqa(v) + mlp + 2 * d


def conv(c_in: int, c_out: int, k: int, groups: int = 1, bias: bool = True) -> int:
    """nn.Conv2d: weight c_out × (c_in ÷ groups) × k × k, bias c_out."""
    return c_out * (c_in // groups) * k * k + (c_out if bias else 0)


def separable(v: dict[str, Any]) -> int:
    c_in, bias = v["in_channels"], v["bias"]
    depthwise = conv(c_in, c_in, v["kernel_size"], groups=c_in, bias=bias)
    return depthwise + conv(c_in, v["out_channels"], 1, bias=bias)


def transposed(v: dict[str, Any]) -> int:
    """nn.ConvTranspose2d: weight in × out × k × k, bias out; the stride adds nothing."""
    k = v["kernel_size"]
    return v["in_channels"] * v["out_channels"] * k * k + (v["out_channels"] if v["bias"] else 0)


MODERN_REFERENCE: dict[str, Any] = {
    "decoder_transformer": gpt,
    "grouped_query_attention": gqa,
    "kv_cache": kv_cache,
    "lora": lora,
    "mixture_of_experts": moe,
    "mixed_precision_memory": mixed_precision,
    "llama_block": llama_block,
    "depthwise_separable_conv": separable,
    "conv_transpose2d": transposed,
    "training_compute": lambda v: 6 * v["params_billion"] * 1e9 * v["tokens_billion"] * 1e9 / 1e21,
    "chinchilla_tokens": lambda v: 20 * v["num_params"] / 1e9,
}
