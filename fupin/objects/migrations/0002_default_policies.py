"""Default format policy per 门类, after GB/T 18894-2016's formats for long-term keeping."""

from django.db import migrations

DOCUMENTS = ["ofd", "pdfa", "pdf", "docx", "rtf", "wps", "jpeg", "tiff", "png", "xml", "txt"]
DEFAULTS = {
    "WS": DOCUMENTS, "KJ": DOCUMENTS, "ZY": DOCUMENTS,
    "ZP": ["jpeg", "tiff"], "LY": ["wav", "mp3"], "LX": ["mp4", "avi"],
    "SJ": ["xlsx", "txt", "xml", "pdfa", "pdf", "zip", "ofd"],
}


def load(apps, schema_editor):
    policy = apps.get_model("objects", "FormatPolicy")
    for category, allowed in DEFAULTS.items():
        policy.objects.get_or_create(category=category, defaults={"allowed": allowed})


class Migration(migrations.Migration):
    dependencies = [("objects", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
