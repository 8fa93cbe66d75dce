"""The catalogue of checks as shipped (DA/T 70-2018); administrators change it as data."""

from django.db import migrations

ALL = ["archive", "transfer", "receipt", "keeping"]
MAKING = ["archive", "transfer", "receipt"]

CATALOGUE = [
    ("fixity", "authenticity", "电子文件摘要复核",
     "从存储中重新读取每个电子文件，重新计算 SHA-256 与 SM3 摘要和文件大小，与登记值逐一比对"
     "（不采信已存的摘要）。", ALL),
    ("reference_code", "authenticity", "档号规范且唯一",
     "档号与按本全宗档号格式由全宗号、门类、年度、保管期限、机构（问题）、件号生成的一致，"
     "全系统唯一；已归档文件的档号与归档时登记的一致。", ALL),
    ("metadata_valid", "authenticity", "元数据值合规",
     "年度与文件日期的年份一致、日期不晚于当天；保管期限、门类、密级代码有效，保管期限在归档"
     "范围条目允许之列；题名、文件名无不可打印字符；电子文件格式可识别。", MAKING),
    ("metadata_required", "integrity", "必要元数据齐全",
     "GB/T 18894 规定的最低元数据齐全：全宗号、题名、责任者、日期、保管期限、机构（问题）、"
     "页数、件号、档号；电子文件有计算机文件名、大小和格式。", MAKING),
    ("numbering", "integrity", "件号连续无重复",
     "所检文件所在的每个最低一级类目，件号（照片为组内张号）从 1 起连续，无缺号、无重号。", ALL),
    ("format_identity", "usability", "文件可按其格式打开",
     "按文件内容识别格式，与登记的格式和扩展名一致，并能按该格式完整打开（图像可解码、PDF "
     "可读取页面）。", ALL),
    ("format_policy", "usability", "属长期保存格式",
     "电子文件的格式在本门类的长期保存格式表（GB/T 18894）之列。", ALL),
    ("no_encryption", "usability", "无加密",
     "电子文件未加密：PDF 无 /Encrypt，OFD、DOCX 等压缩包内无加密条目。", ALL),
    ("no_executable", "security", "无可执行内容",
     "电子文件不是可执行程序，且不含脚本、启动动作、嵌入文件或宏：PDF 无 JavaScript、"
     "/Launch、嵌入文件，压缩包内无可执行文件和宏。", ALL),
    ("audit_trail", "security", "过程留有审计记录",
     "每件文件的著录、每个电子文件的接收、每件已归档文件所在全宗的归档，在审计日志中都有记录。",
     ALL),
]


def seed(apps, schema_editor):
    definition = apps.get_model("checks", "CheckDefinition")
    for position, (code, prop, title, description, stages) in enumerate(CATALOGUE, start=1):
        definition.objects.update_or_create(
            code=code,
            defaults={
                "property": prop,
                "title": title,
                "description": description,
                "stages": stages,
                "position": position * 10,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("checks", "CheckDefinition").objects.filter(
        code__in=[row[0] for row in CATALOGUE]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("checks", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
