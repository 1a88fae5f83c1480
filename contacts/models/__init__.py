from .accounts import Membership, Role, User
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
    "CareProvider",
    "ContactAssignment",
    "DistrictTeam",
    "Invitation",
    "Membership",
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
