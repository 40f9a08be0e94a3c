"""Spellings are compared only with names of the lengths that can reach the cutoff
(places/matching.py `lengths_within`): no name that rapidfuzz would have let in is left out."""

import pytest
from rapidfuzz import fuzz

from places.matching import FUZZY_CUTOFF, lengths_within


@pytest.mark.parametrize("cutoff", [FUZZY_CUTOFF, 65, 60, 90, 100])
@pytest.mark.parametrize("length", range(1, 31))
def test_a_length_is_compared_exactly_when_its_best_score_reaches_the_cutoff(length, cutoff):
    # "aaaa" against "aaaaaa" is the best any two names of those lengths can score.
    query = "a" * length
    reachable = {n for n in range(1, 4 * length + 2) if fuzz.ratio(query, "a" * n) >= cutoff}
    assert set(lengths_within(length, cutoff)) == reachable
