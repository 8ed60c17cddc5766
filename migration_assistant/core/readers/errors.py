"""The one exception a reader raises: the file could not be read at all.

Bad *content* never raises; it becomes a finding. Only a file that cannot be opened or
read (missing, locked by another program, no permission, a folder) stops a reader, and
then with a one-line message a bookkeeper can act on.
"""

from __future__ import annotations


class UnreadableFile(Exception):
    """A file (or folder) could not be opened or read.

    The message is the whole user-facing text, e.g. ``UnreadableFile("time.csv does not exist.")``.
    """

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    @classmethod
    def from_os_error(cls, file: str, error: OSError) -> UnreadableFile:
        """Translate an operating-system error into a plain message.

        Args:
            file: The display name of the file.
            error: What the operating system reported.

        Returns:
            The exception to raise (chain it with ``from error``).
        """
        if isinstance(error, FileNotFoundError):
            reason = "it does not exist any more (was it moved, renamed or deleted?)"
        elif isinstance(error, PermissionError):
            reason = (
                "permission was refused; close it if another program has it open, "
                "or ask whoever manages this computer for access"
            )
        elif isinstance(error, IsADirectoryError):
            reason = "it is a folder, not a file"
        else:
            reason = error.strerror or str(error) or type(error).__name__
        return cls(f"{file} could not be read: {reason}.")
