"""Who may do what in the registry, and the role helpers every app's permissions build on.

Access is scoped by organisation membership, never by "is staff" (ADR 0002). A foreign
object answers 404 (scope the queryset), a forbidden action 403.
"""

import hashlib
import threading
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from contacts.models import (
    CareProvider,
    DistrictTeam,
    Membership,
    Municipality,
    Partnership,
    Region,
    Role,
    School,
    User,
)

ALL_ROLES = tuple(Role)
PROFESSIONAL_ROLES = (
    Role.SCHOOL_COORDINATOR,
    Role.DISTRICT_WORKER,
    Role.PARTNERSHIP_DIRECTOR,
    Role.MUNICIPAL_OFFICER,
    Role.STEERING_MEMBER,
)


# name -> func(OuterRef("user")) -> a boolean expression about the user: facts an app above
# contacts knows (escalations: is or was the user named mediator, ADR 0162), asked in the one
# memberships query a request makes anyway instead of a query of their own.
_USER_FLAGS = {}


def register_user_flag(name, expression, models=()):
    """Called from an AppConfig.ready(); `user_flag(user, name)` then answers without a query.
    `models`: the models the expression reads; a change to one of them drops every cached
    membership list (see `memberships`)."""
    _USER_FLAGS[name] = expression
    watch_for_memberships(*models)


def user_flag(user, name):
    """A registered flag of the user (False for a user without current memberships: such a
    user works on nothing). Cached with the memberships."""
    return any(getattr(m, f"flag_{name}", False) for m in memberships(user))


# The memberships of a user, with their organisations up to the region, are read on every page
# (navigation, permissions, the home page) and cost an 18-table join. They are kept in the cache
# under a registry generation that every saved or deleted membership, organisation or region
# (and every model a user flag reads) moves on, in the same request and again at commit: a
# change is seen by the next request, whoever makes it (docs/adr/0169-memberships-cache.md).
MEMBERSHIPS_GENERATION_KEY = "tandem:memberships:generation"


def _memberships_key(user, generation):
    return f"tandem:memberships:{generation}:{user.pk}"


class _RequestMemo(threading.local):
    """What one request read of the registry cache: the generation and the values of
    `registry_cached`, so that a page that asks five times reads the cache once for each
    (docs/adr/0178-registry-reads-once-per-request.md). Active only from a request's start to
    its end (Django's request_started and request_finished, connected in contacts/apps.py):
    a Celery task or a command reads the cache every time, as before. Emptied when this process
    moves the generation on, so a request sees its own change of the registry."""

    active = False
    generation = None
    values = None


_memo = _RequestMemo()


def begin_request_memo(**_signal_kwargs):
    _memo.active, _memo.generation, _memo.values = True, None, {}


def end_request_memo(**_signal_kwargs):
    _memo.active, _memo.generation, _memo.values = False, None, None


def _generation():
    if _memo.active and _memo.generation is not None:
        return _memo.generation
    generation = cache.get(MEMBERSHIPS_GENERATION_KEY)
    if generation is None:
        cache.add(MEMBERSHIPS_GENERATION_KEY, 1, timeout=None)
        generation = cache.get(MEMBERSHIPS_GENERATION_KEY, 1)
    if _memo.active:
        _memo.generation = generation
    return generation


def forget_memberships(**_signal_kwargs):
    """Start a new generation: every cached membership list is out of date. Now (for the rest
    of this request) and after the commit (for a request that cached the old rows meanwhile)."""

    def bump():
        try:
            cache.incr(MEMBERSHIPS_GENERATION_KEY)
        except ValueError:  # not there (expired or flushed): a new generation all the same
            cache.add(MEMBERSHIPS_GENERATION_KEY, 1, timeout=None)
        if _memo.active:
            _memo.generation, _memo.values = None, {}

    bump()
    transaction.on_commit(bump)


