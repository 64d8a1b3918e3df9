"""One ballot per owner and question under concurrent requests, on PostgreSQL (the issue's refusal "a second ballot
by the same owner, also under concurrent requests"). Two threads, each with its own database connection, start
together behind a barrier. The row lock on the owner serialises them; the unique constraint
(question, elector, revision) refuses the second first ballot even when the lock is bypassed.

Skipped without the real servers, except when PORTAL_EXPECT_SERVICES=1 (as tests/portal/test_services_backends.py).
"""

import os
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models.query import QuerySet

from governance.models import Ballot, Elector, OwnersDecision, Proxy
from governance.services import decisions as svc
from tests.governance.decision_helpers import answers_for, open_vote, vote_community

pytestmark = pytest.mark.services

REFUSED = "该业主已经表决，议事规则不允许更改表决票。"


@pytest.fixture(autouse=True)
def _require_services():
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if not missing:
        return
    message = f"{' and '.join(missing)} not set: the PostgreSQL/Redis tests need the real servers"
    if os.environ.get("PORTAL_EXPECT_SERVICES") == "1":
        pytest.fail(message + " (PORTAL_EXPECT_SERVICES=1)")
    pytest.skip(message)


def _run_together(*jobs) -> list:
    """Run each job in its own thread (own connection), all released at once; return what each returned or raised."""
    barrier = threading.Barrier(len(jobs), timeout=30)
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = ("ok", job())
        except (ValidationError, PermissionDenied) as refused:
            results[i] = (type(refused).__name__, refused.messages[0] if hasattr(refused, "messages") else str(refused))
        except Exception as error:  # reported in the assertion below
            results[i] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


