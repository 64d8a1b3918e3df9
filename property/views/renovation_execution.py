"""(being written: issue 8)"""

urlpatterns = []
