"""The one search behaviour of every list: each word of the query begins a word of the name.

Lists search a stored, accent-folded `search_text` ("folded name code", see org.services); the query is
folded the same way (`core.text.fold`), so "nguyen van an" and "NGUYỄN VĂN AN" find the same rows, and
"an" finds Nguyễn Văn An and Nguyễn Văn Anh but not Nguyễn Văn Long, whose "văn" merely contains "an"
(nor "Hạnh" every "Thanh"). A word with a digit is a code and may match anywhere in the text ("2644"
finds CB002644).

The text is folded lower case, so a plain (case-sensitive) LIKE suffices on both databases; on
PostgreSQL a trigram index serves it (migration org 0002).
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tdkt.core.text import fold

MAX_QUERY_LENGTH = 100  # the longest query a search box accepts; longer is a form error, never truncated


def query_field(label) -> forms.CharField:
    """The search box of a list filter: at most MAX_QUERY_LENGTH characters and no NUL byte
    (a NUL byte would reach the database, which PostgreSQL rejects) — both errors of the form, shown
    beside the box, never a query cut short or a server error."""
    field = forms.CharField(
        label=label,
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Từ khoá dài quá %(limit_value)d ký tự, hãy rút gọn."),
            "null_characters_not_allowed": _("Từ khoá có ký tự không hợp lệ, hãy gõ lại."),
        },
    )
    field.widget.input_type = "search"
    field.widget.attrs["autocomplete"] = "off"
    return field


def query_words(query: str) -> list[str]:
    """The folded words of a query (empty for a blank one)."""
    return fold(query).split()


def word_start_q(field: str, query: str) -> Q:
    """Q over the folded text column `field` (e.g. "search_text", "person__search_text"): every word of
    `query` begins a word of it, or, for a word with a digit, occurs anywhere in it. A blank query
    matches everything (`Q()`)."""
    q = Q()
    for word in query_words(query):
        if any(ch.isdigit() for ch in word):
            q &= Q(**{f"{field}__contains": word})
        else:
            q &= Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": " " + word})
    return q
