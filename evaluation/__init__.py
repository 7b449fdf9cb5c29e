"""Evaluation helpers: the labelled dev corpus and the measurement of the detectors."""
