"""How numbers, units and untrusted text are displayed."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.text.format import highlight_span, money, money_short, number, percent, quantity, visible, years


def test_money_follows_chinese_convention_with_an_english_gloss() -> None:
    assert money(10_500_000) == "1,050 万元 (¥10.5 M)"
    assert money(1_955_000) == "195.5 万元 (¥1.96 M)"
    assert money(260_000_000) == "2.6 亿元 (¥260 M)"
    assert money(150_000) == "15 万元 (¥150 K)"
    assert money(800) == "800 元 (¥800)"
    assert money_short(14_200_000) == "1,420 万元"


def test_numbers_keep_at_most_two_decimals() -> None:
    assert number(1050) == "1,050"
    assert number(195.5) == "195.5"
    assert number(0.004) == "0"
    assert percent(16.8) == "16.8%"


def test_quantities_carry_their_unit_and_qualifier() -> None:
    assert quantity(2665, "person") == "2,665 人"
    assert quantity(2665, "person", lang="en") == "2,665 people"
    assert quantity(80e4, "CNY", "approx") == "≈ 80 万元 (¥800 K)"
    assert quantity(1e8, "CNY", "range", "en") == "≥ 1 亿元 (¥100 M)"
    assert quantity(1e7, "CNY", "planned", "en") == "1,000 万元 (¥10 M) (planned)"
    assert quantity(3, "furlong") == "3 furlong"             # an added unit still shows


def test_years() -> None:
    assert years(2016, 2018) == "2016–2018"
    assert years(2016) == "2016"
    assert years(2018, 2018) == "2018"
    assert years(None) == "—"


def test_control_characters_are_made_visible() -> None:
    assert visible("援建\x1b[31m") == "援建␛[31m"
    assert visible("a\nb\tc\x7f") == "a␊b␉c␡"
    assert visible("a\nb", keep_lines=True) == "a\nb"
    assert visible("\x85\u202e") == "\ufffd\ufffd"
    assert visible("[red]x[/red]") == "[red]x[/red]"           # markup is not our business here
    assert visible(None) == ""


@given(st.text())
def test_visible_text_has_no_controls_and_keeps_its_length(text: str) -> None:
    shown = visible(text)
    assert len(shown) == len(text)                           # so spans found in it still line up
    assert not any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in shown)


def test_the_wording_is_found_even_when_the_quote_drops_its_unit() -> None:
    quote = "青白江区2018年拨付对口帮扶资金1050万"
    start, end = highlight_span(quote, "1050万元")
    assert quote[start:end] == "1050万"
    assert highlight_span(quote, None) is None
    assert highlight_span(quote, "九龙") is None
