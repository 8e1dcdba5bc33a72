"""Errors that services raise with a message for the user (in Vietnamese through gettext)."""


class ServiceError(Exception):
    """A business rule refused the action; the message is shown to the user as is."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)

    def show_on(self, form) -> None:
        """Shown on the form: under its field when the form has one of that name, else above it."""
        form.add_error(self.field if self.field in form.fields else None, self.message)
