"""Run in a child process against an installation of its own (tests/procs.py), for the test
that kills an import: make a township's villages, and print the registry's state."""

import hashlib
import json
import os
import sys


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    import django

    django.setup()
    command = argv[0]
    if command == "regions":
        from fupin.regions.models import Level, Region

        parent = None
        for code, name, level in [
            ("42", "湖北省", Level.PROVINCE),
            ("4203", "十堰市", Level.CITY),
            ("420322", "郧西县", Level.COUNTY),
            ("420322100", "城关镇", Level.TOWNSHIP),
        ]:
            parent = Region.objects.create(code=code, name=name, level=level, parent=parent)
        for n, name in enumerate(("东岭村", "西岭村", "南坪村", "北坡村"), start=201):
            Region.objects.create(
                code=f"420322100{n}", name=name, level=Level.VILLAGE, parent=parent, is_poor=True
            )
    elif command == "snapshot":
        from fupin.audit.models import AuditEvent
        from fupin.households.models import Household, HouseholdChange, ImportBatch, Person

        digest = hashlib.sha256()
        for row in Household.objects.order_by("household_no").values_list(
            "household_no", "status", "size", "income_per_capita", "updated_by_id"
        ):
            digest.update(repr(row).encode())
        for row in Person.objects.order_by("id_number").values_list(
            "id_number", "household__household_no", "name", "relation"
        ):
            digest.update(repr(row).encode())
        print(
            json.dumps(
                {
                    "registry": digest.hexdigest(),
                    "households": Household.objects.count(),
                    "people": Person.objects.count(),
                    "changes": HouseholdChange.objects.count(),
                    "batches": ImportBatch.objects.count(),
                    "audit": AuditEvent.objects.count(),
                }
            )
        )


if __name__ == "__main__":
    main(sys.argv[1:])
