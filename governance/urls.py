from .views import (
    bodies,
    decision_records,
    decisions,
    discussion_moderation,
    discussions,
    meetings,
    notices,
    policy_public,
    policy_questions,
    surveys,
)

app_name = "governance"

urlpatterns = [
    *bodies.urlpatterns,
    *meetings.urlpatterns,
    *notices.urlpatterns,
    *discussions.urlpatterns,
    *discussion_moderation.urlpatterns,
    *surveys.urlpatterns,
    *decisions.urlpatterns,
    *decision_records.urlpatterns,
    *policy_questions.urlpatterns,
    *policy_public.urlpatterns,
]