def registry_cached(name, compute, *parts):
    """`compute()`, a value derived from the registry alone (the models `watch_for_memberships`
    watches), cached like the memberships: under the current registry generation for
    TANDEM_MEMBERSHIPS_CACHE_SECONDS (ADR 0169). `parts` tell the values apart; a value that
    depends on the day (what is current) takes the day among its parts. Within a request the
    value is read once (`_RequestMemo`): callers share it and must not change it."""
    seconds = settings.TANDEM_MEMBERSHIPS_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    key = f"tandem:registry:{_generation()}:{name}:{':'.join(str(part) for part in parts)}"
    if _memo.active and key in _memo.values:
        return _memo.values[key]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=seconds)
    if _memo.active:
        _memo.values[key] = value
    return value


def registry_names(model, ids):
    """[(id, name)] of the registry objects `ids` of `model` (School, Municipality, ...), by
    name; cached with the registry (`registry_cached`), keyed by the ids asked for."""
    ids = sorted(ids)
    if not ids:
        return []
    return registry_cached(
        f"names:{model._meta.label_lower}",
        lambda: list(model.objects.filter(pk__in=ids).order_by("name", "pk").values_list("pk", "name")),
        hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest(),
    )


def registry_labels(model, ids):
    """[(id, label)] of the registry objects `ids` of `model`, each labelled as the object names
    itself (str), in the model's own order; cached with the registry (`registry_cached`), keyed
    by the ids asked for. For pages that name many organisations without their other fields."""
    ids = sorted(ids)
    if not ids:
        return []
    return registry_cached(
        f"labels:{model._meta.label_lower}",
        lambda: [(obj.pk, str(obj)) for obj in model.objects.filter(pk__in=ids)],
        hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest(),
    )


def watch_for_memberships(*models):
    """A save or delete of these models, or a change of their many-to-many links, makes the
    cached memberships a new generation."""
    for model in models:
        label = model._meta.label
        post_save.connect(forget_memberships, sender=model, dispatch_uid=f"memberships-{label}")
        post_delete.connect(forget_memberships, sender=model, dispatch_uid=f"memberships-del-{label}")
        for field in model._meta.many_to_many:
            # Linking or unlinking (person.schools.add) saves neither side: watch the link table.
            through = field.remote_field.through
            m2m_changed.connect(
                forget_memberships, sender=through, dispatch_uid=f"memberships-m2m-{through._meta.label}"
            )


def _load_memberships(user):
    flags = {f"flag_{name}": expression(OuterRef("user")) for name, expression in _USER_FLAGS.items()}
    return list(
        Membership.objects.current()
        .filter(user=user)
        .annotate(**flags)
        .select_related(
            "school__municipality__region__parent",
            "district_team__municipality__region__parent",
            "partnership__region__parent",
            "municipality__region__parent",
            "region__parent",
        )
    )


def memberships(user):
    """The user's current memberships, fetched once per request and cached on the user object
    (and in the cache for TANDEM_MEMBERSHIPS_CACHE_SECONDS, see above). An ended membership is
    history and grants nothing (ADR 0137)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_tandem_memberships", None)
    if cached is None:
        seconds = settings.TANDEM_MEMBERSHIPS_CACHE_SECONDS
        if seconds > 0:
            key = _memberships_key(user, _generation())
            cached = cache.get(key)
            if cached is None:
                cached = _load_memberships(user)
                cache.set(key, cached, timeout=seconds)
        else:
            cached = _load_memberships(user)
        for membership in cached:
            # The membership's user is this user: a worklist that asks `membership.user` for
            # its memberships finds them here instead of loading the user and them again.
            membership.user = user
        user._tandem_memberships = cached
    return cached


def roles(user):
    return {Role(m.role) for m in memberships(user)}


def has_role(user, *wanted):
    return bool(roles(user) & set(wanted))


def _ids(user, role, field):
    return {getattr(m, f"{field}_id") for m in memberships(user) if m.role == role}


def school_ids(user):
    """Schools where the user is a school coordinator."""
    return _ids(user, Role.SCHOOL_COORDINATOR, "school")


def district_team_ids(user):
    return _ids(user, Role.DISTRICT_WORKER, "district_team")


def partnership_ids(user):
    return _ids(user, Role.PARTNERSHIP_DIRECTOR, "partnership")


def municipality_ids(user):
    return _ids(user, Role.MUNICIPAL_OFFICER, "municipality")


def region_ids(user, role):
    return _ids(user, role, "region")


# --- Region borders (ADR 0123) ----------------------------------------------------------------


def _membership_region(m):
    """The (sub)region a membership's organisation lies in, or None for a care provider etc."""
    if m.school_id:
        return m.school.municipality.region
    if m.district_team_id:
        return m.district_team.municipality.region
    if m.partnership_id:
        return m.partnership.region
    if m.municipality_id:
        return m.municipality.region
    return m.region


