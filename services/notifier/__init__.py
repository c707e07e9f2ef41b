"""The notifier: Dramatiq actors that render notifications and deliver them by e-mail and SMS.

The worker starts with `dramatiq services.notifier.broker services.notifier.actors`.
A message carries only a notification id; the document in MongoDB holds the
recipient, the template context and every delivery attempt.
"""
