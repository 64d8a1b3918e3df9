"""Signals other apps listen to without governance knowing them (the layers forbid governance importing property)."""

from django.dispatch import Signal

# Sent after an official answer is saved (first answer or revision), with ``question``. Property companies' managers
# hear of answers to their company's questions this way (issue 9).
policy_question_answered = Signal()
