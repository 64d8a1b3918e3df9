from .views import (
    desk,
    disclosure,
    exports,
    funds,
    handovers,
    household,
    management,
    renovation_apply,
    renovation_execution,
    renovation_public,
    renovation_review,
    repairs,
)

app_name = "property"

urlpatterns = [
    *household.urlpatterns,
    *desk.urlpatterns,
    *funds.urlpatterns,
    *disclosure.urlpatterns,
    *exports.urlpatterns,
    *renovation_apply.urlpatterns,
    *renovation_review.urlpatterns,
    *renovation_execution.urlpatterns,
    *renovation_public.urlpatterns,
    *management.urlpatterns,
    *handovers.urlpatterns,
    *repairs.urlpatterns,
]
