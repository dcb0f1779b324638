"""Writes of the portal. Import from here: ``from hotich.portal.services import ...``."""

from hotich.portal.services.catalogue import (
    ImportFailed,
    catalogue_import,
    catalogue_load_builtin,
    procedure_save,
)
from hotich.portal.services.citizens import (
    citizen_from_eid,
    citizen_request_code,
    citizen_verify_code,
    normalize_contact,
)
from hotich.portal.services.dossiers import (
    DOSSIER_LIFECYCLE,
    allowed_actions,
    dossier_enter_paper,
    dossier_history,
    dossier_rate,
    dossier_result,
    dossier_submit,
    dossier_supplement,
    dossier_timeline,
    dossier_transition,
    dossiers_flag_deadlines,
)
from hotich.portal.services.files import (
    HeldUpload,
    Upload,
    uploads_held,
    uploads_hold,
    uploads_release,
)
from hotich.portal.services.notifications import notification_send
from hotich.portal.services.payments import payment_callback, payment_start
from hotich.portal.services.prefill import form_prefill

__all__ = [
    "DOSSIER_LIFECYCLE",
    "HeldUpload",
    "ImportFailed",
    "Upload",
    "allowed_actions",
    "catalogue_import",
    "catalogue_load_builtin",
    "citizen_from_eid",
    "citizen_request_code",
    "citizen_verify_code",
    "dossier_enter_paper",
    "dossier_history",
    "dossier_rate",
    "dossier_result",
    "dossier_submit",
    "dossier_supplement",
    "dossier_timeline",
    "dossier_transition",
    "dossiers_flag_deadlines",
    "form_prefill",
    "normalize_contact",
    "notification_send",
    "payment_callback",
    "payment_start",
    "procedure_save",
    "uploads_held",
    "uploads_hold",
    "uploads_release",
]
