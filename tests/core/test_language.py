"""Vietnamese by default, whatever the browser asks; English only when the user switches to it."""


def test_login_page_is_vietnamese_even_for_an_english_browser(client, db):
    response = client.get("/accounts/login/", headers={"accept-language": "en-US,en;q=0.9"})
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body


def test_the_switcher_changes_the_language_and_back(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    english = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in english and "Sign in" in english
    client.post("/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"})
    assert '<html lang="vi">' in client.get("/accounts/login/").content.decode()


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client, db):
    client.cookies["django_language"] = "fr"
    assert '<html lang="vi">' in client.get("/accounts/login/").content.decode()
