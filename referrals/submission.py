"""What a referral needs before it can be submitted; a draft may be saved without it.

services.submit_problems names each empty field; the referral form marks these fields as
required (ADR 0119). Kept apart from services.py so the form can import it without a cycle.
"""

from django.utils.translation import gettext_lazy

# (section, field, message) per field submission needs.
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
