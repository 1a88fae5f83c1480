"""Queries of the precedent library: similar precedents (ADR 0061)."""

import pytest

from escalations import selectors
from escalations.models import Precedent
from tests.escalations.fixtures import published_precedent

pytestmark = pytest.mark.django_db


def test_similar_precedents_rank_reason_then_domains_then_school_type_and_age(world):
    director = world.user("partnership_director")
    same_reason = published_precedent(
        director, reason="grey_funding", domains=(), school_type="vo", age_band="16+"
    )
    overlap = published_precedent(
        director, reason="capacity", domains=("behaviour", "home_situation"), school_type="vo", age_band="16+"
    )
    type_only = published_precedent(director, reason="capacity", domains=(), school_type="po", age_band="16+")
    unrelated = published_precedent(director, reason="capacity", domains=(), school_type="vo", age_band="16+")
    Precedent.objects.create(reason="grey_funding", carried_by="education")  # a draft never shows
    ranked = selectors.similar_precedents(
        reason="grey_funding", domains=["behaviour", "home_situation"], school_type="po", age_band="8-11"
    )
    assert ranked == [same_reason, overlap, type_only]
    assert unrelated not in ranked
    around = selectors.similar_to_precedent(same_reason)
    assert same_reason not in around
    assert set(around[:2]) == {overlap, unrelated} and around[2] == type_only
