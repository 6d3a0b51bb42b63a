"""Werkzeug's ``FileStorage`` over Starlette's ``UploadFile``, for code that still takes Flask's upload.

``request.files[...]`` and Flask-WTF's ``FileField.data`` were FileStorage objects: the app and its
extensions (Flask-Avatars' ``save_avatar``, Flask-Dropzone, PIL's ``Image.open``) call ``save``, ``read``,
``stream``, ``mimetype``. End state: ``UploadFile`` parameters read with ``await file.read()``.
"""

from __future__ import annotations

import shutil
from typing import Any


class FileStorage:
    """Werkzeug's upload API (sync ``read``, ``save``, ``stream``, ``mimetype``); ``file`` as Starlette names it."""

    def __init__(self, upload: Any):
        self.upload = upload

    @property
    def file(self) -> Any:
        return self.upload.file

    @property
    def stream(self) -> Any:
        return self.upload.file

    @property
    def filename(self) -> str | None:
        return self.upload.filename

    @property
    def name(self) -> str | None:
        return getattr(self.upload, "name", None)

    @property
    def headers(self) -> Any:
        return self.upload.headers

    @property
    def content_type(self) -> str | None:
        return self.upload.headers.get("content-type") or getattr(self.upload, "content_type", None)

    @property
    def mimetype(self) -> str:
        return (self.content_type or "").split(";")[0].strip().lower()

    @property
    def mimetype_params(self) -> dict[str, str]:
        params = {}
        for part in (self.content_type or "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip():
                params[key.strip().lower()] = value.strip().strip('"')
        return params

    @property
    def content_length(self) -> int:
        return int(self.upload.headers.get("content-length") or 0)

    @property
    def size(self) -> int | None:
        return getattr(self.upload, "size", None)

    def save(self, dst: Any, buffer_size: int = 16384) -> None:
        """Werkzeug's: copy the upload to a path or a writable file object."""
        if hasattr(dst, "write"):
            shutil.copyfileobj(self.stream, dst, buffer_size)
            return
        with open(dst, "wb") as handle:
            shutil.copyfileobj(self.stream, handle, buffer_size)

    def close(self) -> None:
        self.stream.close()

    def __bool__(self) -> bool:
        return bool(self.filename)

    def __getattr__(self, name: str) -> Any:
        """Werkzeug hands the rest to the stream (``read``, ``seek``, ``tell``, ``readline``)."""
        if name == "upload":
            raise AttributeError(name)
        return getattr(self.upload.file, name)

    def __iter__(self) -> Any:
        return iter(self.stream)

    def __repr__(self) -> str:
        return f"<FileStorage: {self.filename!r} ({self.content_type!r})>"


def file_storage(value: Any) -> Any:
    """An uploaded file as Werkzeug's FileStorage; a form's text value (or one wrapped already) as it is."""
    if isinstance(value, (str, FileStorage)) or not hasattr(value, "filename"):
        return value
    return FileStorage(value)
