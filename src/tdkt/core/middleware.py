"""The interface language: Vietnamese unless the user chose another one with the language switcher.

Django's LocaleMiddleware also follows the browser's Accept-Language header, so a Vietnamese officer
with an English browser would get the English interface. tdkt is Vietnamese by default: only the
language cookie set by the switcher (`set_language`) changes it.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
