"""Create the editorial groups. Their permissions and the sign-off workflow are granted by
hub.workflows.ensure_workflow() after every migrate (post_migrate), once every app's
permissions exist; it is idempotent."""

from django.db import migrations

GROUP_NAMES = ("Editors", "Health reviewers", "Police reviewers", "Approvers", "Channel managers")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUP_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("hub", "0003_rebuttalpage_route_to_police_reviewreminder_and_more"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