def membership_region_id(m):
    """The top-level region of a membership's organisation, or None."""
    region = _membership_region(m)
    if region is None:
        return None
    return region.parent_id or region.pk


def home_regions(user):
    """The top-level regions the user works in (from the cached memberships, no query)."""
    found = {}
    for m in memberships(user):
        region = _membership_region(m)
        if region is not None:
            top = region.parent if region.parent_id else region
            found[top.pk] = top
    return sorted(found.values(), key=lambda r: r.name)


def home_region_ids(user):
    return {region.pk for region in home_regions(user)}


def theme_region_id(user):
    """The region whose theme the user's pages show (ADR 0164): the first of their regions by
    name, for one who works in several; None (the installation's theme) for none."""
    regions = home_regions(user)
    return regions[0].pk if regions else None


def region_q(path, region_ids):
    """Objects whose (sub)region at `path` (e.g. "municipality__region") is one of the top-level
    `region_ids` or one of their subregions."""
    return Q(**{f"{path}__in": region_ids}) | Q(**{f"{path}__parent__in": region_ids})


# The path from each registry organisation to its (sub)region.
REGION_PATHS = {
    "school": "municipality__region",
    "district_team": "municipality__region",
    "partnership": "region",
    "municipality": "region",
    "region": "pk",
}


def own_region_q(user, kind, prefix=""):
    """Filter for objects of `kind` (at `prefix`) in the user's regions; a foreign one is 404."""
    return regions_q(home_region_ids(user), kind, prefix)


def admin_region_q(user, kind, prefix=""):
    """Filter for objects of `kind` (at `prefix`) in the regions the user keeps the registry of
    (registry_admin_region_ids): where they manage accounts and roles. A region where they
    hold only another role is not theirs to manage."""
    return regions_q(registry_admin_region_ids(user), kind, prefix)


def regions_q(ids, kind, prefix=""):
    """Filter for objects of `kind` (at `prefix`) in the top-level regions `ids`."""
    path = REGION_PATHS[kind]
    if path == "pk":
        return Q(**{f"{prefix}pk__in": ids}) | Q(**{f"{prefix}parent__in": ids})
    return region_q(prefix + path, ids)


def users_in_regions_q(region_ids, prefix="user__"):
    """Users (at `prefix`) holding or having held a membership of an organisation in one of the
    regions: the access log keeps showing what a former member did (ADR 0137). One subquery
    over the memberships (see `memberships_in_regions_q`), not a join along every path."""
    in_regions = Membership.objects.filter(memberships_in_regions_q(region_ids)).values("user_id")
    return Q(**{f"{prefix}pk__in": in_regions})


# --- Registry rules -------------------------------------------------------------------------


def can_read_registry(user):
    """Everyone with an account reads the directory."""
    return bool(getattr(user, "is_authenticated", False) and memberships(user))


def can_admin_registry(user):
    return has_role(user, Role.REGISTRY_ADMIN)


def role_region_ids(user, role):
    """The top-level regions of the user's memberships in `role`: where that role's duties
    reach. A membership in another role elsewhere adds no region (ADR 0123)."""
    return {membership_region_id(m) for m in memberships(user) if m.role == role} - {None}


def registry_admin_region_ids(user):
    """The top-level regions of the user's registry-administrator memberships: where they invite
    people (ADR 0135)."""
    return role_region_ids(user, Role.REGISTRY_ADMIN)


THEME_ROLES = (Role.REGISTRY_ADMIN,)


def can_edit_theme(user, region):
    """The region's registry administrator sets its theme (ADR 0164)."""
    return region is not None and region.parent_id is None and region.pk in registry_admin_region_ids(user)


def privacy_officer_region_ids(user):
    """The top-level regions the user is privacy officer of: whose access log, account records
    and subject-access requests are theirs (ADR 0123, ADR 0147)."""
    return role_region_ids(user, Role.PRIVACY_OFFICER)


