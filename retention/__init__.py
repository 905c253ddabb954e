"""Retention: file plan, record series and files, retention dates, holds, disposition, transfer."""
