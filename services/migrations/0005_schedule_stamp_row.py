from django.db import migrations


def create_stamp(apps, schema_editor):
    # The one row whose version moves on every schedule change; made here so that two
    # first changes at once cannot both make it.
    apps.get_model("services", "ScheduleStamp").objects.get_or_create(pk=1, defaults={"version": 0})


class Migration(migrations.Migration):
    dependencies = [("services", "0004_schedule_stamp")]

    operations = [migrations.RunPython(create_stamp, migrations.RunPython.noop)]