def organisation_region_id(organisation):
    """The top-level region of a school, district team, partnership, municipality or region."""
    if isinstance(organisation, School | DistrictTeam):
        region = organisation.municipality.region
    elif isinstance(organisation, Partnership | Municipality):
        region = organisation.region
    else:
        region = organisation
    return region.parent_id or region.pk


def can_invite(user, organisation=None):
    """A registry administrator invites people into organisations of their own region."""
    ids = registry_admin_region_ids(user)
    if organisation is None:
        return bool(ids)
    return organisation_region_id(organisation) in ids


def invitations_q(user):
    """Invitations whose membership's organisation lies in the user's registry-admin regions;
    anything else is not found (404)."""
    return memberships_in_regions_q(registry_admin_region_ids(user), prefix="membership__")


def can_manage_invitation(user, invitation):
    return can_invite(user, invitation.membership.organisation)


# Who sets a region's own waiting-time norms (ADR 0091): its steering group and its registry
# administrator.
NORM_ROLES = (Role.STEERING_MEMBER, Role.REGISTRY_ADMIN)


def norm_region_ids(user):
    """The (top-level) regions whose norms the user may set."""
    ids = set()
    for m in memberships(user):
        if m.role in NORM_ROLES and m.region_id:
            ids.add(m.region.parent_id or m.region_id)
    return ids


def can_set_norms(user, region):
    return region is not None and region.parent_id is None and region.pk in norm_region_ids(user)


# Which membership ids may maintain the fixed contact of each kind of organisation.
_TARGET_IDS = {
    "school": school_ids,
    "municipality": municipality_ids,
    "partnership": partnership_ids,
    "district_team": district_team_ids,
}

COVERAGE_ROLES = (
    Role.REGISTRY_ADMIN,
    Role.STEERING_MEMBER,
    Role.PARTNERSHIP_DIRECTOR,
    Role.MUNICIPAL_OFFICER,
)


def can_edit_assignment(user, kind, organisation_id):
    """registry_admin everywhere; otherwise members maintain their own organisation's contact:
    a school coordinator for the school, a district worker for the team, a director for the
    partnership, a municipal officer for the municipality."""
    if can_admin_registry(user):
        return True
    ids = _TARGET_IDS.get(kind)
    return bool(ids and organisation_id in ids(user))


def can_edit_tandem(user, school, current_team_id=None, new_team_id=None):
    """registry_admin and the school's coordinators; a district worker for their own team's
    tandems: the school's open tandem (if any) and the new one must both be their team's."""
    if can_admin_registry(user):
        return True
    if school.pk in school_ids(user):
        return True
    own_teams = district_team_ids(user)
    if not own_teams:
        return False
    if current_team_id and current_team_id not in own_teams:
        return False
    return not (new_team_id and new_team_id not in own_teams)


def can_see_coverage(user):
    return has_role(user, *COVERAGE_ROLES)


def person_organisation_choices(user):
    """The organisations (kind, id) a user maintains people for, other than the registry admin."""
    pairs = []
    for kind, ids in _TARGET_IDS.items():
        pairs.extend((kind, pk) for pk in sorted(ids(user)))
    return pairs


def can_create_person(user):
    return can_admin_registry(user) or bool(person_organisation_choices(user))


def person_region_ids(person):
    """The top-level regions of the organisations a person works for (prefetched when present)."""
    return {o.top_region.pk for o in person.organisations if o.top_region is not None}


def affiliation_querysets(user):
    """The organisations a registry admin may link people to: those of their own regions (a
    care provider without a region is everyone's). ADR 0147."""
    ids = home_region_ids(user)
    return {
        "schools": School.objects.filter(own_region_q(user, "school")),
        "district_teams": DistrictTeam.objects.filter(own_region_q(user, "district_team")),
        "municipalities": Municipality.objects.filter(own_region_q(user, "municipality")),
        "partnerships": Partnership.objects.filter(own_region_q(user, "partnership")),
        "care_providers": CareProvider.objects.filter(region_q("region", ids) | Q(region__isnull=True)),
    }


