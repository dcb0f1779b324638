from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hotich.core.words import words_register


class MeetingsConfig(AppConfig):
    name = "hotich.meetings"
    label = "meetings"
    verbose_name = "Họp không giấy / Paperless meetings"

    def ready(self) -> None:
        from hotich.meetings import vocabulary as v

        words_register("meeting_kind", v.Kind)
        words_register("meeting_status", v.Status)
        words_register("meeting_response", v.Response)
        words_register("vote_choice", v.Choice)
        words_register("ballot", v.Ballot)
        words_register("vote_rule", v.Rule)
        words_register("vote_state", v.VoteState)
        words_register("period_state", v.PeriodState)
        words_register("signed_kind", {"meetings.minutes": _("Biên bản cuộc họp")})
