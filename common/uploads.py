"""An upload handler that stops keeping a photo the moment it passes the size cap."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload


class PhotoSizeCapHandler(FileUploadHandler):
    """Runs before Django's own handlers and sees every chunk first.

    A file over PHOTO_MAX_BYTES is skipped as it streams: the rest of its
    bytes are read off the connection but never stored, the partial temporary
    file is closed (and so removed), and the other fields are still parsed, so
    the form can name the file and keep what the client typed. A request far
    past any honest upload is cut off altogether.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.refused: list[str] = []
        self.total = 0
        self.current = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.current = 0

    def receive_data_chunk(self, raw_data, start):
        self.current += len(raw_data)
        self.total += len(raw_data)
        if self.total > (settings.PHOTO_MAX_PER_FORM + 1) * settings.PHOTO_MAX_BYTES:
            raise StopUpload(connection_reset=True)
        if self.current > settings.PHOTO_MAX_BYTES:
            self.refused.append(self.file_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the uploaded file
