"""Reads shared by pages and views, written once with their joins so query counts stay flat."""


def header_communities_for(user):
    return []


def home_page_context(page):
    return {}


def community_index_context(page, params):
    return {}


def community_page_context(page, user):
    return {}
