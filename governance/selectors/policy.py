"""Reads for the policy pages, the Q&A desk and search; each a fixed number of queries."""


def policy_index_context(page, params, user) -> dict:
    return {}


def policy_page_context(page) -> dict:
    return {}


def answer_page_context(page, user) -> dict:
    return {}
