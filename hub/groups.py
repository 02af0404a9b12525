"""The hub's groups keep their English names in the database (code and migrations look them up
by name) and are shown translated: in Vietnamese "Biên tập viên", "Lãnh đạo phê duyệt"…"""

from django.contrib.auth.models import Group
from django.utils.translation import gettext, gettext_lazy
from wagtail.admin.ui.tables import TitleColumn
from wagtail.users.views import groups

from hub import permissions

# The names as msgids, so makemessages keeps them in the catalogue.
DISPLAY_NAMES = {
    permissions.EDITORS: gettext_lazy("Editors"),
    permissions.HEALTH_REVIEWERS: gettext_lazy("Health reviewers"),
    permissions.POLICE_REVIEWERS: gettext_lazy("Police reviewers"),
    permissions.APPROVERS: gettext_lazy("Approvers"),
    permissions.CHANNEL_MANAGERS: gettext_lazy("Channel managers"),
}


def display_name(group: Group) -> str:
    """A group's name in the active language (groups an administrator adds keep their own)."""
    return str(DISPLAY_NAMES[group.name]) if group.name in DISPLAY_NAMES else gettext(group.name)


def translate_group_names() -> None:
    """Every label made from str(group) (user forms, workflow step forms, listings) is translated."""
    Group.__str__ = display_name


class GroupIndexView(groups.IndexView):
    columns = [
        TitleColumn(
            "name",
            accessor=display_name,
            label=gettext_lazy("Name"),
            sort_key="name",
            url_name="wagtailusers_groups:edit",
        ),
    ]


class GroupViewSet(groups.GroupViewSet):
    index_view_class = GroupIndexView
