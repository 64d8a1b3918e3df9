"""Placeholder: filled in by the fees work (issue 6)."""

urlpatterns = []
