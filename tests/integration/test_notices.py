"""The register of issued notices: 文号 in GB/T 9704's form, proposed by a per-year counter,
never used twice."""

from datetime import date

import pytest

from casework.services import notices
from casework.services.tx import transaction
from workflows.errors import Conflict, Invalid


@pytest.mark.parametrize("text, parsed", [
    ("安政办函〔2026〕12号", ("安政办函", 2026, 12)), ("安政办函[2026]12号", ("安政办函", 2026, 12)),
    ("安政办函（2026）第012号", ("安政办函", 2026, 12)), (" 安政办发【2025】3号 ", ("安政办发", 2025, 3)),
])
def test_numbers_are_read_as_typed_and_written_as_the_standard_says(text, parsed):
    assert notices.parse_number(text) == parsed
    assert notices.format_number(*parsed) == f"{parsed[0]}〔{parsed[1]}〕{parsed[2]}号"


@pytest.mark.parametrize("text", ["", "12号", "安政办函〔26〕12号", "安政办函〔2026〕0号", "安政办函2026-12"])
def test_bad_numbers_are_refused(text):
    with pytest.raises(Invalid):
        notices.parse_number(text)


def test_the_counter_proposes_the_next_and_refuses_a_second_use(ctx):
    assert notices.propose("安政办函", 2026) == "安政办函〔2026〕1号"
    with transaction():
        notices.register("monthly", "安政办函〔2026〕12号", date(2026, 11, 2), {})
    assert notices.propose("安政办函", 2026) == "安政办函〔2026〕13号"
    assert notices.propose("安政办函", 2027) == "安政办函〔2027〕1号"
    with pytest.raises(Conflict), transaction():
        notices.register("quarterly", "安政办函[2026]12号", date(2026, 11, 3), {})
    with pytest.raises(Invalid), transaction():
        notices.register("quarterly", "安政办函〔2025〕4号", date(2026, 11, 3), {})  # year of the 成文日期
