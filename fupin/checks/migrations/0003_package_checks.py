"""The package's two checks, run at transfer and receipt when a run is given a package."""

from django.db import migrations

ROWS = [
    ("package_fixity", "authenticity", "数据包摘要复核",
     "重新计算数据包中每个文件的 SHA-256 与 SM3 摘要，与摘要清单和标签清单比对；METS 与 PREMIS "
     "中登记的摘要、大小与清单一致。", 35),
    ("package_counts", "integrity", "数量与字节数与清单一致",
     "数据包结构完整（BagIt）、无越界路径与链接；文件数和字节数与清单及 Payload-Oxum 一致，"
     "无缺少、无多出；原始文件与所检文件一一对应。", 55),
]


def seed(apps, schema_editor):
    definition = apps.get_model("checks", "CheckDefinition")
    for code, prop, title, description, position in ROWS:
        definition.objects.update_or_create(
            code=code,
            defaults={
                "property": prop,
                "title": title,
                "description": description,
                "stages": ["transfer", "receipt"],
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("checks", "CheckDefinition").objects.filter(
        code__in=[row[0] for row in ROWS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("checks", "0002_catalogue")]
    operations = [migrations.RunPython(seed, unseed)]
