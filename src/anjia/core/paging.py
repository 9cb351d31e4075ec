"""The one paging schema: every paged list answers `items`, `total`, `page`, `page_size`
(a list may add its own figures, as the inbox adds `unread`)."""
from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int
