import os

from hotich.config.quiet import quiet_third_party_warnings

quiet_third_party_warnings()

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotich.config.settings")
application = get_wsgi_application()
