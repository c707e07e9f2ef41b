"""Delivery providers, each an adapter behind the one `Provider` interface of `base`."""
