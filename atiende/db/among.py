"""`column IN values` written so that a batch's statement is the same text whatever its size.

On PostgreSQL the values go as one array (`= ANY($1)`): a list of hundreds is otherwise
hundreds of parameters, and each size a statement of its own, parsed, planned and prepared
again (the inbox's processor met a new size on almost every batch). SQLite has no arrays; its
statements cost no round trip to prepare.
"""

from collections.abc import Collection
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, any_, literal
from sqlalchemy.orm import InstrumentedAttribute


def among(
    dialect: str, column: InstrumentedAttribute[Any], values: Collection[int] | Collection[str]
) -> ColumnElement[bool]:
    if dialect != "postgresql":
        return column.in_(list(values))
    return column == any_(literal(list(values), ARRAY(column.type)))
