"""Numbers read the way Chinese documents write them, in base units."""
import pytest

from tui.data.numbers import first_number


@pytest.mark.parametrize("wording, value", [
    ("1050万元", 10_500_000), ("2.6亿元", 260_000_000), ("16.8%", 16.8), ("1,200人", 1200),
    ("80余万元", 800_000), ("100多万元", 1_000_000), ("4万余元", 40_000), ("360余人次", 360),
    ("近千亩", 1000), ("两场", 2), ("三十五个", 35), ("十二万", 120_000), ("1—2亿", 100_000_000),
])
def test_wording_reads_as_its_value_in_base_units(wording, value):
    assert first_number(wording) == pytest.approx(value)


def test_text_without_a_number_reads_as_none():
    assert first_number("援藏干部") is None