def _cast(user_pk, decision_pk, answers):
    def job():
        user = get_user_model().objects.get(pk=user_pk)  # each thread its own objects and connection
        decision = OwnersDecision.objects.get(pk=decision_pk)
        return len(svc.ballot_cast(user=user, decision=decision, answers=answers))

    return job


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_is_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_ballots_of_the_same_owner_at_once_one_is_refused():
    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc, questions=("甲", "乙"))
    owner = vc.owners[0]
    results = _run_together(
        _cast(owner.pk, decision.pk, answers_for(decision, "approve")),
        _cast(owner.pk, decision.pk, answers_for(decision, "reject")),
    )
    assert sorted(results) == [("ValidationError", REFUSED), ("ok", 2)], results
    for question in decision.questions.all():
        assert Ballot.objects.filter(question=question).count() == 1
    assert len({b.token for b in Ballot.objects.filter(decision=decision)}) == 1  # both answers from one request


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_row_lock_the_unique_constraint_alone_refuses_the_second_first_ballot(monkeypatch):
    """Both threads pass the "has he voted?" check before either writes (a barrier in Ballot.save holds them there),
    so only the database can refuse: the second INSERT of revision 1 waits for the first to commit and fails."""
    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc)
    owner = vc.owners[0]
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, *args, **kwargs: self)
    both_checked = threading.Barrier(2, timeout=30)
    original_save = Ballot.save

    def save_after_both_checked(self, *args, **kwargs):
        both_checked.wait()
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Ballot, "save", save_after_both_checked)
    results = _run_together(
        _cast(owner.pk, decision.pk, answers_for(decision, "approve")),
        _cast(owner.pk, decision.pk, answers_for(decision, "reject")),
    )
    assert sorted(results) == [("ValidationError", REFUSED), ("ok", 1)], results
    assert Ballot.objects.filter(decision=decision).count() == 1
    assert Ballot.objects.get(decision=decision).revision == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_changeable_ballots_two_changes_at_once_become_revisions_2_and_3():
    vc = vote_community(buildings=1, units=2, ballots_changeable=True)
    decision = open_vote(vc)
    owner = vc.owners[0]
    svc.ballot_cast(user=owner, decision=decision, answers=answers_for(decision))
    results = _run_together(
        _cast(owner.pk, decision.pk, answers_for(decision, "reject")),
        _cast(owner.pk, decision.pk, answers_for(decision, "abstain")),
    )
    assert results == [("ok", 1), ("ok", 1)], results
    assert sorted(Ballot.objects.filter(decision=decision).values_list("revision", flat=True)) == [1, 2, 3]
    [count] = svc.count_questions(decision)
    assert count.participating.owners == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_accepting_a_proxy_and_the_owner_s_own_ballot_at_once_never_both_succeed(tmp_path, settings):
    """V-22: either the owner voted and the proxy is refused, or the proxy was accepted and the owner is refused."""
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.files.uploadedfile import SimpleUploadedFile

    vc = vote_community(buildings=1, units=2)
    decision = open_vote(vc)
    owner = vc.owners[0]
    elector = Elector.objects.get(decision=decision, voter__user=owner)
    proxy = svc.proxy_upload(
        actor=owner,
        decision=decision,
        elector=elector,
        proxy_name="李四",
        document=SimpleUploadedFile("proxy.pdf", b"%PDF-1.4 proxy"),
    )

    def accept():
        chair = get_user_model().objects.get(pk=vc.chair.pk)
        return svc.proxy_check(actor=chair, proxy=Proxy.objects.get(pk=proxy.pk), accept=True).status

    results = _run_together(_cast(owner.pk, decision.pk, answers_for(decision)), accept)
    outcomes = {r[0] for r in results}
    assert "error" not in outcomes, results
    assert sorted(outcomes) != ["ok"], results  # never both
    voted = Ballot.objects.filter(elector=elector).exists()
    accepted = Proxy.objects.get(pk=proxy.pk).status == Proxy.Status.ACCEPTED
    assert voted != accepted


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_ballot_still_being_written_at_the_close_is_in_the_count(monkeypatch):
    """decision_count waits for the owners' locks: a ballot accepted just before the close, whose transaction is
    still open when the committee counts, is in the frozen result (not lost between the tally and the commit)."""
    import time
    from datetime import timedelta

    vc = vote_community(buildings=1, units=3)
    decision = open_vote(vc)
    closes_at = decision.closes_at
    writing = threading.Event()
    original_save = Ballot.save

    def slow_save(self, *args, **kwargs):
        writing.set()  # the owner's row is locked now
        time.sleep(1)
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Ballot, "save", slow_save)

    def cast():
        user = get_user_model().objects.get(pk=vc.owners[0].pk)
        fresh = OwnersDecision.objects.get(pk=decision.pk)
        return len(
            svc.ballot_cast(user=user, decision=fresh, answers=answers_for(fresh), now=closes_at - timedelta(seconds=1))
        )

    def count():
        assert writing.wait(30)
        chair = get_user_model().objects.get(pk=vc.chair.pk)
        counted = svc.decision_count(
            actor=chair, decision=OwnersDecision.objects.get(pk=decision.pk), now=closes_at + timedelta(seconds=1)
        )
        return counted.questions.get().participating_owners

    results = _run_together(cast, count)
    assert results == [("ok", 1), ("ok", 1)], results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_ballot_that_gets_the_owner_s_lock_after_the_count_is_refused(monkeypatch):
    """The other order: the count holds the owners' locks; the ballot waiting for one then sees the vote counted."""
    import time
    from datetime import timedelta

    vc = vote_community(buildings=1, units=3)
    decision = open_vote(vc)
    closes_at = decision.closes_at
    counting = threading.Event()
    original_count = svc.count_questions

    def slow_count(d):
        counting.set()  # decision_count holds every owner's lock now
        time.sleep(1)
        return original_count(d)

    monkeypatch.setattr(svc, "count_questions", slow_count)

    def cast():
        assert counting.wait(30)
        user = get_user_model().objects.get(pk=vc.owners[0].pk)
        fresh = OwnersDecision.objects.get(pk=decision.pk)  # read before the count commits: still announced
        return len(
            svc.ballot_cast(user=user, decision=fresh, answers=answers_for(fresh), now=closes_at - timedelta(seconds=1))
        )

    def count():
        chair = get_user_model().objects.get(pk=vc.chair.pk)
        counted = svc.decision_count(
            actor=chair, decision=OwnersDecision.objects.get(pk=decision.pk), now=closes_at + timedelta(seconds=1)
        )
        return counted.questions.get().participating_owners

    results = _run_together(cast, count)
    assert results == [("ValidationError", "表决已截止。"), ("ok", 0)], results
    assert not Ballot.objects.filter(decision=decision).exists()
