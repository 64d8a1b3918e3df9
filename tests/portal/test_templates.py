"""The base template and the look: Chinese, accessible, CSP-clean, large-text mode, error pages."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.core.exceptions import PermissionDenied
from django.template import Context, Template, engines
from django.template.loader import get_template
from django.urls import reverse
from django.views.defaults import permission_denied

from home.models import CommunityRole, Notification
from tests.factories import CommunityPageFactory, UserFactory, community_index_page, member

Role = CommunityRole.Role
STATIC = Path(settings.BASE_DIR) / "static" / "portal"
PORTAL_CSS = (STATIC / "css" / "portal.css").read_text(encoding="utf-8")
PRINT_CSS = (STATIC / "css" / "print.css").read_text(encoding="utf-8")

# Classes the other parts of the portal use in their templates (common brief, "How we write code").
SHARED_CLASSES = [
    "container", "card", "card-list", "button", "button-primary", "button-secondary", "button-danger",
    "form-field", "field-help", "field-error", "errorlist", "table-wrap", "table", "badge", "badge-success",
    "badge-warning", "badge-muted", "notice-box", "breadcrumb", "pagination", "muted", "stack", "grid",
    "visually-hidden", "progress", "skip-link", "site-header", "site-footer", "messages", "message-success",
    "message-error", "message-info", "message-warning",
]  # fmt: skip


def html_of(response) -> str:
    return response.content.decode()


# --- the stylesheet -----------------------------------------------------------------------------


@pytest.mark.parametrize("css_class", SHARED_CLASSES)
def test_stylesheet_defines_every_shared_class(css_class):
    assert re.search(rf"\.{re.escape(css_class)}(?![\w-])", PORTAL_CSS), css_class


def test_stylesheet_loads_nothing_from_elsewhere():
    for css in (PORTAL_CSS, PRINT_CSS):
        assert "@import" not in css
        assert "http://" not in css.replace('a[href^="http://"]', "")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
        assert "@font-face" not in css


def test_stylesheet_uses_the_system_chinese_font_stack_and_readable_sizes():
    assert '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC"' in PORTAL_CSS
    assert re.search(r"html\s*{[^}]*font-size:\s*112\.5%", PORTAL_CSS)  # 18 px body text
    assert re.search(r"html\.large-text\s*{[^}]*font-size:\s*137\.5%", PORTAL_CSS)  # 22 px
    assert re.search(r"--tap:\s*2\.75rem", PORTAL_CSS)  # ≥ 44 px tap targets
    assert ":focus-visible" in PORTAL_CSS


def test_print_stylesheet_hides_navigation_and_buttons_and_shows_external_link_addresses():
    hidden = PRINT_CSS.split("display: none !important", 1)[0]
    for selector in (".site-nav", ".breadcrumb", ".skip-link", "button", ".button", ".pagination"):
        assert selector in hidden
    assert 'a[href^="https://"]::after' in PRINT_CSS
    assert 'content: " (" attr(href) ")"' in PRINT_CSS


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def css_var(name: str) -> str:
    return re.search(rf"{name}:\s*(#[0-9a-fA-F]{{6}})", PORTAL_CSS).group(1)


@pytest.mark.parametrize(
    ("foreground", "background"),
    [
        ("--color-text", "--color-bg"),
        ("--color-muted", "--color-bg"),
        ("--color-muted", "--color-surface-alt"),
        ("--color-link", "--color-surface"),
        ("--color-link", "--color-bg"),
        ("--color-danger", "--color-surface"),
        ("--color-danger", "--color-danger-tint"),
        ("--color-success", "--color-success-tint"),
        ("--color-warning", "--color-warning-tint"),
        ("--color-info", "--color-info-tint"),
        ("--color-brand-dark", "--color-brand-tint"),
    ],
)
def test_text_colours_meet_wcag_aa(foreground, background):
    assert contrast(css_var(foreground), css_var(background)) >= 4.5


def test_white_on_the_brand_colour_meets_wcag_aa():
    assert contrast("#ffffff", css_var("--color-brand")) >= 4.5


def test_focus_outline_is_visible_against_white_and_the_page():
    assert contrast(css_var("--color-focus"), "#ffffff") >= 3
    assert contrast(css_var("--color-focus"), css_var("--color-bg")) >= 3


# --- the base template --------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_is_chinese_with_a_skip_link_and_one_main(client):
    html = html_of(client.get("/"))
    assert '<html lang="zh-Hans"' in html
    assert '<a class="skip-link" href="#main">跳到正文</a>' in html
    assert html.count("<main") == 1
    assert 'id="main"' in html


@pytest.mark.django_db
def test_public_pages_have_no_inline_script_or_style_under_the_strict_csp(client):
    community = CommunityPageFactory()
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    for url in (
        "/",
        community_index_page().url,
        community.url,
        reverse("home:community_residents", args=[community.pk]),
    ):
        response = client.get(url)
        html = html_of(response)
        csp = response.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        executable = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", html)
        assert not executable, url
        assert " style=" not in html, url
        assert "<style" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url  # no inline event handlers


@pytest.mark.django_db
def test_visitor_header_offers_login_and_signup(client):
    html = html_of(client.get("/"))
    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert f'href="{reverse("account_login")}"' in header
    assert f'href="{reverse("account_signup")}"' in header
    assert "退出" not in header


@pytest.mark.django_db
def test_logged_in_header_shows_name_notifications_and_a_post_logout(client):
    user = UserFactory(full_name="王秀兰")
    Notification.objects.create(recipient=user, title="您的认证申请已通过")
    Notification.objects.create(recipient=user, title="第二条")
    client.force_login(user)
    header = html_of(client.get("/")).split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert "王秀兰" in header
    assert f'href="{reverse("home:notifications")}"' in header
    badge = re.search(r"<span class=\"badge\" data-notifications-live[^>]*>(.*?)</span></span>", header, re.S)
    assert badge and "hidden" not in badge.group(0).split(">", 1)[0]
    assert "<span data-count-value>2</span>" in badge.group(1)
    assert re.search(
        rf'<form method="post" action="{reverse("account_logout")}">\s*<input type="hidden" name="csrfmiddlewaretoken"',
        header,
    )


@pytest.mark.django_db
def test_unread_badge_is_hidden_but_present_at_zero_for_live_updates(client):
    client.force_login(UserFactory())
    header = html_of(client.get("/")).split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert re.search(r"<span class=\"badge\" data-notifications-live hidden>", header)


@pytest.mark.django_db
def test_header_shows_the_users_community_and_a_switcher_only_when_several(client):
    first = CommunityPageFactory(title="甲小区")
    user = member(first, Role.RESIDENT)
    client.force_login(user)
    header = html_of(client.get("/")).split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert "甲小区" in header
    assert "community-switcher" not in header

    second = CommunityPageFactory(title="乙小区")
    member_role = CommunityRole.objects.get(community=second, role=Role.OWNER)
    member_role.group.user_set.add(user)
    html = html_of(client.get(second.url))
    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert "切换小区" in header
    current = re.search(r'class="site-community-current" href="([^"]+)"', header).group(1)
    assert current == second.url  # on a community's page, that community is the one shown
    assert f'href="{first.url}"' in header


@pytest.mark.django_db
def test_large_text_switch_sets_a_cookie_and_the_html_class(client):
    html = html_of(client.get("/"))
    assert 'class="large-text"' not in html.split(">", 2)[1]
    assert 'aria-pressed="false"' in html

    response = client.post(reverse("home:toggle_large_text"), {"next": "/"})
    assert response.status_code == 302
    assert response.cookies["large_text"].value == "1"
    assert response.cookies["large_text"]["samesite"] == "Lax"
    html = html_of(client.get("/"))
    assert '<html lang="zh-Hans" class="large-text">' in html
    assert 'aria-pressed="true"' in html

    response = client.post(reverse("home:toggle_large_text"), {"next": "/"})
    assert response.cookies["large_text"].value == "0"
    assert '<html lang="zh-Hans">' in html_of(client.get("/"))


@pytest.mark.django_db
def test_large_text_switch_returns_to_the_page_it_was_pressed_on_and_never_elsewhere(client):
    community = CommunityPageFactory()
    html = html_of(client.get(community.url + "?a=1"))
    assert f'<input type="hidden" name="next" value="{community.url}?a=1">' in html
    assert client.post(reverse("home:toggle_large_text"), {"next": community.url})["Location"] == community.url
    assert client.post(reverse("home:toggle_large_text"), {"next": "https://evil.example/"})["Location"] == "/"


@pytest.mark.django_db
def test_large_text_switch_refuses_get(client):
    assert client.get(reverse("home:toggle_large_text")).status_code == 405


@pytest.mark.django_db
def test_footer_has_about_privacy_and_bureau_contact(client):
    footer = html_of(client.get("/")).split('<footer class="site-footer">', 1)[1]
    for text in ("关于本平台", "个人信息保护说明", "住房和城乡建设局"):
        assert text in footer
    assert 'href="#privacy"' in footer and 'id="privacy"' in footer


def test_messages_render_with_their_level_class():
    html = get_template("components/messages.html").render(
        {"messages": [Message(constants.SUCCESS, "已保存"), Message(constants.ERROR, "出错了")]}
    )
    assert '<li class="message message-success">已保存</li>' in html
    assert '<li class="message message-error">出错了</li>' in html


# --- error pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_404_page_is_chinese(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = html_of(response)
    assert '<html lang="zh-Hans"' in html
    assert "找不到这个页面" in html
    assert "返回首页" in html


@pytest.mark.django_db
def test_403_page_is_chinese_and_explains_claiming(client, rf):
    request = rf.get("/somewhere/")
    request.user = UserFactory()
    response = permission_denied(request, PermissionDenied("只有本小区业委会委员可以审核。"))
    html = html_of(response)
    assert response.status_code == 403
    assert "您暂时无法打开此页面" in html
    assert "只有本小区业委会委员可以审核。" in html
    assert "申请认证房屋" in html


def test_500_page_renders_without_a_request_context_or_database():
    """No django_db mark: any query while rendering would raise here."""
    template = engines["django"].from_string(get_template("500.html").template.source)
    html = template.render({})
    assert '<html lang="zh-Hans">' in html
    assert "系统出了点问题" in html
    assert "{%" not in html


def test_500_page_does_not_extend_the_base_template():
    source = get_template("500.html").template.source
    assert "extends" not in source
    assert "{% include" not in source


def test_base_template_has_the_blocks_other_parts_fill():
    source = get_template("base.html").template.source
    for block in ("title", "breadcrumb", "content", "extra_head", "extra_js"):
        assert f"{{% block {block} %}}" in source


def test_breadcrumb_tag_without_a_page_links_home():
    html = Template("{% load portal_tags %}{% breadcrumb None '我的账户' %}").render(Context({}))
    assert '<a href="/">首页</a>' in html
    assert '<span aria-current="page">我的账户</span>' in html


@pytest.mark.django_db
def test_live_notifications_script_loads_for_logged_in_users_only(client):
    assert "notifications.js" not in html_of(client.get("/"))
    client.force_login(UserFactory())
    assert html_of(client.get("/")).count("portal/js/notifications.js") == 1
