from django.apps import AppConfig

from hotich.core.middleware import request_memo_clear


class AgenciesConfig(AppConfig):
    name = "hotich.agencies"
    label = "agencies"
    verbose_name = "Cơ quan, tổ chức / Agencies and organizations"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from hotich.agencies.models import Membership, Organization

        def forget(**_kwargs: object) -> None:
            # the request's memo of memberships and agencies (``core.middleware.request_memo``)
            request_memo_clear()

        for model in (Membership, Organization):
            post_save.connect(forget, sender=model, weak=False, dispatch_uid=f"memo-{model}")
            post_delete.connect(forget, sender=model, weak=False, dispatch_uid=f"memo-d-{model}")
