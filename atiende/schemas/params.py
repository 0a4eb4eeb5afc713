"""Bounded integers for path, query and body parameters, shared by every router.

An integer a column cannot hold makes the database driver overflow, which would be a 500;
refused here it is a 422 that names the parameter. Pydantic constraints (not `Path` or
`Query`) so one type serves a path, a query string and a request body alike.
"""

from typing import Annotated

from pydantic import Field

# Every id column is INTEGER, four bytes in PostgreSQL (tests/unit/test_params.py checks).
MAX_ID = 2**31 - 1
# Any page past this is empty; the bound keeps (page - 1) * page_size far from overflowing.
MAX_PAGE = 1_000_000
MAX_LIMIT = 500

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# The last id a client has seen; 0 before it has seen any.
Cursor = Annotated[int, Field(ge=0, le=MAX_ID)]
Page = Annotated[int, Field(ge=1, le=MAX_PAGE)]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
