"""Django's own messages that a user of this system can meet and that Django's Vietnamese catalogue
leaves in English. Listed here so that `makemessages` keeps them in the project's catalogue, which is
read before Django's: the Vietnamese text comes from `locale/vi`, the English one from `locale/en`."""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop("Null characters are not allowed."),
    gettext_noop(
        "File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."
    ),
    gettext_noop("Enter a complete value."),
    gettext_noop("Enter a valid duration."),
    gettext_noop("Enter a valid UUID."),
    gettext_noop("Enter a valid JSON."),
    gettext_noop("ManagementForm data is missing or has been tampered with"),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
    gettext_noop(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be ambiguous or it "
        "may not exist."
    ),
)
