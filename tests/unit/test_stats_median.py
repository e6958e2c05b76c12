"""The median handling time comes from a histogram (days, cases) per unit: it must equal
the median of the cases themselves, for every shape of histogram."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from casework.stats import _medians

histograms = st.dictionaries(
    keys=st.one_of(st.none(), st.integers(1, 5)),
    values=st.dictionaries(st.integers(0, 60), st.integers(1, 9), min_size=1, max_size=8),
    min_size=1, max_size=6)


@given(histograms)
def test_median_of_a_histogram_is_the_median_of_its_cases(hist):
    rows = [(key, days, n) for key, counts in hist.items() for days, n in counts.items()]
    frame = pd.DataFrame(rows, columns=["key", "days", "closed"]).sample(frac=1, random_state=0)
    got = {None if pd.isna(k) else int(k): v for k, v in _medians(frame).items()}
    expected = {key: float(np.median(np.repeat(list(counts), list(counts.values()))))
                for key, counts in hist.items()}
    assert got == expected
