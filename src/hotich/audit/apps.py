from django.apps import AppConfig

from hotich.core.health import register_readiness_warning
from hotich.core.words import words_register


def chain_finding() -> str | None:
    """For ``/readyz``: where the audit chain is broken (sequence numbers only), if it is."""
    from hotich.audit.selectors import audit_chain_status

    broken = audit_chain_status()
    if broken is None:
        return None
    where = f"seq={broken.seq}" + (f" id={broken.entry_id}" if broken.entry_id else "")
    return f"broken: {where}"


class AuditConfig(AppConfig):
    name = "hotich.audit"
    label = "audit"
    verbose_name = "Nhật ký kiểm toán / Audit log"

    def ready(self) -> None:
        from hotich.audit.vocabulary import OBJECT_TYPES, Action

        register_readiness_warning("audit_chain", chain_finding)
        words_register("object", OBJECT_TYPES)
        words_register("audit_action", Action)
