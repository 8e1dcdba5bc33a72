"""Middleware of tdkt: Vietnamese by default whatever the browser asks; a page for a wrong method."""


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


def test_opening_a_post_only_address_shows_a_page_not_a_blank_405(client, django_user_model, db):
    user = django_user_model.objects.create_user(username="u405", password="demo")
    client.force_login(user)
    response = client.get("/accounts/logout/")
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert "không mở trực tiếp được" in response.content.decode()
