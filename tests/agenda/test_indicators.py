"""Live indicators on crafted data; every expected value is counted by hand in the comments.

Today is frozen at 15 June 2026. Region R has subregions A and B; region F is foreign.
"""

import datetime
import zoneinfo

import pytest
import time_machine

from agenda import indicators
from agenda.indicator_keys import indicator_choices
from agenda.indicators import Scope
from contacts.models import SchoolType
from tests.agenda.factories import MeetingFactory
from tests.contacts import factories as f
from tests.referrals.factories import ReferralFactory

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
TODAY = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=AMS)
JAN_1 = datetime.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def land(db):
    r = f.RegionFactory(code="R", name="Regio R")
    a = f.SubregionFactory(code="R-A", parent=r)
    b = f.SubregionFactory(code="R-B", parent=r)
    foreign = f.RegionFactory(code="F", name="Regio F")
    fa = f.SubregionFactory(code="F-A", parent=foreign)
    m_a1 = f.MunicipalityFactory(region=a)
    m_a2 = f.MunicipalityFactory(region=a)
    m_b1 = f.MunicipalityFactory(region=b)
    m_f = f.MunicipalityFactory(region=fa)

    def school(kind, municipality, pilot=False):
        return f.SchoolFactory(school_type=kind, municipality=municipality, collective_funding_pilot=pilot)

    s = {
        "so1": school(SchoolType.SO, m_a1, pilot=True),
        "vso1": school(SchoolType.VSO, m_b1),
        "vso2": school(SchoolType.VSO, m_a2, pilot=True),
        "po1": school(SchoolType.PO, m_a1),
        "sbo1": school(SchoolType.SBO, m_a1),
        "soF": school(SchoolType.SO, m_f, pilot=True),
    }
    assign = f.ContactAssignmentFactory
    assign(school=s["so1"], valid_from=JAN_1)  # current
    assign(school=s["vso1"], valid_from=JAN_1, valid_to=datetime.date(2026, 2, 28))  # ended
    assign(school=s["vso2"], valid_from=datetime.date(2026, 9, 1))  # not yet
    assign(school=s["po1"], valid_from=JAN_1)  # current, but not (v)so
    assign(school=s["soF"], valid_from=JAN_1)  # current, foreign
    assign(municipality=m_a1, valid_from=JAN_1)
    assign(municipality=m_b1, valid_from=JAN_1)
    assign(municipality=m_f, valid_from=JAN_1)
    f.TandemFactory(school=s["po1"], valid_from=JAN_1)
    f.TandemFactory(school=s["so1"], valid_from=JAN_1, valid_to=datetime.date(2026, 3, 31))
    f.TandemFactory(school=s["sbo1"], valid_from=JAN_1)
    f.TandemFactory(school=s["soF"], valid_from=JAN_1)

    meeting = MeetingFactory
    meeting(region=r, meeting_type="practitioner", date=datetime.date(2026, 2, 10))  # held
    meeting(region=a, meeting_type="practitioner", date=datetime.date(2026, 5, 1))  # held, subregion
    meeting(region=r, meeting_type="practitioner", date=datetime.date(2026, 9, 1))  # planned
    meeting(region=r, meeting_type="practitioner", date=datetime.date(2025, 11, 1))  # last year
    meeting(region=foreign, meeting_type="practitioner", date=datetime.date(2026, 3, 1))  # foreign
    meeting(region=r, meeting_type="inspiration", date=datetime.date(2026, 4, 1))  # held
    meeting(region=r, meeting_type="inspiration", date=datetime.date(2026, 6, 16))  # tomorrow
    meeting(region=r, meeting_type="ib_network", date=datetime.date(2026, 4, 1))  # other type
    return {"r": r, "a": a, "foreign": foreign, "schools": s}


def value(key, scope):
    return indicators.measure(key, scope).value


def test_fixed_contacts_are_counted_on_the_day_and_in_the_region(land):
    year = Scope.calendar_year(2026, land["r"])
    # (v)so schools in R: so1, vso1, vso2; only so1 has a contact today.
    assert indicators.measure("special_schools_with_contact", year) == indicators.Measurement(1, 3)
    # Municipalities in R: a1, a2, b1; a1 and b1 have one.
    assert indicators.measure("municipalities_with_contact", year) == indicators.Measurement(2, 3)
    # The goal "every (v)so school and municipality": 1 + 2 of 3 + 3.
    assert indicators.measure("fixed_contact_coverage", year) == indicators.Measurement(3, 6)
    # Subregion A: (v)so so1, vso2 → 1 of 2; municipalities a1, a2 → 1 of 2.
    sub = Scope.calendar_year(2026, land["a"])
    assert indicators.measure("special_schools_with_contact", sub) == indicators.Measurement(1, 2)
    assert indicators.measure("municipalities_with_contact", sub) == indicators.Measurement(1, 2)
    # January 2026 is measured on 31 January, when vso1's contact was still current.
    january = Scope(JAN_1, datetime.date(2026, 1, 31), land["r"])
    assert value("special_schools_with_contact", january) == 2
    # 2025 is measured on 31 December 2025: nobody had started yet.
    assert value("special_schools_with_contact", Scope.calendar_year(2025, land["r"])) == 0
    # No region: so1 and soF.
    assert value("special_schools_with_contact", Scope.calendar_year(2026)) == 2


def test_schools_with_an_active_tandem(land):
    # R has 5 schools; po1 and sbo1 have a current tandem (so1's ended on 31 March).
    assert indicators.measure("schools_with_tandem", Scope.calendar_year(2026, land["r"])) == (
        indicators.Measurement(2, 5)
    )
    assert value("schools_with_tandem", Scope(JAN_1, datetime.date(2026, 3, 1), land["r"])) == 3
    assert value("schools_with_tandem", Scope.calendar_year(2026)) == 3


