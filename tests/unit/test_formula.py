"""The safe formula evaluator: what authors may write, and what no formula can do."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.errors import UserError
from quizapp.exercises.formula import (
    MAX_LENGTH,
    FormulaError,
    compile_formula,
    evaluate_formula,
)

VALUES = {
    "in_features": 10,
    "out_features": 5,
    "bias": True,
    "sizes": (784, 256, 128, 10),
    "dtype": "float16",
    "rate": 0.5,
}


def value_of(text: str) -> object:
    return compile_formula(text, VALUES).evaluate(VALUES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("2 ** 3 ** 2", 512),  # right-associative, as in Python
        ("-2 ** 2", -4),  # ** binds tighter than unary minus
        ("10 / 4", 2.5),
        ("10 // 4", 2),
        ("-7 // 2", -4),
        ("-7 % 3", 2),
        ("+5 - -5", 10),
        ("2 * 3 + 4 * 5", 26),
        ("100 - 10 - 1", 89),  # left-associative
        ("in_features * out_features + out_features", 55),
        ("in_features * out_features + (out_features if bias else 0)", 55),
        ("out_features * bias", 5),  # a boolean counts as 1
        ("1.5e3 + 0.5", 1500.5),
    ],
)
def test_arithmetic_follows_python_precedence(text: str, expected: object) -> None:
    assert value_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("min(3, 1, 2)", 1),
        ("max([4, 9, 2])", 9),
        ("abs(-3)", 3),
        ("round(2.567, 2)", 2.57),
        ("round(2.4)", 2),
        ("floor(2.7)", 2),
        ("ceil(2.1)", 3),
        ("sqrt(144)", 12.0),
        ("log(e)", 1.0),
        ("log(8, 2)", 3.0),
        ("log2(1024)", 10.0),
        ("log10(1000)", 3.0),
        ("exp(0)", 1.0),
        ("sum(sizes)", 1178),
        ("len(sizes)", 4),
        ("len(dtype)", 7),
        ("prod([2, 3, 4])", 24),
        ("dot([1, 2, 3], [4, 5, 6])", 32),
        ("round(pi, 4)", 3.1416),
    ],
)
def test_functions(text: str, expected: object) -> None:
    result = value_of(text)
    assert isinstance(result, int | float)
    assert isinstance(expected, int | float)
    assert math.isclose(result, expected, rel_tol=1e-12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sizes[0]", 784),
        ("sizes[-1]", 10),
        ("sizes[1:]", (256, 128, 10)),
        ("sizes[:-1]", (784, 256, 128)),
        ("sizes[::2]", (784, 128)),
        ("[1, 2, 3][1]", 2),
        ("[in_features, out_features]", (10, 5)),
        # The weights of an MLP: each width times the next.
        ("dot(sizes[:-1], sizes[1:])", 784 * 256 + 256 * 128 + 128 * 10),
        ("[]", ()),
    ],
)
def test_lists_index_slice_and_dot(text: str, expected: object) -> None:
    assert value_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'big' if in_features > 5 else 'small'", "big"),
        ("1 < in_features < 20", True),
        ("1 < in_features < 5", False),
        ("in_features == 10 and out_features != 10", True),
        ("not bias", False),
        ("0 or 7", 7),  # Python's and/or return an operand
        ("dtype in ['float16', 'bfloat16']", True),
        ("dtype not in ['float32']", True),
        ("'16' in dtype", True),
        ("2 if dtype == 'float16' else 1 if dtype == 'int8' else 4", 2),
        ("'a' < 'b'", True),
    ],
)
def test_comparisons_and_conditionals(text: str, expected: object) -> None:
    assert value_of(text) == expected


def test_a_compiled_formula_is_reused_with_new_values() -> None:
    formula = compile_formula("in_features * out_features", ["in_features", "out_features"])
    assert formula.evaluate({"in_features": 10, "out_features": 5}) == 50
    assert formula.evaluate({"in_features": 3, "out_features": 7}) == 21
    assert formula.names == {"in_features", "out_features"}


def test_constants_pi_and_e_unless_a_variable_takes_the_name() -> None:
    assert evaluate_formula("pi", {}) == math.pi
    assert evaluate_formula("e", {"e": 2}) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9**9**9", "number too large in '9**9**9'"),
        ("10**400", "number too large in '10**400'"),
        ("10.0 ** 300", "number too large"),
        ("2**49 * 2**49", "number too large"),
        ("1e16", "number too large"),
        ("exp(100)", "number too large"),
        ("prod([100000, 100000, 100000, 100000])", "number too large"),
        ("x + 1", "unknown name 'x' in 'x + 1'"),
        ("__import__('os')", "unknown function '__import__'"),
        ("open('/etc/passwd')", "unknown function 'open'"),
        ("eval('1')", "unknown function 'eval'"),
        ("().__class__", "attribute access not allowed"),
        ("sizes.__class__.__mro__", "attribute access not allowed"),
        ("dtype.upper()", "only the listed functions may be called"),
        ("lambda: 1", "lambda not allowed"),
        ("[x for x in sizes]", "comprehensions not allowed"),
        ("sum(x for x in sizes)", "comprehensions not allowed"),
        ("{'a': 1}", "dictionaries not allowed"),
        ("{1, 2}", "sets not allowed"),
        ("(1, 2)", "tuples"),
        ("f'{bias}'", "f-strings not allowed"),
        ("(y := 1)", "assignment"),
        ("max(*sizes)", "unpacking"),
        ("round(2.5, ndigits=1)", "keyword arguments not allowed"),
        ("bias is True", "'is' not allowed"),
        ("~1", "operator ~ not allowed"),
        ("1 << 40", "operator << not allowed"),
        ("None", "not allowed"),
        ("1j", "not allowed"),
        ("1 / 0", "division by zero"),
        ("1 // 0", "division by zero"),
        ("1 % 0", "division by zero"),
        ("0 ** -1", "division by zero"),
        ("sqrt(-1)", "square root of a negative number"),
        ("log(0)", "not positive"),
        ("log(8, 1)", "log to base 1"),
        ("(-8) ** 0.5", "fractional power"),
        ("sizes[10]", "index 10 out of range"),
        ("sizes[0.5]", "expected a whole number"),
        ("sizes[::0]", "slice step cannot be zero"),
        ("dtype + 1", "expected a number, not the text 'float16'"),
        ("dtype < 1", "cannot compare"),
        ("sizes * 2", "expected a number, not a list"),
        ("max([])", "max of an empty list"),
        ("dot([1, 2], [1])", "different lengths"),
        ("min", "'min' is a function"),
        ("abs(1, 2)", "abs takes 1 arguments, not 2"),
        ("1 +", "syntax error"),
        ("import os", "syntax error"),
    ],
)
def test_hostile_or_broken_formulas_raise_formula_error(text: str, message: str) -> None:
    with pytest.raises(FormulaError) as raised:
        compile_formula(text, VALUES).evaluate(VALUES)
    assert message in raised.value.user_message
    assert isinstance(raised.value, UserError)


def test_a_long_formula_is_refused_before_parsing() -> None:
    text = " + ".join(["1"] * 200)
    assert len(text) > MAX_LENGTH
    with pytest.raises(FormulaError, match="too long"):
        compile_formula(text, ())


@pytest.mark.parametrize(
    "text",
    [
        "-" * 400 + "1",
        "abs(-" * 70 + "1" + ")" * 70,
        "[" + "1," * 210 + "1]",
        "not " * 110 + "1",
    ],
)
def test_deep_or_large_formulas_are_refused_as_too_complex(text: str) -> None:
    with pytest.raises(FormulaError, match="too complex"):
        compile_formula(text, ())


def test_deeply_nested_brackets_are_refused() -> None:
    with pytest.raises(FormulaError):
        compile_formula("(" * 240 + "1" + ")" * 240, ())


def test_a_huge_list_given_as_a_value_is_refused() -> None:
    formula = compile_formula("sum(xs)", ["xs"])
    with pytest.raises(FormulaError, match="list too long"):
        formula.evaluate({"xs": tuple(range(5000))})


def test_a_missing_value_is_a_formula_error_naming_it() -> None:
    formula = compile_formula("a + b", ["a", "b"])
    with pytest.raises(FormulaError, match="no value for 'b'"):
        formula.evaluate({"a": 1})


def test_the_message_quotes_a_long_formula_shortened() -> None:
    text = "x + " + " + ".join(["1"] * 60)
    with pytest.raises(FormulaError) as raised:
        compile_formula(text, ())
    assert raised.value.user_message.endswith("...'")
    assert raised.value.formula == text
    assert raised.value.problem == "unknown name 'x'"


# ---------------------------------------------------------------- random formulas

NAMES = ["a", "b", "xs", "s"]
RANDOM_VALUES = {"a": 7, "b": -3, "xs": (1, 2, 3), "s": "adam"}
ATOMS = st.one_of(
    st.integers(-(10**17), 10**17).map(str),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
    st.sampled_from([*NAMES, "pi", "e", "True", "False", "'adam'", "[]", "[1, 2]", "zz"]),
)
BINARY = ["+", "-", "*", "/", "//", "%", "**", "<", "==", "!=", " and ", " or ", " in "]
CALLS = ["min", "max", "abs", "round", "floor", "ceil", "sqrt", "log", "log2", "log10", "exp"]
CALLS += ["sum", "len", "dot", "prod"]


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(BINARY), children).map(
            lambda t: f"({t[0]}{t[1]}{t[2]})"
        ),
        st.tuples(st.sampled_from(["-", "not ", "+"]), children).map(lambda t: f"({t[0]}{t[1]})"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(st.sampled_from(CALLS), st.lists(children, min_size=0, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.lists(children, max_size=3).map(lambda items: f"[{', '.join(items)}]"),
        st.tuples(children, children).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(children, children).map(lambda t: f"{t[0]}[{t[1]}:]"),
    )


EXPRESSIONS = st.recursive(ATOMS, _combine, max_leaves=12)


def _is_value(result: object) -> bool:
    if isinstance(result, tuple):
        return all(_is_value(item) for item in result)
    if isinstance(result, float):
        return math.isfinite(result) and abs(result) <= 1e15
    if isinstance(result, int) and not isinstance(result, bool):
        return abs(result) <= 10**15
    return isinstance(result, bool | str)


@settings(max_examples=400, deadline=None)
@given(EXPRESSIONS)
def test_random_formulas_evaluate_to_a_bounded_value_or_raise_formula_error(text: str) -> None:
    try:
        result = compile_formula(text, NAMES).evaluate(RANDOM_VALUES)
    except FormulaError:
        return
    assert _is_value(result), (text, result)
