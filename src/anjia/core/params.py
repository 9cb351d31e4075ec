"""Shared request parameters (path, query and header), built from the validated types in `core.types`."""
from typing import Annotated, Literal

from fastapi import Header

from anjia.core import types

Id = types.Id
PageNo = types.PageNo
PageSize = types.PageSize
Search = types.Search | None

# The client a request comes from, sent by our apps in `X-Client`: the WeChat mini program `mp`, the H5
# site `h5`, the native App `app`, the admin console (phone / back-office orders) `admin`. Orders and new
# customers record it as their source channel; a request without it records `unknown`.
CHANNELS = ("mp", "h5", "app", "admin")
Channel = Literal["mp", "h5", "app", "admin"]
ClientChannel = Annotated[Channel | None, Header(
    alias="X-Client", description="the client app: `mp` mini program, `h5`, `app`, `admin` (console)")]