def test_meetings_held_this_year(land):
    year = Scope.calendar_year(2026, land["r"])
    # Held in R in 2026 up to today: 10 Feb (R) and 1 May (subregion A); 1 Sep is still planned.
    assert value("practitioner_meetings", year) == 2
    # 1 April held; 16 June is tomorrow.
    assert value("inspiration_sessions", year) == 1
    assert value("practitioner_meetings", Scope.calendar_year(2025, land["r"])) == 1
    assert value("practitioner_meetings", Scope.calendar_year(2026)) == 3
    assert value("practitioner_meetings", Scope.half_year("2026-H2", land["r"])) == 0
    assert value("practitioner_meetings", Scope.calendar_year(2027, land["r"])) == 0
    assert indicators.get("practitioner_meetings").default_target == 2
    assert indicators.get("inspiration_sessions").default_target == 1


def test_the_meeting_indicators_of_one_scope_count_in_one_query(land, django_assert_num_queries):
    year = Scope.calendar_year(2026, land["r"])
    with django_assert_num_queries(1):
        assert (value("practitioner_meetings", year), value("inspiration_sessions", year)) == (2, 1)


def test_pilot_schools_with_collective_funding(land):
    assert value("collective_funding_pilots", Scope.calendar_year(2026, land["r"])) == 2  # so1, vso2
    assert value("collective_funding_pilots", Scope.calendar_year(2026)) == 3  # and soF


def _at(*args):
    return datetime.datetime(*args, tzinfo=AMS)


@pytest.fixture
def referrals(land):
    s = land["schools"]

    def referral(school, submitted, decided=None, status="submitted"):
        return ReferralFactory(
            school=school,
            status=status,
            first_submitted_at=submitted,
            submitted_at=submitted,
            decided_at=decided,
        )

    # Working days count Mon-Fri after the submission day up to and including the decision day.
    referral(s["so1"], _at(2026, 2, 2, 9), _at(2026, 2, 5, 15), "accepted")  # Mon -> Thu: 3
    referral(s["po1"], _at(2026, 3, 1, 23, 30), _at(2026, 3, 11, 10), "declined")  # Sun -> Wed next week: 8
    referral(s["vso1"], _at(2026, 5, 10, 9), _at(2026, 5, 11, 9), "accepted")  # Sun -> Mon: 1
    referral(s["po1"], _at(2026, 5, 20, 9))  # undecided
    referral(
        s["soF"], _at(2026, 2, 1, 9), _at(2026, 2, 21, 9), "accepted"
    )  # Sun -> Sat 3 weeks on: 15, foreign
    referral(
        s["po1"], _at(2025, 12, 20, 9), _at(2026, 1, 6, 9), "accepted"
    )  # Sat -> Tue: 12, decided in 2026
    referral(s["po1"], _at(2026, 1, 1, 0, 30))  # 31 Dec 23:30 UTC, but 1 January in the Netherlands
    referral(s["po1"], None, status="draft")  # never submitted


def test_referrals_submitted_in_the_period(referrals, land):
    # R in 2026: 2 Feb, 1 Mar, 10 May, 20 May, 1 Jan 00:30 → 5.
    assert value("referrals_submitted", Scope.calendar_year(2026, land["r"])) == 5
    assert value("referrals_submitted", Scope.calendar_year(2026)) == 6  # and the foreign one
    assert value("referrals_submitted", Scope.half_year("2026-H2", land["r"])) == 0
    # 20 Dec 2025 alone: one referral, suppressed like every small count (ADR 0070, 0099).
    small = indicators.measure("referrals_submitted", Scope.calendar_year(2025, land["r"]))
    assert (small.value, small.suppressed, small.display) == (None, True, "<5")


def test_median_days_to_decision(referrals, land):
    # Decided in 2026 in R: 3, 8, 1, 12 working days: four referrals, so the median (5.5) is
    # not shown (it would tell their waiting times; ADR 0099).
    small = indicators.measure("median_days_to_decision", Scope.calendar_year(2026, land["r"]))
    assert (small.value, small.suppressed, small.display) == (None, True, "<5")
    # With the foreign one (15): 1, 3, 8, 12, 15 → 8.
    assert value("median_days_to_decision", Scope.calendar_year(2026)) == 8
    # Nothing decided in the second half-year: no data, but available.
    empty = indicators.measure("median_days_to_decision", Scope.half_year("2026-H2", land["r"]))
    assert empty.value is None and empty.available
    assert indicators.get("median_days_to_decision").higher_is_better is False


def test_every_indicator_has_a_dutch_label_and_unit(land):
    from django.utils import translation

    with translation.override("nl"):
        labels = {key: str(ind.label) for key, ind in indicators.INDICATORS.items()}
        units = {key: str(ind.unit) for key, ind in indicators.INDICATORS.items()}
    assert labels["practitioner_meetings"] == "ontmoetingen voor uitvoerend professionals dit kalenderjaar"
    assert all(units.values())
    assert len(indicators.measure_all(Scope.calendar_year(2026, land["r"]))) == len(indicators.INDICATORS)


def test_the_goal_choices_are_the_registered_indicators_in_order():
    assert [key for key, _label in indicator_choices()] == list(indicators.INDICATORS)
    assert all(label == indicators.get(key).label for key, label in indicator_choices())


def test_half_year_labels():
    assert Scope.half_year("2026-H1") == Scope(JAN_1, datetime.date(2026, 6, 30))
    assert Scope.half_year("2026-H2").start == datetime.date(2026, 7, 1)
    with pytest.raises(ValueError):
        Scope.half_year("2026-H3")
