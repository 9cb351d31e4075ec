"""Shared request parameters."""
from typing import Annotated

from fastapi import Path, Query

Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
PageNo = Annotated[int, Query(ge=1, le=100_000)]
PageSize = Annotated[int, Query(ge=1, le=100)]
Search = Annotated[str | None, Query(max_length=64)]
