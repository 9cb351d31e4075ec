"""Shared request parameters (path and query), built from the validated types in `core.types`."""
from anjia.core import types

Id = types.Id
PageNo = types.PageNo
PageSize = types.PageSize
Search = types.Search | None
