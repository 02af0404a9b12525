"""Users in each editorial role, and a story index to put stories under."""

import pytest

from hub import permissions
from tests.factories import UserFactory

ROLES = {
    "editor": [permissions.EDITORS],
    "health": [permissions.HEALTH_REVIEWERS],
    "police": [permissions.POLICE_REVIEWERS],
    "approver": [permissions.APPROVERS],
    "channel_manager": [permissions.CHANNEL_MANAGERS],
}


@pytest.fixture
def users(db):
    """One user per role (plus a second approver and a site administrator), keyed by role."""
    people = {role: UserFactory(username=role, groups=groups) for role, groups in ROLES.items()}
    people["approver2"] = UserFactory(username="approver2", groups=[permissions.APPROVERS])
    people["admin"] = UserFactory(username="admin", is_superuser=True)
    return people
