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


class MethodNotAllowedPageMiddleware:
    """Django answers a wrong method (e.g. opening a form's POST address in the browser) with an empty
    405; a user gets a page that says what happened instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and request.method == "GET":
            from django.shortcuts import render

            page = render(request, "errors/405.html", status=405)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response
