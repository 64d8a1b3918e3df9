from .bodies import BodyPage, Membership
from .decisions import (
    Ballot,
    DecisionQuestion,
    Elector,
    ElectorUnit,
    Objection,
    OwnersDecision,
    ProcedureRules,
    Proxy,
)
from .discussions import Post, PostImage, PostReport, PostRevision, Topic, TopicReader
from .meetings import AgendaItem, Attendance, MeetingPage, Minutes, MinutesRevision, MinutesSignature, Resolution
from .notices import NoticeAttachment, NoticePage, NoticeRead
from .policy import (
    AnswerFeedback,
    PolicyAnswerPage,
    PolicyApprovalTask,
    PolicyAttachment,
    PolicyIndexPage,
    PolicyOfficial,
    PolicyPage,
    PolicyQuestion,
    PolicyTopic,
)
from .surveys import HouseholdContact, SurveyHousehold, WillingnessSurvey
from .workflow import CommitteePeerApprovalTask

__all__ = [
    "AgendaItem",
    "AnswerFeedback",
    "Attendance",
    "Ballot",
    "BodyPage",
    "CommitteePeerApprovalTask",
    "DecisionQuestion",
    "Elector",
    "ElectorUnit",
    "HouseholdContact",
    "MeetingPage",
    "Membership",
    "Minutes",
    "MinutesRevision",
    "MinutesSignature",
    "NoticeAttachment",
    "NoticePage",
    "NoticeRead",
    "Objection",
    "OwnersDecision",
    "PolicyAnswerPage",
    "PolicyApprovalTask",
    "PolicyAttachment",
    "PolicyIndexPage",
    "PolicyOfficial",
    "PolicyPage",
    "PolicyQuestion",
    "PolicyTopic",
    "Post",
    "PostImage",
    "PostReport",
    "PostRevision",
    "ProcedureRules",
    "Proxy",
    "Resolution",
    "SurveyHousehold",
    "Topic",
    "TopicReader",
    "WillingnessSurvey",
]
