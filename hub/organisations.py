"""Services of organisations: create one with its portal, groups, collection and workflow.

`organisation_create()` is what the admin, the demo and `manage.py organisation_create` use.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from hub import permissions
from hub.models import HomePage, Organisation, Region, RegionLevel, StoryReviewTask


def _hub_wide_owner() -> Organisation | None:
    """The organisation that owns the hub-wide groups (Editors, Approvers, …), if any."""
    return (
        Organisation.objects.filter(groups__name=permissions.APPROVERS, site__isnull=False)
        .select_related("site__root_page")
        .order_by("pk")
        .first()
    )


def permission_root_page() -> Page | None:
    """Where the hub-wide groups' page permissions and workflow live: their organisation's home
    page once organisations exist, else the tree root (a single-site install)."""
    owner = _hub_wide_owner()
    if owner is not None and Organisation.objects.count() > 1:
        return owner.site.root_page
    return Page.get_first_root_node()


def permission_root_collection() -> Collection | None:
    owner = _hub_wide_owner()
    if owner is not None and Organisation.objects.count() > 1:
        collection = Collection.objects.filter(name=owner.name, depth=2).first()
        if collection is not None:
            return collection
    return Collection.get_first_root_node()


def confine_hub_wide_groups() -> None:
    """Once a second organisation exists, the hub-wide groups act on their own organisation only:
    their page and collection permissions and the sign-off workflow move from the roots to it."""
    owner = _hub_wide_owner()
    if owner is None or Organisation.objects.count() < 2:
        return
    home, root = owner.site.root_page, Page.get_first_root_node()
    collection = Collection.objects.filter(name=owner.name, depth=2).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=owner.name)
    hub_wide = Group.objects.filter(name__in=permissions.GROUP_NAMES)
    for grant in GroupPagePermission.objects.filter(page=root, group__in=hub_wide):
        GroupPagePermission.objects.get_or_create(group=grant.group, page=home, permission=grant.permission)
        grant.delete()
    root_collection = Collection.get_first_root_node()
    for grant in GroupCollectionPermission.objects.filter(collection=root_collection, group__in=hub_wide):
        GroupCollectionPermission.objects.get_or_create(
            group=grant.group, collection=collection, permission=grant.permission
        )
        grant.delete()
    assigned = WorkflowPage.objects.filter(page=root).first()
    if assigned is not None:
        WorkflowPage.objects.get_or_create(page=home, defaults={"workflow": assigned.workflow})
        assigned.delete()


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    level: str = RegionLevel.PROVINCE


def _check(
    *, slug: str, hostname: str, port: int, region: RegionSpec | None, parent: Organisation | None
) -> None:
    errors = {}
    if Organisation.objects.filter(slug=slug).exists():
        errors["slug"] = _("An organisation with the short name %(slug)s exists already.") % {"slug": slug}
    if Site.objects.filter(hostname=hostname, port=port).exists():
        errors["hostname"] = _("The address %(host)s:%(port)s already serves a portal.") % {
            "host": hostname,
            "port": port,
        }
    if region is not None:
        existing = Region.objects.filter(code=region.code).first()
        inside_parent = (
            existing is not None
            and parent is not None
            and parent.region_id is not None
            and existing.path.startswith(parent.region.path)
        )
        if (
            existing is not None
            and not inside_parent
            and Organisation.objects.filter(region=existing).exists()
        ):
            errors["region"] = _("Region %(code)s already belongs to another organisation.") % {
                "code": region.code
            }
    if errors:
        raise ValidationError(errors)


def _grant_model_permissions(group: Group, role: str) -> None:
    group.permissions.add(*permissions._permissions(permissions.MODEL_PERMISSIONS[role]))
    if role == permissions.CHANNEL_MANAGERS:
        group.permissions.add(*permissions._channel_permissions())
    if role == permissions.APPROVERS:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="hub", codename="view_subscription")
        )


def _grant_page_permissions(group: Group, role: str, home: Page) -> None:
    codenames = permissions.PAGE_PERMISSIONS.get(role, [])
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=codenames
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)


def _grant_collection_permissions(group: Group, role: str, collection: Collection) -> None:
    condition = Q(pk__in=[])
    for codename in permissions.COLLECTION_PERMISSIONS.get(role, []):
        model = codename.split("_", 1)[1]
        condition |= Q(content_type__app_label=permissions.COLLECTION_APPS[model], codename=codename)
    for permission in Permission.objects.filter(condition):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )


def _workflow(organisation: Organisation, groups: dict[str, Group]) -> Workflow:
    """The organisation's own sign-off workflow: the hub's steps, acted on by its own groups."""
    from hub import workflows

    workflow = Workflow.objects.create(name=f"{workflows.WORKFLOW_NAME} · {organisation.name}"[:255])
    for order, (key, (name, role, kinds, police_only)) in enumerate(workflows.STEPS.items()):
        task = StoryReviewTask.objects.create(
            key=f"{key}-{organisation.slug}"[:40],
            name=f"{name} · {organisation.name}"[:255],
            only_if_routed_to_police=police_only,
        )
        task.groups.set([groups[role]])
        task.page_types.set([ContentType.objects.get_for_model(model) for model in kinds])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


@transaction.atomic
def organisation_create(
    *,
    name: str,
    slug: str,
    kind: str,
    hostname: str,
    port: int = 80,
    parent: Organisation | None = None,
    region: RegionSpec | Region | None = None,
    site_name: str = "",
    intro: str = "",
    default_site: bool = False,
    progress=None,
) -> Organisation:
    """A new organisation with its portal (site and home page), region, image collection, one group
    per role with its page and collection permissions, and its own sign-off workflow.

    Raises ValidationError (by field) when the short name, address or region is taken.
    """
    say = progress or (lambda message: None)
    spec = RegionSpec(region.code, region.name, region.level) if isinstance(region, Region) else region
    _check(slug=slug, hostname=hostname, port=port, region=spec, parent=parent)

    top = region if isinstance(region, Region) else None
    if top is None and spec is not None:
        top, _created = Region.objects.get_or_create(
            code=spec.code, defaults={"name": spec.name, "level": spec.level}
        )

    if top is not None:
        say(_("Region: %(name)s (%(code)s)") % {"name": top.name, "code": top.code})
    home = Page.get_first_root_node().add_child(instance=HomePage(title=name, slug=slug, intro=intro or name))
    if default_site:
        Site.objects.filter(is_default_site=True).update(is_default_site=False)
    site = Site.objects.create(
        hostname=hostname,
        port=port,
        root_page=home,
        site_name=site_name or name,
        is_default_site=default_site,
    )
    say(_("Portal: http://%(host)s:%(port)s/") % {"host": hostname, "port": port})

    organisation = Organisation.objects.create(
        name=name, slug=slug, kind=kind, parent=parent, site=site, region=top
    )
    # Wagtail's migrations make the root collection; a database emptied since then lacks it.
    root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    collection = root_collection.add_child(name=name)
    say(_("Collection for images and documents: %(name)s") % {"name": collection.name})

    groups = {}
    for role in permissions.GROUP_NAMES:
        group = Group.objects.create(name=permissions.organisation_group_name(role, slug))
        _grant_model_permissions(group, role)
        _grant_page_permissions(group, role, home)
        _grant_collection_permissions(group, role, collection)
        groups[role] = group
    organisation.groups.set(groups.values())
    say(_("Groups: %(names)s") % {"names": ", ".join(group.name for group in groups.values())})

    WorkflowPage.objects.create(page=home, workflow=_workflow(organisation, groups))
    say(_("Sign-off workflow assigned to the portal's home page."))
    confine_hub_wide_groups()
    return organisation


def organisation_adopt_hub_wide(*, organisation: Organisation) -> None:
    """Make the hub-wide groups (Editors, Approvers, …) the people of `organisation`."""
    organisation.groups.add(*Group.objects.filter(name__in=permissions.GROUP_NAMES))
    confine_hub_wide_groups()


def role_group(organisation: Organisation, role: str) -> Group | None:
    """The organisation's group of one role (its own, or the hub-wide one it adopted)."""
    return organisation.groups.filter(permissions.role_q(role)).order_by("-name").first()
