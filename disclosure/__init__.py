"""Disclosure requests (情報公開請求): deadlines, states, responsive records, redaction, release."""
