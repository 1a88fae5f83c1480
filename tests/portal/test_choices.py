from django.utils import translation

from escalations.models import Precedent
from portal.choices import choice_label
from referrals.models import Referral


def test_a_choice_label_is_what_get_display_gives_in_the_current_language():
    referral = Referral(status="in_triage", urgency="high")
    precedent = Precedent(reason="grey_funding", age_band="8-11", carried_by="shared")
    for language in ("nl", "en"):
        with translation.override(language):
            assert choice_label(referral, "status") == referral.get_status_display()
            assert choice_label(referral, "urgency") == referral.get_urgency_display()
            for name in ("reason", "age_band", "carried_by"):
                assert choice_label(precedent, name) == getattr(precedent, f"get_{name}_display")()
    with translation.override("nl"):
        dutch = choice_label(referral, "status")
    with translation.override("en"):
        assert choice_label(referral, "status") != dutch  # the labels stay lazy


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert choice_label(Referral(status="unknown"), "status") == "unknown"
    assert choice_label(Precedent(age_band=""), "age_band") == Precedent(age_band="").get_age_band_display()
