"""Storage (库房): rooms of a unit, shelves or cabinets in them, positions (层/格) on those;
where each box and volume stands, every move, inventory checks (盘点) and the storage
conditions (温湿度、八防) logged against thresholds kept as data."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Room(models.Model):
    """A storage room (库房) of one unit."""

    unit = models.ForeignKey(
        "regions.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="所属单位"
    )
    name = models.CharField("库房名称", max_length=60)
    location = models.CharField("位置", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="custody_room_name_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="custody_room_has_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


class ShelfKind(models.TextChoices):
    SHELF = "shelf", "架"
    CABINET = "cabinet", "柜"


class Shelf(models.Model):
    """A shelf (架, also a compact mobile shelf) or cabinet (柜) standing in a room."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="shelves")
    kind = models.CharField("类型", max_length=10, choices=ShelfKind.choices)
    code = models.CharField("编号", max_length=20)
    levels = models.PositiveSmallIntegerField("层数")
    columns = models.PositiveSmallIntegerField("每层格数")

    class Meta:
        ordering = ["room_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["room", "code"], name="custody_shelf_code_unique"),
            models.CheckConstraint(
                condition=Q(levels__gte=1, levels__lte=30, columns__gte=1, columns__lte=30),
                name="custody_shelf_size",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}{self.get_kind_display()}"


class Position(models.Model):
    """One place on a shelf (第 level 层第 column 格), where boxes and volumes stand."""

    shelf = models.ForeignKey(Shelf, on_delete=models.PROTECT, related_name="positions")
    level = models.PositiveSmallIntegerField("层")
    column = models.PositiveSmallIntegerField("格")

    class Meta:
        ordering = ["shelf_id", "level", "column"]
        constraints = [
            models.UniqueConstraint(
                fields=["shelf", "level", "column"], name="custody_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.shelf}第{self.level}层第{self.column}格"

    @property
    def code(self) -> str:
        """What a clerk types or a shelf label carries: 架号-层-格."""
        return f"{self.shelf.code}-{self.level}-{self.column}"


def _one_thing() -> Q:
    """A row is about exactly one box or one volume."""
    return Q(box__isnull=False, volume__isnull=True) | Q(box__isnull=True, volume__isnull=False)


class Placement(models.Model):
    """Where a box or volume stands now. Its history is in Movement."""

    box = models.OneToOneField(
        "records.Box", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    volume = models.OneToOneField(
        "records.Volume", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="placements")
    placed_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=_one_thing(), name="custody_placed_one")]

    def __str__(self) -> str:
        return f"{self.box or self.volume} @ {self.position_id}"


class Movement(models.Model):
    """One placement, move or removal: who, when, from where, to where, why."""

    box = models.ForeignKey(
        "records.Box", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    volume = models.ForeignKey(
        "records.Volume", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # None on one side: first placed (from), taken off the shelves (to).
    from_position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("原因", max_length=200)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["box", "at"], name="custody_move_box"),
            models.Index(fields=["volume", "at"], name="custody_move_volume"),
        ]
        constraints = [
            models.CheckConstraint(condition=_one_thing(), name="custody_moved_one"),
            models.CheckConstraint(
                condition=Q(from_position__isnull=False) | Q(to_position__isnull=False),
                name="custody_move_somewhere",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="custody_move_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.box or self.volume}：{self.from_position_id} → {self.to_position_id}"


class CheckStatus(models.TextChoices):
    OPEN = "open", "进行中"
    FINISHED = "finished", "已完成"


class InventoryCheck(models.Model):
    """An inventory check (盘点) of a room or one shelf: what was expected where, when it was
    planned, against what the checker found."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="checks")
    shelf = models.ForeignKey(
        Shelf, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    planned_on = models.DateField("计划日期")
    status = models.CharField(max_length=10, choices=CheckStatus.choices, default=CheckStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The result, fixed when the check is finished (the lists are read from the rows).
    expected_count = models.PositiveIntegerField(default=0)
    found_count = models.PositiveIntegerField(default=0)
    missing_count = models.PositiveIntegerField(default=0)
    misplaced_count = models.PositiveIntegerField(default=0)
    unexpected_count = models.PositiveIntegerField(default=0)
    lent_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-planned_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(finished_at__isnull=False),
                name="custody_check_finished_at",
            )
        ]

    def __str__(self) -> str:
        where = f"{self.room}{self.shelf}" if self.shelf_id else str(self.room)
        return f"{where}盘点（{self.planned_on:%Y-%m-%d}）"

    @property
    def audit_region_code(self) -> str:
        return self.room.unit.region_id


class Expected(models.Model):
    """A box or volume the check expects at a position (the shelves as planned)."""

    check_run = models.ForeignKey(InventoryCheck, on_delete=models.CASCADE, related_name="expected")
    box = models.ForeignKey(
        "records.Box", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    volume = models.ForeignKey(
        "records.Volume", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_one_thing(), name="custody_expected_one"),
            models.UniqueConstraint(fields=["check_run", "box"], name="custody_expected_box"),
            models.UniqueConstraint(fields=["check_run", "volume"], name="custody_expected_volume"),
        ]

    def __str__(self) -> str:
        return f"{self.box or self.volume} 应在 {self.position_id}"


class FoundBy(models.TextChoices):
    SCAN = "scan", "扫码"
    HAND = "hand", "手工"


class Found(models.Model):
    """A box or volume the checker found at a position (scanned or confirmed by hand)."""

    check_run = models.ForeignKey(InventoryCheck, on_delete=models.CASCADE, related_name="found")
    box = models.ForeignKey(
        "records.Box", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    volume = models.ForeignKey(
        "records.Volume", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    by = models.CharField(max_length=8, choices=FoundBy.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_one_thing(), name="custody_found_one"),
            models.UniqueConstraint(fields=["check_run", "box"], name="custody_found_box"),
            models.UniqueConstraint(fields=["check_run", "volume"], name="custody_found_volume"),
        ]

    def __str__(self) -> str:
        return f"{self.box or self.volume} 见于 {self.position_id}"


class Limits(models.Model):
    """Storage thresholds for the rooms of a region and below: the row of the nearest region
    up the tree applies, and without one the defaults in fupin.custody.conditions."""

    region = models.OneToOneField("regions.Region", on_delete=models.PROTECT, related_name="+")
    temperature_min = models.DecimalField("最低温度（℃）", max_digits=4, decimal_places=1)
    temperature_max = models.DecimalField("最高温度（℃）", max_digits=4, decimal_places=1)
    humidity_min = models.DecimalField("最低相对湿度（%）", max_digits=4, decimal_places=1)
    humidity_max = models.DecimalField("最高相对湿度（%）", max_digits=4, decimal_places=1)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(temperature_min__lt=models.F("temperature_max"))
                & Q(humidity_min__lt=models.F("humidity_max"))
                & Q(humidity_min__gte=0, humidity_max__lte=100),
                name="custody_limits_ranges",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} 库房阈值"


class Reading(models.Model):
    """Storage conditions of a room at one moment: temperature, humidity and the 八防 checks.
    `alerts` is what was out of order, judged against the thresholds in force when taken."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="readings")
    taken_at = models.DateTimeField("记录时间")
    temperature = models.DecimalField("温度（℃）", max_digits=4, decimal_places=1)
    humidity = models.DecimalField("相对湿度（%）", max_digits=4, decimal_places=1)
    # Keys of the 八防 checks that failed (see fupin.custody.conditions.GUARDS).
    failed_checks = models.JSONField(default=list)
    note = models.CharField("说明", max_length=300, blank=True)
    alerts = models.JSONField(default=list)
    out_of_range = models.BooleanField(default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-taken_at", "-pk"]
        indexes = [models.Index(fields=["room", "taken_at"], name="custody_reading_room")]
        constraints = [
            models.CheckConstraint(
                condition=Q(humidity__gte=0, humidity__lte=100), name="custody_reading_humidity"
            ),
            models.CheckConstraint(
                condition=Q(temperature__gte=-40, temperature__lte=80),
                name="custody_reading_temperature",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.taken_at:%Y-%m-%d %H:%M} {self.temperature}℃ {self.humidity}%"
