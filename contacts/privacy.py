"""Personal data in the registry's models, for the processing register (AVG art. 30; ADR 0105).

Every concrete field of every model of this app is either in PERSONAL or in NOT_PERSONAL;
tests/security/test_register.py fails otherwise. The keys are explained in
security/register.py, which reads this module; nothing here imports anything.
"""

ACCOUNT = {
    "purpose": "accounts",
    "basis": "public_task_region",
    "special": False,
    "roles": ("registry_admin", "own_account"),
    "retention": "account",
    "leaves": (),
}
CREDENTIAL = {**ACCOUNT, "basis": "security_obligation", "roles": ("own_account",)}
PROFESSIONAL_CONTACT = {
    "purpose": "registry",
    "basis": "public_task_region",
    "special": False,
    "roles": ("everyone",),
    "retention": "registry",
    "leaves": ("report",),
}
IMPORT = {
    "purpose": "registry",
    "basis": "public_task_region",
    "special": False,
    "roles": ("registry_admin",),
    "retention": "pending_import",
    "leaves": (),
}

# Every role of the region reads its arrangements (ADR 0161).
REGION_MEMBERS = (
    "school_coordinator",
    "district_worker",
    "partnership_director",
    "municipal_officer",
    "steering_member",
    "registry_admin",
    "privacy_officer",
)

PERSONAL = {
    "contacts.user": {
        "password": CREDENTIAL,
        "last_login": CREDENTIAL,
        "is_superuser": ACCOUNT,
        "email": ACCOUNT,
        "full_name": ACCOUNT,
        "person": ACCOUNT,
        "is_active": ACCOUNT,
        "is_staff": ACCOUNT,
        "date_joined": ACCOUNT,
    },
    # Which role a professional holds for which organisation.
    "contacts.membership": dict.fromkeys(
        (
            "user",
            "role",
            "school",
            "district_team",
            "partnership",
            "municipality",
            "region",
            "created_at",
            "ended_on",
        ),
        ACCOUNT,
    ),
    # Who added, ended, deactivated or reset whose account or membership, and when (ADR 0137):
    # read by the region's privacy officer; kept as long as the account's history.
    "contacts.membershiprecord": dict.fromkeys(
        ("at", "actor", "user", "user_name", "membership", "role", "organisation", "ended_on"),
        {**ACCOUNT, "roles": ("registry_admin", "privacy_officer")},
    ),
    # Whom the registry administrator invited into which role, when, and whether they accepted
    # (ADR 0135); the link's secret is kept only as a hash, a credential of the invited person.
    "contacts.invitation": {
        **dict.fromkeys(
            ("user", "membership", "invited_by", "created_at", "expires_at", "accepted_at", "emailed_at"),
            ACCOUNT,
        ),
        **dict.fromkeys(("selector", "token_hash"), CREDENTIAL),
    },
    # A registry import file holds the names, e-mail addresses and phone numbers of people.
    "contacts.pendingimport": dict.fromkeys(("user", "kind", "filename", "content", "created_at"), IMPORT),
    "contacts.person": dict.fromkeys(("name", "email", "phone", "function"), PROFESSIONAL_CONTACT),
    # Who is whose fixed contact person or tandem partner, and since when.
    "contacts.contactassignment": dict.fromkeys(
        (
            "valid_from",
            "valid_to",
            "created_by",
            "person",
            "backup",
            "school",
            "municipality",
            "district_team",
            "partnership",
        ),
        PROFESSIONAL_CONTACT,
    ),
    "contacts.tandem": dict.fromkeys(
        (
            "valid_from",
            "valid_to",
            "created_by",
            "school",
            "school_coordinator",
            "district_worker",
            "district_team",
        ),
        PROFESSIONAL_CONTACT,
    ),
    # A care provider can be a sole practitioner, whose name, e-mail and phone are a person's.
    "contacts.careprovider": dict.fromkeys(("name", "email", "phone"), PROFESSIONAL_CONTACT),
    # Which care workers are present in which schools through a collective arrangement, and who
    # recorded or changed it (ADR 0161): professionals' work, read by the region's members.
    "contacts.collectivearrangement": dict.fromkeys(
        ("created_by",), {**PROFESSIONAL_CONTACT, "roles": REGION_MEMBERS, "leaves": ()}
    ),
    "contacts.arrangementrecord": dict.fromkeys(
        ("actor", "at"), {**PROFESSIONAL_CONTACT, "roles": REGION_MEMBERS, "leaves": ()}
    ),
    # Who set a region's norms, and when (ADR 0091): a professional's act, shown on the norms page.
    "contacts.regionnorm": dict.fromkeys(
        ("set_by", "set_at"),
        {**PROFESSIONAL_CONTACT, "roles": ("steering_member", "registry_admin"), "leaves": ()},
    ),
}
NOT_PERSONAL = {
    "contacts.user": ("id",),
    "contacts.membership": ("id",),
    "contacts.membershiprecord": ("id", "kind", "region"),
    "contacts.invitation": ("id", "times_sent"),
    "contacts.pendingimport": ("id", "token"),
    "contacts.person": ("id",),
    "contacts.contactassignment": ("id",),
    "contacts.tandem": ("id",),
    # Organisations: names, codes and the school's postcode (the building, not a person). A
    # district team's e-mail address is a team mailbox.
    "contacts.region": ("id", "code", "name", "parent", "school_holiday_region"),
    # A region's norms in working days and from when they apply (ADR 0091).
    "contacts.regionnorm": (
        "id",
        "region",
        "valid_from",
        "decision_days",
        "help_started_days",
        "escalation_margin_days",
    ),
    "contacts.municipality": ("id", "cbs_code", "name", "region"),
    "contacts.partnership": ("id", "code", "name", "sector", "region"),
    "contacts.school": (
        "id",
        "brin",
        "vestiging",
        "name",
        "school_type",
        "partnership",
        "municipality",
        "postcode",
        "collective_funding_pilot",
    ),
    "contacts.districtteam": ("id", "name", "municipality", "email"),
    # A collective arrangement's organisations, funding split, period and capacity (ADR 0161).
    "contacts.collectivearrangement": (
        "id",
        "region",
        "name",
        "education_percentage",
        "capacity",
        "note",
        "valid_from",
        "valid_to",
    ),
    "contacts.arrangementrecord": ("id", "arrangement", "kind", "fields"),
    "contacts.careprovider": ("id", "region"),
}
