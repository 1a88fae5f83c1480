"""`load_agenda utrecht-2022` loads the regio Utrecht werkagenda of November 2022, idempotently."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from agenda.models import Activity, Agenda, Ambition, Goal, ProgressUpdate
from contacts.models import Region
from tests.contacts.factories import PartnershipFactory, SubregionFactory, UserFactory

pytestmark = pytest.mark.django_db

# Every goal ("Doelstelling") of the werkagenda, in the document's words and order.
SEED_003_GOALS = {
    "1.1": "Op 2 pilotscholen is collectieve financiering van jeugdhulp in school een feit.",
    "1.2": "We ontwikkelen een werkwijze over hoe we omgaan met discussie over het zogenaamde "
    "'grijze gebied'.",
    "2.1": "Er is 1 aanmeldformulier voor jeugdhulp in school.",
    "2.2": "Voor elke (v)so-school en gemeente is een vaste contactpersoon aangewezen.",
    "2.3": "Er vindt minstens 2 keer per jaar een ontmoeting plaats voor uitvoerend professionals om elkaar "
    "te leren kennen en werkwijzes op elkaar af te stemmen.",
    "3.1": "Er bestaat een leernetwerk gericht op het delen van ervaringen van collectieve financiering van "
    "jeugdhulp in school.",
    "3.2": "Er vindt minimaal 1 keer per jaar een inspiratiesessie plaats.",
    "3.3": "We actualiseren en analyseren de startfoto jaarlijks. Dit vormt input voor het herijken van deze "
    "werkagenda.",
}


def load():
    out = io.StringIO()
    call_command("load_agenda", "utrecht-2022", stdout=out)
    return Agenda.objects.get(slug="utrecht-2022"), out.getvalue()


def test_the_three_ambitions_of_seed_003():
    agenda, output = load()
    assert agenda.title == "Bovenregionale werkagenda jeugdhulp in het (voortgezet) speciaal onderwijs"
    assert agenda.region.code == "UTR"
    ambitions = list(agenda.ambitions.order_by("number"))
    assert [a.number for a in ambitions] == [1, 2, 3]
    assert ambitions[0].text.startswith("Onze ambitie is dat kinderen in de regio Utrecht")
    assert ambitions[1].text.startswith("Onze ambitie is dat leerlingen in onze regio snel de juiste hulp")
    assert ambitions[2].text == (
        "Onze ambitie is dat we samen leren en ontwikkelen om zo te werken aan een duurzame "
        "samenwerking in de regio Utrecht."
    )
    assert len(ambitions[1].bottleneck_lines) == 4
    assert "3 ambitions, 8 goals, 15 activities" in output


def test_every_goal_of_seed_003_with_the_documents_numbers():
    agenda, _ = load()
    goals = {g.code: g for g in Goal.objects.filter(ambition__agenda=agenda).select_related("ambition")}
    assert {code: g.text for code, g in goals.items()} == SEED_003_GOALS
    # "Op 2 pilotscholen", "minstens 2 keer per jaar", "minimaal 1 keer per jaar".
    assert (goals["1.1"].target_value, goals["1.1"].indicator) == (Decimal(2), "collective_funding_pilots")
    assert (goals["2.3"].target_value, goals["2.3"].indicator) == (Decimal(2), "practitioner_meetings")
    assert (goals["3.2"].target_value, goals["3.2"].indicator) == (Decimal(1), "inspiration_sessions")
    # "Voor elke (v)so-school en gemeente": no number, the indicator's total is the target.
    assert (goals["2.2"].target_value, goals["2.2"].indicator) == (None, "fixed_contact_coverage")
    assert goals["2.1"].target_value == 1 and goals["2.1"].indicator == ""


def test_activities_in_the_documents_words():
    agenda, _ = load()
    activities = {
        a.code: a for a in Activity.objects.filter(ambition__agenda=agenda).select_related("ambition")
    }
    assert len(activities) == 15
    assert (
        activities["1.1"].title
        == "Uitwerken concrete afspraken over collectieve financiering op de 2 pilotscholen."
    )
    assert activities["1.1"].goal.code == "1.1"
    assert activities["2.6"].title == "Eén regisseur"
    assert activities["3.4"].title == "Inspiratiesessies" and activities["3.4"].goal.code == "3.2"
    assert activities["3.6"].title == "Data verzamelen: data geïnformeerd werken"


def test_loading_again_changes_nothing_and_keeps_what_people_entered():
    agenda, _ = load()
    owner = PartnershipFactory(region=SubregionFactory(parent=agenda.region))
    activity = Activity.objects.get(ambition__agenda=agenda, ambition__number=1, number=1)
    activity.owner_partnership, activity.impact, activity.status = owner, 5, "in_progress"
    activity.save()
    ProgressUpdate.objects.create(activity=activity, author=UserFactory(), status="at_risk", note="x")
    counts = (Ambition.objects.count(), Goal.objects.count(), Activity.objects.count())
    load()
    assert (Ambition.objects.count(), Goal.objects.count(), Activity.objects.count()) == counts == (3, 8, 15)
    assert Agenda.objects.count() == 1 and Region.objects.filter(code="UTR").count() == 1
    activity.refresh_from_db()
    assert (activity.owner_partnership, activity.impact, activity.status) == (owner, 5, "in_progress")
    assert activity.updates.count() == 1


def test_an_existing_region_is_used():
    region = Region.objects.create(code="UTR", name="Regio Utrecht (register)")
    agenda, _ = load()
    assert agenda.region == region
    region.refresh_from_db()
    assert region.name == "Regio Utrecht (register)"


def test_unknown_agenda_is_a_clear_error():
    with pytest.raises(CommandError, match="Unknown agenda 'utrecht-1999'; available: utrecht-2022"):
        call_command("load_agenda", "utrecht-1999")
    assert not Agenda.objects.exists()
