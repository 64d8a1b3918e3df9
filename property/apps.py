from django.apps import AppConfig


class PropertyConfig(AppConfig):
    name = "property"
    verbose_name = "物业与改造"

    def ready(self):
        from governance.domain import committee
        from property.eligibility import no_arrears

        if no_arrears not in committee.ELIGIBILITY_CHECKS:
            committee.ELIGIBILITY_CHECKS.append(no_arrears)
