"""Stop an oversize upload while it streams in, before Django spools it all to disk."""

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitUploadHandler(FileUploadHandler):
    """First in the handler chain: refuses a request announced too large, and stops one that
    grows past the limit; the view then tells the person which file was too large."""

    def handle_raw_input(self, input_data: Any, META: Any, content_length: int, *args: Any) -> None:
        self.limit = settings.FUPIN_MAX_UPLOAD_BYTES
        self.received = 0
        # Announced larger than the limit: refused at the first chunk, before anything is kept.
        self.announced_too_large = content_length > self.limit

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.announced_too_large or self.received > self.limit:
            self._refuse(self.file_name or "")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self, name: str) -> None:
        mb = self.limit // (1024 * 1024)
        if self.request is not None:
            self.request.upload_errors = [f"{name}：文件超过允许的大小上限（{mb} MB），未接收。"]
        raise StopUpload(connection_reset=True)
