"""SMS carriers for ``notify.SmsNotifier``: a carrier implements ``notify.SmsCarrier`` and is named
by ``HOTICH_SMS_CARRIER``; ``standin.LocalSmsOutbox`` keeps the messages in a local file."""
