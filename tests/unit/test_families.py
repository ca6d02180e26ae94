"""The bundled exercise families (data/ml-exercises.yaml): sound, and right about PyTorch.

Every answer must equal ``sum(p.numel() for p in module.parameters() if p.requires_grad)``
for the module in the question.  Each family is checked twice: against numbers worked
out by hand (the working is in the comments), and against an independent count in
plain Python over many drawn instances.

The templates come from QuizApp's native parser; a small builder over ``yaml.safe_load``
reads the same notes independently, as the YAML shape is specified, and a test checks
that both readings agree (the builder also stands in while a parser cannot read exercises).
"""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

from quizapp.banks.native import parse_native_bank
from quizapp.domain import (
    Distractor,
    ExerciseContent,
    ExerciseTemplate,
    Step,
    ToleranceKind,
    Variable,
    VariableKind,
)
from quizapp.exercises.checking import check_answer
from quizapp.exercises.formula import compile_formula
from quizapp.exercises.instances import draw_instance, instance_from_values
from quizapp.exercises.validation import validate_template
from tests.unit.modern_counts import MODERN_REFERENCE

BANK = Path(__file__).parents[2] / "data" / "ml-exercises.yaml"
FAMILIES = [
    "dense",
    "mlp",
    "conv2d",
    "conv2d_vs_dense",
    "embedding",
    "rnn",
    "gru",
    "lstm",
    "batchnorm",
    "layernorm",
    "multihead_attention",
    "transformer_encoder_layer",
    "param_memory",
    "classify",
    "decoder_transformer",
    "grouped_query_attention",
    "kv_cache",
    "lora",
    "mixture_of_experts",
    "mixed_precision_memory",
    "llama_block",
    "depthwise_separable_conv",
    "conv_transpose2d",
    "training_compute",
    "chinchilla_tokens",
]
_KINDS = ("integer", "decimal", "boolean", "choice", "integer_list")


def _variable(entry: dict[str, Any]) -> Variable:
    (kind,) = [name for name in _KINDS if name in entry]
    name, spec = entry["name"], entry[kind]
    if kind == "boolean":
        return Variable(name, VariableKind.BOOLEAN)
    if kind == "choice":
        return Variable(name, VariableKind.CHOICE, choices=tuple(spec))
    low, high = spec
    step = entry.get("step", 1)
    if kind == "integer_list":
        shortest, longest = entry["length"]
        return Variable(
            name,
            VariableKind.INTEGER_LIST,
            low,
            high,
            step,
            length_low=shortest,
            length_high=longest,
        )
    return Variable(name, VariableKind(kind), low, high, step)


def template_from_note(note: dict[str, Any]) -> ExerciseTemplate:
    """An exercise note of the bank, as the YAML shape in the brief describes it."""
    return ExerciseTemplate(
        template_id=note["id"],
        question=note["question"],
        answer=str(note["answer"]),
        explanation=note["explanation"],
        variables=tuple(_variable(entry) for entry in note.get("variables", ())),
        constraints=tuple(note.get("constraints", ())),
        steps=tuple(Step(*next(iter(step.items()))) for step in note.get("steps", ())),
        tolerance=float(note.get("tolerance", 0)),
        tolerance_kind=ToleranceKind(note.get("tolerance_kind", "absolute")),
        distractors=tuple(
            Distractor(d["formula"], d["mistake"]) for d in note.get("distractors", ())
        ),
        answer_choices=tuple(note.get("answer_choices", ())),
        multiple_choice=bool(note.get("multiple_choice", False)),
        unit=note.get("unit", ""),
    )


def native_templates() -> dict[str, ExerciseTemplate] | None:
    """The bank as QuizApp's own parser reads it, or None while it cannot read exercises."""
    try:
        batch = parse_native_bank(BANK.read_text(encoding="utf-8"), BANK.name)
    except KeyError:  # the parser knows the kind but has no reader for it yet
        return None
    return {
        item.note.content.template.template_id: item.note.content.template
        for item in batch.notes
        if isinstance(item.note.content, ExerciseContent)
    }


