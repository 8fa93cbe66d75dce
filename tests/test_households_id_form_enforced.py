"""The database itself refuses a malformed ID number, on both engines: the rule holds for
writes that bypass the import's checks (the bulk INSERTs, an administrator's SQL)."""

import pytest
from django.db import DataError, IntegrityError, transaction

from fupin.households.models import Household, Person
from tests.households_samples import household, run_import, write_sheet

V_A = "420322100201"


@pytest.mark.parametrize(
    "bad",
    ["42032219600301123", "42032219600301123x", "4203221960030112345", "42032219600301１２３4"],
)
def test_a_malformed_id_number_is_refused_by_the_database(world, tmp_path, capsys, bad):
    code, _ = run_import(capsys, write_sheet(tmp_path / "one.xlsx", household(V_A, 1, size=1)))
    assert code == 0
    person = Person.objects.get()
    # Too long is refused by the column width on PostgreSQL, by the form rule on SQLite.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(id_number=bad)
    assert Person.objects.get().id_number == person.id_number


def test_a_well_formed_id_number_with_x_is_accepted(world, tmp_path, capsys):
    code, _ = run_import(capsys, write_sheet(tmp_path / "one.xlsx", household(V_A, 1, size=1)))
    assert code == 0
    Person.objects.update(id_number="42032219600301123X")
    assert Household.objects.get().members.get().id_number.endswith("X")
