"""The bounds of `atiende.schemas.params` against the columns the values end up in."""

from sqlalchemy import BigInteger, Integer, SmallInteger

from atiende.db.models import Base
from atiende.schemas.params import MAX_ID


def largest(column_type: Integer) -> int:
    if isinstance(column_type, BigInteger):
        return 2**63 - 1
    if isinstance(column_type, SmallInteger):
        return 2**15 - 1
    return 2**31 - 1


def test_max_id_is_what_every_id_column_holds() -> None:
    ids = {
        f"{table.name}.{column.name}": largest(column.type)
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, Integer) and (column.name == "id" or column.name.endswith("_id"))
    }
    assert ids, "no id column found"
    # Larger and a valid-looking id overflows the driver (a 500); smaller refuses real ids.
    assert MAX_ID == min(ids.values()), ids
