from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finelog.money import parse_human_amount


@given(st.integers(min_value=0, max_value=10**15))
def test_whole_amounts_read_the_same_however_their_thousands_are_grouped(n: int) -> None:
    assert parse_human_amount(f"{n:,}") == parse_human_amount(f"{n:_}") == parse_human_amount(str(n)) == n


@given(
    st.integers(min_value=1, max_value=999),
    st.sampled_from([",5", ",50", ",1234"]),
    st.sampled_from(["", "M", "bn"]),
)
def test_a_decimal_comma_is_refused_never_read_as_thousands(whole: int, decimals: str, suffix: str) -> None:
    with pytest.raises(ValueError, match="a comma only separates thousands"):
        parse_human_amount(f"{whole}{decimals}{suffix}")


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
def test_a_point_and_three_digits_is_ambiguous_without_a_suffix_and_plain_with_one(
    whole: int, part: int
) -> None:
    text = f"{whole}.{part:03d}"
    with pytest.raises(ValueError, match="ambiguous"):
        parse_human_amount(text)
    assert parse_human_amount(f"{text}M") == Decimal(text) * 10**6


@pytest.mark.parametrize(("text", "euros"), [("2.5M", 2_500_000), ("500k", 500_000), ("1e6", 1_000_000),
                                             ("1,000.50", Decimal("1000.50")), ("0.500", Decimal("0.5"))])  # fmt: skip
def test_amounts_as_people_type_them(text: str, euros: Decimal) -> None:
    assert parse_human_amount(text) == euros
