from django.db import migrations


def mark_hazards(apps, schema_editor):
    """Inspections recorded before: the new columns learn of a serious hazard among the
    findings, and of the inspector by the login stored as the name. Old columns keep their
    values (`passed` always meant the score reached the pass mark)."""
    Inspection = apps.get_model("supervision", "Inspection")
    User = apps.get_model("accounts", "User")
    hazardous = Inspection.objects.filter(findings__serious_hazard=True).distinct()
    Inspection.objects.filter(pk__in=hazardous.values("pk")).update(serious_hazard=True)
    for login in Inspection.objects.values_list("inspector_name", flat=True).distinct():
        user = User.objects.filter(username=login).first()
        if user is not None:
            Inspection.objects.filter(inspector_name=login).update(inspector=user)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0004_inspection_hazard_evidence")]

    operations = [migrations.RunPython(mark_hazards, migrations.RunPython.noop)]