@pytest.fixture(scope="module")
def bank() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(BANK.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def templates(bank: dict[str, Any]) -> dict[str, ExerciseTemplate]:
    native = native_templates()
    if native is not None:
        return native
    notes = [note for deck in bank["decks"] for note in deck["notes"]]
    return {note["id"]: template_from_note(note) for note in notes}


def answer(templates: dict[str, ExerciseTemplate], family: str, **values: object) -> object:
    return instance_from_values(templates[family], values).answer


# ---------------------------------------------------------------- the bank itself


def test_the_bank_has_one_exercise_deck_with_every_family(bank: dict[str, Any]) -> None:
    assert bank["quizapp_bank"] == 1
    assert bank["title"]
    assert [deck["name"] for deck in bank["decks"]] == ["ML Parameters::Exercises"]
    notes = bank["decks"][0]["notes"]
    assert [note["id"] for note in notes] == FAMILIES
    assert all(note["kind"] == "exercise" for note in notes)


def test_the_native_parser_reads_the_families_as_written() -> None:
    native = native_templates()
    if native is None:
        pytest.skip("the native parser does not read exercise notes yet")
    notes = yaml.safe_load(BANK.read_text(encoding="utf-8"))["decks"][0]["notes"]
    assert native == {note["id"]: template_from_note(note) for note in notes}


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_validates(templates: dict[str, ExerciseTemplate], family: str) -> None:
    assert validate_template(templates[family]) == []


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_draws_varied_instances(
    templates: dict[str, ExerciseTemplate], family: str
) -> None:
    rng = random.Random(family)
    previous = None
    questions = set()
    for _ in range(100):
        instance = draw_instance(templates[family], rng, avoid=previous)
        assert previous is None or dict(instance.variables) != dict(previous)
        previous = instance.variables
        questions.add(instance.question)
    assert len(questions) > 5


# ---------------------------------------------------------------- answers worked by hand


def test_dense(templates: dict[str, ExerciseTemplate]) -> None:
    # nn.Linear(10, 5): 10 × 5 = 50 weights + 5 biases = 55.
    assert answer(templates, "dense", in_features=10, out_features=5, bias=True) == 55
    # nn.Linear(10, 5, bias=False): the 50 weights only.
    assert answer(templates, "dense", in_features=10, out_features=5, bias=False) == 50


def test_mlp(templates: dict[str, ExerciseTemplate]) -> None:
    # 784→256→128→10: 784×256 + 256×128 + 128×10 = 200,704 + 32,768 + 1,280 = 234,752
    # weights, + 256 + 128 + 10 = 394 biases = 235,146.
    assert answer(templates, "mlp", sizes=(784, 256, 128, 10), bias=True) == 235_146
    # 3→4→5 without biases: 3×4 + 4×5 = 32.
    assert answer(templates, "mlp", sizes=(3, 4, 5), bias=False) == 32


def test_conv2d(templates: dict[str, ExerciseTemplate]) -> None:
    def conv(**values: object) -> object:
        return answer(templates, "conv2d", **values)

    # nn.Conv2d(3, 64, 3): 64 × 3 × 3 × 3 = 1,728 weights + 64 biases = 1,792.
    assert conv(in_channels=3, out_channels=64, kernel_size=3, groups=1, bias=True) == 1792
    # nn.Conv2d(64, 128, 3, groups=4, bias=False): 128 × (64 / 4 = 16) × 9 = 18,432.
    assert conv(in_channels=64, out_channels=128, kernel_size=3, groups=4, bias=False) == 18_432
    # nn.Conv2d(8, 16, 1, groups=8): 16 × 1 × 1 × 1 = 16 weights + 16 biases = 32.
    assert conv(in_channels=8, out_channels=16, kernel_size=1, groups=8, bias=True) == 32
    # nn.Conv2d(128, 256, 7, groups=8): 256 × 16 × 49 = 200,704 + 256 = 200,960.
    assert conv(in_channels=128, out_channels=256, kernel_size=7, groups=8, bias=True) == 200_960


def test_conv2d_groups_must_divide_both_channel_counts(
    templates: dict[str, ExerciseTemplate],
) -> None:
    rng = random.Random(0)
    for _ in range(300):
        values = draw_instance(templates["conv2d"], rng).variables
        assert values["in_channels"] % values["groups"] == 0
        assert values["out_channels"] % values["groups"] == 0
    constraints = [
        compile_formula(c, ["in_channels", "out_channels", "groups"])
        for c in templates["conv2d"].constraints
    ]
    bad = {"in_channels": 3, "out_channels": 64, "groups": 2}
    assert not all(constraint.evaluate(bad) for constraint in constraints)


def test_conv2d_vs_dense(templates: dict[str, ExerciseTemplate]) -> None:
    # conv: 16 × 3 × 3 × 3 + 16 = 448.  dense: 3 × 32 × 32 = 3,072 inputs to
    # 16 × 32 × 32 = 16,384 outputs: 3,072 × 16,384 + 16,384 = 50,348,032.
    # 50,348,032 ÷ 448 = 112,384 (448 × 112,384 = 50,348,032 exactly).
    ratio = answer(
        templates, "conv2d_vs_dense", in_channels=3, out_channels=16, kernel_size=3, image_size=32
    )
    assert ratio == 112_384
    # conv: 4 × 1 × 25 + 4 = 104; dense: 64 × 256 + 256 = 16,640; 16,640 ÷ 104 = 160.
    ratio = answer(
        templates, "conv2d_vs_dense", in_channels=1, out_channels=4, kernel_size=5, image_size=8
    )
    assert ratio == 160


def test_embedding(templates: dict[str, ExerciseTemplate]) -> None:
    # nn.Embedding(1000, 64): 1,000 × 64 = 64,000, no bias.
    assert answer(templates, "embedding", num_embeddings=1000, embedding_dim=64) == 64_000
    # GPT-2's token table: 50,257 × 768 = 38,400,000 + 197,376 = 38,597,376.
    assert answer(templates, "embedding", num_embeddings=50257, embedding_dim=768) == 38_597_376


def recurrent(templates: dict[str, ExerciseTemplate], family: str, **values: object) -> object:
    defaults: dict[str, object] = {"num_layers": 1, "bias": True, "bidirectional": False}
    return answer(templates, family, **{**defaults, **values})


def test_lstm(templates: dict[str, ExerciseTemplate]) -> None:
    # nn.LSTM(10, 20): 4 gates × 20 × (10 + 20) = 2,400 weights + 2 × 4 × 20 = 160 biases.
    assert recurrent(templates, "lstm", input_size=10, hidden_size=20) == 2560
    # nn.LSTM(10, 20, num_layers=2, bidirectional=True), per direction:
    #   layer 0: 4 × 20 × (10 + 20) + 160 = 2,560
    #   layer 1 reads both directions (2 × 20 = 40): 4 × 20 × (40 + 20) + 160 = 4,960
    # 2 directions × (2,560 + 4,960) = 15,040.  (Not 15,360: that would need 5,120 for layer 1.)
    assert (
        recurrent(
            templates, "lstm", input_size=10, hidden_size=20, num_layers=2, bidirectional=True
        )
        == 15_040
    )
    # nn.LSTM(10, 20, bias=False): the 2,400 weights only.
    assert recurrent(templates, "lstm", input_size=10, hidden_size=20, bias=False) == 2400


def test_gru(templates: dict[str, ExerciseTemplate]) -> None:
    # nn.GRU(10, 20): 3 × 20 × (10 + 20) = 1,800 + 2 × 3 × 20 = 120 biases = 1,920.
    assert recurrent(templates, "gru", input_size=10, hidden_size=20) == 1920
    # nn.GRU(10, 20, num_layers=2): 1,920 + 3 × 20 × (20 + 20) + 120 = 1,920 + 2,520 = 4,440.
    assert recurrent(templates, "gru", input_size=10, hidden_size=20, num_layers=2) == 4440


def test_rnn(templates: dict[str, ExerciseTemplate]) -> None:
    # nn.RNN(10, 20, bias=False): 20 × 10 + 20 × 20 = 600.
    assert recurrent(templates, "rnn", input_size=10, hidden_size=20, bias=False) == 600
    # nn.RNN(10, 20): 600 + b_ih and b_hh, 2 × 20 = 640.
    assert recurrent(templates, "rnn", input_size=10, hidden_size=20) == 640
    # nn.RNN(10, 20, num_layers=3, bias=False, bidirectional=True): layer 0 20 × 30 = 600,
    # layers 1 and 2 20 × (40 + 20) = 1,200 each, per direction: 2 × (600 + 2,400) = 6,000.
    assert (
        recurrent(
            templates,
            "rnn",
            input_size=10,
            hidden_size=20,
            num_layers=3,
            bias=False,
            bidirectional=True,
        )
        == 6000
    )


def test_batchnorm(templates: dict[str, ExerciseTemplate]) -> None:
    # nn.BatchNorm2d(64): a weight and a bias per channel, 2 × 64 = 128; the running
    # mean and variance are buffers.
    assert answer(templates, "batchnorm", num_features=64, affine=True) == 128
    assert answer(templates, "batchnorm", num_features=64, affine=False) == 0


def test_layernorm(templates: dict[str, ExerciseTemplate]) -> None:
    # nn.LayerNorm(512): a gain and a bias per feature, 2 × 512 = 1,024.
    assert answer(templates, "layernorm", normalized_shape=512, elementwise_affine=True) == 1024
    assert answer(templates, "layernorm", normalized_shape=512, elementwise_affine=False) == 0


def test_multihead_attention(templates: dict[str, ExerciseTemplate]) -> None:
    def attention(**values: object) -> object:
        return answer(templates, "multihead_attention", **values)

    # nn.MultiheadAttention(512, 8): in_proj 3 × 512² = 786,432 + 1,536 biases,
    # out_proj 512² = 262,144 + 512 biases: 787,968 + 262,656 = 1,050,624.
    assert attention(embed_dim=512, num_heads=8, bias=True) == 1_050_624
    # The heads share the projections: the count does not depend on num_heads.
    assert attention(embed_dim=512, num_heads=1, bias=True) == 1_050_624
    # bias=False: 4 × 512² = 1,048,576.
    assert attention(embed_dim=512, num_heads=8, bias=False) == 1_048_576


def test_num_heads_must_divide_embed_dim(templates: dict[str, ExerciseTemplate]) -> None:
    template = templates["multihead_attention"]
    rng = random.Random(2)
    for _ in range(300):
        values = draw_instance(template, rng).variables
        assert values["embed_dim"] % values["num_heads"] == 0
    (constraint,) = template.constraints
    assert (
        compile_formula(constraint, ["embed_dim", "num_heads"]).evaluate(
            {"embed_dim": 64, "num_heads": 3}
        )
        is False
    )


def test_transformer_encoder_layer(templates: dict[str, ExerciseTemplate]) -> None:
    # nn.TransformerEncoderLayer(512, 8, 2048): attention 1,050,624
    # + linear1 512 × 2,048 + 2,048 = 1,050,624 + linear2 2,048 × 512 + 512 = 1,049,088
    # + two LayerNorms 4 × 512 = 2,048: 3,152,384.
    assert (
        answer(templates, "transformer_encoder_layer", d_model=512, nhead=8, dim_feedforward=2048)
        == 3_152_384
    )
    # (64, 1, 256): 16,640 + 16,640 + 16,448 + 256 = 49,984.
    assert (
        answer(templates, "transformer_encoder_layer", d_model=64, nhead=1, dim_feedforward=256)
        == 49_984
    )


def test_param_memory(templates: dict[str, ExerciseTemplate]) -> None:
    def megabytes(num_params: int, dtype: str, optimizer: str) -> object:
        return answer(
            templates, "param_memory", num_params=num_params, dtype=dtype, optimizer=optimizer
        )

    # BERT-base in float32 with Adam: 110,000,000 × 4 bytes × (1 + 2 states) = 1,320 MB.
    assert megabytes(110_000_000, "float32", "adam") == 1320
    # 7 B in bfloat16 with SGD momentum: 7e9 × 2 × (1 + 1) = 28e9 bytes = 28,000 MB.
    assert megabytes(7_000_000_000, "bfloat16", "sgd-momentum") == 28_000
    # ResNet-50 in int8 for inference: 25,600,000 bytes = 25.6 MB.
    assert megabytes(25_600_000, "int8", "none") == pytest.approx(25.6)
    # 11,700,000 in float16 with Adam: 11.7e6 × 2 × 3 = 70.2 MB.
    assert megabytes(11_700_000, "float16", "adam") == pytest.approx(70.2)


def test_param_memory_never_trains_int8_weights(templates: dict[str, ExerciseTemplate]) -> None:
    rng = random.Random(3)
    for _ in range(300):
        values = draw_instance(templates["param_memory"], rng).variables
        assert values["dtype"] != "int8" or values["optimizer"] == "none"


LEARNED = {
    "weight matrix of a linear layer",
    "bias vector of a linear layer",
    "embedding table",
    "kernel weights of a convolution",
    "LayerNorm gain",
    "BatchNorm shift (beta)",
    # The exceptions learners miss: learned scalars, and a frozen nn.Parameter.
    "PReLU slope",
    "CLIP temperature (logit_scale)",
    "frozen embedding table (requires_grad=False)",
}
# BatchNorm's register_buffer tensors (torch.nn.BatchNorm2d's state_dict).
BUFFERS = {
    "BatchNorm running mean",
    "BatchNorm running variance",
    "BatchNorm num_batches_tracked counter",
}


def _kind_of(name: str) -> str:
    return "parameter" if name in LEARNED else "buffer" if name in BUFFERS else "hyperparameter"


def test_classify(templates: dict[str, ExerciseTemplate]) -> None:
    (quantity,) = templates["classify"].variables
    assert len(quantity.choices) >= 12
    labels = ["parameter", "buffer", "hyperparameter"]
    for name in quantity.choices:
        instance = instance_from_values(templates["classify"], {"quantity": name})
        assert instance.answer == _kind_of(name), name
        assert [choice.label for choice in instance.choices] == labels
    assert set(quantity.choices) >= LEARNED | BUFFERS


def test_classify_reads_as_english(templates: dict[str, ExerciseTemplate]) -> None:
    plural = instance_from_values(
        templates["classify"], {"quantity": "kernel weights of a convolution"}
    )
    assert plural.question.startswith("Are the kernel weights")
    assert plural.explanation.startswith("The kernel weights of a convolution are a parameter")
    decay = instance_from_values(templates["classify"], {"quantity": "weight-decay coefficient"})
    assert decay.question.startswith("Is the weight-decay coefficient")
    # A hyperparameter may follow a schedule fixed in advance: still not learned.
    assert "schedule fixed in advance" in decay.explanation


# ---------------------------------------------------------------- mistakes named


@pytest.mark.parametrize(
    ("family", "values", "typed", "mistake"),
    [
        ("dense", {"in_features": 10, "out_features": 5, "bias": True}, "50", "forgot the biases"),
        (
            "dense",
            {"in_features": 10, "out_features": 5, "bias": True},
            "60",
            "counted one bias per input instead of one per output",
        ),
        (
            "conv2d",
            {"in_channels": 3, "out_channels": 64, "kernel_size": 3, "groups": 1, "bias": True},
            "15,616",  # 64 × 3 × 81 + 64
            "squared the kernel twice",
        ),
        (
            "lstm",
            {
                "input_size": 10,
                "hidden_size": 20,
                "num_layers": 1,
                "bias": True,
                "bidirectional": False,
            },
            "2480",  # 2,400 + 80: one bias vector per gate
            "forgot one of PyTorch's two LSTM bias vectors (b_ih and b_hh)",
        ),
        (
            "gru",
            {
                "input_size": 10,
                "hidden_size": 20,
                "num_layers": 1,
                "bias": True,
                "bidirectional": False,
            },
            "2560",  # 4 gates: 1,920 × 4 / 3
            "used 4 gates, as in an LSTM",
        ),
        (
            "batchnorm",
            {"num_features": 64, "affine": True},
            "256",
            "counted the running mean and variance as parameters; they are buffers",
        ),
        (
            "multihead_attention",
            {"embed_dim": 512, "num_heads": 8, "bias": True},
            "787,968",
            "forgot the output projection (out_proj)",
        ),
    ],
)
def test_known_mistakes_are_named(
    templates: dict[str, ExerciseTemplate],
    family: str,
    values: dict[str, object],
    typed: str,
    mistake: str,
) -> None:
    result = check_answer(instance_from_values(templates[family], values), typed)
    assert not result.correct
    assert result.note == mistake


# ---------------------------------------------------------------- against plain Python


def _linear(n_in: int, n_out: int, bias: bool = True) -> int:
    return n_in * n_out + (n_out if bias else 0)


def _recurrent(gates: int, v: dict[str, Any]) -> int:
    directions = 2 if v["bidirectional"] else 1
    hidden, total = v["hidden_size"], 0
    for layer in range(v["num_layers"]):
        inputs = v["input_size"] if layer == 0 else hidden * directions
        biases = 2 * gates * hidden if v["bias"] else 0
        total += directions * (gates * hidden * (inputs + hidden) + biases)
    return total


def _conv(v: dict[str, Any]) -> int:
    per_group = v["in_channels"] // v["groups"]
    return v["out_channels"] * per_group * v["kernel_size"] ** 2 + (
        v["out_channels"] if v["bias"] else 0
    )


def _conv_vs_dense(v: dict[str, Any]) -> float:
    conv = _conv({**v, "groups": 1, "bias": True})
    pixels = v["image_size"] ** 2
    return _linear(v["in_channels"] * pixels, v["out_channels"] * pixels) / conv


def _attention(embed_dim: int, bias: bool = True) -> int:
    return _linear(embed_dim, 3 * embed_dim, bias) + _linear(embed_dim, embed_dim, bias)


def _memory(v: dict[str, Any]) -> float:
    size = {"float32": 4, "float16": 2, "bfloat16": 2, "int8": 1}[v["dtype"]]
    states = {"none": 0, "sgd-momentum": 1, "adam": 2}[v["optimizer"]]
    return v["num_params"] * size * (1 + states) / 1e6


REFERENCE: dict[str, Any] = {
    "dense": lambda v: _linear(v["in_features"], v["out_features"], v["bias"]),
    "mlp": lambda v: sum(_linear(a, b, v["bias"]) for a, b in pairwise(v["sizes"])),
    "conv2d": _conv,
    "conv2d_vs_dense": _conv_vs_dense,
    "embedding": lambda v: v["num_embeddings"] * v["embedding_dim"],
    "rnn": lambda v: _recurrent(1, v),
    "gru": lambda v: _recurrent(3, v),
    "lstm": lambda v: _recurrent(4, v),
    "batchnorm": lambda v: 2 * v["num_features"] if v["affine"] else 0,
    "layernorm": lambda v: 2 * v["normalized_shape"] if v["elementwise_affine"] else 0,
    "multihead_attention": lambda v: _attention(v["embed_dim"], v["bias"]),
    "transformer_encoder_layer": lambda v: (
        _attention(v["d_model"])
        + _linear(v["d_model"], v["dim_feedforward"])
        + _linear(v["dim_feedforward"], v["d_model"])
        + 4 * v["d_model"]
    ),
    "param_memory": _memory,
    "classify": lambda v: _kind_of(v["quantity"]),
    **MODERN_REFERENCE,
}


@pytest.mark.parametrize("family", FAMILIES)
def test_drawn_answers_match_an_independent_count(
    templates: dict[str, ExerciseTemplate], family: str
) -> None:
    rng = random.Random(f"reference-{family}")
    for _ in range(300):
        instance = draw_instance(templates[family], rng)
        expected = REFERENCE[family](dict(instance.variables))
        if isinstance(expected, str):
            assert instance.answer == expected, dict(instance.variables)
        else:
            assert instance.answer == pytest.approx(expected, rel=1e-12), dict(instance.variables)
        assert check_answer(instance, str(expected)).correct


# ---------------------------------------------------------------- today's models, by hand

GPT2_SMALL = {
    "vocab_size": 50257,
    "n_embd": 768,
    "n_layer": 12,
    "n_head": 12,
    "n_inner": 3072,
    "n_positions": 1024,
    "learned_positions": True,
    "bias": True,
    "tie_word_embeddings": True,
}


def test_decoder_transformer_gives_gpt2_small(templates: dict[str, ExerciseTemplate]) -> None:
    # Per block 4 × 768² + 2 × 768 × 3,072 + (5 × 768 + 3,072) + 2 × 1,536 = 7,087,872;
    # 12 blocks 85,054,464 + wte 38,597,376 + wpe 786,432 + ln_f 1,536 = 124,439,808,
    # the count of Hugging Face's "gpt2" checkpoint (tied head).
    assert answer(templates, "decoder_transformer", **GPT2_SMALL) == 124_439_808
    untied = {**GPT2_SMALL, "tie_word_embeddings": False}
    assert answer(templates, "decoder_transformer", **untied) == 124_439_808 + 38_597_376


def test_llama_block_gives_llama_7b(templates: dict[str, ExerciseTemplate]) -> None:
    config = {
        "hidden_size": 4096,
        "intermediate_size": 11008,
        "num_attention_heads": 32,
        "num_key_value_heads": 32,
    }
    layer = answer(templates, "llama_block", **config)
    assert layer == 202_383_360  # 67,108,864 + 135,266,304 + 8,192
    # 32 layers + embed_tokens and lm_head (32,000 × 4,096 each) + the final norm.
    assert 32 * layer + 2 * 32_000 * 4096 + 4096 == 6_738_415_616  # LLaMA-7B's 6.74 B


def test_mixture_of_experts_gives_mixtral(templates: dict[str, ExerciseTemplate]) -> None:
    config = {
        "hidden_size": 4096,
        "intermediate_size": 14336,
        "num_hidden_layers": 32,
        "num_local_experts": 8,
        "num_experts_per_tok": 2,
        "shared": 1_605_636_096,  # attention, norms, routers and both embedding tables
    }
    total = answer(templates, "mixture_of_experts", **config, asked="total")
    active = answer(templates, "mixture_of_experts", **config, asked="active")
    assert total == 46_702_792_704  # 46.7 B
    assert active == 12_879_925_248  # 12.9 B


def test_gqa_kv_cache_and_lora_by_hand(templates: dict[str, ExerciseTemplate]) -> None:
    # Multi-query: k_proj and v_proj map 4,096 to one head of 128: 2 × 4,096² + 2 × 4,096 × 128.
    mqa = {"hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 1}
    assert answer(templates, "grouped_query_attention", **mqa) == 34_603_008
    cache = {
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 32,
        "head_dim": 128,
        "seq_len": 4096,
        "batch_size": 1,
        "dtype": "float16",
    }
    # LLaMA-7B at 4,096 tokens: 2 × 32 × 32 × 128 × 4,096 × 2 bytes = 2,147,483,648 bytes.
    assert answer(templates, "kv_cache", **cache) == pytest.approx(2.147483648)
    lora = {"hidden_size": 4096, "num_hidden_layers": 32, "r": 16}
    # r=16 on q, k, v, o: 16 × 8,192 × 4 × 32 = 16,777,216.
    four = "q_proj, k_proj, v_proj, o_proj"
    assert answer(templates, "lora", **lora, target_modules=four) == 16_777_216


def test_convolutions_memory_and_compute_by_hand(templates: dict[str, ExerciseTemplate]) -> None:
    # 128 → 256, 3 × 3, no bias: 128 × 9 + 128 × 256 = 33,920 (ordinary: 294,912).
    separable = {"in_channels": 128, "out_channels": 256, "kernel_size": 3, "bias": False}
    assert answer(templates, "depthwise_separable_conv", **separable) == 33_920
    transposed = {"in_channels": 16, "out_channels": 3, "kernel_size": 4, "stride": 2}
    assert answer(templates, "conv_transpose2d", **transposed, bias=True) == 771  # 768 + 3
    mixed = {"num_params": 1_300_000_000, "precision": "mixed fp16", "optimizer": "adam"}
    assert answer(templates, "mixed_precision_memory", **mixed) == pytest.approx(20.8)
    gpt3 = {"params_billion": 13, "tokens_billion": 300}
    assert answer(templates, "training_compute", **gpt3) == pytest.approx(23.4)
    assert answer(templates, "chinchilla_tokens", num_params=7_000_000_000) == 140
