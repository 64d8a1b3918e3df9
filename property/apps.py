from django.apps import AppConfig


class PropertyConfig(AppConfig):
    name = "property"
    verbose_name = "物业与改造"

    def ready(self):
        from governance.domain import committee
        from property.eligibility import no_arrears

        if no_arrears not in committee.ELIGIBILITY_CHECKS:
            committee.ELIGIBILITY_CHECKS.append(no_arrears)

        from governance.signals import policy_question_answered

        policy_question_answered.connect(_tell_company, dispatch_uid="property.company_question_answered")


def _tell_company(sender, question, **kwargs):
    from property.services.management import company_question_answered

    company_question_answered(question)
