"""Ingestion pipeline: sniff, extract, OCR, classify, extract fields, assign retention, index."""
