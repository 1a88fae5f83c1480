"""What a referral needs before it can be submitted; a draft may be saved without it.

services.submit_problems names each empty field; the referral form marks these fields as
required (ADR 0119). Kept apart from services.py so the form can import it without a cycle.
"""

from django.utils.translation import gettext_lazy

from referrals.models import SubjectKind

# (section, field, message) per field submission needs of a request about one pupil.
SUBMIT_REQUIRED = [
    ("pupil", "child_first_name", gettext_lazy("Fill in the pupil's first name.")),
    ("pupil", "child_last_name", gettext_lazy("Fill in the pupil's last name.")),
    ("pupil", "child_date_of_birth", gettext_lazy("Fill in the pupil's date of birth.")),
    ("pupil", "child_group", gettext_lazy("Fill in the pupil's group or class.")),
    ("pupil", "home_municipality", gettext_lazy("Choose the municipality where the pupil lives.")),
    ("question", "question", gettext_lazy("Describe the question.")),
    ("question", "already_done", gettext_lazy("Describe what the school already did.")),
    ("question", "goals", gettext_lazy("Describe the goals.")),
    ("question", "desired_form", gettext_lazy("Choose the desired form of help.")),
]

# What a request about a group needs instead of the pupil's fields (ADR 0154).
GROUP_REQUIRED = [
    ("pupil", "group_name", gettext_lazy("Fill in the name of the group, for example groep 6b.")),
    ("pupil", "group_size", gettext_lazy("Fill in roughly how many pupils the group has.")),
]

# The fields that describe one pupil; a group or school-wide request leaves them empty.
CHILD_ONLY_FIELDS = (
    "child_first_name",
    "child_last_name",
    "child_date_of_birth",
    "child_group",
    "home_municipality",
)
GROUP_ONLY_FIELDS = ("group_name", "group_size")


def required_for(subject_kind):
    """The (section, field, message) rows submission needs for this kind of request."""
    question = [row for row in SUBMIT_REQUIRED if row[0] != "pupil"]
    if subject_kind == SubjectKind.GROUP:
        return GROUP_REQUIRED + question
    if subject_kind == SubjectKind.SCHOOL_WIDE:
        return question
    return SUBMIT_REQUIRED