def can_edit_person(user, person):
    """registry_admin for people of their region (or of no organisation yet: ADR 0147); the
    person themself; a member of an organisation the person works for."""
    if can_admin_registry(user):
        regions = person_region_ids(person)
        if not regions or regions & home_region_ids(user):
            return True
    if getattr(user, "person_id", None) == person.pk:
        return True
    return (
        bool(school_ids(user) & {s.pk for s in person.schools.all()})
        or bool(district_team_ids(user) & {t.pk for t in person.district_teams.all()})
        or bool(partnership_ids(user) & {p.pk for p in person.partnerships.all()})
        or bool(municipality_ids(user) & {m.pk for m in person.municipalities.all()})
    )


# --- View helpers ---------------------------------------------------------------------------


def role_required(*wanted):
    """Anonymous users go to the login page; users without one of the roles get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if wanted and not has_role(request.user, *wanted):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def member_required(view):
    """Any user with at least one membership."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not memberships(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# --- Account management (ADR 0137) ----------------------------------------------------------


def can_manage_accounts(user):
    """The registry administrator manages the accounts of their own region."""
    return has_role(user, Role.REGISTRY_ADMIN)


def _organisations_in_regions(kind, region_ids):
    """The pks of the organisations of `kind` in the top-level regions or their subregions."""
    if kind == "region":
        return Region.objects.filter(Q(pk__in=region_ids) | Q(parent__in=region_ids)).values("pk")
    model = {
        "school": School,
        "district_team": DistrictTeam,
        "partnership": Partnership,
        "municipality": Municipality,
    }[kind]
    return model.objects.filter(region_q(REGION_PATHS[kind], region_ids)).values("pk")


def memberships_in_regions_q(region_ids, prefix=""):
    """Memberships (at `prefix`) of an organisation in one of the top-level regions. Each kind
    of organisation is a small subquery of its own: OR-ing the joins along all five paths made
    PostgreSQL join every membership to every organisation table before it could filter
    (15 ms at national size; bench/FINDINGS.md)."""
    q = Q()
    for kind in ("school", "district_team", "partnership", "municipality", "region"):
        q |= Q(**{f"{prefix}{kind}__in": _organisations_in_regions(kind, region_ids)})
    return q


def manageable_memberships(user):
    """The memberships, current and ended, the user manages: those of the regions they keep
    the registry of (not of a region where they hold another role)."""
    if not can_manage_accounts(user):
        return Membership.objects.none()
    return Membership.objects.filter(memberships_in_regions_q(registry_admin_region_ids(user)))


def manageable_accounts(user):
    """The accounts with a membership (current or ended) in the user's region; a foreign
    region's account does not exist for the user (404)."""
    return User.objects.filter(pk__in=manageable_memberships(user).values("user_id"))


def manageable_ids(user):
    """(account ids, membership ids) of manageable_accounts and manageable_memberships, as
    lists cached with the registry (ADR 0169), for the account list: filtering by a list
    (`pk__any_of`) spares it compiling and joining the region's memberships along five paths
    for every query (bench/FINDINGS.md). What an action changes is still checked against the
    querysets above, in its transaction."""
    if not can_manage_accounts(user):
        return [], []
    regions = sorted(registry_admin_region_ids(user))

    def load():
        memberships = Membership.objects.filter(memberships_in_regions_q(regions))
        pairs = list(memberships.values_list("pk", "user_id"))
        return sorted({user_id for _pk, user_id in pairs}), sorted(pk for pk, _user_id in pairs)

    return registry_cached("manageable", load, *regions)


# --- Collective arrangements (ADR 0161) -------------------------------------------------------


def arrangement_region_ids(user):
    """The top-level regions whose collective arrangements the user reads: every region they
    work in. Another region's arrangement does not exist for them (404)."""
    return home_region_ids(user)


def can_read_arrangements(user):
    return bool(arrangement_region_ids(user))


def arrangement_admin_region_ids(user):
    """Where the user records and edits arrangements: the regions they keep the registry of.
    The partnership director and the municipal officer, who fund it, read it (ADR 0161)."""
    return registry_admin_region_ids(user)


def can_manage_arrangements(user, region=None):
    ids = arrangement_admin_region_ids(user)
    if region is None:
        return bool(ids)
    return region.pk in ids
