"""Photo groups (组) and the DA/T 50-2014 description of each photo (张); the duration of
audio and video items. Each photo is a records item of category ZP: the item carries the
reference code, title, retention and file; this app carries what DA/T 50 adds."""

from django.db import models
from django.db.models import Q

from fupin.schedule import retention


class PhotoGroup(models.Model):
    """A group of photos of one event, numbered per fonds, year and retention."""

    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="photo_groups")
    year = models.PositiveSmallIntegerField("年度")
    retention = models.CharField("保管期限", max_length=3, choices=retention.choices)
    group_number = models.PositiveIntegerField("组号")
    title = models.CharField("组题名", max_length=300)
    description = models.TextField("组说明", blank=True)
    photographer = models.CharField("摄影者", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_id", "year", "retention", "group_number"]
        verbose_name = "照片组"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "retention", "group_number"],
                name="photo_group_number_unique",
            ),
            models.CheckConstraint(condition=Q(group_number__gte=1), name="photo_group_number_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.retention} 第{self.group_number:03d}组 {self.title}"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


class PhotoDetails(models.Model):
    """What DA/T 50 describes beyond the item: the photo's place in its group, the scene, and
    the technical items read from EXIF (kept as read, never edited)."""

    item = models.OneToOneField(
        "records.RecordItem", on_delete=models.CASCADE, related_name="photo", primary_key=True
    )
    group = models.ForeignKey(PhotoGroup, on_delete=models.PROTECT, related_name="photos")
    photo_number = models.PositiveIntegerField("张号")
    photographer = models.CharField("摄影者", max_length=100, blank=True)
    taken_at = models.DateTimeField("摄影时间", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    people = models.CharField("人物", max_length=300, blank=True)
    background = models.CharField("背景", max_length=300, blank=True)
    caption = models.TextField("文字说明", blank=True)
    see_also = models.CharField("参见号", max_length=200, blank=True)
    device = models.CharField("设备", max_length=200, blank=True)
    width = models.PositiveIntegerField("宽度（像素）")
    height = models.PositiveIntegerField("高度（像素）")
    gps_lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    gps_lon = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    exif = models.JSONField("EXIF", default=dict, blank=True)
    thumbnail = models.ForeignKey(
        "objects.StoredObject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["group_id", "photo_number"]
        verbose_name = "照片著录"
        constraints = [
            models.UniqueConstraint(fields=["group", "photo_number"], name="photo_number_in_group"),
            models.CheckConstraint(condition=Q(photo_number__gte=1), name="photo_number_positive"),
            models.CheckConstraint(
                condition=Q(gps_lat__isnull=True) | Q(gps_lat__gte=-90, gps_lat__lte=90),
                name="photo_gps_lat_range",
            ),
            models.CheckConstraint(
                condition=Q(gps_lon__isnull=True) | Q(gps_lon__gte=-180, gps_lon__lte=180),
                name="photo_gps_lon_range",
            ),
        ]

    def __str__(self) -> str:
        return f"第{self.group.group_number:03d}组 第{self.photo_number:03d}张"


class MediaDetails(models.Model):
    """The playing time of an audio or video item, where it could be read cheaply."""

    item = models.OneToOneField(
        "records.RecordItem", on_delete=models.CASCADE, related_name="media", primary_key=True
    )
    duration_seconds = models.DecimalField(
        "时长（秒）", max_digits=10, decimal_places=3, null=True, blank=True
    )

    class Meta:
        verbose_name = "声像时长"

    def __str__(self) -> str:
        return f"{self.duration_seconds or '—'} 秒"
