import functools

from django.db.models import Model
from django.utils import translation

from escalations.models import Precedent
from portal.apps import PROJECT_APPS
from portal.choices import choice_label
from referrals.models import Referral


def _fields_with_choices():
    from django.apps import apps

    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if field.choices is not None:
                    yield model, field


def test_every_choice_of_every_field_is_labelled_as_django_labels_it():
    compared = 0
    for model, field in _fields_with_choices():
        for value, _label in [*field.flatchoices, ("not-a-choice", None)]:
            instance = model()
            setattr(instance, field.attname, value)
            for language in ("nl", "en"):
                with translation.override(language):
                    django = Model._get_FIELD_display(instance, field)
                    assert getattr(instance, f"get_{field.name}_display")() == django, (model, field)
                    assert choice_label(instance, field.name) == django
                    compared += 1
    assert compared > 200


def test_the_projects_generated_display_methods_use_the_cached_labels():
    method = Referral.__dict__["get_status_display"]
    assert isinstance(method, functools.partialmethod)
    assert method.func.__module__ == "portal.choices"


def test_the_labels_stay_lazy():
    referral = Referral(status="in_triage")
    with translation.override("nl"):
        dutch = referral.get_status_display()
    with translation.override("en"):
        assert referral.get_status_display() != dutch
    assert choice_label(Precedent(age_band=""), "age_band") == Precedent(age_band="").get_age_band_display()
