from .accounts import CURRENT_MEMBERSHIP, ORGANISATION_FIELDS, Membership, MembershipRecord, Role, User
from .arrangements import ArrangementRecord, CollectiveArrangement
from .imports import PendingImport
from .invitations import Invitation
from .network import ContactAssignment, Person, Tandem
from .norms import RegionNorm
from .organisations import (
    SPECIAL_SCHOOL_TYPES,
    CareProvider,
    DistrictTeam,
    Municipality,
    Partnership,
    Region,
    School,
    SchoolType,
    Sector,
)

__all__ = [
    "ORGANISATION_FIELDS",
    "ArrangementRecord",
    "CURRENT_MEMBERSHIP",
    "CareProvider",
    "CollectiveArrangement",
    "ContactAssignment",
    "DistrictTeam",
    "Invitation",
    "Membership",
    "MembershipRecord",
    "Municipality",
    "Partnership",
    "PendingImport",
    "Person",
    "Region",
    "RegionNorm",
    "Role",
    "SPECIAL_SCHOOL_TYPES",
    "School",
    "SchoolType",
    "Sector",
    "Tandem",
    "User",
]
