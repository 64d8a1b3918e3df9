from .bodies import BodyPage, Membership
from .decisions import OwnersDecision
from .discussions import Post, PostImage, PostReport, PostRevision, Topic, TopicReader
from .meetings import AgendaItem, Attendance, MeetingPage, Minutes, MinutesRevision, MinutesSignature, Resolution
from .notices import NoticeAttachment, NoticePage, NoticeRead
from .policy import PolicyIndexPage
from .workflow import CommitteePeerApprovalTask

__all__ = [
    "AgendaItem",
    "Attendance",
    "BodyPage",
    "CommitteePeerApprovalTask",
    "MeetingPage",
    "Membership",
    "Minutes",
    "MinutesRevision",
    "MinutesSignature",
    "NoticeAttachment",
    "NoticePage",
    "NoticeRead",
    "OwnersDecision",
    "PolicyIndexPage",
    "Post",
    "PostImage",
    "PostReport",
    "PostRevision",
    "Resolution",
    "Topic",
    "TopicReader",
]
