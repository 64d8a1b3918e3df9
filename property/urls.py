from .views import desk, disclosure, exports, funds, household

app_name = "property"

urlpatterns = [
    *household.urlpatterns,
    *desk.urlpatterns,
    *funds.urlpatterns,
    *disclosure.urlpatterns,
    *exports.urlpatterns,
]
